//! `JobRunRepo` (`job_runs`, the occurrence claims) and `StatusTransitionRepo`.
//!
//! Assumed: ids grow with each insert; a row is held by `(id, claimed_by, attempt)` while
//! `running`; nothing here depends on the wall clock — every time is passed in.

use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Timestamp};
use surgicase_ports::jobs::*;
use surgicase_ports::records::*;
use surgicase_ports::{Conn, Store};

use super::{assert_reference, conn, owners};
use crate::fixtures::*;

/// A claim of `job` at `scheduled_for` by `by`, claimed at [`t0`] with a 600 s lease.
fn new_run(job: &str, scheduled_for: Timestamp, by: &str) -> NewJobRun {
    NewJobRun {
        job_name: job.to_owned(),
        scheduled_for,
        trigger_kind: TriggerKind::Schedule,
        claimed_by: by.to_owned(),
        claimed_ts: t0(),
        lease_expires_ts: at(600),
    }
}

fn monday(hour: u32) -> Timestamp {
    ts(&format!("2025-03-03T{hour:02}:00:00Z"))
}

async fn claim(c: &mut Box<dyn Conn>, run: &NewJobRun) -> JobRunRecord {
    c.claim_job_run(run).await.unwrap().expect("the occurrence was free")
}

fn succeeded(items: i32) -> JobRunEnd {
    JobRunEnd {
        outcome: RunOutcome::Succeeded,
        finished_ts: at(30),
        items_processed: items,
        items_failed: 0,
        error_text: None,
        details: Some(r#"{"cases":3}"#.to_owned()),
    }
}

/// A claim inserts a running row (attempt 1, started at the claim) that reads back whole; a
/// second claim of the same occurrence gets `None`, other occurrences and jobs are free.
pub async fn claim_once_per_occurrence(store: &dyn Store) {
    let mut c = conn(store).await;
    let first = NewJobRun {
        scheduled_for: ts("2025-03-03T08:00:00.000001Z"),
        trigger_kind: TriggerKind::CatchUp,
        ..new_run("paid_transition", monday(8), "host-a:1:aaaa")
    };
    let row = claim(&mut c, &first).await;
    assert_eq!(
        row,
        JobRunRecord {
            id: row.id,
            job_name: "paid_transition".into(),
            scheduled_for: ts("2025-03-03T08:00:00.000001Z"),
            trigger_kind: TriggerKind::CatchUp,
            claimed_by: "host-a:1:aaaa".into(),
            claimed_ts: t0(),
            lease_expires_ts: at(600),
            attempt: 1,
            started_ts: Some(t0()),
            finished_ts: None,
            outcome: RunOutcome::Running,
            items_processed: 0,
            items_failed: 0,
            error_text: None,
            details: None,
        }
    );
    assert_eq!(c.get_job_run(row.id).await.unwrap(), Some(row.clone()));
    assert_eq!(
        c.claim_job_run(&NewJobRun { claimed_by: "host-b:2:bbbb".into(), ..first.clone() }).await.unwrap(),
        None
    );

    let later = claim(&mut c, &new_run("paid_transition", monday(9), "host-b:2:bbbb")).await;
    let other_job =
        claim(&mut c, &new_run("pending_payment_transition", first.scheduled_for, "host-b")).await;
    assert!(later.id > row.id && other_job.id > later.id);
    assert_eq!(c.get_job_run(row.id).await.unwrap(), Some(row));
    assert_eq!(c.get_job_run(other_job.id + 1000).await.unwrap(), None);
}

/// Several replicas claiming one occurrence at once: exactly one gets it.
pub async fn concurrent_claims_have_one_winner(store: &dyn Store) {
    let run = |by: &str| new_run("paid_transition", monday(8), by);
    let attempt = |by: &'static str| async move {
        let mut c = conn(store).await;
        c.claim_job_run(&run(by)).await.unwrap()
    };
    let (a, b, c, d) = tokio::join!(attempt("a"), attempt("b"), attempt("c"), attempt("d"));
    let winners: Vec<JobRunRecord> = [a, b, c, d].into_iter().flatten().collect();
    assert_eq!(winners.len(), 1, "{winners:?}");
    let rows = conn(store).await.list_job_runs(&JobRunQuery::default()).await.unwrap();
    assert_eq!(rows, winners);
}

/// Skipping writes a final `skipped` row (never started, finished and lease at the claim time)
/// for each occurrence without a row, and leaves existing rows alone.
pub async fn skip_records_only_missing_occurrences(store: &dyn Store) {
    let mut c = conn(store).await;
    let claimed = claim(&mut c, &new_run("paid_transition", monday(9), "a")).await;
    let runs: Vec<NewJobRun> =
        [7, 8, 9].into_iter().map(|h| new_run("paid_transition", monday(h), "b")).collect();
    assert_eq!(c.skip_job_runs(&runs).await.unwrap(), 2);
    assert_eq!(c.skip_job_runs(&runs).await.unwrap(), 0);
    assert_eq!(c.skip_job_runs(&[]).await.unwrap(), 0);

    let rows = c.list_job_runs(&JobRunQuery::default()).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(c.get_job_run(claimed.id).await.unwrap(), Some(claimed.clone()));
    let skipped: Vec<&JobRunRecord> = rows.iter().filter(|r| r.id != claimed.id).collect();
    let mut hours: Vec<Timestamp> = skipped.iter().map(|r| r.scheduled_for).collect();
    hours.sort();
    assert_eq!(hours, vec![monday(7), monday(8)]);
    for row in skipped {
        assert_eq!(row.outcome, RunOutcome::Skipped);
        assert_eq!((row.claimed_by.as_str(), row.attempt), ("b", 1));
        assert_eq!((row.claimed_ts, row.lease_expires_ts, row.finished_ts), (t0(), t0(), Some(t0())));
        assert_eq!(row.started_ts, None);
        assert_eq!((row.items_processed, row.items_failed, row.error_text.as_deref()), (0, 0, None));
    }
    // A skipped occurrence cannot be claimed any more.
    assert_eq!(c.claim_job_run(&new_run("paid_transition", monday(7), "c")).await.unwrap(), None);

    // Many occurrences at once (an every-minute job over a day).
    let many: Vec<NewJobRun> =
        (0..1440).map(|m| new_run("bug_tracker_sync", at(-60 * (m + 1)), "b")).collect();
    assert_eq!(c.skip_job_runs(&many).await.unwrap(), 1440);
}

/// Renew, finish and release work only for the holder (instance and attempt) of a running row.
pub async fn renew_finish_release_only_by_holder(store: &dyn Store) {
    let mut c = conn(store).await;
    let row = claim(&mut c, &new_run("paid_transition", monday(8), "a")).await;
    let held = row.claim();
    let stranger = JobRunClaim { claimed_by: "b".into(), ..held.clone() };
    let old_attempt = JobRunClaim { attempt: 0, ..held.clone() };

    assert!(!c.renew_job_run(&stranger, at(900)).await.unwrap());
    assert!(!c.renew_job_run(&old_attempt, at(900)).await.unwrap());
    assert!(c.renew_job_run(&held, at(900)).await.unwrap());
    // Renewing to the same lease still answers "held".
    assert!(c.renew_job_run(&held, at(900)).await.unwrap());
    assert_eq!(c.get_job_run(row.id).await.unwrap().map(|r| r.lease_expires_ts), Some(at(900)));
    assert!(!c.release_job_run(&stranger, at(1)).await.unwrap());

    let failed = JobRunEnd {
        outcome: RunOutcome::Failed,
        items_failed: 2,
        error_text: Some("database unavailable: timeout – réessayer".into()),
        details: None,
        ..succeeded(5)
    };
    assert!(!c.finish_job_run(&stranger, &failed).await.unwrap());
    assert!(c.finish_job_run(&held, &failed).await.unwrap());
    let done = c.get_job_run(row.id).await.unwrap().unwrap();
    assert_eq!(
        done,
        JobRunRecord {
            outcome: RunOutcome::Failed,
            finished_ts: Some(at(30)),
            items_processed: 5,
            items_failed: 2,
            error_text: failed.error_text.clone(),
            lease_expires_ts: at(900),
            ..row.clone()
        }
    );
    // A final row is nobody's any more.
    assert!(!c.renew_job_run(&held, at(1200)).await.unwrap());
    assert!(!c.release_job_run(&held, at(31)).await.unwrap());
    assert!(!c.finish_job_run(&held, &succeeded(1)).await.unwrap());
    assert_eq!(c.get_job_run(row.id).await.unwrap(), Some(done));

    let other = claim(&mut c, &new_run("paid_transition", monday(9), "a")).await;
    assert!(c.finish_job_run(&other.claim(), &succeeded(3)).await.unwrap());
    let ok = c.get_job_run(other.id).await.unwrap().unwrap();
    assert_eq!(
        (ok.outcome, ok.items_processed, ok.details.as_deref()),
        (RunOutcome::Succeeded, 3, Some(r#"{"cases":3}"#))
    );

    let released = claim(&mut c, &new_run("paid_transition", monday(10), "a")).await;
    assert!(c.release_job_run(&released.claim(), at(5)).await.unwrap());
    let row = c.get_job_run(released.id).await.unwrap().unwrap();
    assert_eq!((row.outcome, row.lease_expires_ts), (RunOutcome::Running, at(5)));
}

/// An expired running row is taken over (attempt + 1, new holder, restarted), the old holder
/// loses it, and after the last attempt it becomes `abandoned`.
pub async fn take_over_after_lease_expiry(store: &dyn Store) {
    let mut c = conn(store).await;
    let jobs = vec!["paid_transition".to_owned()];
    let row =
        claim(&mut c, &NewJobRun { lease_expires_ts: at(10), ..new_run("paid_transition", monday(8), "a") })
            .await;
    assert_eq!(c.take_over_job_run(row.id, "b", at(10), at(100), 3).await.unwrap(), TakeOver::Unavailable);
    assert!(c.expired_job_runs(&jobs, at(10), 10).await.unwrap().is_empty());
    assert_eq!(c.expired_job_runs(&jobs, at(11), 10).await.unwrap(), vec![row.clone()]);
    assert!(c.expired_job_runs(&["other".to_owned()], at(11), 10).await.unwrap().is_empty());

    let TakeOver::Claimed(second) = c.take_over_job_run(row.id, "b", at(11), at(100), 3).await.unwrap()
    else {
        panic!("expected a take-over");
    };
    assert_eq!(
        second,
        JobRunRecord {
            claimed_by: "b".into(),
            claimed_ts: at(11),
            lease_expires_ts: at(100),
            attempt: 2,
            started_ts: Some(at(11)),
            ..row.clone()
        }
    );
    assert!(!c.finish_job_run(&row.claim(), &succeeded(1)).await.unwrap(), "the old holder lost the row");
    assert!(!c.renew_job_run(&row.claim(), at(200)).await.unwrap());

    // Released by its holder: free for the next replica at once.
    assert!(c.release_job_run(&second.claim(), at(12)).await.unwrap());
    let TakeOver::Claimed(third) = c.take_over_job_run(row.id, "c", at(13), at(20), 3).await.unwrap() else {
        panic!("expected a second take-over");
    };
    assert_eq!((third.attempt, third.claimed_by.as_str()), (3, "c"));

    let TakeOver::Abandoned(gone) = c.take_over_job_run(row.id, "d", at(21), at(100), 3).await.unwrap()
    else {
        panic!("expected the row to be abandoned");
    };
    assert_eq!((gone.outcome, gone.attempt, gone.finished_ts), (RunOutcome::Abandoned, 3, Some(at(21))));
    assert_eq!(gone.claimed_by, "c");
    assert_eq!(c.take_over_job_run(row.id, "d", at(22), at(100), 3).await.unwrap(), TakeOver::Unavailable);
    assert!(c.expired_job_runs(&jobs, at(1000), 10).await.unwrap().is_empty());
}

/// Replicas racing to take over one expired row: exactly one wins.
pub async fn concurrent_take_overs_have_one_winner(store: &dyn Store) {
    let row = {
        let mut c = conn(store).await;
        claim(&mut c, &NewJobRun { lease_expires_ts: at(10), ..new_run("paid_transition", monday(8), "a") })
            .await
    };
    let attempt = |by: &'static str| async move {
        let mut c = conn(store).await;
        c.take_over_job_run(row.id, by, at(11), at(100), 3).await.unwrap()
    };
    let (a, b, c, d) = tokio::join!(attempt("b"), attempt("c"), attempt("d"), attempt("e"));
    let claimed: Vec<TakeOver> =
        [a, b, c, d].into_iter().filter(|t| matches!(t, TakeOver::Claimed(_))).collect();
    assert_eq!(claimed.len(), 1, "{claimed:?}");
    let now = conn(store).await.get_job_run(row.id).await.unwrap().unwrap();
    assert_eq!(now.attempt, 2);
    assert_eq!(claimed, vec![TakeOver::Claimed(now)]);
}

/// The latest occurrence of each job, with or without manual runs; the listing filters, pages
/// with `before_id` and returns the newest first.
pub async fn latest_per_job_and_listing(store: &dyn Store) {
    let mut c = conn(store).await;
    assert!(c.latest_job_runs(true).await.unwrap().is_empty());
    let a8 = claim(&mut c, &new_run("paid_transition", monday(8), "a")).await;
    let b8 = claim(&mut c, &new_run("pending_payment_transition", monday(8), "a")).await;
    let a9 = claim(&mut c, &new_run("paid_transition", monday(9), "a")).await;
    let manual = claim(
        &mut c,
        &NewJobRun { trigger_kind: TriggerKind::Manual, ..new_run("paid_transition", monday(11), "a") },
    )
    .await;
    // Recorded later, but an earlier occurrence (a late catch-up).
    let a7 = claim(&mut c, &new_run("paid_transition", monday(7), "a")).await;
    assert!(c.finish_job_run(&a9.claim(), &succeeded(2)).await.unwrap());
    let a9 = c.get_job_run(a9.id).await.unwrap().unwrap();

    assert_eq!(c.latest_job_runs(false).await.unwrap(), vec![a9.clone(), b8.clone()]);
    assert_eq!(c.latest_job_runs(true).await.unwrap(), vec![manual.clone(), b8.clone()]);

    let all = c.list_job_runs(&JobRunQuery::default()).await.unwrap();
    assert_eq!(all, vec![a7.clone(), manual.clone(), a9.clone(), b8.clone(), a8.clone()]);
    let list = |q: JobRunQuery| {
        let q = q.clone();
        async move { conn(store).await.list_job_runs(&q).await.unwrap() }
    };
    let paid = Some("paid_transition".to_owned());
    assert_eq!(
        list(JobRunQuery { job_name: paid.clone(), limit: 2, ..Default::default() }).await,
        vec![a7.clone(), manual.clone()]
    );
    assert_eq!(
        list(JobRunQuery { job_name: paid.clone(), before_id: Some(manual.id), ..Default::default() }).await,
        vec![a9.clone(), a8.clone()]
    );
    assert_eq!(
        list(JobRunQuery { outcome: Some(RunOutcome::Succeeded), ..Default::default() }).await,
        vec![a9.clone()]
    );
    assert_eq!(
        list(JobRunQuery { from: Some(monday(8)), to: Some(monday(9)), ..Default::default() }).await,
        vec![a9.clone(), b8.clone(), a8.clone()]
    );
    assert!(list(JobRunQuery { job_name: Some("nope".into()), ..Default::default() }).await.is_empty());
    assert!(list(JobRunQuery { limit: 0, ..Default::default() }).await.is_empty());
}

/// The transition moves exactly the active cases at `from` (stamping the column given, if any,
/// and `case_updated_ts`), returns them oldest first, and a second call finds nothing.
pub async fn move_cases_at_status_moves_only_active_cases_in_source(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let ready = |id: &str| CaseRow { case_status: CaseStatus::READY_FOR_BILLING, ..jane.case_row(id) };
    let rows = [
        ready("c-1"),
        CaseRow { active: false, ..ready("c-deleted") },
        CaseRow { case_status: CaseStatus::PENDING_PAYMENT, ..jane.case_row("c-15") },
        CaseRow { case_status: CaseStatus::NEEDS_REVIEW, ..jane.case_row("c-7") },
        ready("c-2"),
    ];
    for row in &rows {
        c.insert_case(row).await.unwrap();
    }
    drop(c);

    let mut tx = store.begin().await.unwrap();
    let moved = tx
        .move_cases_at_status(
            CaseStatus::READY_FOR_BILLING,
            CaseStatus::PENDING_PAYMENT,
            Some(StatusTimestamp::PendingPayment),
            at(3600),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(moved, vec![case_id("c-1"), case_id("c-2")]);

    let mut c = conn(store).await;
    for row in &rows {
        let now = c.get_case_view(&row.case_id, None, None).await.unwrap().unwrap().case.row;
        if moved.contains(&row.case_id) {
            assert_eq!(now.case_status, CaseStatus::PENDING_PAYMENT);
            assert_eq!(now.status_timestamps.get(&StatusTimestamp::PendingPayment), Some(&at(3600)));
            assert_eq!(now.case_updated_ts, at(3600));
            assert_eq!(
                CaseRow {
                    case_status: row.case_status,
                    case_updated_ts: row.case_updated_ts,
                    status_timestamps: row.status_timestamps.clone(),
                    ..now
                },
                *row
            );
        } else {
            assert_eq!(now, *row, "{} must not change", row.case_id);
        }
    }
    let again = c
        .move_cases_at_status(
            CaseStatus::READY_FOR_BILLING,
            CaseStatus::PENDING_PAYMENT,
            Some(StatusTimestamp::PendingPayment),
            at(7200),
        )
        .await
        .unwrap();
    assert!(again.is_empty());
    let paid = c
        .move_cases_at_status(
            CaseStatus::PENDING_PAYMENT,
            CaseStatus::PAID,
            Some(StatusTimestamp::PaidToProvider),
            at(7200),
        )
        .await
        .unwrap();
    assert_eq!(paid, vec![case_id("c-1"), case_id("c-15"), case_id("c-2")]);
    let c1 = c.get_case_view(&case_id("c-1"), None, None).await.unwrap().unwrap().case.row;
    assert_eq!(c1.status_timestamps.get(&StatusTimestamp::PaidToProvider), Some(&at(7200)));
    assert_eq!(c1.status_timestamps.get(&StatusTimestamp::PendingPayment), Some(&at(3600)));
    // No stamp given: the status and `case_updated_ts` change, no timestamp column does.
    let unstamped = c
        .move_cases_at_status(CaseStatus::NEEDS_REVIEW, CaseStatus::READY_FOR_BILLING, None, at(9000))
        .await
        .unwrap();
    assert_eq!(unstamped, vec![case_id("c-7")]);
    let c7 = c.get_case_view(&case_id("c-7"), None, None).await.unwrap().unwrap().case.row;
    assert_eq!(c7.case_status, CaseStatus::READY_FOR_BILLING);
    assert_eq!(c7.case_updated_ts, at(9000));
    assert_eq!(c7.status_timestamps, rows[3].status_timestamps);
}

/// `lock_case_statuses` answers the active cases among the ids (each once); `set_case_statuses`
/// moves exactly those, stamping the column given (if any) and `case_updated_ts`.
pub async fn bulk_status_reads_and_sets_only_listed_active_cases(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    let rows = [
        CaseRow { case_status: CaseStatus::READY_FOR_BILLING, ..jane.case_row("c-10") },
        CaseRow { case_status: CaseStatus::PAID, ..jane.case_row("c-20") },
        CaseRow { active: false, ..jane.case_row("c-deleted") },
        jane.case_row("c-unlisted"),
    ];
    for row in &rows {
        c.insert_case(row).await.unwrap();
    }
    drop(c);
    let listed = [case_id("c-20"), case_id("c-10"), case_id("c-deleted"), case_id("c-none"), case_id("c-10")];

    let mut tx = store.begin().await.unwrap();
    let mut found = tx.lock_case_statuses(&listed).await.unwrap();
    found.sort();
    assert_eq!(
        found,
        vec![(case_id("c-10"), CaseStatus::READY_FOR_BILLING), (case_id("c-20"), CaseStatus::PAID)]
    );
    let moved = [case_id("c-10"), case_id("c-20"), case_id("c-deleted")];
    tx.set_case_statuses(&moved, CaseStatus::PENDING_PAYMENT, Some(StatusTimestamp::PendingPayment), at(60))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut c = conn(store).await;
    for row in &rows {
        let now = c.get_case_view(&row.case_id, None, None).await.unwrap().unwrap().case.row;
        if row.active && moved.contains(&row.case_id) {
            assert_eq!(now.case_status, CaseStatus::PENDING_PAYMENT);
            assert_eq!(now.status_timestamps.get(&StatusTimestamp::PendingPayment), Some(&at(60)));
            assert_eq!(now.case_updated_ts, at(60));
        } else {
            assert_eq!(now, *row, "{} must not change", row.case_id);
        }
    }
    // No stamp: only the status and `case_updated_ts` change.
    c.set_case_statuses(&[case_id("c-10")], CaseStatus::PAID, None, at(120)).await.unwrap();
    let c10 = c.get_case_view(&case_id("c-10"), None, None).await.unwrap().unwrap().case.row;
    assert_eq!(c10.case_status, CaseStatus::PAID);
    assert_eq!(c10.case_updated_ts, at(120));
    assert_eq!(c10.status_timestamps.get(&StatusTimestamp::PaidToProvider), None);
}

/// `cases_at_statuses_after` pages the active cases at the listed statuses by their numeric
/// id: every such case exactly once across pages, none at another status, none deleted.
pub async fn cases_at_statuses_page_by_numeric_id(store: &dyn Store) {
    let [jane, john] = owners(store, ["u-jane", "u-john"]).await;
    let mut c = conn(store).await;
    let rows = [
        jane.case_row("c-b"),
        CaseRow { case_status: CaseStatus::SUBMITTED, ..john.case_row("c-a") },
        CaseRow { case_status: CaseStatus::READY_FOR_BILLING, ..jane.case_row("c-c") },
        CaseRow { active: false, ..jane.case_row("c-deleted") },
        CaseRow { case_status: CaseStatus::SUBMITTED, ..jane.case_row("c-0") },
        john.case_row("c-z"),
    ];
    let mut numeric = Vec::new();
    for row in &rows {
        numeric.push(c.insert_case(row).await.unwrap());
    }
    let managed = [CaseStatus::DRAFT, CaseStatus::SUBMITTED];
    let expected: Vec<(i64, CaseId)> =
        [0, 1, 4, 5].iter().map(|&i| (numeric[i], rows[i].case_id.clone())).collect();
    assert_eq!(c.cases_at_statuses_after(&managed, 0, 100).await.unwrap(), expected);
    let first = c.cases_at_statuses_after(&managed, 0, 2).await.unwrap();
    assert_eq!(first, expected[..2]);
    let rest = c.cases_at_statuses_after(&managed, first[1].0, 2).await.unwrap();
    assert_eq!(rest, expected[2..]);
    assert!(c.cases_at_statuses_after(&managed, expected[3].0, 2).await.unwrap().is_empty());
    let ready = c.cases_at_statuses_after(&[CaseStatus::READY_FOR_BILLING], 0, 10).await.unwrap();
    assert_eq!(ready, vec![(numeric[2], case_id("c-c"))]);
    assert!(c.cases_at_statuses_after(&[], 0, 10).await.unwrap().is_empty());
}

/// History rows may name a job run that exists, and only such a run.
pub async fn history_job_run_id_refers_to_job_runs(store: &dyn Store) {
    let [jane] = owners(store, ["u-jane"]).await;
    let mut c = conn(store).await;
    c.insert_case(&jane.case_row("c-1")).await.unwrap();
    let run = claim(&mut c, &new_run("paid_transition", monday(8), "a")).await;
    let row = |job_run_id| HistoryRecord {
        actor_type: ActorType::Job,
        actor_id: "paid_transition".into(),
        source: ChangeSource::Job,
        job_run_id,
        ..history(&case_id("c-1"), Some(CaseStatus::PENDING_PAYMENT), CaseStatus::PAID)
    };
    c.append_history(&[row(Some(run.id))]).await.unwrap();
    assert_reference(c.append_history(&[row(Some(run.id + 1000))]).await);
    assert_eq!(c.case_history(&case_id("c-1")).await.unwrap(), vec![row(Some(run.id))]);
}
