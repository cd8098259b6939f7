//! A provider's case from creation to deletion, with the back office changing their tier.

use serde_json::{Value, json};

use crate::server::{Backend, Server, backends};

const PDF: &[u8] = b"%PDF-1.4\n% e2e test document\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_lifecycle_on_every_backend() {
    for backend in backends() {
        lifecycle(backend).await;
    }
}

pub(crate) async fn setup_provider(s: &Server, user: &str) -> (i64, i64) {
    let (status, body) = s
        .post(
            "/user",
            &json!({"user_id": user, "user_email": format!("{user}@example.com"), "first_name": "JANE", "last_name": "doe"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, surgeon) = s
        .post(
            &format!("/surgeon?user_id={user}"),
            &json!({"first_name": "Gregory", "last_name": "House", "surgeon_npi": 1234567893_i64}),
        )
        .await;
    assert_eq!(status, 201, "{surgeon}");
    let (status, facility) = s
        .post(&format!("/facility?user_id={user}"), &json!({"facility_name": "Princeton  Plainsboro"}))
        .await;
    assert_eq!(status, 201, "{facility}");
    (surgeon["surgeon_id"].as_i64().unwrap(), facility["facility_id"].as_i64().unwrap())
}

async fn lifecycle(backend: Backend) {
    let s = Server::start(backend).await;
    s.create_user("admin", 999);
    let (surgeon, facility) = setup_provider(&s, "u-jane").await;
    setup_provider(&s, "u-bob").await;
    s.upload_legacy("u-jane", "demo.pdf", PDF);
    s.upload_legacy("u-jane", "note.pdf", PDF);

    // Create: duplicates in the code list are removed and reported; pay is tier 1 Orthopedic.
    let case = json!({
        "case_id": "u-jane_1741000000000",
        "case_date": "2025-03-03",
        "surgeon_id": surgeon,
        "facility_id": facility.to_string(),
        "patient": {"first": "MARY-ANN", "last": "o'neil", "ins_provider": "Aetna"},
        "procedure_codes": ["27447", "27447", "29881"],
        "demo_file": "demo.pdf"
    });
    let (status, created) = s.post("/case?user_id=u-jane", &case).await;
    assert_eq!(status, 201, "{backend:?} {created}");
    assert_eq!(created["case_status"], 0);
    assert_eq!(created["procedure_codes"], json!(["27447", "29881"]));
    assert_eq!(created["procedure_code_corrections"], json!(["Removed duplicate 27447"]));
    assert_eq!(created["pay_amount_update"]["pay_category"], "Orthopedic");
    assert_eq!(created["pay_amount_update"]["pay_amount"].as_f64(), Some(450.0));

    // Attaching the note completes the case: the default rules submit it.
    let (status, updated) = s
        .patch("/case?user_id=u-jane", &json!({"case_id": "u-jane_1741000000000", "note_file": "note.pdf"}))
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(updated["updated_fields"], json!(["note_file"]));
    assert_eq!(updated["status_update"]["changed"], true);
    assert_eq!(updated["status_update"]["case_status"], 1);
    assert_eq!(updated["pay_amount_update"], Value::Null);

    // Read it back; names were normalised, money is exact.
    let (status, read) = s.get("/case?user_id=u-jane&case_id=u-jane_1741000000000").await;
    assert_eq!(status, 200, "{read}");
    let c = &read["case"];
    assert_eq!((c["patient_first"].as_str(), c["patient_last"].as_str()), (Some("Mary-Ann"), Some("O'Neil")));
    assert_eq!(c["case_status"], 1);
    assert_eq!(c["facility_name"], "Princeton Plainsboro");
    assert_eq!(c["documents"]["note_file"]["file_name"], "note.pdf");
    let codes: Vec<&str> = c["procedure_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["procedure_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["27447", "29881"]);

    // Filters on the displayed status.
    let (_, list) = s.get("/case_filter?user_id=u-jane&filter=1").await;
    assert_eq!(list["total"], 1, "{list}");
    let (_, list) = s.get("/casefilter?user_id=u-jane&filter=0").await;
    assert_eq!(list["total"], 0, "{list}");

    // New codes re-price the case; the text carries exactly two decimals.
    let response = s
        .client
        .patch(format!("{}/case?user_id=u-jane", s.base))
        .json(&json!({"case_id": "u-jane_1741000000000", "procedure_codes": ["58150"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(text.contains("\"pay_amount\":400.00"), "{text}");

    // The back office moves Jane to tier 2: her pre-payment case is re-priced.
    let (status, tier) =
        s.patch("/user?calling_user_id=admin", &json!({"user_id": "u-jane", "user_tier": 2})).await;
    assert_eq!(status, 200, "{tier}");
    assert_eq!(tier["cases_repriced"], 1);
    let (_, read) = s.get("/case?user_id=u-jane&case_id=u-jane_1741000000000").await;
    assert_eq!(read["case"]["pay_amount"].as_f64(), Some(300.0));

    // Nobody else sees it; the history shows creation and submission.
    let (status, _) = s.get("/case?user_id=u-bob&case_id=u-jane_1741000000000").await;
    assert_eq!(status, 404);
    let (status, history) = s.get("/case/status_history?user_id=u-jane&case_id=u-jane_1741000000000").await;
    assert_eq!(status, 200);
    let steps: Vec<i64> =
        history["history"].as_array().unwrap().iter().map(|h| h["to_status"].as_i64().unwrap()).collect();
    assert_eq!(steps, vec![0, 1]);

    // Delete archives the documents; the case is gone for reads, its id stays taken.
    let (status, deleted) = s.delete("/case?user_id=u-jane&case_id=u-jane_1741000000000").await;
    assert_eq!(status, 200, "{deleted}");
    assert_eq!(deleted["active"], 0);
    assert_eq!(deleted["archive_state"], "done");
    let (status, _) = s.get("/case?user_id=u-jane&case_id=u-jane_1741000000000").await;
    assert_eq!(status, 404);
    let (status, again) = s.post("/case?user_id=u-jane", &case).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("case_exists")));

    // Surgeons in use cannot be deleted; the owner's own unused facility can.
    let (status, body) = s.delete(&format!("/surgeon?user_id=u-jane&surgeon_id={surgeon}")).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("surgeon_in_use")), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_lists_are_public() {
    let s = Server::start(Backend::Sqlite).await;
    let (status, zones) = s.get("/timezones").await;
    assert_eq!(status, 200);
    assert!(zones["timezones"].as_array().unwrap().iter().any(|z| z["tz_identifier"] == "America/New_York"));
    let (status, codes) = s.get("/cpt_codes?q=2744").await;
    assert_eq!(status, 200);
    assert_eq!(codes["cpt_codes"][0]["cpt_code"], "27447");
    let (status, _) = s.get("/doctypes").await;
    assert_eq!(status, 200);
}
