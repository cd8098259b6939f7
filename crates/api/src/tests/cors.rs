//! CORS over HTTP (api.md §1.1): listed origins get the echo, credentials and the exposed
//! headers (answers and errors alike) and their preflights are answered; other origins, and
//! every origin when none is configured, get no `Access-Control-*` header at all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::json;

use super::support::Answer;
use super::world::{World, json as with_json};
use crate::cors::{ALLOWED_METHODS, EXPOSED_HEADERS};
use crate::state::Settings;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.com";

async fn world() -> World {
    World::with_settings(Settings {
        cors_allowed_origins: vec![APP.to_owned(), "http://localhost:3000".to_owned()],
        ..Settings::default()
    })
    .await
}

fn get_case(origin: &str) -> TestRequest {
    TestRequest::get()
        .uri("/case?case_id=c-owner&calling_user_id=u-owner")
        .insert_header((header::ORIGIN, origin.to_owned()))
}

fn preflight(origin: &str, method: &str, headers: Option<&str>) -> TestRequest {
    let mut req = TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/case")
        .insert_header((header::ORIGIN, origin.to_owned()))
        .insert_header((header::ACCESS_CONTROL_REQUEST_METHOD, method.to_owned()));
    if let Some(headers) = headers {
        req = req.insert_header((header::ACCESS_CONTROL_REQUEST_HEADERS, headers.to_owned()));
    }
    req
}

/// The `access-control-*` headers of an answer.
fn cors_headers(answer: &Answer) -> Vec<String> {
    answer
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

fn exposed(answer: &Answer) -> Vec<String> {
    answer
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .split(',')
        .map(|s| s.trim().to_ascii_lowercase())
        .collect()
}

fn varies_by_origin(answer: &Answer) -> bool {
    answer.headers.get_all(header::VARY).any(|v| v.to_str().unwrap_or_default().contains("Origin"))
}

#[actix_web::test]
async fn a_listed_origin_gets_the_echo_credentials_and_exposed_headers() {
    let world = world().await;
    let answer = world.send(get_case(APP)).await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.raw);
    assert_eq!(answer.header("access-control-allow-origin"), Some(APP));
    assert_eq!(answer.header("access-control-allow-credentials"), Some("true"));
    let exposed = exposed(&answer);
    for name in ["x-request-id", "x-cases-processed", "x-downloaded-files", "x-download-errors"] {
        assert!(exposed.contains(&name.to_owned()), "{name} not exposed: {exposed:?}");
    }
    assert!(varies_by_origin(&answer));
    assert!(answer.header("x-request-id").is_some());

    // The second listed origin too; the match ignores case, the echo is what was sent.
    let answer = world.send(get_case("HTTP://LOCALHOST:3000")).await;
    assert_eq!(answer.header("access-control-allow-origin"), Some("HTTP://LOCALHOST:3000"));

    // Errors carry them as well (the client must be able to read the JSON error).
    let answer = world
        .send(
            TestRequest::get()
                .uri("/case?case_id=c-nope&calling_user_id=u-owner")
                .insert_header((header::ORIGIN, APP)),
        )
        .await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (404, "case_not_found"));
    assert_eq!(answer.header("access-control-allow-origin"), Some(APP));
    assert_eq!(answer.header("access-control-allow-credentials"), Some("true"));
    let answer =
        world.send(TestRequest::get().uri("/no/such/route").insert_header((header::ORIGIN, APP))).await;
    assert_eq!((answer.status.as_u16(), answer.error_code()), (404, "route_not_found"));
    assert_eq!(answer.header("access-control-allow-origin"), Some(APP));
}

#[actix_web::test]
async fn the_zip_headers_are_readable_by_a_listed_origin() {
    let world = world().await;
    let req = with_json(
        TestRequest::post(),
        "/get_case_images?calling_user_id=u-ca",
        &json!({"case_ids": ["c-owner"]}),
    )
    .insert_header((header::ORIGIN, APP));
    let answer = world.send(req).await;
    assert_eq!(answer.status.as_u16(), 200);
    assert_eq!(answer.header("access-control-allow-origin"), Some(APP));
    let exposed = exposed(&answer);
    let x_headers: Vec<String> =
        answer.headers.keys().map(|k| k.as_str().to_owned()).filter(|k| k.starts_with("x-")).collect();
    assert_eq!(x_headers.len(), 4, "{x_headers:?}");
    for name in x_headers.iter().map(String::as_str).chain(["content-disposition"]) {
        assert!(exposed.contains(&name.to_owned()), "{name} not exposed: {exposed:?}");
    }
}

#[actix_web::test]
async fn a_preflight_from_a_listed_origin_is_answered() {
    let world = world().await;
    let answer = world.send(preflight(APP, "PATCH", Some("content-type, x-request-id"))).await;
    assert_eq!(answer.status.as_u16(), 204, "{}", answer.raw);
    assert_eq!(answer.header("access-control-allow-origin"), Some(APP));
    assert_eq!(answer.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(answer.header("access-control-allow-methods"), Some(ALLOWED_METHODS));
    assert_eq!(answer.header("access-control-allow-headers"), Some("content-type, x-request-id"));
    assert_eq!(answer.header("access-control-max-age"), Some("600"));
    assert!(answer.header("x-request-id").is_some());
    assert!(varies_by_origin(&answer));

    let answer = world.send(preflight(APP, "DELETE", None)).await;
    assert_eq!(answer.status.as_u16(), 204);
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("Authorization, Content-Type, X-Request-Id")
    );
}

#[actix_web::test]
async fn other_origins_get_no_cors_headers() {
    let world = world().await;
    for origin in [EVIL, "https://app.example.com.evil.com", "null", "https://app.example.com:8443"] {
        let answer = world.send(get_case(origin)).await;
        assert_eq!(answer.status.as_u16(), 200, "served as usual");
        assert!(cors_headers(&answer).is_empty(), "{origin}: {:?}", cors_headers(&answer));
        assert!(varies_by_origin(&answer));

        let answer = world.send(preflight(origin, "PATCH", Some("content-type"))).await;
        assert!(cors_headers(&answer).is_empty(), "{origin}: {:?}", cors_headers(&answer));
        assert_eq!((answer.status.as_u16(), answer.error_code()), (405, "method_not_allowed"), "{origin}");
    }
    // No Origin at all: nothing either.
    let answer = world.get("/case?case_id=c-owner&calling_user_id=u-owner").await;
    assert!(cors_headers(&answer).is_empty());
}

#[actix_web::test]
async fn no_origin_configured_means_no_cors_at_all() {
    let world = World::new().await;
    assert!(world.state.settings.cors_allowed_origins.is_empty());
    for origin in [APP, EVIL] {
        let answer = world.send(get_case(origin)).await;
        assert_eq!(answer.status.as_u16(), 200);
        assert!(cors_headers(&answer).is_empty(), "{:?}", cors_headers(&answer));
        assert!(!varies_by_origin(&answer));
        let answer = world.send(preflight(origin, "GET", None)).await;
        assert!(cors_headers(&answer).is_empty(), "{:?}", cors_headers(&answer));
        assert_eq!(answer.status.as_u16(), 405);
    }
}

#[test]
fn settings_take_the_configured_origins_as_browsers_send_them() {
    let mut config = surgicase_config::Config::default();
    config.http.cors_allowed_origins =
        vec!["HTTPS://App.Example.com:443".into(), "http://localhost:3000".into()];
    let settings = Settings::from_config(&config);
    assert_eq!(settings.cors_allowed_origins, ["https://app.example.com", "http://localhost:3000"]);
    assert!(Settings::default().cors_allowed_origins.is_empty());
}

/// The `.rs` files under `dir`, recursively, except the tests (which set no header).
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("readable").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `X-…` header named anywhere in the shell's sources is exposed.
#[test]
fn every_x_header_of_the_api_is_exposed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let relative: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(&root).expect("under src").to_string_lossy().replace('\\', "/"))
        .collect();
    for nested in ["handlers/documents.rs", "zip_stream.rs", "request_id.rs"] {
        assert!(relative.iter().any(|f| f == nested), "the walk missed {nested}: {relative:?}");
    }
    assert!(relative.iter().any(|f| f.starts_with("observability/")), "{relative:?}");
    let exposed: Vec<String> = EXPOSED_HEADERS.iter().map(|h| h.to_ascii_lowercase()).collect();
    let mut found = BTreeSet::new();
    for (file, path) in relative.iter().zip(&files) {
        // Every string literal that starts with `x-` and is a header name.
        let lower = std::fs::read_to_string(path).expect("readable").to_ascii_lowercase();
        for (start, _) in lower.match_indices("\"x-") {
            let rest = &lower[start + 1..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
            // `x-access` is the OpenAPI extension naming a route's access level.
            if rest[name.len()..].starts_with('"') && name.len() > 2 && name != "x-access" {
                assert!(exposed.contains(&name), "{name} is named in {file} but not exposed");
                found.insert(name);
            }
        }
    }
    // The scan sees the headers the routes set (the download, the ZIP, every answer).
    for name in ["x-request-id", "x-checksum-sha256", "x-cases-processed"] {
        assert!(found.contains(name), "the scan missed {name}: {found:?}");
    }
}
