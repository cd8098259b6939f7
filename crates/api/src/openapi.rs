//! The OpenAPI 3.1 document (`/openapi.json`) and the Swagger UI (`/docs/`), both offline.
//!
//! Operations come from the handlers' `#[utoipa::path]` annotations listed in [`ApiDoc`].
//! [`document`] then adds what the route table knows: each operation's access level
//! (`x-access` and a line of its description), and a deprecated copy of the canonical
//! operation for every legacy alias. A test keeps the table and the document in step.

use std::sync::LazyLock;

use actix_web::HttpResponse;
use actix_web::http::header;
use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Deprecated, HttpMethod, PathItem, Ref, ResponseBuilder};
use utoipa_swagger_ui::SwaggerUi;

use crate::errors::{ApiError, JSON_UTF8};
use crate::handlers::{
    back_lists, backoffice, cases, dashboards, directory, documents, lists, reference, users,
};
use crate::routes::{Access, ROUTES, Route};

/// The annotated operations. Add every new handler to `paths(...)`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "SurgiCase API",
        license(name = "Proprietary"),
        description = "Surgical case management. Errors are JSON `{detail, code, request_id}`; \
                       see the API contract for codes and conventions."
    ),
    paths(
        cases::get_case,
        cases::create_case,
        cases::update_case,
        cases::delete_case,
        cases::restore_case,
        cases::case_history,
        cases::filter_cases,
        backoffice::bulk_update_case_status,
        back_lists::list_users,
        back_lists::cases_by_status,
        dashboards::case_dashboard,
        dashboards::user_dashboard,
        dashboards::build_dashboard,
        lists::list_user_types,
        lists::create_user_type,
        lists::list_case_statuses,
        lists::create_case_status,
        lists::list_user_doc_types,
        lists::create_user_doc_type,
        lists::list_faqs,
        lists::create_faq,
        lists::list_pay_tiers,
        lists::create_pay_tiers,
        lists::put_pay_tiers,
        lists::tiers_summary,
        lists::list_auto_fixes,
        lists::create_auto_fix,
        lists::delete_auto_fix,
        users::get_user,
        users::create_user,
        users::update_user,
        users::delete_user,
        users::change_password,
        users::user_environment,
        directory::create_surgeon,
        directory::list_surgeons,
        directory::delete_surgeon,
        directory::create_facility,
        directory::list_facilities,
        directory::delete_facility,
        directory::search_surgeon,
        directory::search_facility,
        directory::check_npi,
        documents::case_upload_url,
        documents::case_confirm,
        documents::get_case_document,
        documents::delete_case_document,
        documents::user_upload_url,
        documents::user_confirm,
        documents::get_user_document,
        documents::delete_user_document,
        documents::direct_upload,
        documents::get_case_images,
        reference::cpt_codes,
        reference::doc_types,
        reference::timezones,
        openapi_json,
        docs_redirect,
        crate::observability::health::health,
        crate::observability::health::system,
        crate::observability::health::ready,
        crate::observability::health::live,
        crate::observability::health::simple,
        crate::observability::metrics_routes::metrics,
        crate::observability::metrics_routes::summary_route,
        crate::observability::metrics_routes::health_route,
        crate::observability::metrics_routes::system_route,
        crate::observability::metrics_routes::database_route,
        crate::observability::metrics_routes::business_route,
        crate::observability::metrics_routes::endpoints_route,
        crate::observability::metrics_routes::self_route,
        crate::observability::log_request::log_request,
        crate::observability::bugs::create_bug,
        crate::observability::bugs::list_bugs,
        crate::handlers::jobs::list_jobs,
        crate::handlers::jobs::list_job_runs,
        crate::handlers::status_rules::get_status_rules,
        crate::handlers::status_rules::put_status_rules,
        crate::handlers::status_rules::validate_status_rules,
        crate::handlers::status_rules::status_rules_history
    ),
    tags(
        (name = "cases", description = "Cases: create, read, update, delete, restore, history, lists"),
        (name = "backoffice", description = "The back office: users, cases by status, bulk status updates, dashboards"),
        (name = "users", description = "Profiles and the client's start-up data"),
        (name = "directory", description = "Surgeons, facilities, NPI search and check"),
        (name = "reference", description = "Public reference lists"),
        (name = "documents", description = "Case and user documents: uploads, downloads, removal"),
        (name = "observability", description = "Documentation, health and metrics"),
        (name = "admin", description = "Administration: lists, prices, the auto-fix map, status rule sets, scheduler jobs and runs")
    )
)]
pub struct ApiDoc;

/// The security scheme of user-id mode: the caller names themselves (api.md §1.2).
pub const USER_ID_SCHEME: &str = "calling_user_id";
/// The security scheme of jwt mode.
pub const BEARER_SCHEME: &str = "bearer";

/// The document served at `/openapi.json`, completed from `table`.
pub fn document(table: &[Route]) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        USER_ID_SCHEME,
        SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
            "calling_user_id",
            "auth.mode = \"user-id\": the caller's user id. Where `user_id` names the data subject \
             it also names the caller when `calling_user_id` is absent (api.md §1.2).",
        ))),
    );
    components.add_security_scheme(
        BEARER_SCHEME,
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
    );
    for route in table.iter().filter(|r| r.alias_of.is_none()) {
        if let Some(op) = operation_mut(&mut doc, route.path, route.method.to_openapi()) {
            annotate(op, route);
            standard_errors(op, route);
        }
    }
    for route in table {
        let Some(canonical) = route.alias_of else { continue };
        let method = route.method.to_openapi();
        let Some(mut op) = operation_mut(&mut doc, canonical, method.clone()).map(|op| op.clone()) else {
            continue;
        };
        op.deprecated = Some(Deprecated::True);
        op.operation_id = op.operation_id.map(|id| format!("{id}_alias_{}", route.path.trim_matches('/')));
        op.summary = Some(format!("Legacy alias of {canonical}"));
        doc.paths.paths.entry(route.path.to_owned()).or_default().merge_operations(PathItem::new(method, op));
    }
    doc
}

fn operation_mut<'a>(
    doc: &'a mut utoipa::openapi::OpenApi,
    path: &str,
    method: HttpMethod,
) -> Option<&'a mut Operation> {
    let item = doc.paths.paths.get_mut(path)?;
    match method {
        HttpMethod::Get => item.get.as_mut(),
        HttpMethod::Post => item.post.as_mut(),
        HttpMethod::Put => item.put.as_mut(),
        HttpMethod::Patch => item.patch.as_mut(),
        HttpMethod::Delete => item.delete.as_mut(),
        HttpMethod::Options => item.options.as_mut(),
        HttpMethod::Head => item.head.as_mut(),
        HttpMethod::Trace => item.trace.as_mut(),
    }
}

/// The answers every route of its kind can give (api.md §1.4), added where the handler's
/// annotation does not describe them itself: the refusals of the shell (query, identity, body)
/// and of the database.
fn standard_errors(op: &mut Operation, route: &Route) {
    let mut add = |status: &str, what: &str| {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
                .into()
        });
    };
    if route.access != Access::Public {
        op.security = Some(match route.access {
            // A registrant may also call without any identity in user-id mode.
            Access::Registrant => vec![
                SecurityRequirement::new(USER_ID_SCHEME, Vec::<String>::new()),
                SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new()),
                SecurityRequirement::default(),
            ],
            _ => vec![
                SecurityRequirement::new(USER_ID_SCHEME, Vec::<String>::new()),
                SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new()),
            ],
        });
        add("400", "malformed_query (or malformed_json for a body)");
        add("401", "unauthenticated, invalid_token, unknown_user");
        add("403", "identity_mismatch (jwt mode), or forbidden below the route's level");
        add("422", "validation_failed (e.g. duplicate_parameter)");
        add("503", "database_unavailable");
    }
    if op.request_body.is_some() {
        add("400", "malformed_json");
        add("408", "request_timeout: the body arrived too slowly");
        add("413", "payload_too_large");
        add("415", "unsupported_media_type");
        add("422", "validation_failed");
    }
    add("500", "internal_error");
}

fn annotate(op: &mut Operation, route: &Route) {
    let label = route.access.label();
    op.extensions.get_or_insert_with(Default::default).insert("x-access".to_owned(), label.into());
    let line = format!("Access: {label}.");
    op.description = Some(match op.description.take() {
        Some(text) if !text.is_empty() => format!("{text}\n\n{line}"),
        _ => line,
    });
}

/// Every (method, path) the document describes.
pub fn operations(doc: &utoipa::openapi::OpenApi) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
            ("OPTIONS", &item.options),
            ("HEAD", &item.head),
            ("TRACE", &item.trace),
        ];
        out.extend(ops.iter().filter(|(_, op)| op.is_some()).map(|(m, _)| ((*m).to_owned(), path.clone())));
    }
    out
}

static DOCUMENT_JSON: LazyLock<Result<String, String>> =
    LazyLock::new(|| serde_json::to_string(&document(ROUTES)).map_err(|e| e.to_string()));

/// The OpenAPI document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "observability",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"))
)]
pub async fn openapi_json() -> Result<HttpResponse, ApiError> {
    match DOCUMENT_JSON.as_ref() {
        Ok(json) => {
            Ok(HttpResponse::Ok().insert_header((header::CONTENT_TYPE, JSON_UTF8)).body(json.clone()))
        }
        Err(e) => Err(ApiError::internal(format!("cannot render the OpenAPI document: {e}"))),
    }
}

/// `/docs` → `/docs/` (the Swagger UI only answers under the slash).
#[utoipa::path(
    get,
    path = "/docs",
    tag = "observability",
    responses((status = 301, description = "Redirect to the interactive documentation at /docs/"))
)]
pub async fn docs_redirect() -> HttpResponse {
    HttpResponse::MovedPermanently().insert_header((header::LOCATION, "/docs/")).finish()
}

/// The Swagger UI at `/docs/`, reading `/openapi.json` (served by the route table).
pub fn swagger_ui() -> SwaggerUi {
    SwaggerUi::new("/docs/{_:.*}").config(utoipa_swagger_ui::Config::new(["/openapi.json"]))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_route_is_documented_and_every_operation_routed() {
        let doc = document(ROUTES);
        let documented: BTreeSet<(String, String)> = operations(&doc).into_iter().collect();
        let routed: BTreeSet<(String, String)> =
            ROUTES.iter().map(|r| (r.method.as_str().to_owned(), r.path.to_owned())).collect();
        let undocumented: Vec<_> = routed.difference(&documented).collect();
        let unrouted: Vec<_> = documented.difference(&routed).collect();
        assert!(undocumented.is_empty(), "routes without an OpenAPI operation: {undocumented:?}");
        assert!(unrouted.is_empty(), "OpenAPI operations without a route: {unrouted:?}");
    }

    #[test]
    fn document_is_openapi_3_1_with_access_levels() {
        let value = serde_json::to_value(document(ROUTES)).expect("serializable");
        assert_eq!(value["openapi"], "3.1.0");
        assert_eq!(value["paths"]["/openapi.json"]["get"]["x-access"], "public");
    }

    #[test]
    fn aliases_are_deprecated_copies() {
        fn handler() -> actix_web::Route {
            crate::routes::to(docs_redirect)
        }
        static TABLE: &[Route] = &[
            Route::new(crate::routes::Method::Get, "/docs", crate::routes::Access::Public, handler),
            Route::new(crate::routes::Method::Get, "/documentation", crate::routes::Access::Public, handler)
                .alias_of("/docs"),
        ];
        let value = serde_json::to_value(document(TABLE)).expect("serializable");
        let alias = &value["paths"]["/documentation"]["get"];
        assert_eq!(alias["deprecated"], true);
        assert_eq!(alias["x-access"], "public");
        assert_eq!(value["paths"]["/docs"]["get"].get("deprecated"), None);
    }
}
