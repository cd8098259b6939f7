//! Scheduled jobs: the status transitions (domain §7.4) and the admin views of `job_runs`.

use chrono::{Duration, TimeZone, Utc};
use surgicase_app::AppSettings;
use surgicase_app::jobs::{JobRegistry, JobRun, JobRunsRequest, JobSetting};
use surgicase_billing::{PAID_TRANSITION, PENDING_PAYMENT_TRANSITION};
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, Clock, Timestamp};
use surgicase_ports::records::{ActorType, ChangeSource};
use surgicase_ports::{JobRunRecord, NewJobRun, RunOutcome, Store, TriggerKind};

use crate::world::{World, code};

/// A claimed `job_runs` row for `job` (history rows refer to it).
async fn claimed(world: &World, job: &str, scheduled_for: Timestamp) -> JobRun {
    let now = world.clock.now();
    let row = world
        .store
        .conn()
        .await
        .unwrap()
        .claim_job_run(&NewJobRun {
            job_name: job.into(),
            scheduled_for,
            trigger_kind: TriggerKind::Schedule,
            claimed_by: "test".into(),
            claimed_ts: now,
            lease_expires_ts: now + Duration::minutes(10),
        })
        .await
        .unwrap()
        .unwrap();
    JobRun { id: row.id, job_name: row.job_name, scheduled_for, trigger: TriggerKind::Schedule, attempt: 1 }
}

fn monday() -> Timestamp {
    Utc.with_ymd_and_hms(2025, 3, 10, 8, 0, 0).unwrap()
}

async fn stored_status(world: &World, id: &str) -> (CaseStatus, bool) {
    let view = world
        .store
        .conn()
        .await
        .unwrap()
        .get_case_view(&CaseId::parse(id).unwrap(), None, None)
        .await
        .unwrap()
        .unwrap();
    (view.case.row.case_status, view.case.row.active)
}

/// Cases `c-<status>` of one provider at each listed status, plus a deleted one at 10.
async fn cases_at(world: &World, statuses: &[i64]) {
    let p = world.provider("u-prov", 1).await;
    for status in statuses {
        let id = format!("c-{status}");
        world.app.create_case(&p.ctx, p.case(&id, &[])).await.unwrap();
        world.force_status(&id, *status).await;
    }
    world.app.create_case(&p.ctx, p.case("c-deleted", &[])).await.unwrap();
    world.app.delete_case(&p.ctx, "c-deleted").await.unwrap();
    world.force_status("c-deleted", 10).await;
}

#[tokio::test]
async fn pending_payment_moves_exactly_the_active_cases_at_10_and_writes_history() {
    let world = World::new().await;
    cases_at(&world, &[0, 1, 7, 10, 15, 20, 400]).await;
    let p2 = world.provider("u-other", 1).await;
    world.app.create_case(&p2.ctx, p2.case("c-10b", &[])).await.unwrap();
    world.force_status("c-10b", 10).await;
    world.clock.set(monday() + Duration::milliseconds(1500));
    let run = claimed(&world, "pending_payment_transition", monday()).await;

    let report = world.app.run_transition(PENDING_PAYMENT_TRANSITION, &run).await.unwrap();
    assert_eq!((report.items_processed, report.items_failed), (2, 0));
    assert_eq!(report.details["cases"], 2);
    let touched = report.touched.unwrap();
    assert_eq!((touched.action, touched.resource_type), ("case.status_change", "job_run"));
    assert_eq!(touched.details["case_ids"], serde_json::json!(["c-10", "c-10b"]));

    for (id, expected) in [
        ("c-0", (0, true)),
        ("c-1", (1, true)),
        ("c-7", (7, true)),
        ("c-10", (15, true)),
        ("c-10b", (15, true)),
        ("c-15", (15, true)),
        ("c-20", (20, true)),
        ("c-400", (400, true)),
        ("c-deleted", (10, false)),
    ] {
        let (status, active) = stored_status(&world, id).await;
        assert_eq!((status.code(), active), (expected.0 as i16, expected.1), "{id}");
    }
    let mut conn = world.store.conn().await.unwrap();
    let moved =
        conn.get_case_view(&CaseId::parse("c-10").unwrap(), None, None).await.unwrap().unwrap().case.row;
    assert_eq!(moved.status_timestamps.get(&StatusTimestamp::PendingPayment), Some(&world.clock.now()));
    assert_eq!(moved.case_updated_ts, world.clock.now());

    let history = conn.case_history(&CaseId::parse("c-10").unwrap()).await.unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.from_status, last.to_status),
        (Some(CaseStatus::READY_FOR_BILLING), CaseStatus::PENDING_PAYMENT)
    );
    assert_eq!(
        (last.actor_type, last.actor_id.as_str(), last.source),
        (ActorType::Job, "pending_payment_transition", ChangeSource::Job)
    );
    assert_eq!(
        (last.job_run_id, last.request_id.as_deref(), last.changed_ts),
        (Some(run.id), None, world.clock.now())
    );
    // Untouched cases got no job row.
    for id in ["c-15", "c-deleted", "c-7"] {
        let rows = conn.case_history(&CaseId::parse(id).unwrap()).await.unwrap();
        assert!(rows.iter().all(|h| h.source != ChangeSource::Job), "{id}");
    }

    // A retry (the same occurrence after a crash) finds nothing left: 0 items, no new rows.
    let again = world.app.run_transition(PENDING_PAYMENT_TRANSITION, &run).await.unwrap();
    assert_eq!(again.items_processed, 0);
    assert_eq!(conn.case_history(&CaseId::parse("c-10").unwrap()).await.unwrap().len(), history.len());
}

#[tokio::test]
async fn paid_moves_15_to_20_and_stamps_paid_to_provider() {
    let world = World::new().await;
    cases_at(&world, &[10, 15]).await;
    let run = claimed(&world, "paid_transition", monday()).await;
    let report = world.app.run_transition(PAID_TRANSITION, &run).await.unwrap();
    assert_eq!(report.items_processed, 1);
    assert_eq!(stored_status(&world, "c-15").await.0, CaseStatus::PAID);
    assert_eq!(stored_status(&world, "c-10").await.0, CaseStatus::READY_FOR_BILLING);
    let row = world
        .store
        .conn()
        .await
        .unwrap()
        .get_case_view(&CaseId::parse("c-15").unwrap(), None, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.case.row.status_timestamps.get(&StatusTimestamp::PaidToProvider),
        Some(&world.clock.now())
    );
}

#[tokio::test]
async fn a_transition_with_nothing_to_move_succeeds_with_zero_items() {
    let world = World::new().await;
    let run = claimed(&world, "paid_transition", monday()).await;
    let report = world.app.run_transition(PAID_TRANSITION, &run).await.unwrap();
    assert_eq!((report.items_processed, report.details["cases"].as_i64()), (0, Some(0)));
}

#[tokio::test]
async fn registry_jobs_run_the_transitions() {
    let world = World::new().await;
    cases_at(&world, &[10]).await;
    let run = claimed(&world, "pending_payment_transition", monday()).await;
    let job = JobRegistry::builtin().get("pending_payment_transition").unwrap();
    let report = job.run(&world.app, &run).await.unwrap();
    assert_eq!(report.items_processed, 1);
    assert_eq!(stored_status(&world, "c-10").await.0, CaseStatus::PENDING_PAYMENT);
}

fn settings() -> AppSettings {
    let job = |name: &str, schedule: &str, enabled: bool| JobSetting {
        name: name.into(),
        schedule: schedule.into(),
        enabled,
        catch_up_window_s: 86_400,
    };
    AppSettings {
        jobs: vec![
            job("pending_payment_transition", "0 0 8 * * Mon", true),
            job("paid_transition", "0 0 8 * * Thu", false),
            job("npi_sync", "0 0 8 * * Tue", true),
        ],
        ..AppSettings::default()
    }
}

#[tokio::test]
async fn admins_see_the_jobs_with_next_occurrence_and_last_run() {
    let mut world = World::new().await;
    world.app = surgicase_app::App::new(
        world.store.clone(),
        world.objects.clone(),
        world.npi.clone(),
        world.clock.clone(),
        settings(),
    );
    let admin = world.user("u-ga", 100, 1).await;
    let case_admin = world.user("u-ca", 10, 1).await;
    assert_eq!(code(world.app.job_overview(&case_admin).await), "forbidden");

    let run = claimed(&world, "pending_payment_transition", monday()).await;
    let jobs = world.app.job_overview(&admin).await.unwrap();
    let names: Vec<&str> = jobs.iter().map(|j| j.job.as_str()).collect();
    assert_eq!(names, vec!["pending_payment_transition", "paid_transition", "npi_sync"]);
    // World time: Monday 10 March 2025 12:00.
    assert_eq!(jobs[0].next_occurrence, Some(Utc.with_ymd_and_hms(2025, 3, 17, 8, 0, 0).unwrap()));
    assert_eq!(jobs[0].last_run.as_ref().map(|r| r.id), Some(run.id));
    assert!(jobs[0].enabled && jobs[0].available);
    assert_eq!((jobs[1].enabled, jobs[1].available, jobs[1].next_occurrence), (false, true, None));
    assert_eq!((jobs[2].enabled, jobs[2].available, jobs[2].next_occurrence), (false, false, None));
}

#[tokio::test]
async fn admins_page_through_job_runs_newest_first() {
    let world = World::new().await;
    let admin = world.user("u-ga", 100, 1).await;
    let provider = world.user("u-prov", 1, 1).await;
    let mut ids = Vec::new();
    for h in 0..5 {
        ids.push(claimed(&world, "paid_transition", monday() + Duration::hours(h)).await.id);
    }
    claimed(&world, "pending_payment_transition", monday()).await;
    assert_eq!(code(world.app.job_runs(&provider, &JobRunsRequest::default()).await), "forbidden");

    let request =
        JobRunsRequest { job: Some("paid_transition".into()), limit: Some(2), ..Default::default() };
    let first = world.app.job_runs(&admin, &request).await.unwrap();
    let got: Vec<i64> = first.runs.iter().map(|r| r.id).collect();
    assert_eq!(got, vec![ids[4], ids[3]]);
    assert_eq!(first.next_before_id, Some(ids[3]));
    let second = world
        .app
        .job_runs(&admin, &JobRunsRequest { before_id: first.next_before_id, ..request.clone() })
        .await
        .unwrap();
    assert_eq!(second.runs.iter().map(|r| r.id).collect::<Vec<_>>(), vec![ids[2], ids[1]]);
    let third = world
        .app
        .job_runs(&admin, &JobRunsRequest { before_id: second.next_before_id, ..request.clone() })
        .await
        .unwrap();
    assert_eq!((third.runs.len(), third.next_before_id), (1, None));

    let running: Vec<JobRunRecord> = world
        .app
        .job_runs(
            &admin,
            &JobRunsRequest {
                outcome: Some("running".into()),
                to: Some("2025-03-10T09:00:00Z".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .runs;
    assert_eq!(running.len(), 3);
    assert!(running.iter().all(|r| r.outcome == RunOutcome::Running));
    assert_eq!(
        code(
            world
                .app
                .job_runs(
                    &admin,
                    &JobRunsRequest { outcome: Some("nope".into()), limit: Some(0), ..Default::default() }
                )
                .await
        ),
        "validation_failed [outcome:invalid_format, limit:out_of_range]"
    );
}
