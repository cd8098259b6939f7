//! The ClickUp client against a local fake ClickUp (wiremock).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::time::Duration;

use serde_json::{Value, json};
use surgicase_bugs::{ClickUpSettings, ClickUpTracker};
use surgicase_ports::bugs::{BugPriority, BugTracker, TrackerError, TrackerTask};
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "pk_4242_TESTTOKEN";

fn tracker(server: &MockServer, timeout_ms: u64) -> ClickUpTracker {
    let settings = ClickUpSettings::new(
        &format!("{}/api/v2", server.uri()),
        TOKEN,
        "901",
        Duration::from_millis(timeout_ms),
        3,
    )
    .expect("settings");
    ClickUpTracker::new(settings).expect("client")
}

fn task(priority: BugPriority) -> TrackerTask {
    TrackerTask {
        name: "Bug #7: Save does nothing".into(),
        description: "It broke.\n\n```json\n{}\n```".into(),
        priority,
        tags: vec!["bug".into(), "auto-created".into()],
    }
}

#[tokio::test]
async fn creates_a_task_with_the_token_priority_and_tags() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/list/901/task"))
        .and(header("authorization", TOKEN))
        .and(body_partial_json(json!({
            "name": "Bug #7: Save does nothing",
            "priority": 1,
            "tags": ["bug", "auto-created"],
        })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"id": "86abc", "name": "Bug #7: Save does nothing"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(tracker(&server, 2000).create_task(&task(BugPriority::Urgent)).await, Ok("86abc".into()));
}

#[tokio::test]
async fn failures_are_classified() {
    let cases: Vec<(ResponseTemplate, TrackerError)> = vec![
        (ResponseTemplate::new(429), TrackerError::RateLimited),
        (ResponseTemplate::new(500), TrackerError::Server(500)),
        (ResponseTemplate::new(503), TrackerError::Server(503)),
        (
            ResponseTemplate::new(401).set_body_json(json!({"err": "Token invalid", "ECODE": "OAUTH_025"})),
            TrackerError::Refused { status: 401, message: "Token invalid".into() },
        ),
        (ResponseTemplate::new(200).set_body_string("not json"), TrackerError::Invalid(String::new())),
        (ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)), TrackerError::Timeout),
    ];
    for (response, expected) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(response).mount(&server).await;
        let got = tracker(&server, 300).create_task(&task(BugPriority::Low)).await.unwrap_err();
        match (&got, &expected) {
            (TrackerError::Invalid(_), TrackerError::Invalid(_)) => {}
            _ => assert_eq!(got, expected),
        }
        assert!(!got.to_string().contains(TOKEN));
    }
}

#[tokio::test]
async fn an_unreachable_server_is_unreachable() {
    // A port nobody listens on (wiremock pools its servers, so a dropped one still answers).
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = ClickUpSettings::new(
        &format!("http://127.0.0.1:{port}/api/v2"),
        TOKEN,
        "901",
        Duration::from_millis(500),
        1,
    )
    .unwrap();
    let t = ClickUpTracker::new(settings).unwrap();
    let err = t.create_task(&task(BugPriority::High)).await.unwrap_err();
    assert!(matches!(err, TrackerError::Unreachable(_) | TrackerError::Timeout), "{err:?}");
}

fn page(names: &[(&str, &str)], last: bool) -> Value {
    let tasks: Vec<Value> = names.iter().map(|(id, name)| json!({"id": id, "name": name})).collect();
    json!({"tasks": tasks, "last_page": last})
}

#[tokio::test]
async fn finds_a_task_by_exact_name_across_pages() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/list/901/task"))
        .and(query_param("page", "0"))
        .and(query_param("include_closed", "true"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&[("1", "Bug #70: other")], false)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/list/901/task"))
        .and(query_param("page", "1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&[("2", "Bug #7: Save does nothing"), ("3", "Bug #8: x")], true)),
        )
        .mount(&server)
        .await;
    let t = tracker(&server, 2000);
    let since = chrono::Utc::now();
    assert_eq!(t.find_task("Bug #7: Save does nothing", since).await, Ok(Some("2".into())));
    assert_eq!(t.find_task("Bug #9: absent", since).await, Ok(None));
    assert_eq!(t.find_task("Bug #7: Save does", since).await, Ok(None));
}

#[tokio::test]
async fn ping_reads_the_list() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v2/list/901"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "901", "name": "Bugs"})))
        .mount(&server)
        .await;
    assert_eq!(tracker(&server, 2000).ping().await, Ok(()));
    let other = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&other).await;
    assert!(matches!(tracker(&other, 2000).ping().await, Err(TrackerError::Refused { status: 401, .. })));
}
