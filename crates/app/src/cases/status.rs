//! Running the status rules on a case row inside the caller's transaction (domain §5.3, §6).

use std::collections::BTreeSet;

use surgicase_billing::{Decision, Facts, evaluate};
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseStatus, DocumentField, Timestamp};
use surgicase_ports::records::{ActorType, CaseCodeRecord, CaseRow, ChangeSource, HistoryRecord};

use crate::context::Ctx;
use crate::pricing::code_facts;
use crate::rules::ActiveRuleSet;

/// The rule facts of a case row and its codes.
pub(crate) fn facts_of(row: &CaseRow, codes: &[CaseCodeRecord]) -> Facts {
    let docs = &row.documents;
    let present: BTreeSet<DocumentField> = [
        (DocumentField::DemoFile, &docs.demo_file),
        (DocumentField::NoteFile, &docs.note_file),
        (DocumentField::MiscFile, &docs.misc_file),
        (DocumentField::AdminFile, &docs.admin_file),
    ]
    .into_iter()
    .filter(|(_, name)| name.as_deref().is_some_and(|n| !n.is_empty()))
    .map(|(field, _)| field)
    .collect();
    Facts {
        status: row.case_status,
        documents_present: present,
        codes: code_facts(codes),
        insurer: row.patient.ins_provider.clone(),
        patient_dob: row.patient.dob,
        case_date: row.case_date,
    }
}

/// The timestamp column a case entering `to` stamps, if any (domain §5.3).
pub(crate) fn entry_stamp(to: CaseStatus) -> Option<StatusTimestamp> {
    to.timestamp_column()
}

/// Moves the row into `to`, stamping the status's timestamp column (domain §5.3).
pub(crate) fn enter_status(row: &mut CaseRow, to: CaseStatus, now: Timestamp) {
    row.case_status = to;
    if let Some(column) = entry_stamp(to) {
        row.status_timestamps.insert(column, now);
    }
}

/// Evaluates the rules and applies a move to the row; returns the decision and the history
/// row to write when the status changed.
pub(crate) fn apply_rules(
    row: &mut CaseRow,
    codes: &[CaseCodeRecord],
    rules: &ActiveRuleSet,
    ctx: &Ctx,
    now: Timestamp,
) -> (Decision, Option<HistoryRecord>) {
    let decision = evaluate(&rules.set, &facts_of(row, codes));
    let history = match &decision {
        Decision::Move { from, to, rule } => {
            enter_status(row, *to, now);
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
