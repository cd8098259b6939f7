//! What reaches the server below HTTP semantics: request heads the parser refuses, bodies that
//! trickle in, heads that never end. Each answer is the JSON error of api.md §1.4, sent over
//! a raw socket so that no client library repairs the request first.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::server::{Backend, Server};

/// Sends `bytes`, then reads the answer until the server closes or `wait` passes.
fn exchange(base: &str, bytes: &[u8], wait: Duration) -> String {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(wait)).expect("timeout");
    stream.write_all(bytes).expect("send");
    read_answer(&mut stream)
}

fn read_answer(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// Status, lower-cased head and JSON body of a raw answer.
fn parse(answer: &str) -> (u16, String, Value) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), serde_json::from_str(body).unwrap_or(Value::Null))
}

fn assert_json_error(answer: &str, status: u16, code: &str) {
    let (got, head, body) = parse(answer);
    assert_eq!(got, status, "{answer}");
    assert!(head.contains("content-type: application/json; charset=utf-8"), "{answer}");
    assert_eq!(body["code"], code, "{answer}");
    let id = body["request_id"].as_str().unwrap_or_default();
    assert!(!id.is_empty(), "{answer}");
    assert!(head.contains(&format!("x-request-id: {id}")), "{answer}");
    assert!(body["detail"].is_string(), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_the_parser_refuses_get_json_errors() {
    let s = Server::start(Backend::Sqlite).await;
    let wait = Duration::from_secs(5);
    let table: &[&[u8]] = &[
        b"POST /case HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}",
        b"POST /case HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
        b"GET /health?\xff HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"NOT HTTP AT ALL\r\n\r\n",
    ];
    for request in table {
        let answer = exchange(&s.base, request, wait);
        assert_json_error(&answer, 400, "malformed_request");
    }
    // A good request before a bad one on the same connection: the good answer is untouched.
    let pipelined =
        b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\nPOST /case HTTP/1.1\r\nContent-Length: -5\r\n\r\n";
    let answer = exchange(&s.base, pipelined, wait);
    let (first, rest) = answer.split_once("\r\n\r\n").unwrap_or_default();
    assert!(first.starts_with("HTTP/1.1 200"), "{answer}");
    let second = &rest[rest.find("HTTP/1.1 ").unwrap_or(0)..];
    assert_json_error(second, 400, "malformed_request");
    // The server still serves.
    assert_eq!(s.get("/health/live").await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_heads_and_trickled_bodies_are_cut_off_with_408() {
    let s = Server::start_with(
        Backend::Sqlite,
        &[("SURGICASE_HTTP__BODY_READ_GRACE_S", "1"), ("SURGICASE_HTTP__BODY_MIN_BYTES_PER_S", "1000")],
    )
    .await;
    s.create_user("u-jane", 1);
    let addr = s.base.trim_start_matches("http://").to_owned();

    // Headers, then a body of 100,000 declared bytes at one byte every 200 ms.
    let mut stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_millis(200))).expect("timeout");
    let head = "POST /case?user_id=u-jane HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
                Content-Length: 100000\r\n\r\n{";
    stream.write_all(head.as_bytes()).expect("send");
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    let mut sent = 1;
    while started.elapsed() < Duration::from_secs(30) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {
                if stream.write_all(b" ").is_err() {
                    break;
                }
                sent += 1;
            }
        }
    }
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert_json_error(&answer, 408, "request_timeout");
    assert!(sent < 100, "cut off after {sent} of 100000 bytes");

    // A head that never ends: actix's own head timeout, answered as JSON too.
    let answer = exchange(&s.base, b"GET /health HTTP/1.1\r\nHost: x\r\n", Duration::from_secs(15));
    assert_json_error(&answer, 408, "request_timeout");

    // A body sent at a normal pace is unaffected.
    let (status, _) = s.post("/bugs?user_id=u-jane", &json!({"bug": {"title": "t"}})).await;
    assert_eq!(status, 201);
}

/// Sends the head, waits, then the body: the server has the head before any body byte.
fn late_body(base: &str, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let addr = base.trim_start_matches("http://");
    let body = body.to_string();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream.write_all(head.as_bytes()).expect("head");
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(body.as_bytes()).expect("body");
    let (status, _, json) = parse(&read_answer(&mut stream));
    (status, json)
}

/// api.md §1.2, step 3: a legacy client may name itself only in the body's `user_id`. The body
/// reaches the server after the head here, as it can from any client: the caller is still read
/// from it, on a subject route and on a caller-only one, and another user's id there is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_named_only_in_a_late_body_is_identified() {
    let s = Server::start(Backend::Sqlite).await;
    s.create_user("u-jane", 1);
    s.create_user("u-carla", 10);
    let base = s.base.clone();
    let table: Vec<(&str, &str, Value, u16, &str)> = vec![
        ("POST", "/surgeon", json!({"user_id": "u-jane", "first_name": "Al", "last_name": "Bo"}), 201, ""),
        ("POST", "/surgeon", json!({"first_name": "Al", "last_name": "Bo"}), 401, "unauthenticated"),
        (
            "PATCH",
            "/bulk_update_case_status",
            json!({"user_id": "u-carla", "case_ids": ["c-none"], "new_status": 10}),
            200,
            "",
        ),
        (
            "PATCH",
            "/bulk_update_case_status?calling_user_id=u-carla",
            json!({"user_id": "u-jane", "case_ids": ["c-none"], "new_status": 10}),
            403,
            "identity_mismatch",
        ),
    ];
    for (method, path, body, status, code) in table {
        let (base, body_sent) = (base.clone(), body.clone());
        let (got, answer) = tokio::task::spawn_blocking(move || late_body(&base, method, path, &body_sent))
            .await
            .expect("join");
        assert_eq!(got, status, "{method} {path} {body}: {answer}");
        if !code.is_empty() {
            assert_eq!(answer["code"], code, "{method} {path} {body}");
        }
    }
}
