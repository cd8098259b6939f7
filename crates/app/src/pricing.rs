//! Joins a case's codes with what the code master says about them, for pay (domain §8) and
//! for the snapshots stored with each code (domain §9.2 step 6).

use std::collections::HashMap;

use surgicase_billing::{CodeFact, PayOutcome, PricedCode, compute_pay};
use surgicase_kernel::{CaseStatus, ProcedureCode, Timestamp, UserId};
use surgicase_ports::Conn;
use surgicase_ports::records::{CaseCodeRecord, CodeInfo};
use surgicase_ports::store::PayUpdate;

use crate::error::AppError;

/// The codes of one case, priced for its owner's tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PricedCodes {
    pub pay: PayOutcome,
    /// What to store, in entry order, with description and `asst_surg` snapshots.
    pub records: Vec<CaseCodeRecord>,
    /// Codes the master does not know (accepted, never priced).
    pub unknown: Vec<String>,
}

pub(crate) fn price_codes(codes: &[ProcedureCode], infos: &[CodeInfo]) -> PricedCodes {
    let by_code: HashMap<&str, &CodeInfo> = infos.iter().map(|i| (i.procedure_code.as_str(), i)).collect();
    let mut priced = Vec::with_capacity(codes.len());
    let mut records = Vec::with_capacity(codes.len());
    let mut unknown = Vec::new();
    for code in codes {
        let info = by_code.get(code.as_str());
        if info.is_none() {
            unknown.push(code.to_string());
        }
        priced.push(PricedCode {
            code: code.clone(),
            known: info.is_some(),
            category: info.and_then(|i| i.code_category.clone()),
            price: info.and_then(|i| i.price),
        });
        records.push(CaseCodeRecord {
            procedure_code: code.to_string(),
            procedure_desc: info.map(|i| i.procedure_desc.clone()).unwrap_or_default(),
            asst_surg: info.and_then(|i| i.asst_surg),
        });
    }
    PricedCodes { pay: compute_pay(&priced), records, unknown }
}

/// Re-prices stored codes (their snapshots stay as stored).
pub(crate) fn reprice(stored: &[CaseCodeRecord], infos: &[CodeInfo]) -> PayOutcome {
    let codes: Vec<ProcedureCode> =
        stored.iter().filter_map(|c| ProcedureCode::parse(&c.procedure_code).ok()).collect();
    price_codes(&codes, infos).pay
}

/// Re-prices `owner`'s active cases below 15 for `tier` (domain §8: a tier change reaches
/// existing pre-payment cases); returns how many cases were re-priced.
pub(crate) async fn reprice_owner_cases(
    conn: &mut dyn Conn,
    owner: &UserId,
    tier: i32,
    now: Timestamp,
) -> Result<usize, AppError> {
    let cases = conn.owner_cases_below(owner, CaseStatus::PENDING_PAYMENT).await?;
    let mut codes: Vec<String> =
        cases.iter().flat_map(|c| c.codes.iter().map(|k| k.procedure_code.clone())).collect();
    codes.sort();
    codes.dedup();
    let infos = if codes.is_empty() { Vec::new() } else { conn.code_info(&codes, tier).await? };
    let updates: Vec<PayUpdate> = cases
        .iter()
        .filter_map(|case| {
            let pay = reprice(&case.codes, &infos);
            let row = &case.row;
            (pay.amount != row.pay_amount || pay.category != row.pay_category).then(|| PayUpdate {
                case_id: row.case_id.clone(),
                pay_amount: pay.amount,
                pay_category: pay.category,
                updated_ts: now,
            })
        })
        .collect();
    if !updates.is_empty() {
        conn.update_pay(&updates).await?;
    }
    Ok(cases.len())
}

/// The rule facts of stored codes.
pub(crate) fn code_facts(stored: &[CaseCodeRecord]) -> Vec<CodeFact> {
    stored
        .iter()
        .filter_map(|c| {
            let code = ProcedureCode::parse(&c.procedure_code).ok()?;
            Some(CodeFact { code, asst_surg: c.asst_surg })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::Money;

    use super::*;

    fn info(code: &str, category: Option<&str>, price: Option<i64>) -> CodeInfo {
        CodeInfo {
            procedure_code: code.to_owned(),
            procedure_desc: format!("desc {code}"),
            code_category: category.map(str::to_owned),
            asst_surg: Some(2),
            price: price.map(Money::from_cents),
        }
    }

    fn codes(list: &[&str]) -> Vec<ProcedureCode> {
        list.iter().map(|c| ProcedureCode::parse(c).unwrap()).collect()
    }

    #[test]
    fn known_unknown_and_snapshots() {
        let infos =
            [info("27447", Some("Orthopedic"), Some(45_000)), info("58150", Some("OB-Gyn"), Some(30_000))];
        let priced = price_codes(&codes(&["58150", "99213", "27447"]), &infos);
        assert_eq!(priced.pay.amount, Money::from_cents(45_000));
        assert_eq!(priced.pay.category.as_deref(), Some("Orthopedic"));
        assert_eq!(priced.pay.codes_found, 2);
        assert_eq!(priced.unknown, vec!["99213".to_owned()]);
        let stored: Vec<_> =
            priced.records.iter().map(|r| (r.procedure_code.as_str(), r.procedure_desc.as_str())).collect();
        assert_eq!(stored, vec![("58150", "desc 58150"), ("99213", ""), ("27447", "desc 27447")]);
        assert_eq!(priced.records[1].asst_surg, None);
    }

    #[test]
    fn reprice_uses_new_prices() {
        let stored =
            price_codes(&codes(&["27447"]), &[info("27447", Some("Orthopedic"), Some(45_000))]).records;
        let pay = reprice(&stored, &[info("27447", Some("Orthopedic"), Some(50_000))]);
        assert_eq!(pay.amount, Money::from_cents(50_000));
    }
}
