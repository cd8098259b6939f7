//! The case routes through HTTP: shapes field by field, value formats, conflicts, 422 paths.

use serde_json::{Value, json};

use super::world::World;

/// The keys of an object, sorted.
pub fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    keys.sort();
    keys
}

pub fn sorted(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    names.sort();
    names
}

fn new_case(w: &World, case_id: &str, first: &str, codes: Value) -> Value {
    json!({
        "case_id": case_id, "case_date": "2025-03-05",
        "surgeon_id": w.surgeon.to_string(), "facility_id": w.facility,
        "patient": {"first": first, "last": "Smith", "ins_provider": "Aetna"},
        "patient_dob": "1970-01-02",
        "procedure_codes": codes,
    })
}

#[actix_web::test]
async fn create_then_read_a_case() {
    let w = World::new().await;
    let body = new_case(&w, "c-1", "Mary", json!(["27447", " 27447", "29881"]));
    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert_eq!(answer.header("location"), Some("/case?case_id=c-1"));
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert!(answer.raw.contains(r#""pay_amount":450.00"#), "money is written from cents: {}", answer.raw);
    let b = &answer.body;
    assert_eq!(
        keys(b),
        sorted(&[
            "message",
            "user_id",
            "case_id",
            "case_status",
            "procedure_codes",
            "original_procedure_codes",
            "corrected_procedure_codes",
            "procedure_code_corrections",
            "unknown_procedure_codes",
            "status_update",
            "pay_amount_update",
            "forced_duplicate",
            "dupe_flag",
        ])
    );
    assert_eq!(b["message"], "Case and procedure codes created successfully");
    assert_eq!((b["user_id"].as_str(), b["case_id"].as_str()), (Some("u-owner"), Some("c-1")));
    assert_eq!(b["case_status"], 0, "no documents: the rules keep it a draft");
    assert_eq!(b["procedure_codes"], json!(["27447", "29881"]));
    assert_eq!(b["original_procedure_codes"], json!(["27447", "27447", "29881"]));
    assert_eq!(b["corrected_procedure_codes"], json!(["27447", "29881"]));
    assert_eq!(b["procedure_code_corrections"], json!(["Removed duplicate 27447"]));
    assert_eq!(b["unknown_procedure_codes"], json!([]));
    assert_eq!(
        b["status_update"],
        json!({"success": true, "changed": false, "previous_status": 0, "case_status": 0,
               "rule": "incomplete", "rule_set": "faq-default",
               "message": b["status_update"]["message"].clone()})
    );
    assert!(b["status_update"]["message"].is_string());
    assert_eq!(
        b["pay_amount_update"],
        json!({"success": true, "changed": true, "pay_amount": 450.0, "pay_category": "Orthopedic",
               "procedure_codes_found": 2, "priced_code": "27447",
               "message": "Pay amount set to 450.00 (Orthopedic)"})
    );
    assert_eq!((b["forced_duplicate"].clone(), b["dupe_flag"].clone()), (json!(false), json!(0)));

    // Without codes the message says so.
    let answer = w.post("/case?calling_user_id=u-owner", &new_case(&w, "c-2", "Ann", Value::Null)).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert_eq!(answer.body["message"], "Case created successfully");
    assert!(answer.raw.contains(r#""pay_amount":0.00"#), "{}", answer.raw);

    let answer = w.get("/case?case_id=c-1&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(keys(&answer.body), sorted(&["case", "user_id", "case_id", "calling_user_id_used"]));
    assert_eq!(answer.body["calling_user_id_used"], "u-owner");
    let case = &answer.body["case"];
    assert_eq!(
        keys(case),
        sorted(&[
            "user_id",
            "case_id",
            "case_date",
            "patient_first",
            "patient_last",
            "ins_provider",
            "patient_dob",
            "surgeon_id",
            "facility_id",
            "case_status",
            "case_status_desc",
            "demo_file",
            "note_file",
            "misc_file",
            "admin_file",
            "documents",
            "pay_amount",
            "pay_category",
            "phi_encrypted",
            "dupe_flag",
            "surgeon_name",
            "surgeon_npi",
            "facility_name",
            "facility_state",
            "facility_npi",
            "user_name",
            "procedure_codes",
            "case_create_ts",
            "case_updated_ts",
        ])
    );
    let expected = json!({
        "user_id": "u-owner", "case_id": "c-1", "case_date": "2025-03-05",
        "patient_first": "Mary", "patient_last": "Smith", "ins_provider": "Aetna", "patient_dob": "1970-01-02",
        "surgeon_id": w.surgeon, "facility_id": w.facility,
        "case_status": 0, "case_status_desc": "Draft",
        "demo_file": null, "note_file": null, "misc_file": null, "admin_file": null,
        "documents": {"demo_file": null, "note_file": null, "misc_file": null, "admin_file": null},
        "pay_amount": 450.0, "pay_category": "Orthopedic", "phi_encrypted": 0, "dupe_flag": 0,
        "surgeon_name": "Gregory House", "surgeon_npi": 1_234_567_893_i64,
        "facility_name": "Princeton Plainsboro", "facility_state": "NJ", "facility_npi": null,
        "user_name": "Olivia Owner",
        "procedure_codes": [
            {"procedure_code": "27447", "procedure_desc": "Knee replacement, total", "asst_surg": 2},
            {"procedure_code": "29881", "procedure_desc": "Knee arthroscopy, one meniscus", "asst_surg": 1},
        ],
        "case_create_ts": "2025-03-10T12:00:00Z", "case_updated_ts": "2025-03-10T12:00:00Z",
    });
    assert_eq!(*case, expected);
    assert!(answer.raw.contains(r#""pay_amount":450.00"#), "{}", answer.raw);
    let answer = w.get("/case?case_id=c-1&user_id=u-owner").await;
    assert_eq!(answer.body.get("calling_user_id_used"), None, "only when calling_user_id was given");
}

#[actix_web::test]
async fn updates_report_what_changed() {
    let w = World::new().await;
    let uri = "/case?calling_user_id=u-owner";
    let answer = w.patch(uri, &json!({"case_id": "c-owner", "ins_provider": "Cigna"})).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        keys(&answer.body),
        sorted(&["message", "case_id", "updated_fields", "status_update", "pay_amount_update"]),
        "no code fields without procedure_codes"
    );
    assert_eq!(answer.body["message"], "Case updated successfully");
    assert_eq!(answer.body["updated_fields"], json!(["ins_provider"]));
    assert_eq!(answer.body["pay_amount_update"], Value::Null);
    // The case was at 1 without documents: the rules take it back to 0.
    assert_eq!(answer.body["status_update"]["previous_status"], 1);
    assert_eq!(answer.body["status_update"]["case_status"], 0);
    assert_eq!(answer.body["status_update"]["changed"], true);

    let answer = w.patch(uri, &json!({"case_id": "c-owner", "procedure_codes": ["49505"]})).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["updated_fields"], json!(["procedure_codes", "pay_amount"]));
    assert!(answer.raw.contains(r#""pay_amount":250.00"#), "{}", answer.raw);
    assert_eq!(answer.body["pay_amount_update"]["pay_category"], "General");
    assert_eq!(answer.body["original_procedure_codes"], json!(["49505"]));
    assert_eq!(answer.body["corrected_procedure_codes"], json!(["49505"]));
    assert_eq!(answer.body["procedure_code_corrections"], json!([]));
    assert_eq!(answer.body["unknown_procedure_codes"], json!([]));

    let answer = w.patch(uri, &json!({"case_id": "c-owner", "ins_provider": "Cigna"})).await;
    assert_eq!(answer.status, 200, "identical values are no error: {}", answer.raw);
    assert_eq!(answer.body["updated_fields"], json!([]));

    let answer = w.patch(uri, &json!({"case_id": "c-owner"})).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    assert!(answer.field_errors().iter().any(|(_, c)| c == "no_fields_to_update"), "{}", answer.raw);

    // Ownership moves only by a case admin.
    let answer = w.patch(uri, &json!({"case_id": "c-owner", "user_id": "u-other"})).await;
    assert_eq!(answer.status, 403, "{}", answer.raw);
    assert_eq!(answer.error_code(), "forbidden_field");
    assert_eq!(answer.body["field"], "user_id");

    w.force_status("c-owner", 15).await;
    let answer = w.patch(uri, &json!({"case_id": "c-owner", "ins_provider": "Humana"})).await;
    assert_eq!(answer.status, 409, "{}", answer.raw);
    assert_eq!(answer.error_code(), "case_locked");
    assert_eq!(
        (answer.body["case_id"].as_str(), answer.body["case_status"].as_i64()),
        (Some("c-owner"), Some(15))
    );
}

#[actix_web::test]
async fn read_only_case_fields_sent_back_unchanged_are_ignored() {
    let w = World::new().await;
    let uri = "/case?calling_user_id=u-owner";
    // The case as read, sent back with one change (codes go as strings in a PATCH body).
    let mut case = w.get("/case?case_id=c-owner&calling_user_id=u-owner").await.body["case"].clone();
    case["procedure_codes"] = json!(["27447"]);
    case["ins_provider"] = json!("Cigna");
    case["pay_amount"] = json!("450.00");
    let answer = w.patch(uri, &case).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["updated_fields"], json!(["ins_provider"]), "{}", answer.raw);

    let before = w.get("/case?case_id=c-owner&calling_user_id=u-owner").await.body["case"].clone();
    let stored_status = before["case_status"].as_i64().unwrap_or_default();
    let table = [
        ("case_status", json!(stored_status + 10)),
        ("pay_amount", json!(450.01)),
        ("pay_category", json!("General")),
        ("case_create_ts", json!("2020-01-01T00:00:00Z")),
        ("dupe_flag", json!(1)),
    ];
    for (field, value) in table {
        let body = json!({"case_id": "c-owner", "ins_provider": "Humana", field: value});
        let answer = w.patch(uri, &body).await;
        assert_eq!(answer.status, 422, "{field}: {}", answer.raw);
        assert_eq!(answer.error_code(), "validation_failed");
        assert_eq!(
            answer.field_errors(),
            vec![(field.to_owned(), "read_only_field".to_owned())],
            "{}",
            answer.raw
        );
        let after = w.get("/case?case_id=c-owner&calling_user_id=u-owner").await.body["case"].clone();
        assert_eq!(after, before, "{field}: nothing written");
        // Alone in the body, a changed read-only field is still `read_only_field`, an unchanged
        // one leaves nothing to update, and someone else's case is not found.
        let answer = w.patch(uri, &json!({"case_id": "c-owner", field: value})).await;
        assert_eq!(
            (answer.status.as_u16(), answer.field_errors()),
            (422, vec![(field.to_owned(), "read_only_field".to_owned())]),
            "{field} alone: {}",
            answer.raw
        );
        let stranger =
            w.patch("/case?calling_user_id=u-other", &json!({"case_id": "c-owner", field: value})).await;
        assert_eq!((stranger.status.as_u16(), stranger.error_code()), (404, "case_not_found"), "{field}");
    }
    let unchanged = json!({"case_id": "c-owner", "case_status": stored_status, "pay_amount": 450});
    let answer = w.patch(uri, &unchanged).await;
    assert_eq!(
        (answer.status.as_u16(), answer.field_errors()),
        (422, vec![(String::new(), "no_fields_to_update".to_owned())]),
        "{}",
        answer.raw
    );

    // A case admin reads the stored status; in strict mode read-only fields are known fields.
    let w = World::with_settings(crate::Settings { strict_fields: true, ..crate::Settings::default() }).await;
    w.force_status("c-owner", 30).await;
    let body = json!({"case_id": "c-owner", "ins_provider": "Cigna", "case_status": 30, "active": 1});
    let answer = w.patch("/case?calling_user_id=u-ca", &body).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
}

#[actix_web::test]
async fn statuses_are_shown_through_the_callers_cap() {
    let w = World::new().await;
    w.force_status("c-owner", 30).await;
    let answer = w.get("/case?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        (answer.body["case"]["case_status"].as_i64(), answer.body["case"]["case_status_desc"].as_str()),
        (Some(20), Some("Paid"))
    );
    let answer = w.get("/case?case_id=c-owner&calling_user_id=u-ca").await;
    assert_eq!(
        (answer.body["case"]["case_status"].as_i64(), answer.body["case"]["case_status_desc"].as_str()),
        (Some(30), Some("Sent to biller"))
    );
    assert_eq!(answer.body["user_id"], "u-owner");

    for path in ["/case_filter", "/casefilter"] {
        let answer = w.get(&format!("{path}?user_id=u-owner&filter=20")).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.raw);
        assert_eq!(keys(&answer.body), sorted(&["cases", "user_id", "filter", "total", "limit", "offset"]));
        assert_eq!(answer.body["filter"], json!([20]));
        assert_eq!((answer.body["total"].as_i64(), answer.body["limit"].as_i64()), (Some(1), Some(10_000)));
        let item = &answer.body["cases"][0];
        assert_eq!(
            keys(item),
            sorted(&[
                "user_id",
                "case_id",
                "case_date",
                "patient_first",
                "patient_last",
                "ins_provider",
                "surgeon_id",
                "facility_id",
                "case_status",
                "case_status_desc",
                "demo_file",
                "note_file",
                "misc_file",
                "admin_file",
                "pay_amount",
                "pay_category",
                "paid_to_provider_ts",
                "phi_encrypted",
                "surgeon_name",
                "facility_name",
                "procedure_codes",
            ])
        );
        assert_eq!(
            (item["case_status"].as_i64(), item["case_status_desc"].as_str()),
            (Some(20), Some("Paid"))
        );
        assert_eq!(item["surgeon_name"], "Gregory House");
        assert_eq!(
            item["procedure_codes"],
            json!([{"procedure_code": "27447", "procedure_desc": "Knee replacement, total"}])
        );
        assert!(answer.raw.contains(r#""pay_amount":450.00"#), "{}", answer.raw);
    }
    let answer = w.get("/case_filter?user_id=u-owner&filter=30").await;
    assert_eq!(answer.body["total"], 0, "the owner never sees 30: {}", answer.raw);
    let answer = w.get("/case_filter?user_id=u-owner&filter=30&calling_user_id=u-ca").await;
    assert_eq!(answer.body["total"], 1, "{}", answer.raw);
}

#[actix_web::test]
async fn case_filter_parameters() {
    let w = World::new().await;
    type Expected<'a> = Result<Value, (&'a str, &'a str)>;
    let table: &[(&str, Expected<'_>)] = &[
        ("", Ok(json!([]))),
        ("&filter=all", Ok(json!(["all"]))),
        ("&filter=%201%20,0", Ok(json!([1, 0]))),
        ("&filter=abc", Err(("filter", "invalid_format"))),
        ("&filter=3", Err(("filter", "unknown_status"))),
        ("&limit=0", Err(("limit", "out_of_range"))),
        ("&offset=-1", Err(("offset", "out_of_range"))),
    ];
    for (extra, expected) in table {
        let answer = w.get(&format!("/case_filter?user_id=u-owner{extra}")).await;
        match expected {
            Ok(filter) => {
                assert_eq!(answer.status, 200, "{extra}: {}", answer.raw);
                assert_eq!(answer.body["filter"], *filter, "{extra}");
            }
            Err((field, code)) => {
                assert_eq!(answer.status, 422, "{extra}: {}", answer.raw);
                assert_eq!(answer.field_errors(), vec![((*field).to_owned(), (*code).to_owned())], "{extra}");
            }
        }
    }
    let answer = w.get("/case_filter?user_id=u-owner&limit=1&offset=1").await;
    assert_eq!(
        (answer.body["total"].as_i64(), answer.body["cases"].as_array().map(Vec::len)),
        (Some(1), Some(0))
    );
}

#[actix_web::test]
async fn duplicates_are_409_with_their_context_unless_forced() {
    let w = World::new().await;
    let mut body = json!({
        "case_id": "c-dup", "case_date": "2025-03-03", "surgeon_id": w.surgeon, "facility_id": w.facility,
        "patient": {"first": " JANE ", "last": "doe", "ins_provider": "Aetna"},
    });
    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 409, "{}", answer.raw);
    assert_eq!(answer.error_code(), "duplicate_case");
    let b = &answer.body;
    assert_eq!(b["existing_case_id"], "c-owner");
    assert_eq!(b["existing_case_date"], "2025-03-03");
    assert_eq!(
        (b["existing_patient_first"].as_str(), b["existing_patient_last"].as_str()),
        (Some("Jane"), Some("Doe"))
    );
    assert_eq!(b["existing_user_id"], "u-owner");
    assert_eq!(b["suggestion"], "Set force_duplicate to true to create it anyway");
    assert!(b["message"].is_string());

    body["force_duplicate"] = json!(true);
    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert_eq!(
        (answer.body["forced_duplicate"].clone(), answer.body["dupe_flag"].clone()),
        (json!(true), json!(1))
    );

    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 409);
    assert_eq!(answer.error_code(), "case_exists");
    assert_eq!(answer.body["case_id"], "c-dup");
}

#[actix_web::test]
async fn invalid_bodies_list_every_problem_by_path() {
    let w = World::new().await;
    let body = json!({
        "case_id": "c-bad", "case_date": "2025-02-30", "surgeon_id": w.surgeon, "facility_id": w.facility,
        "patient": {"first": " ", "last": "Doe", "ins_provider": "Aetna"},
        "procedure_codes": ["27447", "2744"],
    });
    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    assert_eq!(answer.error_code(), "validation_failed");
    let errors = answer.field_errors();
    assert_eq!(
        errors,
        vec![
            ("case_date".to_owned(), "invalid_date".to_owned()),
            ("patient.first".to_owned(), "required".to_owned()),
            // Code shapes (after the auto-fix map) are listed with every other problem.
            ("procedure_codes[1]".to_owned(), "invalid_procedure_code".to_owned()),
        ]
    );
    // Validation comes before any check of stored data: the same patient and date as the
    // existing c-owner (a duplicate) with a bad code is 422, not 409 duplicate_case; and so is
    // a taken case id.
    for case_id in ["c-new", "c-owner"] {
        let body = json!({
            "case_id": case_id, "case_date": "2025-03-03", "surgeon_id": w.surgeon, "facility_id": w.facility,
            "patient": {"first": "Jane", "last": "Doe", "ins_provider": "Aetna"},
            "procedure_codes": ["27447", "2744"],
        });
        let answer = w.post("/case?calling_user_id=u-owner", &body).await;
        assert_eq!(answer.status, 422, "{}", answer.raw);
        assert_eq!(
            answer.field_errors(),
            vec![("procedure_codes[1]".to_owned(), "invalid_procedure_code".to_owned())]
        );
    }

    // Wrong JSON types are `invalid_type`, reported with the domain's problems, once per field.
    let body = json!({
        "case_id": 5, "case_date": "2025-03-03", "surgeon_id": true, "facility_id": w.facility,
        "patient": "Jane Doe", "procedure_codes": ["27447", 27447], "force_duplicate": "yes",
    });
    let answer = w.post("/case?calling_user_id=u-owner", &body).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    let errors = answer.field_errors();
    for field in ["case_id", "surgeon_id", "patient", "procedure_codes[1]", "force_duplicate"] {
        assert!(errors.contains(&(field.to_owned(), "invalid_type".to_owned())), "{field} in {errors:?}");
    }
    assert_eq!(errors.len(), 5, "{errors:?}");
    let answer = w.get("/case?calling_user_id=u-owner").await;
    assert_eq!(answer.field_errors(), vec![("case_id".to_owned(), "required".to_owned())], "{}", answer.raw);
}

#[actix_web::test]
async fn delete_restore_and_history() {
    let w = World::new().await;
    let answer = w.delete("/case?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({"message": "Case deactivated successfully", "case_id": "c-owner", "active": 0,
               "deactivated_at": "2025-03-10T12:00:00Z", "archive_state": "done", "documents": []})
    );
    let answer = w.delete("/case?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(
        answer.body,
        json!({"message": "Case already inactive", "case_id": "c-owner", "active": 0, "archive_state": "done"})
    );
    let answer = w.get("/case?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_code(), "case_not_found");
    assert_eq!(answer.body["case_id"], "c-owner");
    let answer = w.get("/case/status_history?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 404, "deleted cases' history is for case admins: {}", answer.raw);

    let answer = w
        .send(actix_web::test::TestRequest::post().uri("/case/restore?case_id=c-owner&calling_user_id=u-ca"))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        keys(&answer.body),
        sorted(&[
            "message",
            "case_id",
            "active",
            "case_status",
            "status_update",
            "pay_amount_update",
            "archive_state"
        ])
    );
    assert_eq!(
        (answer.body["message"].as_str(), answer.body["active"].as_i64()),
        (Some("Case restored"), Some(1))
    );
    assert!(answer.raw.contains(r#""pay_amount":450.00"#), "{}", answer.raw);
    let answer = w
        .send(actix_web::test::TestRequest::post().uri("/case/restore?case_id=c-owner&calling_user_id=u-ca"))
        .await;
    assert_eq!(answer.status, 409);
    assert_eq!(answer.error_code(), "case_active");
    let answer = w
        .send(
            actix_web::test::TestRequest::post()
                .uri("/case/restore?case_id=c-owner&calling_user_id=u-ca&force_duplicate=maybe"),
        )
        .await;
    assert_eq!(answer.field_errors(), vec![("force_duplicate".to_owned(), "invalid_format".to_owned())]);

    let answer = w.get("/case/status_history?case_id=c-owner&calling_user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(keys(&answer.body), sorted(&["case_id", "history"]));
    let first = &answer.body["history"][0];
    assert_eq!(
        keys(first),
        sorted(&[
            "from_status",
            "from_status_desc",
            "to_status",
            "to_status_desc",
            "changed_at",
            "source",
            "rule",
            "reason",
            "actor_type",
            "actor_id",
        ])
    );
    assert_eq!((first["from_status"].clone(), first["to_status"].clone()), (Value::Null, json!(0)));
    assert_eq!((first["source"].as_str(), first["actor_type"].as_str()), (Some("create"), Some("user")));
    assert_eq!(first["actor_id"], "u-owner", "the reader's own change");
    assert_eq!(first["changed_at"], "2025-03-10T12:00:00Z");
}
