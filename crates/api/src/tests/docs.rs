//! `/openapi.json` and `/docs`, served offline by the real route table.

use actix_web::test::TestRequest;

use super::support::{Answer, send_to, user_id_state};
use crate::routes::ROUTES;

async fn send(req: TestRequest) -> Answer {
    send_to(user_id_state(), ROUTES, req).await
}

#[actix_web::test]
async fn the_openapi_document_is_served() {
    let answer = send(TestRequest::get().uri("/openapi.json")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json; charset=utf-8"));
    assert_eq!(answer.body["openapi"], "3.1.0");
    assert!(answer.body["paths"]["/docs"]["get"].is_object(), "{}", answer.raw);
}

#[actix_web::test]
async fn docs_redirect_to_the_swagger_ui() {
    let answer = send(TestRequest::get().uri("/docs")).await;
    assert_eq!(answer.status, 301);
    assert_eq!(answer.header("location"), Some("/docs/"));
    let answer = send(TestRequest::get().uri("/docs/")).await;
    assert_eq!(answer.status, 200);
    assert!(answer.raw.contains("swagger"), "{}", &answer.raw[..answer.raw.len().min(300)]);
    assert_eq!(answer.header("cache-control"), None, "the docs may be cached");
    assert!(answer.header("x-request-id").is_some());
    let answer = send(TestRequest::get().uri("/docs/swagger-initializer.js")).await;
    assert_eq!(answer.status, 200);
    assert!(answer.raw.contains("/openapi.json"), "{}", answer.raw);
}

#[actix_web::test]
async fn docs_errors_are_json_too() {
    let answer = send(TestRequest::get().uri("/docs/no-such-asset.js")).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_code(), "not_found");
    let answer = send(TestRequest::post().uri("/openapi.json")).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.header("allow"), Some("GET"));
}

#[actix_web::test]
async fn required_query_parameters_are_documented_as_required() {
    let answer = send(TestRequest::get().uri("/openapi.json")).await;
    let required = |path: &str, method: &str, name: &str| {
        let params = answer.body["paths"][path][method]["parameters"].as_array().cloned().unwrap_or_default();
        params.iter().find(|p| p["name"] == name).map(|p| p["required"].clone())
    };
    for (path, method, name) in [
        ("/case", "get", "case_id"),
        ("/case/restore", "post", "case_id"),
        ("/surgeon", "delete", "surgeon_id"),
        ("/search_surgeon", "get", "first_name"),
        ("/check_npi", "get", "npi"),
        ("/case/document", "get", "document_type"),
        ("/user", "delete", "user_id"),
    ] {
        assert_eq!(required(path, method, name), Some(true.into()), "{method} {path} {name}");
    }
    assert_eq!(required("/case_filter", "get", "limit"), Some(false.into()));
}
