//! Bad input of every kind gets a clear JSON 4xx, never a 500, and writes nothing.

use reqwest::Method;
use serde_json::json;

use crate::server::{Server, backends, decode};

/// (method, path, content type, body, status, code)
type Row = (Method, &'static str, Option<&'static str>, Vec<u8>, u16, &'static str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_bad_input_is_a_json_4xx() {
    for backend in backends() {
        let s = Server::start(backend).await;
        s.create_user("u-jane", 1);
        let url = |p: &str| format!("{}{}", s.base, p);
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        let big = format!("{{\"case_id\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let table: Vec<Row> = vec![
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                b"{not json".to_vec(),
                400,
                "malformed_json",
            ),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                b"{\"a\":\"\xff\"}".to_vec(),
                400,
                "malformed_json",
            ),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                deep.into_bytes(),
                400,
                "malformed_json",
            ),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("text/plain"),
                b"{}".to_vec(),
                415,
                "unsupported_media_type",
            ),
            (Method::POST, "/case?user_id=u-jane", None, b"{}".to_vec(), 415, "unsupported_media_type"),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                big.into_bytes(),
                413,
                "payload_too_large",
            ),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                b"[1,2]".to_vec(),
                422,
                "validation_failed",
            ),
            (
                Method::POST,
                "/case?user_id=u-jane",
                Some("application/json"),
                b"{}".to_vec(),
                422,
                "validation_failed",
            ),
            (Method::GET, "/no/such/route", None, Vec::new(), 404, "route_not_found"),
            (
                Method::PUT,
                "/case?user_id=u-jane",
                Some("application/json"),
                b"{}".to_vec(),
                405,
                "method_not_allowed",
            ),
            (
                Method::GET,
                "/case?user_id=u-jane&case_id=a&case_id=b",
                None,
                Vec::new(),
                422,
                "validation_failed",
            ),
            (Method::GET, "/case?user_id=u-jane&case_id=%ZZ", None, Vec::new(), 400, "malformed_query"),
            (Method::GET, "/case?user_id=u-ghost&case_id=x", None, Vec::new(), 401, "unknown_user"),
            (Method::GET, "/case?case_id=x", None, Vec::new(), 401, "unauthenticated"),
            (Method::GET, "/check_npi?npi=1234567890", None, Vec::new(), 422, "validation_failed"),
            (
                Method::GET,
                "/case_filter?user_id=u-jane&filter=1,x",
                None,
                Vec::new(),
                422,
                "validation_failed",
            ),
        ];
        for (method, path, content_type, body, status, code) in table {
            let mut request = s.client.request(method.clone(), url(path)).body(body);
            if let Some(ct) = content_type {
                request = request.header("content-type", ct);
            }
            let (got, answer) = decode(request.send().await.unwrap()).await;
            assert_eq!(
                (got, answer["code"].as_str()),
                (status, Some(code)),
                "{backend:?} {method} {path}: {answer}"
            );
            assert!(answer["request_id"].is_string(), "{method} {path}: {answer}");
            assert!(answer["detail"].is_string(), "{method} {path}: {answer}");
        }

        // Field-level errors are listed together, with paths into the body.
        let (status, answer) = s
            .post(
                "/case?user_id=u-jane",
                &json!({"case_id": "c-1", "case_date": "2025-02-30", "surgeon_id": "abc", "facility_id": 5,
                        "patient": {"first": "", "last": 7, "ins_provider": "Aetna"}}),
            )
            .await;
        assert_eq!(status, 422, "{answer}");
        let fields: Vec<&str> =
            answer["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for expected in ["case_date", "surgeon_id", "patient.first", "patient.last"] {
            assert!(fields.contains(&expected), "{expected} missing from {answer}");
        }
        // Nothing was written.
        let (_, list) = s.get("/case_filter?user_id=u-jane").await;
        assert_eq!(list["total"], 0);
        assert!(!s.log_text().contains("\"status\":500"), "a request answered 500");
    }
}
