//! `GET /admin/jobs` and `GET /admin/job_runs` (api.md §8) for a global admin.

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use surgicase_app::jobs::JobSetting;
use surgicase_app::{App, AppSettings};
use surgicase_kernel::FixedClock;
use surgicase_ports::{JobRunEnd, NewJobRun, RunOutcome, TriggerKind};
use surgicase_testkit::MemoryObjectStore;

use super::world::World;
use crate::identity::Authenticator;
use crate::state::{AppState, Settings};

/// The matrix world plus a global admin `u-ga`, with two configured jobs and three runs.
async fn world() -> (World, Vec<i64>) {
    let mut w = World::new().await;
    w.user("u-ga", "Gina", "Globaladmin", 100).await;
    let now = Utc.with_ymd_and_hms(2025, 3, 10, 12, 0, 0).single().expect("valid");
    let job = |name: &str, schedule: &str, enabled: bool| JobSetting {
        name: name.into(),
        schedule: schedule.into(),
        enabled,
        catch_up_window_s: 86_400,
    };
    let settings = AppSettings {
        jobs: vec![
            job("pending_payment_transition", "0 0 8 * * Mon", true),
            job("npi_sync", "0 0 8 * * Tue", true),
        ],
        ..AppSettings::default()
    };
    let app = App::new(
        w.store.clone(),
        Arc::new(MemoryObjectStore::new()),
        w.npi.clone(),
        Arc::new(FixedClock::new(now)),
        settings,
    );
    w.state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let mut conn = w.store.conn().await.expect("conn");
    let mut ids = Vec::new();
    for days in [14, 7, 0] {
        let at = Utc.with_ymd_and_hms(2025, 3, 10, 8, 0, 0).single().expect("valid") - Duration::days(days);
        let run = conn
            .claim_job_run(&NewJobRun {
                job_name: "pending_payment_transition".into(),
                scheduled_for: at,
                trigger_kind: TriggerKind::Schedule,
                claimed_by: "sched-a".into(),
                claimed_ts: at,
                lease_expires_ts: at + Duration::minutes(10),
            })
            .await
            .expect("claim")
            .expect("free");
        let end = JobRunEnd {
            outcome: RunOutcome::Succeeded,
            finished_ts: at + Duration::milliseconds(1500),
            items_processed: 3,
            items_failed: 0,
            error_text: None,
            details: Some(r#"{"cases":3,"status":{"from":10,"to":15}}"#.into()),
        };
        assert!(conn.finish_job_run(&run.claim(), &end).await.expect("finish"));
        ids.push(run.id);
    }
    (w, ids)
}

#[actix_web::test]
async fn jobs_with_next_occurrence_and_last_run() {
    let (w, ids) = world().await;
    let answer = w.get("/admin/jobs?calling_user_id=u-ga").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let last = json!({
        "id": ids[2], "job_name": "pending_payment_transition", "scheduled_for": "2025-03-10T08:00:00Z",
        "trigger_kind": "schedule", "claimed_by": "sched-a", "claimed_ts": "2025-03-10T08:00:00Z",
        "lease_expires_ts": "2025-03-10T08:10:00Z", "attempt": 1, "started_ts": "2025-03-10T08:00:00Z",
        "finished_ts": "2025-03-10T08:00:01Z", "outcome": "succeeded", "items_processed": 3, "items_failed": 0,
        "error_text": null, "details": {"cases": 3, "status": {"from": 10, "to": 15}},
    });
    assert_eq!(
        answer.body,
        json!({"jobs": [
            {"job": "pending_payment_transition", "schedule": "0 0 8 * * Mon", "enabled": true,
             "catch_up_window_s": 86400, "next_occurrence": "2025-03-17T08:00:00Z", "last_run": last},
            {"job": "npi_sync", "schedule": "0 0 8 * * Tue", "enabled": false, "catch_up_window_s": 86400,
             "next_occurrence": null, "last_run": null},
        ]})
    );
}

#[actix_web::test]
async fn job_runs_newest_first_with_a_cursor() {
    let (w, ids) = world().await;
    let answer = w.get("/admin/job_runs?calling_user_id=u-ga&job=pending_payment_transition&limit=2").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let got: Vec<i64> =
        answer.body["job_runs"].as_array().expect("list").iter().filter_map(|r| r["id"].as_i64()).collect();
    assert_eq!(got, vec![ids[2], ids[1]]);
    assert_eq!(answer.body["next_before_id"], json!(ids[1]));
    let next = w.get(&format!("/admin/job_runs?calling_user_id=u-ga&limit=2&before_id={}", ids[1])).await;
    assert_eq!(next.body["job_runs"].as_array().map(Vec::len), Some(1));
    assert_eq!(next.body["next_before_id"], json!(null));

    let filtered =
        w.get("/admin/job_runs?calling_user_id=u-ga&outcome=failed&from=2025-03-01&to=2025-03-10").await;
    assert_eq!(filtered.body, json!({"job_runs": [], "next_before_id": null}));

    let bad = w.get("/admin/job_runs?calling_user_id=u-ga&outcome=done&limit=1001&from=yesterday").await;
    assert_eq!(bad.status, 422, "{}", bad.raw);
    let fields: Vec<&str> =
        bad.body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert!(
        fields.contains(&"limit") && fields.contains(&"outcome") && fields.contains(&"from"),
        "{}",
        bad.raw
    );

    let ua = w.get("/admin/job_runs?calling_user_id=u-ua").await;
    assert_eq!((ua.status.as_u16(), ua.error_code()), (403, "forbidden"));
}
