//! Identifying the caller over HTTP (api.md §1.2).

use actix_web::test::TestRequest;
use serde_json::json;

use super::support::{JSON, TEST_ROUTES, jwt_state, post, send, send_to};

#[actix_web::test]
async fn user_id_mode_names_the_caller_from_query_or_body() {
    let answer = send(TestRequest::get().uri("/t/who?user_id=bob")).await;
    assert_eq!(answer.body, json!({"caller": "bob"}), "{}", answer.raw);
    let answer = send(TestRequest::get().uri("/t/who?calling_user_id=admin&user_id=bob")).await;
    assert_eq!(answer.body, json!({"caller": "admin"}));
    let answer = send(post("/t/who", JSON, json!({"user_id": "carol"}).to_string())).await;
    assert_eq!(answer.body, json!({"caller": "carol"}), "{}", answer.raw);

    let answer = send(TestRequest::get().uri("/t/who")).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error_code(), "unauthenticated");
}

#[actix_web::test]
async fn route_flags_decide_what_user_id_means() {
    // Caller-only: a different user_id is a mismatch.
    let answer = send(TestRequest::get().uri("/t/admin?calling_user_id=admin&user_id=bob")).await;
    assert_eq!(answer.status, 403, "{}", answer.raw);
    assert_eq!(answer.error_code(), "identity_mismatch");
    // ‡: user_id is a filter and never names the caller.
    let answer = send(TestRequest::get().uri("/t/report?user_id=bob")).await;
    assert_eq!(answer.status, 401);
    let answer = send(TestRequest::get().uri("/t/report?calling_user_id=admin&user_id=bob")).await;
    assert_eq!(answer.body, json!({"caller": "admin"}));
    // Registrant: nobody is fine in user-id mode.
    let answer = send(TestRequest::get().uri("/t/register")).await;
    assert_eq!(answer.body, json!({"caller": null}), "{}", answer.raw);
}

#[actix_web::test]
async fn jwt_mode_needs_a_valid_bearer_token() {
    let answer = send_to(jwt_state(), TEST_ROUTES, TestRequest::get().uri("/t/who?user_id=bob")).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error_code(), "unauthenticated");
    assert_eq!(answer.header("www-authenticate"), Some("Bearer"));

    let req = TestRequest::get().uri("/t/who").insert_header(("Authorization", "Bearer forged"));
    let answer = send_to(jwt_state(), TEST_ROUTES, req).await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.error_code(), "invalid_token");
    assert_eq!(answer.header("www-authenticate"), Some("Bearer error=\"invalid_token\""));

    let req = TestRequest::get().uri("/t/who?user_id=bob").insert_header(("Authorization", "Bearer t-alice"));
    let answer = send_to(jwt_state(), TEST_ROUTES, req).await;
    assert_eq!(answer.body, json!({"caller": "alice"}), "{}", answer.raw);

    let req = TestRequest::get()
        .uri("/t/who?calling_user_id=bob")
        .insert_header(("Authorization", "Bearer t-alice"));
    let answer = send_to(jwt_state(), TEST_ROUTES, req).await;
    assert_eq!(answer.status, 403);
    assert_eq!(answer.error_code(), "identity_mismatch");

    let answer = send_to(jwt_state(), TEST_ROUTES, TestRequest::get().uri("/t/register")).await;
    assert_eq!(answer.status, 401, "registrants need a token in jwt mode");
}
