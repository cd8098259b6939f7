//! The user routes through HTTP: self-registration, profile shape, role fields, deletion,
//! the password route and the environment.

use actix_web::test::TestRequest;
use serde_json::json;

use super::cases::{keys, sorted};
use super::world::{World, json as with_json};

#[actix_web::test]
async fn self_registration_in_user_id_mode() {
    let w = World::new().await;
    // Nobody is named but the body's user_id: the registrant creates their own profile.
    let body = json!({
        "user_id": "u-new", "user_email": "New.User@Example.com", "first_name": "nina", "last_name": "NEW",
        "telephone": "518-555-1234", "zipcode": 12207, "user_npi": 1_234_567_893_i64, "message_pref": "2",
    });
    let answer = w.post("/user", &body).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({"message": "User created successfully", "user_id": "u-new", "user_type": 1, "user_tier": 1,
               "max_case_status": 20})
    );
    let answer = w.post("/user", &body).await;
    assert_eq!(answer.status, 409, "{}", answer.raw);
    assert_eq!(answer.error_code(), "user_exists");
    assert_eq!(answer.body["user_id"], "u-new");

    // A registrant may not pick a role; creating someone else is a user admin's job.
    let answer = w
        .post(
            "/user",
            &json!({"user_id": "u-x", "user_email": "x@example.com", "first_name": "X",
                                          "last_name": "Y", "user_type": 10}),
        )
        .await;
    assert_eq!(answer.status, 403, "{}", answer.raw);
    assert_eq!(answer.error_code(), "forbidden_field");
    assert_eq!(answer.body["field"], "user_type");
    let answer = w
        .post(
            "/user?calling_user_id=u-ua",
            &json!({"user_id": "u-x", "user_email": "x@example.com",
                         "first_name": "X", "last_name": "Y", "user_type": 10}),
        )
        .await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert_eq!(
        (answer.body["user_type"].as_i64(), answer.body["max_case_status"].as_i64()),
        (Some(10), Some(500))
    );

    // Wrong JSON types are `invalid_type` once per field, with the domain's other problems.
    let answer = w
        .post(
            "/user",
            &json!({"user_id": "u-y", "user_email": 5, "first_name": "", "last_name": "Y",
                                          "telephone": 1.5}),
        )
        .await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    let mut errors = answer.field_errors();
    errors.sort();
    assert_eq!(
        errors,
        vec![
            ("first_name".to_owned(), "required".to_owned()),
            ("telephone".to_owned(), "invalid_type".to_owned()),
            ("user_email".to_owned(), "invalid_type".to_owned()),
        ]
    );
    // No identity and no user_id: the field is what is missing.
    let answer =
        w.post("/user", &json!({"user_email": "z@example.com", "first_name": "Z", "last_name": "Z"})).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    assert_eq!(answer.field_errors(), vec![("user_id".to_owned(), "required".to_owned())]);
}

#[actix_web::test]
async fn profiles_read_and_change() {
    let w = World::new().await;
    let answer = w.get("/user?user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(keys(&answer.body), sorted(&["user", "user_id"]));
    let user = &answer.body["user"];
    // api.md §1.9 `UserProfile`, as the contract lists it.
    let expected = "user_id, user_email, first_name, last_name, addr1, addr2, city, state, zipcode, telephone, user_npi, referred_by_user, user_type, user_type_desc, message_pref, states_licensed, user_tier, max_case_status, timezone, credentials, ins_exp_date, default_pagination_cases, active, create_ts, last_updated_ts, last_login_dt, documents";
    assert_eq!(keys(user), sorted(&expected.split(", ").collect::<Vec<_>>()));
    assert_eq!(user["user_type_desc"], "Provider");
    assert_eq!((user["active"].as_i64(), user["max_case_status"].as_i64()), (Some(1), Some(20)));
    assert_eq!(user["create_ts"], "2025-03-10T12:00:00Z");
    assert_eq!((user["last_login_dt"].is_null(), user["documents"].clone()), (true, json!([])));

    let uri = "/user?calling_user_id=u-owner";
    let answer = w
        .patch(
            uri,
            &json!({"user_id": "u-owner", "city": "Austin", "telephone": 5_185_551_234_i64,
                                       "last_login_dt": "ignored"}),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({"message": "User updated successfully", "user_id": "u-owner", "updated_fields": ["city", "telephone"]})
    );
    let answer = w.patch(uri, &json!({"user_id": "u-owner", "city": "Austin"})).await;
    assert_eq!(answer.body["updated_fields"], json!([]), "{}", answer.raw);
    let answer = w.get("/user?user_id=u-owner").await;
    assert_eq!(
        (answer.body["user"]["city"].as_str(), answer.body["user"]["telephone"].as_i64()),
        (Some("Austin"), Some(5_185_551_234))
    );

    // Role fields: never one's own; a user admin's for others.
    let answer = w.patch(uri, &json!({"user_id": "u-owner", "user_tier": 2})).await;
    assert_eq!(answer.status, 403, "{}", answer.raw);
    assert_eq!(answer.error_code(), "forbidden_field");
    assert_eq!(answer.body["field"], "user_tier");
    let answer = w.patch("/user?calling_user_id=u-ua", &json!({"user_id": "u-owner", "user_tier": 2})).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["updated_fields"], json!(["user_tier"]));
    assert_eq!(answer.body["cases_repriced"], 1, "the owner's pre-payment case: {}", answer.raw);
    let answer = w.patch(uri, &json!({"user_id": "u-owner", "city": "Boston", "active": "yes"})).await;
    assert_eq!(
        answer.field_errors(),
        vec![("active".to_owned(), "invalid_type".to_owned())],
        "{}",
        answer.raw
    );
}

#[actix_web::test]
async fn read_only_profile_fields_sent_back_unchanged_are_ignored() {
    let w = World::new().await;
    let uri = "/user?calling_user_id=u-owner";
    // The whole profile as read, sent back with one change.
    let mut profile = w.get("/user?user_id=u-owner").await.body["user"].clone();
    profile["city"] = json!("Austin");
    let answer = w.patch(uri, &profile).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["updated_fields"], json!(["city"]), "{}", answer.raw);

    let before = w.get("/user?user_id=u-owner").await.body["user"].clone();
    let table = [
        ("create_ts", json!("2025-03-09T12:00:00Z")),
        ("last_updated_ts", json!("2025-03-10T12:00:01Z")),
        ("create_ts", json!(0)),
    ];
    for (field, value) in table {
        let body = json!({"user_id": "u-owner", "city": "Boston", field: value});
        let answer = w.patch(uri, &body).await;
        assert_eq!(answer.status, 422, "{field}: {}", answer.raw);
        assert_eq!(answer.error_code(), "validation_failed");
        assert_eq!(
            answer.field_errors(),
            vec![(field.to_owned(), "read_only_field".to_owned())],
            "{}",
            answer.raw
        );
        assert_eq!(w.get("/user?user_id=u-owner").await.body["user"], before, "{field}: nothing written");
        // Alone in the body it is still `read_only_field`; for a profile the caller may not
        // change it is not found.
        let answer = w.patch(uri, &json!({"user_id": "u-owner", field: value})).await;
        assert_eq!(
            (answer.status.as_u16(), answer.field_errors()),
            (422, vec![(field.to_owned(), "read_only_field".to_owned())]),
            "{field} alone: {}",
            answer.raw
        );
        let stranger =
            w.patch("/user?calling_user_id=u-other", &json!({"user_id": "u-owner", field: value})).await;
        assert_eq!((stranger.status.as_u16(), stranger.error_code()), (404, "user_not_found"), "{field}");
    }
}

#[actix_web::test]
async fn ids_that_cannot_name_an_object_are_refused_at_creation() {
    let w = World::new().await;
    for id in [".", "..", "...", "-", "@"] {
        let answer = w
            .post(
                "/user",
                &json!({"user_id": id, "user_email": "x@example.com", "first_name": "A", "last_name": "B"}),
            )
            .await;
        assert_eq!(answer.status.as_u16(), 422, "{id:?}: {}", answer.raw);
        assert_eq!(answer.field_errors(), vec![("user_id".to_owned(), "invalid_format".to_owned())]);
        let case = json!({"case_id": id, "case_date": "2025-03-03", "surgeon_id": w.surgeon,
                          "facility_id": w.facility,
                          "patient": {"first": "A", "last": "B", "ins_provider": "Aetna"}});
        let answer = w.post("/case?calling_user_id=u-owner", &case).await;
        assert_eq!(answer.status.as_u16(), 422, "{id:?}: {}", answer.raw);
        assert_eq!(answer.field_errors(), vec![("case_id".to_owned(), "invalid_format".to_owned())]);
    }
}

#[actix_web::test]
async fn deletion_names_the_subject_with_user_id_and_the_caller_with_calling_user_id() {
    let w = World::new().await;
    // user_id never names the caller on DELETE /user.
    let answer = w.delete("/user?user_id=u-owner").await;
    assert_eq!(answer.status, 401, "{}", answer.raw);
    assert_eq!(answer.error_code(), "unauthenticated");
    let answer = w.delete("/user?user_id=u-ua&calling_user_id=u-ua").await;
    assert_eq!(answer.status, 403, "not oneself: {}", answer.raw);
    let answer = w.delete("/user?calling_user_id=u-ua").await;
    assert_eq!(answer.field_errors(), vec![("user_id".to_owned(), "required".to_owned())], "{}", answer.raw);
    let answer = w.delete("/user?user_id=u-nobody&calling_user_id=u-ua").await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_code(), "user_not_found");

    let answer = w.delete("/user?user_id=u-owner&calling_user_id=u-ua").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(
        answer.body,
        json!({"message": "User deactivated successfully", "user_id": "u-owner", "active": 0,
               "deactivated_at": "2025-03-10T12:00:00Z", "cases_deactivated": 1, "archive_state": "done"})
    );
    let answer = w.delete("/user?user_id=u-owner&calling_user_id=u-ua").await;
    assert_eq!(answer.body, json!({"message": "User already inactive", "user_id": "u-owner", "active": 0}));
    let answer = w.get("/user?user_id=u-owner").await;
    assert_eq!(answer.status, 401, "a deactivated user's requests are refused: {}", answer.raw);
    assert_eq!(answer.error_code(), "unknown_user");
}

#[actix_web::test]
async fn passwords_are_gone() {
    let w = World::new().await;
    let answer = w
        .send(with_json(TestRequest::put(), "/user/password?user_id=u-owner", &json!({"password": "x"})))
        .await;
    assert_eq!(answer.status, 410, "{}", answer.raw);
    assert_eq!(answer.error_code(), "password_managed_by_identity_provider");
}

#[actix_web::test]
async fn the_environment_of_a_provider() {
    let w = World::new().await;
    let answer = w.get("/user_environment?user_id=u-owner").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let b = &answer.body;
    assert_eq!(
        keys(b),
        sorted(&[
            "user_profile",
            "case_statuses",
            "surgeons",
            "facilities",
            "user_types",
            "permissions",
            "environment_info"
        ])
    );
    assert_eq!(b["user_profile"]["user_id"], "u-owner");
    let statuses: Vec<i64> = b["case_statuses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["case_status"].as_i64())
        .collect();
    assert_eq!(statuses, vec![0, 1, 7, 8, 10, 15, 20, 400, 500]);
    assert_eq!(b["case_statuses"][0], json!({"case_status": 0, "case_status_desc": "Draft"}));
    assert_eq!(keys(&b["surgeons"][0]), sorted(&["surgeon_id", "first_name", "last_name", "surgeon_npi"]));
    assert_eq!(keys(&b["facilities"][0]), sorted(&["facility_id", "facility_name", "facility_npi"]));
    assert_eq!(b["user_types"], json!([{"user_type": 1, "user_type_desc": "Provider"}]));
    assert_eq!(
        b["permissions"],
        json!({"user_type": 1, "user_type_desc": "Provider", "case_status_access_level": "limited",
               "max_case_status": 20, "max_case_status_desc": "Paid", "can_access_all_cases": false,
               "can_access_backoffice": false, "can_manage_users": false, "can_manage_lists": false})
    );
    assert_eq!(
        b["environment_info"],
        json!({"user_id": "u-owner", "case_statuses_count": 9, "has_documents": false, "document_count": 0,
               "surgeon_count": 2, "facility_count": 2, "user_types_count": 1, "last_login_updated": true})
    );
    let answer = w.get("/user_environment?user_id=u-owner&calling_user_id=u-ua").await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["environment_info"]["last_login_updated"], false, "at most once a minute");
}

#[actix_web::test]
async fn registrants_in_jwt_mode_are_the_token_subject() {
    let mut w = World::new().await;
    w.state.authenticator = crate::Authenticator::Jwt(std::sync::Arc::new(super::support::PrefixVerifier));
    let bearer =
        |token: &str, req: TestRequest| req.insert_header(("Authorization", format!("Bearer {token}")));
    let body =
        json!({"user_id": "u-new", "user_email": "n@example.com", "first_name": "N", "last_name": "New"});
    let answer = w.send(with_json(TestRequest::post(), "/user", &body)).await;
    assert_eq!(answer.status, 401, "a token is needed: {}", answer.raw);
    let answer = w.send(bearer("t-u-someone", with_json(TestRequest::post(), "/user", &body))).await;
    assert_eq!(answer.status, 403, "only one's own profile: {}", answer.raw);
    assert_eq!(answer.error_code(), "forbidden");
    let answer = w.send(bearer("t-u-new", with_json(TestRequest::post(), "/user", &body))).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    let answer = w
        .send(bearer(
            "t-u-ua",
            with_json(
                TestRequest::post(),
                "/user",
                &json!({"user_id": "u-x",
                        "user_email": "x@example.com", "first_name": "X", "last_name": "Y"}),
            ),
        ))
        .await;
    assert_eq!(answer.status, 201, "a user admin creates anyone: {}", answer.raw);

    // /check_npi needs a valid token, not a profile.
    let answer = w.get("/check_npi?npi=1234567893").await;
    assert_eq!(answer.status, 401);
    let answer = w.send(bearer("t-u-nobody", TestRequest::get().uri("/check_npi?npi=1234567893"))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);

    // DELETE /user: the token is the caller, user_id the subject.
    let answer = w.send(bearer("t-u-ua", TestRequest::delete().uri("/user?user_id=u-owner"))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let answer = w.send(bearer("t-u-ca", TestRequest::delete().uri("/user?user_id=u-other"))).await;
    assert_eq!(answer.status, 403, "{}", answer.raw);
}
