//! `/metrics` and the JSON digests. The recorder is per process, so the assertions look for
//! this test's own label values and growth, never for absolute totals.

use serde_json::json;
use surgicase_api::observability::ObservabilitySettings;

use crate::support::{Answer, call, get, post, seeded_memory, serve, state};

fn metric_line<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    text.lines().find(|l| l.starts_with(prefix))
}

fn value(text: &str, prefix: &str) -> f64 {
    metric_line(text, prefix).and_then(|l| l.rsplit(' ').next()).and_then(|v| v.parse().ok()).unwrap_or(0.0)
}

#[actix_web::test]
async fn requests_are_counted_by_route_template_never_by_raw_path() {
    let (_store, app) = seeded_memory().await;
    let service = serve(state(app, ObservabilitySettings::default())).await;
    let before = call(&service, get("/metrics")).await;
    assert_eq!(before.status, 200);
    assert_eq!(before.content_type, "text/plain; version=0.0.4; charset=utf-8");
    let ok_prefix = "http_requests_total{method=\"GET\",route=\"/timezones\",status=\"200\"}";
    let n0 = value(&before.raw, ok_prefix);

    for _ in 0..3 {
        assert_eq!(call(&service, get("/timezones")).await.status, 200);
    }
    // A path with an id in it, an unknown path with a secret-looking segment, a wrong method.
    let upload =
        call(&service, actix_web::test::TestRequest::put().uri("/document_upload/upl-SECRET-1")).await;
    assert!(upload.status >= 400);
    assert_eq!(call(&service, get("/no/such/path/patient-Mary")).await.status, 404);
    assert_eq!(call(&service, post("/timezones", json!({}))).await.status, 405);

    let text = call(&service, get("/metrics")).await.raw;
    assert_eq!(value(&text, ok_prefix), n0 + 3.0, "{text}");
    assert!(text.contains("route=\"/document_upload/{upload_id}\""), "{text}");
    assert!(
        text.contains("http_requests_total{method=\"GET\",route=\"(unmatched)\",status=\"404\"}"),
        "{text}"
    );
    assert!(
        text.contains("http_requests_total{method=\"POST\",route=\"/timezones\",status=\"405\"}"),
        "{text}"
    );
    assert!(!text.contains("SECRET") && !text.contains("patient-Mary"), "raw paths leaked into labels");
    assert!(
        metric_line(&text, "http_request_duration_seconds_bucket{method=\"GET\",route=\"/timezones\",status=\"200\",le=\"0.005\"}").is_some(),
        "{text}"
    );
    assert!(text.contains("le=\"10\""), "buckets up to 10 s: {text}");
    assert!(text.contains("http_requests_in_flight"), "{text}");
    assert!(value(&text, "surgicase_errors_total{code=\"route_not_found\"}") >= 1.0, "{text}");
    assert!(value(&text, "surgicase_errors_total{code=\"method_not_allowed\"}") >= 1.0, "{text}");
    assert!(text.contains("# HELP http_requests_total"), "{text}");
}

#[actix_web::test]
async fn the_json_digests() {
    let (_store, app) = seeded_memory().await;
    let service = serve(state(app, ObservabilitySettings::default())).await;
    for _ in 0..5 {
        call(&service, get("/doctypes")).await;
    }
    let summary = call(&service, get("/metrics/summary")).await;
    assert_eq!((summary.status, summary.body["status"].as_str()), (200, Some("success")), "{}", summary.raw);
    let data = &summary.body["data"];
    assert!(data["uptime_seconds"].is_u64() && data["timestamp"].is_string());
    let requests = &data["requests"];
    assert!(requests["total"].as_u64().unwrap() >= 5);
    assert!(requests["error_rate"].is_number() && requests["errors"].is_u64());
    let row = requests["by_route"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == "/doctypes" && r["method"] == "GET")
        .expect("a /doctypes row");
    assert!(row["count"].as_u64().unwrap() >= 5);
    let (p50, p95, p99) =
        (row["p50_ms"].as_f64().unwrap(), row["p95_ms"].as_f64().unwrap(), row["p99_ms"].as_f64().unwrap());
    assert!(p50 > 0.0 && p50 <= p95 && p95 <= p99 && p99 <= 10_000.0, "{row}");
    assert!(data["database"].as_object().unwrap().contains_key("wait_p95_ms"));

    let endpoints = call(&service, get("/metrics/endpoints")).await;
    assert!(endpoints.body["data"].as_array().unwrap().iter().any(|r| r["route"] == "/doctypes"));
    let health = call(&service, get("/metrics/health")).await;
    assert_eq!(
        (health.body["status"].as_str(), health.body["metrics_generation"].as_str()),
        (Some("healthy"), Some("success"))
    );
    let system = call(&service, get("/metrics/system")).await;
    assert!(system.body["data"]["rss_bytes"].as_u64().unwrap_or(0) > 0, "{}", system.raw);
    assert!(system.body["data"]["threads"].as_u64().unwrap_or(0) >= 1);
    let me = call(&service, get("/metrics/self")).await;
    assert_eq!(me.body["endpoints"].as_array().unwrap().len(), 8);
    let db = call(&service, get("/metrics/database")).await;
    assert_eq!(db.body["data"]["pool_size"], serde_json::Value::Null, "no pool on the memory store");

    // A bug report moves a business counter.
    let filed = call(&service, post("/bugs?user_id=u-jane", json!({"bug": {"title": "x"}}))).await;
    assert_eq!(filed.status, 201, "{}", filed.raw);
    let business = call(&service, get("/metrics/business")).await;
    let bugs = &business.body["data"]["surgicase_bugs_filed_total"];
    assert!(bugs["total"].as_u64().unwrap() >= 1, "{}", business.raw);
    assert!(business.body["data"]["surgicase_cases_created_total"]["total"].is_u64());
}

#[actix_web::test]
async fn metrics_can_be_kept_off_the_api_listener() {
    let (_store, app) = seeded_memory().await;
    let settings = ObservabilitySettings { metrics_public: false, ..ObservabilitySettings::default() };
    let service = serve(state(app, settings)).await;
    for uri in ["/metrics", "/metrics/summary", "/metrics/self"] {
        let answer: Answer = call(&service, get(uri)).await;
        assert_eq!((answer.status, answer.body["code"].as_str()), (404, Some("route_not_found")), "{uri}");
    }
    assert_eq!(call(&service, get("/health")).await.status, 200);
}

#[actix_web::test]
async fn client_request_logs_are_accepted_counted_and_payloads_dropped() {
    let (_store, app) = seeded_memory().await;
    let store_app = app.clone().with_request_log_table(true);
    let service = serve(state(store_app.clone(), ObservabilitySettings::default())).await;
    let body = json!({"endpoint": "/case?patient_last=Doe", "method": "get", "response_status": 404,
                      "execution_time_ms": 15, "request_payload": {"patient": "Mary Doe"}});
    let answer = call(&service, post("/log_request?user_id=u-jane", body)).await;
    assert_eq!((answer.status, answer.body.clone()), (201, json!({"success": true})), "{}", answer.raw);
    let bad = call(&service, post("/log_request?user_id=u-jane", json!({"endpoint": "/x"}))).await;
    assert_eq!(bad.status, 422);
    let anonymous = call(&service, post("/log_request", json!({"endpoint": "/x"}))).await;
    assert_eq!(anonymous.status, 401);

    let rows = store_app.store().conn().await.unwrap().recent_request_logs(10).await.unwrap();
    let client: Vec<_> = rows.iter().filter(|r| r.source.as_str() == "client").collect();
    assert_eq!(client.len(), 1, "{rows:?}");
    assert_eq!(
        (client[0].endpoint.as_str(), client[0].method.as_str(), client[0].response_status),
        ("/case", "GET", 404)
    );
    assert_eq!(client[0].user_id.as_deref(), Some("u-jane"));
    assert!(!format!("{rows:?}").contains("Doe"), "payloads and query strings are never stored");
}
