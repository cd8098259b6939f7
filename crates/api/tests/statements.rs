//! SQL statements per request on a real database (SQLite), counted by the store's diesel
//! instrumentation: GET /case costs at most 2 (the caller, the case), POST /case the same
//! number whatever the number of procedure codes; a bulk status update the same number for one
//! case and for two hundred; the back-office reads and a rule-set re-evaluation the same number
//! for 3 cases and for 60.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;
use std::time::Duration;

use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use surgicase_api::{AppState, Authenticator, Settings, server};
use surgicase_app::users::Registrar;
use surgicase_app::{App, AppSettings};
use surgicase_kernel::SystemClock;
use surgicase_store::DbStore;
use surgicase_testkit::{MemoryObjectStore, StaticNpiRegistry};
use surgicase_users::{ProfileField, ProfileInput};

/// Callers are loaded on every request (no identity cache), so that counts do not depend on
/// how fast the requests follow each other; [`a_remembered_caller_costs_no_statement`] covers
/// the cache.
async fn world() -> (Arc<DbStore>, App) {
    world_with(AppSettings { identity_ttl: Duration::ZERO, ..AppSettings::default() }).await
}

async fn world_with(settings: AppSettings) -> (Arc<DbStore>, App) {
    let db = Arc::new(surgicase_store::testing::sqlite_db_store().await);
    let app = App::new(
        db.clone(),
        Arc::new(MemoryObjectStore::new()),
        Arc::new(StaticNpiRegistry::new()),
        Arc::new(SystemClock),
        settings,
    );
    surgicase_app::seed::seed_reference(db.as_ref(), &SystemClock).await.unwrap();
    let user = ProfileInput::new("u-jane")
        .with(ProfileField::UserEmail, "jane@example.com")
        .with(ProfileField::FirstName, "Jane")
        .with(ProfileField::LastName, "Doe");
    app.create_user(&Registrar::System { name: "test" }, &user).await.unwrap();
    (db, app)
}

/// An administrator `id` of `user_type`.
async fn admin(app: &App, id: &str, user_type: i64) {
    let admin = ProfileInput::new(id)
        .with(ProfileField::UserEmail, format!("{id}@example.com"))
        .with(ProfileField::FirstName, "Ada")
        .with(ProfileField::LastName, "Admin")
        .with(ProfileField::UserType, user_type);
    app.create_user(&Registrar::System { name: "test" }, &admin).await.unwrap();
}

fn case(id: &str, surgeon: &Value, facility: &Value, codes: &[String]) -> Value {
    json!({
        "case_id": id, "case_date": "2025-03-03", "surgeon_id": surgeon, "facility_id": facility,
        "patient": {"first": "Pat", "last": id, "ins_provider": "Aetna"}, "procedure_codes": codes
    })
}

/// A surgeon and a facility of u-jane's: their ids.
async fn address_book<S>(service: &S) -> (Value, Value)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let post = |path: &str, body: Value| TestRequest::post().uri(path).set_json(body).to_request();
    let surgeon: Value = test::call_and_read_body_json(
        service,
        post("/surgeon?user_id=u-jane", json!({"first_name": "A", "last_name": "B"})),
    )
    .await;
    let facility: Value = test::call_and_read_body_json(
        service,
        post("/facility?user_id=u-jane", json!({"facility_name": "F"})),
    )
    .await;
    (surgeon["surgeon_id"].clone(), facility["facility_id"].clone())
}

#[actix_web::test]
async fn statements_per_request_are_bounded() {
    let (db, app) = world().await;
    let state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let service = test::init_service(server::app(state)).await;
    let post = |path: &str, body: Value| TestRequest::post().uri(path).set_json(body).to_request();

    let (surgeon, facility) = address_book(&service).await;

    // Warm up: the first write parses and caches the active rule set.
    let warm =
        test::call_service(&service, post("/case?user_id=u-jane", case("c-0", &surgeon, &facility, &[])))
            .await;
    assert_eq!(warm.status(), 201);

    let mut costs = Vec::new();
    for (i, n) in [1usize, 20].into_iter().enumerate() {
        let codes: Vec<String> = (0..n).map(|k| format!("{}", 10_000 + k)).collect();
        let before = db.statements_executed();
        let response = test::call_service(
            &service,
            post("/case?user_id=u-jane", case(&format!("c-{}", i + 1), &surgeon, &facility, &codes)),
        )
        .await;
        assert_eq!(response.status(), 201);
        costs.push(db.statements_executed() - before);
    }
    assert_eq!(costs[0], costs[1], "POST /case with 1 and 20 codes: {costs:?} statements");

    let before = db.statements_executed();
    let response =
        test::call_service(&service, TestRequest::get().uri("/case?user_id=u-jane&case_id=c-2").to_request())
            .await;
    assert_eq!(response.status(), 200);
    let read = db.statements_executed() - before;
    assert!(read <= 2, "GET /case cost {read} statements");
    eprintln!("POST /case: {} statements (1 or 20 codes); GET /case: {read}", costs[0]);
}

/// With the caller remembered from a request a moment ago, GET /case is one statement: the
/// case with its joins.
#[actix_web::test]
async fn a_remembered_caller_costs_no_statement() {
    let (db, app) =
        world_with(AppSettings { identity_ttl: Duration::from_secs(1), ..AppSettings::default() }).await;
    let state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let service = test::init_service(server::app(state)).await;
    let (surgeon, facility) = address_book(&service).await;
    let create =
        TestRequest::post().uri("/case?user_id=u-jane").set_json(case("c-1", &surgeon, &facility, &[]));
    assert_eq!(test::call_service(&service, create.to_request()).await.status(), 201);
    let before = db.statements_executed();
    let read = TestRequest::get().uri("/case?user_id=u-jane&case_id=c-1").to_request();
    assert_eq!(test::call_service(&service, read).await.status(), 200);
    assert_eq!(db.statements_executed() - before, 1, "GET /case with the caller remembered");
}

/// With the caller and the status catalogue remembered, a page of GET /case_filter costs the
/// count, the rows and their codes; a page of GET /cases_by_status also its ids (the order's
/// index walk), and a page of GET /case/status_history its case and its rows.
#[actix_web::test]
async fn list_pages_with_caller_and_catalogue_remembered() {
    let (db, app) =
        world_with(AppSettings { identity_ttl: Duration::from_secs(1), ..AppSettings::default() }).await;
    admin(&app, "u-ca", 10).await;
    let state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let service = test::init_service(server::app(state)).await;
    let (surgeon, facility) = address_book(&service).await;
    for id in ["c-1", "c-2", "c-3"] {
        let create =
            TestRequest::post().uri("/case?user_id=u-jane").set_json(case(id, &surgeon, &facility, &[]));
        assert_eq!(test::call_service(&service, create.to_request()).await.status(), 201);
    }
    let table: &[(&str, u64)] = &[
        ("/case_filter?user_id=u-jane&filter=0,1&limit=50", 3),
        ("/cases_by_status?filter=0,1&limit=50&calling_user_id=u-ca", 4),
        ("/case/status_history?user_id=u-jane&case_id=c-1", 2),
    ];
    for (path, expected) in table {
        // The first request loads the caller and the catalogue; the second finds both remembered.
        read_costs(&service, &db, &[path]).await;
        let cost = read_costs(&service, &db, &[path]).await;
        assert_eq!(cost, [*expected], "{path}");
    }
}

#[actix_web::test]
async fn bulk_status_updates_cost_the_same_for_one_case_and_for_many() {
    let (db, app) = world().await;
    admin(&app, "u-ca", 10).await;
    let state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let service = test::init_service(server::app(state)).await;
    let post = |path: &str, body: Value| TestRequest::post().uri(path).set_json(body).to_request();
    let (surgeon, facility) = address_book(&service).await;
    let ids: Vec<String> = (0..201).map(|i| format!("c-{i}")).collect();
    for id in &ids {
        let response =
            test::call_service(&service, post("/case?user_id=u-jane", case(id, &surgeon, &facility, &[])))
                .await;
        assert_eq!(response.status(), 201);
    }

    let mut costs = Vec::new();
    for listed in [&ids[..1], &ids[1..]] {
        let body = json!({"case_ids": listed, "new_status": 10});
        let before = db.statements_executed();
        let request =
            TestRequest::patch().uri("/bulk_update_case_status?user_id=u-ca").set_json(body).to_request();
        let answer: Value = test::call_and_read_body_json(&service, request).await;
        assert_eq!(answer["total_updated"], listed.len(), "{answer}");
        costs.push(db.statements_executed() - before);
    }
    assert_eq!(costs[0], costs[1], "bulk update of 1 and 200 cases: {costs:?} statements");
    eprintln!("PATCH /bulk_update_case_status: {} statements (1 or 200 cases)", costs[0]);
}

/// The statements of each GET in `paths`, in order.
async fn read_costs<S>(service: &S, db: &DbStore, paths: &[&str]) -> Vec<u64>
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let mut costs = Vec::new();
    for path in paths {
        let before = db.statements_executed();
        let response = test::call_service(service, TestRequest::get().uri(path).to_request()).await;
        assert_eq!(response.status(), 200, "{path}");
        costs.push(db.statements_executed() - before);
    }
    costs
}

#[actix_web::test]
async fn back_office_reads_and_rule_set_batches_do_not_grow_with_the_cases() {
    let (db, app) = world().await;
    admin(&app, "u-ga", 100).await;
    let state = AppState::new(Settings::default(), Authenticator::UserId, app);
    let service = test::init_service(server::app(state)).await;
    let post = |path: &str, body: Value| TestRequest::post().uri(path).set_json(body).to_request();
    let (surgeon, facility) = address_book(&service).await;
    let reads = [
        "/cases_by_status?filter=0&limit=50&calling_user_id=u-ga",
        "/case_dashboard_data?calling_user_id=u-ga",
        "/user_dashboard_data?calling_user_id=u-ga",
        "/build_dashboard?calling_user_id=u-ga",
        "/users?calling_user_id=u-ga",
        "/pay_tiers?calling_user_id=u-ga",
        "/tiers_summary?calling_user_id=u-ga",
        "/admin/status_rules?calling_user_id=u-ga",
        "/admin/status_rules/history?calling_user_id=u-ga",
    ];
    let put_rules = || {
        TestRequest::put()
            .uri("/admin/status_rules?calling_user_id=u-ga&reevaluate=true")
            .insert_header(("Content-Type", "application/toml"))
            .set_payload(surgicase_app::status_rules::DEFAULT_RULE_SET_TOML)
            .to_request()
    };
    // Warm up: build_dashboard reads its parts side by side, and the pool's first connections
    // run their set-up statements once.
    read_costs(&service, &db, &reads).await;
    let mut created = 0;
    let mut by_size = Vec::new();
    for size in [3, 60] {
        while created < size {
            let id = format!("c-{created}");
            let response = test::call_service(
                &service,
                post("/case?user_id=u-jane", case(&id, &surgeon, &facility, &[])),
            )
            .await;
            assert_eq!(response.status(), 201);
            created += 1;
        }
        let costs = read_costs(&service, &db, &reads).await;
        let before = db.statements_executed();
        let answer: Value = test::call_and_read_body_json(&service, put_rules()).await;
        assert_eq!(answer["reevaluation"]["evaluated"], size, "{answer}");
        by_size.push((costs, db.statements_executed() - before));
    }
    let ((small, put_small), (large, put_large)) = (&by_size[0], &by_size[1]);
    for (path, (a, b)) in reads.iter().zip(small.iter().zip(large)) {
        assert_eq!(a, b, "{path}: {a} statements with 3 cases, {b} with 60");
        eprintln!("GET {path}: {a} statements");
    }
    // One batch either way (500 cases per transaction): the same statements.
    assert_eq!(put_small, put_large, "PUT /admin/status_rules with re-evaluation of 3 and 60 cases");
    eprintln!("PUT /admin/status_rules?reevaluate=true: {put_small} statements (3 or 60 cases, one batch)");
}
