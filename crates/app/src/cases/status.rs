//! Running the status rules on a case row inside the caller's transaction (domain §5.3, §6).

use surgicase_billing::{Decision, evaluate};
use surgicase_kernel::{CaseStatus, Timestamp};
use surgicase_ports::records::{ActorType, CaseCodeRecord, CaseRow, ChangeSource, HistoryRecord};

use crate::context::Ctx;
use crate::rules::ActiveRuleSet;

/// Evaluates the rules and applies a move to the row; returns the decision and the history
/// row to write when the status changed.
pub(crate) fn apply_rules(
    row: &mut CaseRow,
    codes: &[CaseCodeRecord],
    rules: &ActiveRuleSet,
    ctx: &Ctx,
    now: Timestamp,
) -> (Decision, Option<HistoryRecord>) {
    let decision = evaluate(&rules.set, &row.facts(codes));
    let history = match &decision {
        Decision::Move { from, to, rule } => {
            row.enter_status(*to, now);
            Some(history_row(
                row,
                Some(*from),
                *to,
                ChangeSource::Rule,
                Some(rule.clone()),
                rules.id,
                ctx,
                now,
            ))
        }
        _ => None,
    };
    (decision, history)
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn history_row(
    row: &CaseRow,
    from: Option<CaseStatus>,
    to: CaseStatus,
    source: ChangeSource,
    rule_name: Option<String>,
    rule_set_id: Option<i64>,
    ctx: &Ctx,
    now: Timestamp,
) -> HistoryRecord {
    HistoryRecord {
        case_id: row.case_id.clone(),
        from_status: from,
        to_status: to,
        changed_ts: now,
        actor_type: ActorType::User,
        actor_id: ctx.actor.user_id.to_string(),
        source,
        rule_name,
        rule_set_id,
        reason: None,
        request_id: ctx.request_id.clone(),
        job_run_id: None,
    }
}
