//! The billing week end to end: the back office moves cases to 10 over HTTP, the scheduler
//! binary's Monday transition takes them to 15, the back-office list and dashboard show it.

use serde_json::json;

use crate::flows::setup_provider;
use crate::server::{Backend, Server, backends};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_to_ready_then_the_monday_transition_on_every_backend() {
    for backend in backends() {
        billing_week(backend).await;
    }
}

async fn billing_week(backend: Backend) {
    let s = Server::start(backend).await;
    s.create_user("u-ca", 10);
    let (surgeon, facility) = setup_provider(&s, "u-jane").await;
    for n in 1..=3 {
        let case = json!({
            "case_id": format!("u-jane_{n}"), "case_date": "2025-03-03",
            "surgeon_id": surgeon, "facility_id": facility,
            "patient": {"first": "Pat", "last": format!("Week{n}"), "ins_provider": "Aetna"},
            "procedure_codes": ["27447"],
        });
        let (status, body) = s.post("/case?user_id=u-jane", &case).await;
        assert_eq!(status, 201, "{backend:?} {body}");
    }

    // The back office: two of three cases are ready for billing.
    let bulk = json!({"case_ids": ["u-jane_1", "u-jane_2"], "new_status": 10, "reason": "reviewed"});
    let (status, moved) = s.patch("/bulk_update_case_status?calling_user_id=u-ca", &bulk).await;
    assert_eq!(status, 200, "{backend:?} {moved}");
    assert_eq!(moved["total_updated"], 2, "{moved}");

    // The scheduler, a separate process on the same database, runs Monday's transition now.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_surgicase-scheduler"))
        .args(["run", "pending_payment_transition"])
        .env("SURGICASE_DATABASE_URL", s.database_url())
        .env_remove("SURGICASE_CONFIG")
        .output()
        .expect("surgicase-scheduler run");
    assert!(output.status.success(), "{backend:?} {}", String::from_utf8_lossy(&output.stderr));

    let (status, pending) = s.get("/cases_by_status?filter=15&calling_user_id=u-ca").await;
    assert_eq!(status, 200, "{pending}");
    let ids: Vec<&str> =
        pending["cases"].as_array().into_iter().flatten().filter_map(|c| c["case_id"].as_str()).collect();
    assert_eq!(ids, ["u-jane_2", "u-jane_1"], "{backend:?} {pending}");
    assert_eq!(pending["cases"][0]["provider_name"], "Jane Doe");

    let (_, history) = s.get("/case/status_history?case_id=u-jane_1&calling_user_id=u-ca").await;
    let rows = history["history"].as_array().cloned().unwrap_or_default();
    let steps: Vec<(i64, &str)> =
        rows.iter().filter_map(|h| Some((h["to_status"].as_i64()?, h["source"].as_str()?))).collect();
    assert!(steps.ends_with(&[(10, "bulk"), (15, "job")]), "{backend:?} {history}");

    let (_, dashboard) = s.get("/case_dashboard_data?calling_user_id=u-ca").await;
    let by_status: Vec<(i64, i64)> = dashboard["dashboard_data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| Some((r["case_status"].as_i64()?, r["cases"].as_i64()?)))
        .collect();
    assert!(by_status.contains(&(15, 2)), "{backend:?} {dashboard}");
    assert_eq!(dashboard["summary"]["total_cases"], 3);
}
