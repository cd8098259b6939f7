//! `PATCH /bulk_update_case_status` (api.md §6).

use serde_json::{Value, json};

use super::world::World;

fn case_of(answer: &Value, id: &str) -> Value {
    answer["updated_cases"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["case_id"] == id)
        .cloned()
        .unwrap_or_default()
}

#[actix_web::test]
async fn bulk_update_moves_listed_cases_and_says_why_the_others_stay() {
    let w = World::new().await;
    let owner = w.ctx("u-owner").await;
    for id in ["c-second", "c-paid"] {
        w.app().create_case(&owner, w.case_input(id, "Jim", id, &["27447"])).await.expect("case");
    }
    w.force_status("c-owner", 10).await;
    w.force_status("c-second", 10).await;
    w.force_status("c-paid", 20).await;

    let body = json!({
        "case_ids": ["c-owner", "c-second", "c-owner", "c-paid", "c-none"],
        "new_status": 15, "reason": "weekly run",
    });
    let answer = w.patch("/bulk_update_case_status?calling_user_id=u-ca", &body).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let moved = case_of(&answer.body, "c-owner");
    assert_eq!(
        moved,
        json!({"case_id": "c-owner", "previous_status": 10, "new_status": 15, "forced": false,
               "timestamp_updated": {"field": "pending_payment_ts", "transition": "10 → 15"}})
    );
    assert_eq!(case_of(&answer.body, "c-second")["new_status"], 15);
    assert_eq!(
        answer.body["exceptions"],
        json!([
            {"case_id": "c-paid", "reason": "Cannot update to lower status without force=true",
             "current_status": 20, "attempted_status": 15},
            {"case_id": "c-none", "reason": "Case not found or inactive",
             "current_status": null, "attempted_status": 15},
        ])
    );
    assert_eq!(
        (&answer.body["total_processed"], &answer.body["total_updated"], &answer.body["total_exceptions"]),
        (&json!(4), &json!(2), &json!(2))
    );

    // The case moved, with a history row of source bulk and the reason.
    let case = w.get("/case?case_id=c-owner&calling_user_id=u-ca").await;
    assert_eq!(case.body["case"]["case_status"], 15, "{}", case.raw);
    let history = w.get("/case/status_history?case_id=c-owner&calling_user_id=u-ca").await;
    let last = history.body["history"].as_array().and_then(|h| h.last()).cloned().unwrap_or_default();
    assert_eq!((&last["from_status"], &last["to_status"]), (&json!(10), &json!(15)), "{}", history.raw);
    assert_eq!((&last["source"], &last["reason"]), (&json!("bulk"), &json!("weekly run")));
    assert_eq!(last["actor_id"], "u-ca");

    // Again: now at the target. Lowering with force is allowed and marked.
    let again = w
        .patch(
            "/bulkupdatecasestatus?calling_user_id=u-ca",
            &json!({"case_ids": ["c-owner"], "new_status": 15}),
        )
        .await;
    assert_eq!(again.body["exceptions"][0]["reason"], "Case status already at target value", "{}", again.raw);
    let down = json!({"case_ids": ["c-paid"], "new_status": 10, "force": true});
    let down = w.patch("/bulk_update_case_status?calling_user_id=u-ca", &down).await;
    assert_eq!(case_of(&down.body, "c-paid")["forced"], true, "{}", down.raw);
    assert_eq!(case_of(&down.body, "c-paid")["timestamp_updated"]["field"], "submitted_ts");
}

#[actix_web::test]
async fn bulk_update_refuses_bad_requests_whole_and_changes_nothing() {
    let w = World::new().await;
    let many: Vec<String> = (0..1001).map(|i| format!("c-{i}")).collect();
    // (body, expected field errors)
    let table: Vec<(Value, Vec<(&str, &str)>)> = vec![
        (json!({"new_status": 15}), vec![("case_ids", "required")]),
        (json!({"case_ids": [], "new_status": 15}), vec![("case_ids", "too_short")]),
        (json!({"case_ids": many, "new_status": 15}), vec![("case_ids", "too_many")]),
        (json!({"case_ids": ["c-owner"]}), vec![("new_status", "required")]),
        (json!({"case_ids": ["c-owner"], "new_status": 1000}), vec![("new_status", "out_of_range")]),
        (json!({"case_ids": ["c-owner"], "new_status": 16}), vec![("new_status", "unknown_status")]),
        (
            json!({"case_ids": ["c-owner"], "new_status": 15, "reason": "x".repeat(501)}),
            vec![("reason", "too_long")],
        ),
        (json!({"case_ids": ["c-owner"], "new_status": "15x"}), vec![("new_status", "invalid_type")]),
    ];
    for (body, expected) in table {
        let answer = w.patch("/bulk_update_case_status?calling_user_id=u-ca", &body).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.raw);
        let expected: Vec<(String, String)> =
            expected.iter().map(|(f, c)| ((*f).to_owned(), (*c).to_owned())).collect();
        assert_eq!(answer.field_errors(), expected, "{body}");
    }
    let case = w.get("/case?case_id=c-owner&calling_user_id=u-ca").await;
    assert_eq!(case.body["case"]["case_status"], 1, "{}", case.raw);

    // Below case admin: 403 whatever the list names.
    let answer = w
        .patch(
            "/bulk_update_case_status?calling_user_id=u-owner",
            &json!({"case_ids": ["c-owner"], "new_status": 15}),
        )
        .await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (403, "forbidden"), "{}", answer.raw);
}
