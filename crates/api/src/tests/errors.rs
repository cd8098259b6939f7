//! Error bodies, request ids and cache headers on every answer.

use actix_web::test::TestRequest;
use serde_json::json;

use super::support::{JSON, post, send};

#[actix_web::test]
async fn a_valid_request_id_is_echoed() {
    let req = TestRequest::get().uri("/t/query").insert_header(("X-Request-Id", "client.id_42-x"));
    let answer = send(req).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("x-request-id"), Some("client.id_42-x"));
    // Errors carry it in the body too.
    let req = TestRequest::get().uri("/nope").insert_header(("X-Request-Id", "abc"));
    let answer = send(req).await;
    assert_eq!(answer.body["request_id"], "abc");
    assert_eq!(answer.header("x-request-id"), Some("abc"));
}

#[actix_web::test]
async fn a_missing_or_invalid_request_id_is_replaced() {
    let too_long = "a".repeat(65);
    for given in [None, Some("has space"), Some(too_long.as_str()), Some("semi;colon"), Some("")] {
        let mut req = TestRequest::get().uri("/nope");
        if let Some(v) = given {
            req = req.insert_header(("X-Request-Id", v));
        }
        let answer = send(req).await;
        let id = answer.header("x-request-id").unwrap_or_default().to_owned();
        assert_eq!(id.len(), 36, "{given:?} → {id}");
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
        assert_eq!(answer.body["request_id"], id.as_str());
    }
}

#[actix_web::test]
async fn internal_errors_show_nothing_but_the_request_id() {
    let answer = send(TestRequest::get().uri("/t/boom")).await;
    assert_eq!(answer.status, 500);
    assert_eq!(answer.error_code(), "internal_error");
    assert_eq!(answer.body["detail"], "Internal error");
    assert_eq!(answer.body.as_object().map(|m| m.len()), Some(3), "{}", answer.raw);
    assert!(!answer.raw.contains("hunter2"), "{}", answer.raw);
}

#[actix_web::test]
async fn errors_made_by_actix_become_json() {
    let answer = send(TestRequest::get().uri("/t/plain_error")).await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.error_code(), "bad_request");
    assert!(!answer.raw.contains("plain text"), "{}", answer.raw);
    // A path segment that does not deserialize: actix's own 404.
    let answer = send(TestRequest::get().uri("/t/item/not-a-number")).await;
    assert_eq!(answer.status, 404, "{}", answer.raw);
    assert_eq!(answer.error_code(), "not_found");
    let answer = send(TestRequest::get().uri("/t/item/7")).await;
    assert_eq!(answer.body, json!({"id": 7}));
}

#[actix_web::test]
async fn data_answers_are_not_stored_by_caches() {
    let answer = send(TestRequest::get().uri("/t/query")).await;
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    assert_eq!(answer.header("content-type"), Some("application/json; charset=utf-8"));
    let answer = send(post("/t/echo", JSON, "{")).await;
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    // A handler's own choice is kept.
    let answer = send(TestRequest::get().uri("/t/cached")).await;
    assert_eq!(answer.header("cache-control"), Some("max-age=60"));
}

#[actix_web::test]
async fn aliases_serve_the_same_handler() {
    let answer = send(TestRequest::get().uri("/t/query_alias?n=2")).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["n"], 2);
}
