//! A served app over in-memory ports, and requests to it.

use std::sync::Arc;

use actix_web::dev::{Service, ServiceResponse};
use actix_web::test::{self, TestRequest};
use serde_json::{Value, json};
use surgicase_api::observability::{Observability, ObservabilitySettings};
use surgicase_api::{AppState, Authenticator, Settings, server};
use surgicase_app::users::Registrar;
use surgicase_app::{App, AppSettings};
use surgicase_kernel::SystemClock;
use surgicase_ports::Store;
use surgicase_testkit::{MemoryObjectStore, MemoryStore, StaticNpiRegistry};
use surgicase_users::{ProfileField, ProfileInput};

/// The use cases over `store` with in-memory objects and NPI registry.
pub fn app_on(store: Arc<dyn Store>) -> App {
    App::new(
        store,
        Arc::new(MemoryObjectStore::new()),
        Arc::new(StaticNpiRegistry::new()),
        Arc::new(SystemClock),
        AppSettings::default(),
    )
}

/// A memory store with the reference data and users `u-jane` (provider) and `u-admin` (GA).
pub async fn seeded_memory() -> (MemoryStore, App) {
    let store = MemoryStore::new();
    let app = app_on(Arc::new(store.clone()));
    surgicase_app::seed::seed_reference(&store, &SystemClock).await.unwrap();
    for (id, user_type) in [("u-jane", 1), ("u-admin", 100)] {
        let user = ProfileInput::new(id)
            .with(ProfileField::UserEmail, format!("{id}@example.com"))
            .with(ProfileField::FirstName, "Jane")
            .with(ProfileField::LastName, format!("Doe-{id}"))
            .with(ProfileField::UserType, user_type);
        app.create_user(&Registrar::System { name: "test" }, &user).await.unwrap();
    }
    (store, app)
}

/// The state of a served app with `settings`.
pub fn state(app: App, settings: ObservabilitySettings) -> AppState {
    AppState::new(Settings::default(), Authenticator::UserId, app)
        .with_observability(Observability::new(settings))
}

/// An answer, its body parsed as JSON when it is JSON.
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub raw: String,
    pub content_type: String,
}

pub async fn read(res: ServiceResponse) -> Answer {
    let status = res.status().as_u16();
    let content_type =
        res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let bytes = test::read_body(res).await;
    let raw = String::from_utf8_lossy(&bytes).into_owned();
    Answer { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null), raw, content_type }
}

pub async fn call<S>(service: &S, req: TestRequest) -> Answer
where
    S: Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error>,
{
    read(test::call_service(service, req.to_request()).await).await
}

pub fn get(uri: &str) -> TestRequest {
    TestRequest::get().uri(uri)
}

pub fn post(uri: &str, body: Value) -> TestRequest {
    TestRequest::post().uri(uri).set_json(body)
}

/// A bug report body.
pub fn bug(title: &str) -> Value {
    json!({"bug_date": "2025-03-10", "calling_page": "/cases", "priority": "urgent",
           "bug": {"title": title, "description": "Nothing happens."}, "environment_info": {"browser": "x"}})
}

/// `app` serving `state` (every route of the table).
pub async fn serve(
    state: AppState,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> {
    test::init_service(server::app(state)).await
}
