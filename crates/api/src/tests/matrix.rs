//! The permission matrix (api.md §1.3): every route of the table, run as the owner, another
//! provider, a case admin, a user admin and an unknown user, each on a fresh world. A route
//! without a row fails the first test.

use std::collections::BTreeSet;
use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use surgicase_app::UploadRequest;
use surgicase_app::status_rules::DEFAULT_RULE_SET_TOML;
use surgicase_kernel::UserId;
use surgicase_store::testing::MysqlSnapshot;

use super::documents::PDF;
use super::world::{FACILITY_NPI, World, json as with_json};
use crate::routes::{Method, ROUTES};
use crate::state::Settings;

/// The callers, in the order of [`Row::expected`]: the owner of `c-owner`, another provider, a
/// case admin, a user admin, a global admin, a system admin, an unknown id and a deactivated user.
const PERSONAS: [&str; 8] = ["u-owner", "u-other", "u-ca", "u-ua", "u-ga", "u-sa", "u-ghost", "u-gone"];

/// What to do to the world before the request.
#[derive(Debug, Clone, Copy)]
enum Setup {
    None,
    /// Delete `c-owner` (for the restore route).
    DeleteOwnerCase,
    /// Attach a demo file to `c-owner` and a W-9 to `u-owner` (document downloads, removals).
    OwnerDocuments,
    /// `u-owner` asks for an upload of `c-owner`'s demo file; with `received`, also sends its
    /// bytes (ready to confirm).
    OwnerCaseUpload {
        received: bool,
    },
    /// `u-owner` asks for an upload of their own W-9 and sends its bytes.
    OwnerUserUploadReceived,
}

/// The world of one request, with the id of the upload its setup created (else empty).
struct Given<'a> {
    world: &'a World,
    upload_id: String,
}

impl Deref for Given<'_> {
    type Target = World;

    fn deref(&self) -> &World {
        self.world
    }
}

/// What a request sends.
enum Body {
    None,
    Json(Value),
    /// The bytes of the PDF the upload setups declare, as `application/pdf`.
    Pdf,
    /// The shipped default rule set, as `application/toml`.
    Toml,
}

/// The query (without the caller) and the body of a request addressing the owner's objects.
type Build = fn(&Given<'_>) -> (String, Body);

struct Row {
    method: Method,
    path: &'static str,
    setup: Setup,
    build: Build,
    /// One status per persona of [`PERSONAS`].
    expected: [u16; 8],
}

const fn row(method: Method, path: &'static str, build: Build, expected: [u16; 8]) -> Row {
    Row { method, path, setup: Setup::None, build, expected }
}

fn query(q: &str) -> (String, Body) {
    (q.to_owned(), Body::None)
}

fn toml() -> (String, Body) {
    (String::new(), Body::Toml)
}

fn body(value: Value) -> (String, Body) {
    (String::new(), Body::Json(value))
}

/// A confirmation of the upload the row's setup created.
fn confirm(g: &Given<'_>) -> (String, Body) {
    body(json!({"upload_id": g.upload_id}))
}

fn table() -> Vec<Row> {
    use Method::*;
    vec![
        row(Get, "/case", |_| query("case_id=c-owner"), [200, 404, 200, 200, 200, 200, 401, 401]),
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
            [201, 404, 201, 201, 201, 201, 401, 401],
        ),
        row(
            Patch,
            "/case",
            |_| body(json!({"case_id": "c-owner", "patient_last": "Changed"})),
            [200, 404, 200, 200, 200, 200, 401, 401],
        ),
        row(Delete, "/case", |_| query("case_id=c-owner"), [200, 404, 200, 200, 200, 200, 401, 401]),
        Row {
            setup: Setup::DeleteOwnerCase,
            ..row(
                Post,
                "/case/restore",
                |_| query("case_id=c-owner"),
                [403, 403, 200, 200, 200, 200, 401, 401],
            )
        },
        row(
            Get,
            "/case/status_history",
            |_| query("case_id=c-owner"),
            [200, 404, 200, 200, 200, 200, 401, 401],
        ),
        row(Get, "/case_filter", |_| query("user_id=u-owner"), [200, 404, 200, 200, 200, 200, 401, 401]),
        row(
            Get,
            "/casefilter",
            |_| query("user_id=u-owner&filter=1"),
            [200, 404, 200, 200, 200, 200, 401, 401],
        ),
        // Back office (api.md §6).
        row(
            Patch,
            "/bulk_update_case_status",
            |_| body(json!({"case_ids": ["c-owner"], "new_status": 10})),
            [403, 403, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Patch,
            "/bulkupdatecasestatus",
            |_| body(json!({"case_ids": ["c-owner"], "new_status": 10})),
            [403, 403, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Get,
            "/users",
            |_| query("include_inactive=true&limit=5"),
            [403, 403, 403, 200, 200, 200, 401, 401],
        ),
        row(
            Get,
            "/cases_by_status",
            |_| query("filter=1&start_date=2025-01-01"),
            [403, 403, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Get,
            "/case_dashboard_data",
            |_| query("end_date=2025-12-31"),
            [403, 403, 200, 200, 200, 200, 401, 401],
        ),
        row(Get, "/user_dashboard_data", |_| query(""), [403, 403, 200, 200, 200, 200, 401, 401]),
        row(Get, "/build_dashboard", |_| query(""), [403, 403, 200, 200, 200, 200, 401, 401]),
        // Lists (api.md §9): global admins manage them.
        row(Get, "/user_types", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(
            Post,
            "/user_types",
            |_| body(json!({"user_type": 5, "user_type_desc": "Assistant"})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(Get, "/case_statuses", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(
            Post,
            "/case_statuses",
            |_| body(json!({"case_status": 90, "case_status_desc": "Appeal"})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(Get, "/user_doc_types", |_| query(""), [200, 200, 200, 200, 200, 200, 401, 401]),
        row(
            Post,
            "/user_doc_types",
            |_| body(json!({"doc_type": "License"})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(Get, "/faqs", |_| query(""), [200, 200, 200, 200, 200, 200, 401, 401]),
        row(
            Post,
            "/faqs",
            |_| body(json!({"user_type": 1, "faq_header": "How?", "faq_text": "So."})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(Get, "/pay_tiers", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(
            Post,
            "/pay_tiers",
            |_| body(json!({"tier": 9, "buckets": [{"bucket": "Spine", "pay_amount": 1}]})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(
            Put,
            "/pay_tiers",
            |_| body(json!({"tier": 1, "buckets": [{"bucket": "Spine", "pay_amount": 1}]})),
            [403, 403, 403, 403, 200, 200, 401, 401],
        ),
        row(Get, "/tiers_summary", |_| query(""), [403, 403, 403, 200, 200, 200, 401, 401]),
        row(
            Get,
            "/procedure_code_auto_fix",
            |_| query("include_inactive=true"),
            [403, 403, 403, 403, 200, 200, 401, 401],
        ),
        row(
            Post,
            "/procedure_code_auto_fix",
            |_| body(json!({"entered_code": "27447-80", "fixed_code": "27447", "reason": "Modifier"})),
            [403, 403, 403, 403, 201, 201, 401, 401],
        ),
        row(
            Delete,
            "/procedure_code_auto_fix",
            |_| query("entered_code=59510"),
            [403, 403, 403, 403, 200, 200, 401, 401],
        ),
        row(Get, "/user", |_| query("user_id=u-owner"), [200, 404, 404, 200, 200, 200, 401, 401]),
        row(
            Post,
            "/user",
            |_| {
                body(json!({
                    "user_id": "u-new", "user_email": "new@example.com",
                    "first_name": "Nina", "last_name": "New",
                }))
            },
            [403, 403, 403, 201, 201, 201, 403, 403],
        ),
        row(
            Patch,
            "/user",
            |_| body(json!({"user_id": "u-owner", "city": "Austin"})),
            [200, 404, 404, 200, 200, 200, 401, 401],
        ),
        row(Delete, "/user", |_| query("user_id=u-owner"), [403, 403, 403, 200, 200, 200, 401, 401]),
        row(
            Put,
            "/user/password",
            |_| body(json!({"password": "x"})),
            [410, 410, 410, 410, 410, 410, 410, 410],
        ),
        row(Get, "/user_environment", |_| query("user_id=u-owner"), [200, 404, 404, 200, 200, 200, 401, 401]),
        row(
            Post,
            "/surgeon",
            |_| body(json!({"user_id": "u-owner", "first_name": "Meredith", "last_name": "Grey"})),
            [201, 404, 201, 201, 201, 201, 401, 401],
        ),
        row(Get, "/surgeons", |_| query("user_id=u-owner"), [200, 404, 200, 200, 200, 200, 401, 401]),
        row(
            Delete,
            "/surgeon",
            |w| query(&format!("surgeon_id={}", w.spare_surgeon)),
            [200, 404, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Post,
            "/facility",
            |_| body(json!({"user_id": "u-owner", "facility_name": "Seattle Grace"})),
            [201, 404, 201, 201, 201, 201, 401, 401],
        ),
        row(Get, "/facilities", |_| query("user_id=u-owner"), [200, 404, 200, 200, 200, 200, 401, 401]),
        row(
            Delete,
            "/facility",
            |w| query(&format!("facility_id={}", w.spare_facility)),
            [200, 404, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Get,
            "/search_surgeon",
            |_| query("first_name=greg&last_name=ho"),
            [200, 200, 200, 200, 200, 200, 401, 401],
        ),
        row(
            Get,
            "/search_facility",
            |_| query("facility_name=princeton"),
            [200, 200, 200, 200, 200, 200, 401, 401],
        ),
        row(Get, "/check_npi", |_| query(&format!("npi={FACILITY_NPI}&facility=true")), [200; 8]),
        row(Get, "/cpt_codes", |_| query("q=knee&limit=5"), [200; 8]),
        row(Get, "/doctypes", |_| query(""), [200; 8]),
        row(Get, "/timezones", |_| query(""), [200; 8]),
        row(
            Post,
            "/case/document/upload_url",
            |_| {
                body(json!({"case_id": "c-owner", "document_type": "demo_file", "file_name": "scan.pdf",
                            "content_type": "application/pdf", "size_bytes": 10}))
            },
            [201, 404, 201, 201, 201, 201, 401, 401],
        ),
        // Uploads are addressed by their own id: only their creator sees them (api.md §1.3, §5).
        Row {
            setup: Setup::OwnerCaseUpload { received: true },
            ..row(Post, "/case/document/confirm", confirm, [200, 404, 404, 404, 404, 404, 401, 401])
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Get,
                "/case/document",
                |_| query("case_id=c-owner&document_type=demo_file"),
                [200, 404, 200, 200, 200, 200, 401, 401],
            )
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Delete,
                "/case/document",
                |_| query("case_id=c-owner&document_type=demo_file"),
                [200, 404, 200, 200, 200, 200, 401, 401],
            )
        },
        row(
            Post,
            "/user/document/upload_url",
            |_| {
                body(json!({"user_id": "u-owner", "document_type": "W-9", "file_name": "w9.pdf",
                            "content_type": "application/pdf", "size_bytes": 10}))
            },
            [201, 404, 404, 201, 201, 201, 401, 401],
        ),
        Row {
            setup: Setup::OwnerUserUploadReceived,
            ..row(Post, "/user/document/confirm", confirm, [200, 404, 404, 404, 404, 404, 401, 401])
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Get,
                "/user/document",
                |_| query("user_id=u-owner&document_type=W-9"),
                [200, 404, 404, 200, 200, 200, 401, 401],
            )
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Delete,
                "/user/document",
                |_| query("user_id=u-owner&document_type=W-9"),
                [200, 404, 404, 200, 200, 200, 401, 401],
            )
        },
        Row {
            setup: Setup::OwnerCaseUpload { received: false },
            ..row(
                Put,
                "/document_upload/{upload_id}",
                |_| (String::new(), Body::Pdf),
                [200, 404, 404, 404, 404, 404, 401, 401],
            )
        },
        Row {
            setup: Setup::OwnerDocuments,
            ..row(
                Post,
                "/get_case_images",
                |_| body(json!({"case_ids": ["c-owner"]})),
                [403, 403, 200, 200, 200, 200, 401, 401],
            )
        },
        row(Get, "/openapi.json", |_| query(""), [200; 8]),
        row(Get, "/docs", |_| query(""), [301; 8]),
        // Observability (api.md §10, §11).
        row(Get, "/health", |_| query(""), [200; 8]),
        row(Get, "/health/system", |_| query(""), [200; 8]),
        row(Get, "/health/ready", |_| query(""), [200; 8]),
        row(Get, "/health/live", |_| query(""), [200; 8]),
        row(Get, "/health/simple", |_| query(""), [200; 8]),
        row(Get, "/metrics", |_| query(""), [200; 8]),
        row(Get, "/metrics/summary", |_| query(""), [200; 8]),
        row(Get, "/metrics/health", |_| query(""), [200; 8]),
        row(Get, "/metrics/system", |_| query(""), [200; 8]),
        row(Get, "/metrics/database", |_| query(""), [200; 8]),
        row(Get, "/metrics/business", |_| query(""), [200; 8]),
        row(Get, "/metrics/endpoints", |_| query(""), [200; 8]),
        row(Get, "/metrics/self", |_| query(""), [200; 8]),
        row(
            Post,
            "/log_request",
            |_| {
                body(
                    json!({"endpoint": "/case", "method": "GET", "response_status": 200, "execution_time_ms": 12}),
                )
            },
            [201, 201, 201, 201, 201, 201, 401, 401],
        ),
        row(
            Post,
            "/bugs",
            |_| body(json!({"priority": "high", "bug": {"title": "Crash", "description": "It crashed"}})),
            [201, 201, 201, 201, 201, 201, 401, 401],
        ),
        row(Get, "/bugs", |_| query(""), [200, 200, 200, 200, 200, 200, 401, 401]),
        // Admin (api.md §8): GA only.
        row(Get, "/admin/jobs", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(Get, "/admin/job_runs", |_| query("limit=5"), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(Get, "/admin/status_rules", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(Put, "/admin/status_rules", |_| toml(), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(Post, "/admin/status_rules/validate", |_| toml(), [403, 403, 403, 403, 200, 200, 401, 401]),
        row(Get, "/admin/status_rules/history", |_| query(""), [403, 403, 403, 403, 200, 200, 401, 401]),
    ]
}

fn request(method: Method, uri: &str, body: &Body) -> TestRequest {
    let req = match method {
        Method::Get => TestRequest::get(),
        Method::Post => TestRequest::post(),
        Method::Put => TestRequest::put(),
        Method::Patch => TestRequest::patch(),
        Method::Delete => TestRequest::delete(),
    };
    match body {
        Body::Json(body) => with_json(req, uri, body),
        Body::Pdf => {
            req.uri(uri).insert_header((header::CONTENT_TYPE, "application/pdf")).set_payload(PDF.to_vec())
        }
        Body::Toml => req
            .uri(uri)
            .insert_header((header::CONTENT_TYPE, "application/toml"))
            .set_payload(DEFAULT_RULE_SET_TOML),
        Body::None => req.uri(uri),
    }
}

/// Adds `u-ga` (100), `u-sa` (999) and `u-gone`, a provider who was deactivated.
async fn admins_and_a_deactivated_user(world: &World) {
    world.user("u-ga", "Gina", "Globaladmin", 100).await;
    world.user("u-sa", "Sam", "Systemadmin", 999).await;
    world.user("u-gone", "Gus", "Gone", 1).await;
    let mut tx = world.store.begin().await.expect("tx");
    let id = UserId::parse("u-gone").expect("id");
    let mut gone = tx.lock_user(&id).await.expect("read").expect("exists");
    gone.active = false;
    tx.update_user(&gone).await.expect("deactivated");
    tx.commit().await.expect("commit");
}

/// Runs the row's setup; the id of the upload it created, else empty.
async fn set_up(world: &World, setup: Setup) -> String {
    let owner = world.ctx("u-owner").await;
    let app = world.app();
    let request = |document_type: &str| UploadRequest {
        document_type: document_type.into(),
        file_name: "scan.pdf".into(),
        content_type: "application/pdf".into(),
        size_bytes: Some(PDF.len() as i64),
    };
    let (ticket, received) = match setup {
        Setup::None => return String::new(),
        Setup::DeleteOwnerCase => {
            app.delete_case(&owner, "c-owner").await.expect("deleted");
            return String::new();
        }
        Setup::OwnerDocuments => {
            super::documents::attach_owner_documents(world).await;
            return String::new();
        }
        Setup::OwnerCaseUpload { received } => {
            (app.case_upload_url(&owner, "c-owner", &request("demo_file")).await.expect("url"), received)
        }
        Setup::OwnerUserUploadReceived => {
            (app.user_upload_url(&owner, None, &request("W-9")).await.expect("url"), true)
        }
    };
    if received {
        app.receive_upload(&owner, &ticket.upload_id, None, PDF.to_vec()).await.expect("bytes");
    }
    ticket.upload_id
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

/// Sends every row's request as every persona, each on the world `next` gives; the mismatches
/// (status, or JSON that holds a key twice) and the number of requests.
async fn run<F, Fut>(rows: Vec<Row>, mut next: F) -> (Vec<String>, usize)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = World>,
{
    let mut failures = Vec::new();
    let mut runs = 0;
    for row in rows {
        for (persona, expected) in PERSONAS.iter().zip(row.expected) {
            let world = next().await;
            let given = Given { upload_id: set_up(&world, row.setup).await, world: &world };
            let (q, body) = (row.build)(&given);
            let sep = if q.is_empty() { "" } else { "&" };
            let path = row.path.replace("{upload_id}", &given.upload_id);
            let uri = format!("{path}?{q}{sep}calling_user_id={persona}");
            let answer = world.send(request(row.method, &uri, &body)).await;
            runs += 1;
            let is_json = answer.header("content-type").is_some_and(|t| t.starts_with("application/json"));
            if is_json && let Some(problem) = super::support::duplicate_key(&answer.raw) {
                failures.push(format!("{} {uri}: the answer is not clean JSON: {problem}", row.method));
            }
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
    (failures, runs)
}

fn assert_none_failed(backend: &str, (failures, runs): (Vec<String>, usize)) {
    assert!(
        failures.is_empty(),
        "{backend}: {} of {runs} requests answered otherwise:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The in-memory store: a fresh world per request, so destructive routes never see each other.
#[actix_web::test]
async fn every_route_answers_each_persona_as_the_contract_says() {
    let outcome = run(table(), || async {
        let world = World::new().await;
        admins_and_a_deactivated_user(&world).await;
        world
    })
    .await;
    assert_none_failed("memory", outcome);
}

/// SQLite: the world is filled once and each request gets a copy of its database file.
#[actix_web::test]
async fn every_route_answers_each_persona_on_sqlite() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let template = dir.path().join("template.db");
    let ids = {
        let store = Arc::new(surgicase_store::testing::sqlite_file_store(&template).await);
        let world = World::filled(store, Settings::default()).await;
        admins_and_a_deactivated_user(&world).await;
        world.address_book_ids()
    };
    let outcome = run(table(), || async {
        let store = Arc::new(surgicase_store::testing::sqlite_copy_of(&template).await);
        World::attached(store, Settings::default(), ids)
    })
    .await;
    assert_none_failed("sqlite", outcome);
}

/// MariaDB: the world is filled once and saved; before each request every table is put back
/// as saved (a new database per request would take minutes).
#[actix_web::test]
async fn every_route_answers_each_persona_on_mariadb() {
    let Some(store) = surgicase_store::testing::mysql_db_store().await else { return };
    let store = Arc::new(store);
    let ids = {
        let world = World::filled(store.clone(), Settings::default()).await;
        admins_and_a_deactivated_user(&world).await;
        world.address_book_ids()
    };
    let saved = MysqlSnapshot::take(&store).await;
    let outcome = run(table(), || {
        let (store, saved) = (Arc::clone(&store), &saved);
        async move {
            saved.restore(&store).await;
            World::attached(store, Settings::default(), ids)
        }
    })
    .await;
    assert_none_failed("mariadb", outcome);
}
