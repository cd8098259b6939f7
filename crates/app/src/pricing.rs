//! Re-pricing pre-payment cases when their owner's tier or that tier's prices change (domain §8).
//! The case aggregate decides which cases a change reaches and prices them; this file loads and
//! stores.

use surgicase_kernel::{CaseStatus, Timestamp, UserId};
use surgicase_ports::Conn;
use surgicase_ports::records::Case;
use surgicase_ports::store::PayUpdate;

use crate::error::AppError;

/// Re-prices `owner`'s cases that a tier change reaches for `tier`; returns how many were
/// re-priced. A case whose stored codes do not parse keeps its amount and is logged, so corrupt
/// data never changes pay silently (here and in [`reprice_tier_cases`]).
pub(crate) async fn reprice_owner_cases(
    conn: &mut dyn Conn,
    owner: &UserId,
    tier: i32,
    now: Timestamp,
) -> Result<usize, AppError> {
    // The query narrows to cases below pending payment; the domain rule decides.
    let cases = conn.owner_cases_below(owner, CaseStatus::PENDING_PAYMENT).await?;
    reprice_cases(conn, cases, tier, now).await
}

/// Re-prices the cases of owners of tier `tier` after the price table changed for that tier.
pub(crate) async fn reprice_tier_cases(
    conn: &mut dyn Conn,
    tier: i32,
    now: Timestamp,
) -> Result<usize, AppError> {
    let cases = conn.tier_cases_below(tier, CaseStatus::PENDING_PAYMENT).await?;
    reprice_cases(conn, cases, tier, now).await
}

/// Prices each case the rule reaches with `tier`'s prices and stores the changed amounts (one
/// batched update); returns how many were re-priced.
async fn reprice_cases(
    conn: &mut dyn Conn,
    cases: Vec<Case>,
    tier: i32,
    now: Timestamp,
) -> Result<usize, AppError> {
    let cases: Vec<Case> = cases.into_iter().filter(Case::reprices_on_tier_change).collect();
    let mut codes: Vec<String> = cases.iter().flat_map(Case::code_strings).collect();
    codes.sort();
    codes.dedup();
    let infos = if codes.is_empty() { Vec::new() } else { conn.code_info(&codes, tier).await? };
    let mut repriced = 0;
    let mut updates = Vec::new();
    for case in &cases {
        let pay = match case.reprice(&infos) {
            Ok(pay) => pay,
            Err(refused) => {
                tracing::warn!(error = %refused, "case not re-priced after a tier change");
                continue;
            }
        };
        repriced += 1;
        let row = &case.row;
        if pay.amount != row.pay_amount || pay.category != row.pay_category {
            updates.push(PayUpdate {
                case_id: row.case_id.clone(),
                pay_amount: pay.amount,
                pay_category: pay.category,
                updated_ts: now,
            });
        }
    }
    if !updates.is_empty() {
        conn.update_pay(&updates).await?;
    }
    Ok(repriced)
}
