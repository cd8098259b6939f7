//! The permission matrix (api.md §1.3): every route of the table, run as the owner, another
//! provider, a case admin, a user admin and an unknown user, each on a fresh world. A route
//! without a row fails the first test.

use std::collections::BTreeSet;

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use super::world::{FACILITY_NPI, World, json as with_json};
use crate::routes::{Method, ROUTES};

/// An upload id nobody created (`/document_upload/{upload_id}` is requested with it).
const NO_UPLOAD: &str = "00000000-0000-4000-8000-000000000000";

/// The callers, in the order of [`Row::expected`].
const PERSONAS: [&str; 5] = ["u-owner", "u-other", "u-ca", "u-ua", "u-ghost"];

/// What to do to the world before the request.
#[derive(Debug, Clone, Copy)]
enum Setup {
    None,
    /// Delete `c-owner` (for the restore route).
    DeleteOwnerCase,
    /// Attach a demo file to `c-owner` and a W-9 to `u-owner` (document downloads, removals).
    OwnerDocuments,
}

/// The query (without the caller) and the body of a request addressing the owner's objects.
type Build = fn(&World) -> (String, Option<Value>);

struct Row {
    method: Method,
    path: &'static str,
    setup: Setup,
    build: Build,
    /// owner, other provider, case admin, user admin, unknown user.
    expected: [u16; 5],
}

const fn row(method: Method, path: &'static str, build: Build, expected: [u16; 5]) -> Row {
    Row { method, path, setup: Setup::None, build, expected }
}

fn query(q: &str) -> (String, Option<Value>) {
    (q.to_owned(), None)
}

fn body(value: Value) -> (String, Option<Value>) {
    (String::new(), Some(value))
}

fn table() -> Vec<Row> {
    use Method::*;
    vec![
        row(Get, "/case", |_| query("case_id=c-owner"), [200, 404, 200, 200, 401]),
        row(
            Post,
            "/case",
            |w| {
                body(json!({
                    "user_id": "u-owner", "case_id": "c-new", "case_date": "2025-03-04",
                    "surgeon_id": w.surgeon, "facility_id": w.facility,
                    "patient": {"first": "John", "last": "Roe", "ins_provider": "Aetna"},
                }))
            },
            [201, 404, 201, 201, 401],
        ),
        row(
            Patch,
            "/case",
            |_| body(json!({"case_id": "c-owner", "patient_last": "Changed"})),
            [200, 404, 200, 200, 401],
        ),
        row(Delete, "/case", |_| query("case_id=c-owner"), [200, 404, 200, 200, 401]),
        Row {
            setup: Setup::DeleteOwnerCase,
            ..row(Post, "/case/restore", |_| query("case_id=c-owner"), [403, 403, 200, 200, 401])
        },
        row(Get, "/case/status_history", |_| query("case_id=c-owner"), [200, 404, 200, 200, 401]),
        row(Get, "/case_filter", |_| query("user_id=u-owner"), [200, 404, 200, 200, 401]),
        row(Get, "/casefilter", |_| query("user_id=u-owner&filter=1"), [200, 404, 200, 200, 401]),
        row(Get, "/user", |_| query("user_id=u-owner"), [200, 404, 404, 200, 401]),
        row(
            Post,
            "/user",
            |_| {
                body(json!({
                    "user_id": "u-new", "user_email": "new@example.com",
                    "first_name": "Nina", "last_name": "New",
                }))
            },
            [403, 403, 403, 201, 403],
        ),
        row(
            Patch,
            "/user",
            |_| body(json!({"user_id": "u-owner", "city": "Austin"})),
            [200, 404, 404, 200, 401],
        ),
        row(Delete, "/user", |_| query("user_id=u-owner"), [403, 403, 403, 200, 401]),
        row(Put, "/user/password", |_| body(json!({"password": "x"})), [410, 410, 410, 410, 410]),
        row(Get, "/user_environment", |_| query("user_id=u-owner"), [200, 404, 404, 200, 401]),
        row(
            Post,
            "/surgeon",
            |_| body(json!({"user_id": "u-owner", "first_name": "Meredith", "last_name": "Grey"})),
            [201, 404, 201, 201, 401],
        ),
        row(Get, "/surgeons", |_| query("user_id=u-owner"), [200, 404, 200, 200, 401]),
        row(
            Delete,
            "/surgeon",
            |w| query(&format!("surgeon_id={}", w.spare_surgeon)),
            [200, 404, 200, 200, 401],
        ),
        row(
            Post,
            "/facility",
            |_| body(json!({"user_id": "u-owner", "facility_name": "Seattle Grace"})),
            [201, 404, 201, 201, 401],
        ),
        row(Get, "/facilities", |_| query("user_id=u-owner"), [200, 404, 200, 200, 401]),
        row(
            Delete,
            "/facility",
            |w| query(&format!("facility_id={}", w.spare_facility)),
            [200, 404, 200, 200, 401],
        ),
        row(Get, "/search_surgeon", |_| query("first_name=greg&last_name=ho"), [200, 200, 200, 200, 401]),
        row(Get, "/search_facility", |_| query("facility_name=princeton"), [200, 200, 200, 200, 401]),
        row(Get, "/check_npi", |_| query(&format!("npi={FACILITY_NPI}&facility=true")), [200; 5]),
        row(Get, "/cpt_codes", |_| query("q=knee&limit=5"), [200; 5]),
        row(Get, "/doctypes", |_| query(""), [200; 5]),
        row(Get, "/timezones", |_| query(""), [200; 5]),
        row(
            Post,
            "/case/document/upload_url",
            |_| {
                body(json!({"case_id": "c-owner", "document_type": "demo_file", "file_name": "scan.pdf",
                            "content_type": "application/pdf", "size_bytes": 10}))
            },
            [201, 404, 201, 201, 401],
        ),
        row(
            Post,
            "/case/document/confirm",
            |_| body(json!({"upload_id": NO_UPLOAD})),
            [404, 404, 404, 404, 401],
        ),
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Get,
                "/case/document",
                |_| query("case_id=c-owner&document_type=demo_file"),
                [200, 404, 200, 200, 401],
            )
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Delete,
                "/case/document",
                |_| query("case_id=c-owner&document_type=demo_file"),
                [200, 404, 200, 200, 401],
            )
        },
        row(
            Post,
            "/user/document/upload_url",
            |_| {
                body(json!({"user_id": "u-owner", "document_type": "W-9", "file_name": "w9.pdf",
                            "content_type": "application/pdf", "size_bytes": 10}))
            },
            [201, 404, 404, 201, 401],
        ),
        row(
            Post,
            "/user/document/confirm",
            |_| body(json!({"upload_id": NO_UPLOAD})),
            [404, 404, 404, 404, 401],
        ),
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Get,
                "/user/document",
                |_| query("user_id=u-owner&document_type=W-9"),
                [200, 404, 404, 200, 401],
            )
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Delete,
                "/user/document",
                |_| query("user_id=u-owner&document_type=W-9"),
                [200, 404, 404, 200, 401],
            )
        },
        row(Put, "/document_upload/{upload_id}", |_| query(""), [404, 404, 404, 404, 401]),
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Post,
                "/get_case_images",
                |_| body(json!({"case_ids": ["c-owner"]})),
                [403, 403, 200, 200, 401],
            )
        },
        row(Get, "/openapi.json", |_| query(""), [200; 5]),
        row(Get, "/docs", |_| query(""), [301; 5]),
        // Observability (api.md §10, §11).
        row(Get, "/health", |_| query(""), [200; 5]),
        row(Get, "/health/system", |_| query(""), [200; 5]),
        row(Get, "/health/ready", |_| query(""), [200; 5]),
        row(Get, "/health/live", |_| query(""), [200; 5]),
        row(Get, "/health/simple", |_| query(""), [200; 5]),
        row(Get, "/metrics", |_| query(""), [200; 5]),
        row(Get, "/metrics/summary", |_| query(""), [200; 5]),
        row(Get, "/metrics/health", |_| query(""), [200; 5]),
        row(Get, "/metrics/system", |_| query(""), [200; 5]),
        row(Get, "/metrics/database", |_| query(""), [200; 5]),
        row(Get, "/metrics/business", |_| query(""), [200; 5]),
        row(Get, "/metrics/endpoints", |_| query(""), [200; 5]),
        row(Get, "/metrics/self", |_| query(""), [200; 5]),
        row(
            Post,
            "/log_request",
            |_| {
                body(
                    json!({"endpoint": "/case", "method": "GET", "response_status": 200, "execution_time_ms": 12}),
                )
            },
            [201, 201, 201, 201, 401],
        ),
        row(
            Post,
            "/bugs",
            |_| body(json!({"priority": "high", "bug": {"title": "Crash", "description": "It crashed"}})),
            [201, 201, 201, 201, 401],
        ),
        row(Get, "/bugs", |_| query(""), [200, 200, 200, 200, 401]),
        // Admin (api.md §8): GA only.
        row(Get, "/admin/jobs", |_| query(""), [403, 403, 403, 403, 401]),
        row(Get, "/admin/job_runs", |_| query("limit=5"), [403, 403, 403, 403, 401]),
    ]
}

fn request(method: Method, uri: &str, body: Option<&Value>) -> TestRequest {
    let req = match method {
        Method::Get => TestRequest::get(),
        Method::Post => TestRequest::post(),
        Method::Put => TestRequest::put(),
        Method::Patch => TestRequest::patch(),
        Method::Delete => TestRequest::delete(),
    };
    match body {
        Some(body) => with_json(req, uri, body),
        None => req.uri(uri),
    }
}

#[test]
fn every_route_has_a_row() {
    let rows: BTreeSet<(Method, &str)> = table().iter().map(|r| (r.method, r.path)).collect();
    let routes: BTreeSet<(Method, &str)> = ROUTES.iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(rows.len(), table().len(), "a route has two rows");
    let missing: Vec<_> = routes.difference(&rows).collect();
    let unrouted: Vec<_> = rows.difference(&routes).collect();
    assert!(missing.is_empty(), "routes without a row in the permission matrix: {missing:?}");
    assert!(unrouted.is_empty(), "rows for routes that do not exist: {unrouted:?}");
}

#[actix_web::test]
async fn every_route_answers_each_persona_as_the_contract_says() {
    let mut failures = Vec::new();
    let mut runs = 0;
    for row in table() {
        for (persona, expected) in PERSONAS.iter().zip(row.expected) {
            // A fresh world per request: destructive routes never see each other's effects.
            let world = World::new().await;
            if let Setup::DeleteOwnerCase = row.setup {
                let owner = world.ctx("u-owner").await;
                world.app().delete_case(&owner, "c-owner").await.expect("deleted");
            }
            if let Setup::OwnerDocuments = row.setup {
                super::documents::attach_owner_documents(&world).await;
            }
            let (q, body) = (row.build)(&world);
            let sep = if q.is_empty() { "" } else { "&" };
            let path = row.path.replace("{upload_id}", NO_UPLOAD);
            let uri = format!("{path}?{q}{sep}calling_user_id={persona}");
            let answer = world.send(request(row.method, &uri, body.as_ref())).await;
            runs += 1;
            if answer.status.as_u16() != expected {
                failures.push(format!(
                    "{} {uri}: expected {expected}, got {} {}",
                    row.method,
                    answer.status.as_u16(),
                    &answer.raw[..answer.raw.len().min(200)]
                ));
            }
        }
    }
    assert_eq!(runs, table().len() * PERSONAS.len());
    assert!(
        failures.is_empty(),
        "{} of {runs} requests answered otherwise:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
