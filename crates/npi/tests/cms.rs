//! The CMS client against a local fake of the NPPES API.
// Test helpers outside `#[test]` functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use serde_json::{Value, json};
use surgicase_kernel::Npi;
use surgicase_npi::{CmsRegistry, CmsSettings};
use surgicase_ports::{NpiKind, NpiRegistry, RegistryError};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const NPI: u64 = 1234567893;

fn npi() -> Npi {
    Npi::from_u64(NPI).unwrap()
}

fn registry(server: &MockServer, timeout_ms: u64, cache_ttl_s: u64) -> CmsRegistry {
    let mut settings = CmsSettings::new(
        &format!("{}/api/", server.uri()),
        Duration::from_millis(timeout_ms),
        Duration::from_secs(cache_ttl_s),
    )
    .unwrap();
    settings.retry_backoff = Duration::from_millis(10);
    CmsRegistry::new(settings).unwrap()
}

fn lookup_of(npi: u64) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path("/api/"))
        .and(query_param("number", npi.to_string()))
        .and(query_param("version", "2.1"))
}

fn individual() -> Value {
    json!({"result_count": 1, "results": [{
        "number": "1234567893", "enumeration_type": "NPI-1",
        "basic": {"first_name": "JOHN", "last_name": "MCDONALD", "credential": "M.D."},
        "addresses": [
            {"address_purpose": "MAILING", "address_1": "PO BOX 9", "city": "HOUSTON", "state": "TX", "postal_code": "77001"},
            {"address_purpose": "LOCATION", "address_1": "1200 N MAIN ST", "city": "HOUSTON", "state": "TX", "postal_code": "770021234"}
        ]
    }]})
}

fn ok(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

#[tokio::test]
async fn finds_an_individual() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ok(individual())).expect(1).mount(&server).await;
    let entry = registry(&server, 2000, 0).lookup(npi()).await.unwrap().unwrap();
    assert_eq!(entry.kind, NpiKind::Individual);
    assert_eq!((entry.first_name.as_deref(), entry.last_name.as_deref()), (Some("JOHN"), Some("MCDONALD")));
    assert_eq!(entry.address.as_deref(), Some("1200 N MAIN ST"));
    assert_eq!(entry.zip.as_deref(), Some("770021234"));
}

#[tokio::test]
async fn finds_an_organisation() {
    let server = MockServer::start().await;
    let body = json!({"result_count": 1, "results": [{
        "number": "1234567893", "enumeration_type": "NPI-2",
        "basic": {"organization_name": "NORTH TEXAS ASC LLC"},
        "addresses": [{"address_purpose": "LOCATION", "address_1": "5 ELM", "city": "DALLAS", "state": "TX", "postal_code": "75201"}]
    }]});
    lookup_of(NPI).respond_with(ok(body)).mount(&server).await;
    let entry = registry(&server, 2000, 0).lookup(npi()).await.unwrap().unwrap();
    assert_eq!(entry.kind, NpiKind::Organization);
    assert_eq!(entry.organization_name.as_deref(), Some("NORTH TEXAS ASC LLC"));
    assert_eq!(entry.city.as_deref(), Some("DALLAS"));
}

#[tokio::test]
async fn unknown_numbers_are_none_and_not_cached() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ok(json!({"result_count": 0, "results": []}))).expect(2).mount(&server).await;
    let errors = json!({"Errors": [{"description": "CMS deactivated NPI", "field": "number", "number": "1245319599"}]});
    lookup_of(1245319599).respond_with(ok(errors)).expect(1).mount(&server).await;
    let registry = registry(&server, 2000, 300);
    assert_eq!(registry.lookup(npi()).await.unwrap(), None);
    assert_eq!(registry.lookup(npi()).await.unwrap(), None);
    assert_eq!(registry.lookup(Npi::from_u64(1245319599).unwrap()).await.unwrap(), None);
    server.verify().await;
}

#[tokio::test]
async fn one_retry_after_a_server_error() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).expect(1).mount(&server).await;
    lookup_of(NPI).respond_with(ok(individual())).expect(1).mount(&server).await;
    assert!(registry(&server, 2000, 0).lookup(npi()).await.unwrap().is_some());
    server.verify().await;
}

#[tokio::test]
async fn two_server_errors_are_unavailable() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ResponseTemplate::new(503)).expect(2).mount(&server).await;
    let got = registry(&server, 2000, 0).lookup(npi()).await;
    assert!(matches!(got, Err(RegistryError::Unavailable(_))), "{got:?}");
    server.verify().await;
}

#[tokio::test]
async fn a_client_error_is_unavailable_without_retry() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ResponseTemplate::new(400)).expect(1).mount(&server).await;
    assert!(matches!(registry(&server, 2000, 0).lookup(npi()).await, Err(RegistryError::Unavailable(_))));
    server.verify().await;
}

#[tokio::test]
async fn a_slow_registry_times_out() {
    let server = MockServer::start().await;
    let slow = ok(individual()).set_delay(Duration::from_millis(1500));
    lookup_of(NPI).respond_with(slow).expect(2).mount(&server).await;
    let started = std::time::Instant::now();
    let got = registry(&server, 200, 0).lookup(npi()).await;
    assert!(matches!(got, Err(RegistryError::Unavailable(_))), "{got:?}");
    assert!(started.elapsed() < Duration::from_millis(1400), "{:?}", started.elapsed());
}

#[tokio::test]
async fn garbage_is_unavailable() {
    let server = MockServer::start().await;
    lookup_of(NPI)
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    assert!(matches!(registry(&server, 2000, 0).lookup(npi()).await, Err(RegistryError::Unavailable(_))));
}

#[tokio::test]
async fn found_entries_are_cached() {
    let server = MockServer::start().await;
    lookup_of(NPI).respond_with(ok(individual())).expect(1).mount(&server).await;
    let registry = registry(&server, 2000, 300);
    let first = registry.lookup(npi()).await.unwrap();
    let second = registry.lookup(npi()).await.unwrap();
    assert!(first.is_some());
    assert_eq!(first, second);
    server.verify().await;
}

#[tokio::test]
async fn an_unreachable_registry_is_unavailable() {
    let mut settings =
        CmsSettings::new("http://127.0.0.1:9/api/", Duration::from_millis(500), Duration::ZERO).unwrap();
    settings.retry_backoff = Duration::from_millis(10);
    let registry = CmsRegistry::new(settings).unwrap();
    assert!(matches!(registry.lookup(npi()).await, Err(RegistryError::Unavailable(_))));
    assert!(registry.ping().await.is_err());
}

#[tokio::test]
async fn ping_accepts_any_answer_below_500() {
    let server = MockServer::start().await;
    let no_criteria = json!({"Errors": [{"description": "No valid search criteria provided"}]});
    Mock::given(method("GET"))
        .and(path("/api/"))
        .respond_with(ok(no_criteria))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    let registry = registry(&server, 2000, 0);
    assert!(registry.ping().await.is_ok());
    assert!(registry.ping().await.is_err());
}

#[test]
fn settings_need_an_http_url() {
    let table = [("https://npiregistry.cms.hhs.gov/api/", true), ("ftp://x/", false), ("not a url", false)];
    for (raw, ok) in table {
        assert_eq!(CmsSettings::new(raw, Duration::from_secs(1), Duration::ZERO).is_ok(), ok, "{raw}");
    }
}
