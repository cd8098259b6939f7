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
    assert!(!answer.raw.contains("refused"), "{}", answer.raw);
}

/// Log lines written while the guard lives (this thread only: actix's test runtime is one thread).
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn the_log_gets_the_whole_cause_chain() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // Other tests of this binary register the same callsites on other threads, where no
    // subscriber is set; tracing caches each callsite's interest, and a registration racing with
    // set_default can leave it at "never". Rebuilding the cache and sending again (at most three
    // times) takes that race out; a log without the line still fails below.
    let mut log = String::new();
    for _ in 0..3 {
        tracing::callsite::rebuild_interest_cache();
        let answer = send(TestRequest::get().uri("/t/boom").insert_header(("X-Request-Id", "chain-1"))).await;
        assert_eq!(answer.status, 500);
        log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        if log.contains("request failed") {
            break;
        }
    }
    drop(guard);
    let line = log.lines().find(|l| l.contains("request failed")).unwrap_or_else(|| panic!("{log}"));
    assert!(line.contains("chain-1"), "{line}");
    assert!(
        line.contains(
            "internal error: storage failed: database error: the statement was refused: mysql://u:hunter2@db refused"
        ),
        "{line}"
    );
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
