//! Status rule sets across replicas: a global admin stores the shipped payer-and-eligibility
//! set through one API process; the other process uses it on its very next write, without a
//! restart, and a re-evaluation moves the cases the new set judges differently.

use std::time::Instant;

use serde_json::{Value, json};

use crate::flows::setup_provider;
use crate::server::{Backend, Server, backends};

const PAYER_SET: &str = include_str!("../../crates/billing/rules/payer-and-eligibility.toml");
const PDF: &[u8] = b"%PDF-1.4\n% rules e2e\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_payer_set_takes_effect_on_every_replica_on_every_backend() {
    for backend in backends() {
        payer_set_across_replicas(backend).await;
    }
}

/// A complete case (demo and note files, codes) of `u-jane`, created through `s`.
async fn complete_case(
    s: &Server,
    id: &str,
    ins: &str,
    dob: Option<&str>,
    codes: &[&str],
    ids: (i64, i64),
) -> Value {
    let mut case = json!({
        "case_id": id, "case_date": "2025-03-03", "surgeon_id": ids.0, "facility_id": ids.1,
        "patient": {"first": "Pat", "last": id, "ins_provider": ins},
        "procedure_codes": codes, "demo_file": "demo.pdf", "note_file": "note.pdf",
    });
    if let Some(dob) = dob {
        case["patient_dob"] = json!(dob);
    }
    let (status, created) = s.post("/case?user_id=u-jane", &case).await;
    assert_eq!(status, 201, "{created}");
    created
}

async fn status_of(s: &Server, id: &str) -> i64 {
    let (status, read) = s.get(&format!("/case?user_id=u-ga&case_id={id}")).await;
    assert_eq!(status, 200, "{read}");
    read["case"]["case_status"].as_i64().unwrap_or(-1)
}

async fn put_toml(s: &Server, query: &str, toml: &str) -> (u16, Value) {
    let response = s
        .client
        .put(format!("{}/admin/status_rules?calling_user_id=u-ga{query}", s.base))
        .header("Content-Type", "application/toml")
        .body(toml.to_owned())
        .send()
        .await
        .unwrap();
    crate::server::decode(response).await
}

async fn payer_set_across_replicas(backend: Backend) {
    let a = Server::start(backend).await;
    let b = a.replica().await;
    a.create_user("u-ga", 100);
    let ids = setup_provider(&a, "u-jane").await;
    a.upload_legacy("u-jane", "demo.pdf", PDF);
    a.upload_legacy("u-jane", "note.pdf", PDF);

    // Under the built-in default both complete cases are submitted (1).
    let medicare =
        complete_case(&a, "u-jane_m", "Medicare Part B", Some("1950-02-01"), &["99213"], ids).await;
    let humana = complete_case(&a, "u-jane_h", "Humana Gold Plus", None, &["11042"], ids).await;
    assert_eq!((medicare["case_status"].as_i64(), humana["case_status"].as_i64()), (Some(1), Some(1)));
    let (status, active) = b.get("/admin/status_rules?calling_user_id=u-ga").await;
    assert_eq!(status, 200, "{active}");
    assert_eq!((active["source"].as_str(), active["id"].as_i64()), (Some("built-in default"), None));

    // Process B stores the payer set; process A applies it to its next write, at once.
    let (status, stored) = put_toml(&b, "", PAYER_SET).await;
    assert_eq!(status, 200, "{backend:?} {stored}");
    let set_id = stored["rule_set"]["id"].as_i64().expect("stored id");
    assert_eq!(stored["rule_set"]["name"], "payer-and-eligibility");
    assert_eq!(stored["rule_set"]["source"], "database");
    assert_eq!(stored["reevaluation"], Value::Null);
    let stored_at = Instant::now();
    let (status, updated) =
        a.patch("/case?user_id=u-jane", &json!({"case_id": "u-jane_m", "patient_dob": "1950-02-01"})).await;
    let seen_after = stored_at.elapsed();
    assert_eq!(status, 200, "{updated}");
    // Medicare, 75 on the case date, only 99213 (asst_surg 9): review.
    assert_eq!(updated["status_update"]["case_status"], 7, "{backend:?} {updated}");
    println!(
        "{backend:?}: the new set was in force on the other replica {seen_after:?} after the PUT answered"
    );
    // A case created on A after the PUT: no rejection, no review flag, ready for billing.
    let aetna = complete_case(&a, "u-jane_a", "Aetna", None, &["27447"], ids).await;
    assert_eq!(aetna["case_status"], 10, "{aetna}");
    // The Humana case was not written since: still 1 until a re-evaluation.
    assert_eq!(status_of(&a, "u-jane_h").await, 1);

    // The same text again, with re-evaluation (query flag): Humana with 11042 is rejected.
    let (status, again) = put_toml(&b, "&reevaluate=true", PAYER_SET).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["reevaluation"], json!({"evaluated": 3, "changed": 1}), "{backend:?} {again}");
    let second_id = again["rule_set"]["id"].as_i64().expect("second id");
    assert_eq!(status_of(&a, "u-jane_h").await, 400);
    assert_eq!(status_of(&a, "u-jane_m").await, 7);
    let (_, history) = a.get("/case/status_history?case_id=u-jane_h&calling_user_id=u-ga").await;
    let last = history["history"].as_array().and_then(|h| h.last()).cloned().unwrap_or_default();
    assert_eq!(
        (
            last["to_status"].as_i64(),
            last["source"].as_str(),
            last["rule"].as_str(),
            last["actor_id"].as_str()
        ),
        (Some(400), Some("rule"), Some("humana-rejected"), Some("u-ga")),
        "{history}"
    );

    // Both replicas list both sets, newest first, and answer the newest as in force.
    for s in [&a, &b] {
        let (_, listed) = s.get("/admin/status_rules/history?calling_user_id=u-ga").await;
        let ids: Vec<i64> =
            listed["rule_sets"].as_array().into_iter().flatten().filter_map(|r| r["id"].as_i64()).collect();
        assert_eq!(ids, [second_id, set_id], "{listed}");
        let (_, active) = s.get("/admin/status_rules?calling_user_id=u-ga").await;
        assert_eq!(active["id"].as_i64(), Some(second_id));
    }
}
