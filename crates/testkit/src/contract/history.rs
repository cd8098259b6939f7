//! `HistoryRepo`: `case_status_history`.
//!
//! Assumed: rows come back in insertion order (oldest first: the service appends as changes
//! happen, and rows of one call share a timestamp); `job_run_id` stays `None` here because it is
//! a foreign key to `job_runs`, which no port of this crate writes.

use surgicase_kernel::CaseStatus;
use surgicase_ports::Store;
use surgicase_ports::records::*;

use super::{assert_reference, conn, owners};
use crate::fixtures::*;

/// Many rows in one call, several calls; every column round-trips (NULLs, accents,
/// microseconds); a case's history excludes other cases'.
pub async fn append_and_read_oldest_first(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let (c1, c2) = (case_id("c-1"), case_id("c-2"));
    c.insert_case(&jane.case_row("c-1")).await.unwrap();
    c.insert_case(&jane.case_row("c-2")).await.unwrap();
    let rule_set = c.insert_rule_set(&new_rule_set("default", "format = 1\n")).await.unwrap();

    let created = history(&c1, None, CaseStatus::DRAFT);
    let by_rule = HistoryRecord {
        actor_type: ActorType::System,
        actor_id: "rules".into(),
        source: ChangeSource::Rule,
        rule_name: Some("ready_when_complete".into()),
        rule_set_id: Some(rule_set),
        request_id: Some("req-0001".into()),
        ..history(&c1, Some(CaseStatus::DRAFT), CaseStatus::READY_FOR_BILLING)
    };
    let by_job = HistoryRecord {
        changed_ts: ts("2025-03-04T02:00:00.000001Z"),
        actor_type: ActorType::Job,
        actor_id: "pending_payment_transition".into(),
        source: ChangeSource::Job,
        ..history(&c1, Some(CaseStatus::READY_FOR_BILLING), CaseStatus::PENDING_PAYMENT)
    };
    let by_admin = HistoryRecord {
        changed_ts: ts("2025-03-05T12:00:00.999999Z"),
        actor_id: "u-admin".into(),
        reason: Some("Réexamen demandé – pièces manquantes".into()),
        request_id: Some("req-0002".into()),
        ..history(&c1, Some(CaseStatus::PENDING_PAYMENT), CaseStatus::NEEDS_REVIEW)
    };
    let other = history(&c2, None, CaseStatus::DRAFT);

    c.append_history(&[created.clone(), by_rule.clone()]).await.unwrap();
    c.append_history(std::slice::from_ref(&other)).await.unwrap();
    c.append_history(&[by_job.clone(), by_admin.clone()]).await.unwrap();
    c.append_history(&[]).await.unwrap();

    assert_eq!(c.case_history(&c1).await.unwrap(), vec![created, by_rule, by_job, by_admin]);
    assert_eq!(c.case_history(&c2).await.unwrap(), vec![other]);
    assert!(c.case_history(&case_id("c-none")).await.unwrap().is_empty());
}

/// A row for an unknown case is `Reference` and no row of the call is written.
pub async fn append_for_unknown_case_is_reference(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let c1 = case_id("c-1");
    c.insert_case(&jane.case_row("c-1")).await.unwrap();

    let rows = [history(&c1, None, CaseStatus::DRAFT), history(&case_id("c-ghost"), None, CaseStatus::DRAFT)];
    assert_reference(c.append_history(&rows).await);
    assert!(c.case_history(&c1).await.unwrap().is_empty());
    assert!(c.case_history(&case_id("c-ghost")).await.unwrap().is_empty());
}
