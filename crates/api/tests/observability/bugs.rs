//! `POST /bugs` and `GET /bugs`, locally and against a fake ClickUp (wiremock): success, then an
//! outage (500, 429, timeout) during which reports stay stored and pending, then recovery —
//! every report in ClickUp once, none twice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use surgicase_api::observability::ObservabilitySettings;
use surgicase_app::App;
use surgicase_bugs::{ClickUpSettings, ClickUpTracker};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{bug, call, get, post, seeded_memory, serve, state};

const TOKEN: &str = "pk_77_FAKE_CLICKUP_TOKEN";

fn clickup(server: &MockServer) -> Arc<ClickUpTracker> {
    let settings = ClickUpSettings::new(
        &format!("{}/api/v2", server.uri()),
        TOKEN,
        "901",
        Duration::from_millis(400),
        2,
    )
    .unwrap();
    Arc::new(ClickUpTracker::new(settings).unwrap())
}

fn creates(requests: &[Request]) -> Vec<Value> {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// Waits until ClickUp has received `n` create requests.
async fn until_creates(server: &MockServer, n: usize) {
    let started = Instant::now();
    while creates(&server.received_requests().await.unwrap_or_default()).len() < n {
        assert!(started.elapsed() < Duration::from_secs(5), "ClickUp never got {n} creates");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn listed<S>(service: &S) -> Vec<Value>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let answer = call(service, get("/bugs?user_id=u-jane&status=all")).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    answer.body["bugs"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn without_a_tracker_reports_are_stored_and_listed() {
    let (_store, app) = seeded_memory().await;
    let service = serve(state(app, ObservabilitySettings::default())).await;
    let filed = call(&service, post("/bugs?user_id=u-jane", bug("Save does nothing"))).await;
    assert_eq!(filed.status, 201, "{}", filed.raw);
    assert_eq!(filed.body["message"], "Bug report created successfully");
    assert_eq!(
        (filed.body["status"].as_str(), filed.body["sync_state"].as_str()),
        (Some("Open"), Some("disabled"))
    );
    let id = filed.body["bug_id"].as_i64().unwrap();

    let list = call(&service, get("/bugs?user_id=u-jane")).await;
    assert_eq!(list.body["count"], 1);
    let item = &list.body["bugs"][0];
    assert_eq!(item["bug_id"], id);
    assert_eq!(
        (item["title"].as_str(), item["priority"].as_str()),
        (Some("Save does nothing"), Some("urgent"))
    );
    assert_eq!(
        (item["sync_state"].as_str(), item["tracker_task_id"].clone()),
        (Some("disabled"), Value::Null)
    );
    for key in ["description", "calling_page", "status", "created_ts"] {
        assert!(item.get(key).is_some(), "{key}");
    }
    // Someone else's reports are not listed; a global admin sees them.
    assert_eq!(call(&service, get("/bugs?user_id=u-admin")).await.body["count"], 1);
    let other = call(&service, post("/bugs?user_id=u-admin", bug("admin's"))).await;
    assert_eq!(other.status, 201);
    assert_eq!(call(&service, get("/bugs?user_id=u-jane")).await.body["count"], 1);

    // Refusals.
    let bad = call(&service, post("/bugs?user_id=u-jane", json!({"priority": "blocker"}))).await;
    assert_eq!((bad.status, bad.body["errors"][0]["field"].as_str()), (422, Some("priority")));
    let big = json!({"bug": {"title": "big", "description": "x".repeat(300 * 1024)}});
    let too_big = call(&service, post("/bugs?user_id=u-jane", big)).await;
    assert_eq!(
        (too_big.status, too_big.body["limit_bytes"].as_u64()),
        (413, Some(256 * 1024)),
        "{}",
        too_big.raw
    );
    assert_eq!(call(&service, post("/bugs", bug("x"))).await.status, 401);
    assert_eq!(call(&service, get("/bugs?user_id=u-jane&status=closed")).await.status, 422);
    assert_eq!(call(&service, get("/bugs?user_id=u-jane&limit=0")).await.status, 422);
}

#[actix_web::test]
async fn a_report_reaches_clickup_right_after_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/list/901/task"))
        .and(header("authorization", TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "86a1"})))
        .mount(&server)
        .await;
    let (_store, app) = seeded_memory().await;
    let app = app.with_bug_tracker(clickup(&server));
    let service = serve(state(app, ObservabilitySettings::default())).await;

    let filed = call(&service, post("/bugs?user_id=u-jane", bug("Save does nothing"))).await;
    assert_eq!((filed.status, filed.body["sync_state"].as_str()), (201, Some("pending")));
    let id = filed.body["bug_id"].as_i64().unwrap();
    until_creates(&server, 1).await;
    let task = &creates(&server.received_requests().await.unwrap())[0];
    assert_eq!(task["name"], format!("Bug #{id}: Save does nothing"));
    assert_eq!(task["priority"], 1);
    assert_eq!(task["tags"], json!(["bug", "auto-created"]));
    assert!(task["description"].as_str().unwrap().starts_with("Nothing happens.\n\n```json\n"));

    let started = Instant::now();
    loop {
        let item = listed(&service).await.remove(0);
        if item["sync_state"] == "synced" {
            assert_eq!(item["tracker_task_id"], "86a1");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "{item}");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sets what ClickUp answers: creates, and lookups (`GET …/task`).
async fn clickup_answers(server: &MockServer, create: ResponseTemplate, lookup: ResponseTemplate) {
    server.reset().await;
    Mock::given(method("POST")).and(path("/api/v2/list/901/task")).respond_with(create).mount(server).await;
    Mock::given(method("GET")).and(path("/api/v2/list/901/task")).respond_with(lookup).mount(server).await;
}

fn empty_list() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"tasks": [], "last_page": true}))
}

#[actix_web::test]
async fn reports_filed_during_an_outage_reach_clickup_once_it_returns() {
    let server = MockServer::start().await;
    let (store, app) = seeded_memory().await;
    let app: App = app.with_bug_tracker(clickup(&server));
    let service = serve(state(app.clone(), ObservabilitySettings::default())).await;

    // ClickUp answers 500: the report is stored, the first push fails, it stays pending.
    clickup_answers(&server, ResponseTemplate::new(500), empty_list()).await;
    let filed = call(&service, post("/bugs?user_id=u-jane", bug("During the outage"))).await;
    assert_eq!((filed.status, filed.body["sync_state"].as_str()), (201, Some("pending")));
    let id = filed.body["bug_id"].as_i64().unwrap();
    let name = format!("Bug #{id}: During the outage");
    until_creates(&server, 1).await;
    actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    let item = listed(&service).await.remove(0);
    assert_eq!(
        (item["sync_state"].as_str(), item["tracker_task_id"].clone()),
        (Some("pending"), Value::Null)
    );

    // The retries come with backoff: at +1 min ClickUp is rate limiting (429).
    let t0 = app.clock().now();
    let minutes = |m: i64| t0 + chrono::Duration::minutes(m) + chrono::Duration::seconds(1);
    clickup_answers(&server, ResponseTemplate::new(429), ResponseTemplate::new(429)).await;
    assert_eq!(app.sync_pending_bugs(minutes(0)).await.unwrap().due, 0, "not due before a minute");
    let run = app.sync_pending_bugs(minutes(1)).await.unwrap();
    assert_eq!((run.due, run.failed), (1, 1));

    // At +3 min the task is created but the answer times out: outcome unknown.
    let created_meanwhile = json!({"tasks": [{"id": "86zz", "name": name}], "last_page": true});
    clickup_answers(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "86zz"})).set_delay(Duration::from_secs(2)),
        empty_list(),
    )
    .await;
    assert_eq!(app.sync_pending_bugs(minutes(2)).await.unwrap().due, 0, "2 minutes after the second failure");
    let run = app.sync_pending_bugs(minutes(3)).await.unwrap();
    assert_eq!((run.due, run.failed), (1, 1));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(creates(&requests).len(), 1, "one create, after an empty lookup");
    assert_eq!(requests.len(), 2);

    // Recovered (+7 min): the retry looks the task up by name and records it — no second task.
    clickup_answers(
        &server,
        ResponseTemplate::new(200).set_body_json(json!({"id": "never-used"})),
        ResponseTemplate::new(200).set_body_json(created_meanwhile),
    )
    .await;
    let run = app.sync_pending_bugs(minutes(7)).await.unwrap();
    assert_eq!((run.due, run.synced), (1, 1));
    assert!(creates(&server.received_requests().await.unwrap()).is_empty(), "found, not created again");
    let item = listed(&service).await.remove(0);
    assert_eq!(
        (item["sync_state"].as_str(), item["tracker_task_id"].as_str()),
        (Some("synced"), Some("86zz"))
    );

    // Nothing is due any more, ever.
    assert_eq!(app.sync_pending_bugs(minutes(600)).await.unwrap().due, 0);
    let stored = store_bug(&store, id).await;
    assert_eq!(stored.sync_attempts, 4);
    assert_eq!(stored.last_sync_error, None);
}

async fn store_bug(store: &surgicase_testkit::MemoryStore, id: i64) -> surgicase_ports::BugRecord {
    use surgicase_ports::Store;
    store.conn().await.unwrap().get_bug(id).await.unwrap().unwrap()
}
