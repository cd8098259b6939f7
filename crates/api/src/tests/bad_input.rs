//! api.md §1.5: every bad input the framework owns answers with the right JSON error.

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::json;

use super::support::{JSON, TEST_ROUTES, post, send, send_to};
use crate::identity::Authenticator;
use crate::state::{AppState, Settings};

#[actix_web::test]
async fn unparseable_json_is_400() {
    for body in ["{", "{\"a\": }", "nul", "{\"a\": 1} x", ""] {
        let answer = send(post("/t/echo", JSON, body)).await;
        assert_eq!(answer.status, 400, "{body:?}: {}", answer.raw);
        assert_eq!(answer.error_code(), "malformed_json", "{body:?}");
    }
}

#[actix_web::test]
async fn invalid_utf8_is_400() {
    let answer = send(post("/t/echo", JSON, &b"{\"a\": \"\xc3\x28\"}"[..])).await;
    assert_eq!(answer.status, 400, "{}", answer.raw);
    assert_eq!(answer.error_code(), "malformed_json");
}

#[actix_web::test]
async fn nesting_is_limited_to_32_levels() {
    let nested = |levels: usize| format!("{{\"a\": {}1{}}}", "[".repeat(levels - 1), "]".repeat(levels - 1));
    let answer = send(post("/t/echo", JSON, nested(32))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let answer = send(post("/t/echo", JSON, nested(33))).await;
    assert_eq!(answer.status, 400, "{}", answer.raw);
    assert_eq!(answer.error_code(), "malformed_json");
}

#[actix_web::test]
async fn a_body_that_is_not_an_object_is_422_at_the_empty_field() {
    for body in ["[1, 2]", "\"text\"", "42", "null"] {
        let answer = send(post("/t/echo", JSON, body)).await;
        assert_eq!(answer.status, 422, "{body}: {}", answer.raw);
        assert_eq!(answer.error_code(), "validation_failed");
        assert_eq!(answer.field_errors(), vec![(String::new(), "invalid_type".to_owned())], "{body}");
    }
}

#[actix_web::test]
async fn json_routes_need_a_json_content_type() {
    let no_type = TestRequest::post().uri("/t/echo").set_payload("{}");
    let answer = send(no_type).await;
    assert_eq!(answer.status, 415, "{}", answer.raw);
    assert_eq!(answer.error_code(), "unsupported_media_type");
    for ct in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
        let answer = send(post("/t/echo", ct, "{}")).await;
        assert_eq!(answer.status, 415, "{ct}");
        assert_eq!(answer.error_code(), "unsupported_media_type");
    }
    for ct in ["application/json; charset=utf-8", "application/merge-patch+json", "APPLICATION/JSON"] {
        let answer = send(post("/t/echo", ct, "{\"a\": 1}")).await;
        assert_eq!(answer.status, 200, "{ct}: {}", answer.raw);
        assert_eq!(answer.body, json!({"keys": ["a"]}));
    }
}

#[actix_web::test]
async fn an_optional_body_may_be_absent() {
    let answer = send(TestRequest::post().uri("/t/optional")).await;
    assert_eq!(answer.body, json!({"present": false}), "{}", answer.raw);
    let answer = send(post("/t/optional", JSON, "{}")).await;
    assert_eq!(answer.body, json!({"present": true}), "{}", answer.raw);
    let answer = send(TestRequest::post().uri("/t/optional").set_payload("{}")).await;
    assert_eq!(answer.status, 415, "a body without a type: {}", answer.raw);
}

#[actix_web::test]
async fn oversized_bodies_are_413_with_the_limit() {
    // The default limit (http.max_body_bytes, 1 MiB), refused from Content-Length.
    let big = format!("{{\"a\": \"{}\"}}", "x".repeat(1024 * 1024));
    let answer = send(post("/t/echo", JSON, big)).await;
    assert_eq!(answer.status, 413, "{}", &answer.raw[..answer.raw.len().min(200)]);
    assert_eq!(answer.error_code(), "payload_too_large");
    assert_eq!(answer.body["limit_bytes"], 1024 * 1024);

    // A route's own limit.
    let body = format!("{{\"a\": \"{}\"}}", "x".repeat(3000));
    let answer = send(post("/t/small", JSON, body.clone())).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.body["limit_bytes"], 2048);
    let answer = send(post("/t/echo", JSON, body.clone())).await;
    assert_eq!(answer.status, 200, "the same body fits the default limit");

    // A Content-Length that lies: the read itself stops at the limit.
    let lying = post("/t/small", JSON, body).insert_header((header::CONTENT_LENGTH, "10"));
    let answer = send(lying).await;
    assert_eq!(answer.status, 413, "{}", answer.raw);
    assert_eq!(answer.error_code(), "payload_too_large");
}

#[actix_web::test]
async fn raw_bodies_have_their_route_limit_and_any_type() {
    let req = TestRequest::put().uri("/t/raw").set_payload(&b"\x00\x01binary"[..]);
    let answer = send(req).await;
    assert_eq!(answer.body, json!({"len": 8}), "{}", answer.raw);
    let answer = send(TestRequest::put().uri("/t/raw").set_payload("x".repeat(17))).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.body["limit_bytes"], 16);
}

#[actix_web::test]
async fn unknown_routes_are_404_json() {
    for uri in ["/nope", "/t/echo/extra", "/", "/secrets_cache_stats"] {
        let answer = send(TestRequest::get().uri(uri)).await;
        assert_eq!(answer.status, 404, "{uri}");
        assert_eq!(answer.error_code(), "route_not_found", "{uri}");
    }
}

#[actix_web::test]
async fn wrong_methods_are_405_json_with_allow() {
    let answer = send(TestRequest::get().uri("/t/echo")).await;
    assert_eq!(answer.status, 405, "{}", answer.raw);
    assert_eq!(answer.error_code(), "method_not_allowed");
    assert_eq!(answer.header("allow"), Some("POST, PATCH"));
    let answer = send(TestRequest::delete().uri("/t/query?n=1")).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET"));
}

#[actix_web::test]
async fn repeated_query_parameters_are_422() {
    let answer = send(TestRequest::get().uri("/t/query?n=1&flag=true&n=2")).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    assert_eq!(answer.error_code(), "validation_failed");
    assert_eq!(answer.field_errors(), vec![("n".to_owned(), "duplicate_parameter".to_owned())]);
}

#[actix_web::test]
async fn undecodable_query_strings_are_400() {
    for uri in ["/t/query?n=%zz", "/t/query?n=%", "/t/query?n=%FF"] {
        let answer = send(TestRequest::get().uri(uri)).await;
        assert_eq!(answer.status, 400, "{uri}");
        assert_eq!(answer.error_code(), "malformed_query", "{uri}");
    }
}

#[actix_web::test]
async fn query_values_are_checked_together() {
    let answer = send(TestRequest::get().uri("/t/query?n=11&flag=maybe&limit=0&offset=-1")).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    let expected: Vec<(String, String)> = [
        ("n", "out_of_range"),
        ("flag", "invalid_format"),
        ("limit", "out_of_range"),
        ("offset", "out_of_range"),
    ]
    .iter()
    .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
    .collect();
    assert_eq!(answer.field_errors(), expected);
    let answer = send(TestRequest::get().uri("/t/query?n=3&flag=TRUE")).await;
    assert_eq!(answer.body, json!({"n": 3, "flag": true, "limit": 10000, "offset": 0}));
}

#[actix_web::test]
async fn body_fields_are_checked_together_with_dotted_paths() {
    let body = json!({"name": " ", "amount": 12.345, "patient": {"first": 5}});
    let answer = send(post("/t/fields", JSON, body.to_string())).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    let expected: Vec<(String, String)> =
        [("name", "required"), ("amount", "invalid_amount"), ("patient.first", "invalid_type")]
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect();
    assert_eq!(answer.field_errors(), expected);

    let body = json!({"name": "Jane", "amount": "450.5", "patient": {"first": "J"}, "extra": 1});
    let answer = send(post("/t/fields", JSON, body.to_string())).await;
    assert_eq!(answer.body, json!({"name": "Jane", "amount": "450.50", "first": "J"}), "{}", answer.raw);
}

#[actix_web::test]
async fn strict_mode_refuses_unknown_fields() {
    let settings = Settings { strict_fields: true, ..Settings::default() };
    let state = AppState::new(settings, Authenticator::UserId, crate::tests::support::memory_app());
    let body = json!({"name": "Jane", "user_id": "u1", "extra": 1, "patient": {"first": "J", "middle": "K"}});
    let answer = send_to(state, TEST_ROUTES, post("/t/fields", JSON, body.to_string())).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    let expected: Vec<(String, String)> = [("patient.middle", "unknown_field"), ("extra", "unknown_field")]
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(answer.field_errors(), expected);
}
