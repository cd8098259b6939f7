//! A case's codes priced for its owner's tier (domain §8), with the snapshots stored with each
//! code (domain §9.2 step 6).

use std::collections::HashMap;

use surgicase_billing::{CodeFact, CodeInfo, PayOutcome, PricedCode, compute_pay, reprices_on_tier_change};
use surgicase_kernel::ProcedureCode;

use crate::record::{Case, CaseCodeRecord};

/// The codes of one case, priced for its owner's tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedCodes {
    pub pay: PayOutcome,
    /// What to store, in entry order, with description and `asst_surg` snapshots.
    pub records: Vec<CaseCodeRecord>,
    /// Codes the master does not know (accepted, never priced).
    pub unknown: Vec<String>,
}

/// Prices validated codes with what the code master says about them for the owner's tier.
pub fn price_codes(codes: &[ProcedureCode], infos: &[CodeInfo]) -> PricedCodes {
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

/// A stored code that is not a procedure code: re-pricing refuses rather than drop it, since
/// the pay would change without a word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored procedure code {code:?} of case {case_id} is not a valid code; the case was not re-priced")]
pub struct UnreadableCode {
    pub case_id: String,
    pub code: String,
}

/// The stored codes, parsed; the first unreadable one refuses.
fn stored_codes(case_id: &str, stored: &[CaseCodeRecord]) -> Result<Vec<ProcedureCode>, UnreadableCode> {
    stored
        .iter()
        .map(|c| {
            ProcedureCode::parse(&c.procedure_code)
                .map_err(|_| UnreadableCode { case_id: case_id.to_owned(), code: c.procedure_code.clone() })
        })
        .collect()
}

/// The pay of stored codes at new prices.
pub(crate) fn reprice(
    case_id: &str,
    stored: &[CaseCodeRecord],
    infos: &[CodeInfo],
) -> Result<PayOutcome, UnreadableCode> {
    Ok(price_codes(&stored_codes(case_id, stored)?, infos).pay)
}

impl Case {
    /// Whether a change of its owner's tier (or of prices) re-prices this case (domain §8).
    pub fn reprices_on_tier_change(&self) -> bool {
        reprices_on_tier_change(self.row.case_status, self.row.active)
    }

    /// The pay of the stored codes at new prices (their snapshots stay as stored).
    pub fn reprice(&self, infos: &[CodeInfo]) -> Result<PayOutcome, UnreadableCode> {
        reprice(self.row.case_id.as_str(), &self.codes, infos)
    }

    /// The code strings to look up for [`Case::reprice`].
    pub fn code_strings(&self) -> Vec<String> {
        self.codes.iter().map(|c| c.procedure_code.clone()).collect()
    }
}

/// The rule facts of stored codes. Stored codes always parse (see [`UnreadableCode`]); one
/// that does not is no fact for the rules.
pub fn code_facts(stored: &[CaseCodeRecord]) -> Vec<CodeFact> {
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
    fn reprice_uses_new_prices_and_refuses_unreadable_codes() {
        let stored =
            price_codes(&codes(&["27447"]), &[info("27447", Some("Orthopedic"), Some(45_000))]).records;
        let pay = reprice("c-1", &stored, &[info("27447", Some("Orthopedic"), Some(50_000))]).unwrap();
        assert_eq!(pay.amount, Money::from_cents(50_000));
        let mut corrupt = stored.clone();
        corrupt.push(CaseCodeRecord {
            procedure_code: "27 447".to_owned(),
            procedure_desc: String::new(),
            asst_surg: None,
        });
        let refused = reprice("c-1", &corrupt, &[]).unwrap_err();
        assert_eq!((refused.case_id.as_str(), refused.code.as_str()), ("c-1", "27 447"));
    }
}
