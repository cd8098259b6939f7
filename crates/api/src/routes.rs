//! The route table: every route of the API, in one list.
//!
//! The table registers the routes on the actix `App`, answers 405 (with `Allow`) for a known
//! path with another method and 404 `route_not_found` for unknown paths, tells extractors the
//! route's body limit and `user_id` role, and drives the OpenAPI consistency test. The access
//! level is informative (docs, permission matrix): the use cases enforce it.
//!
//! Adding a route: write the handler with a `#[utoipa::path]` annotation, list it in
//! `openapi::ApiDoc`, and add one line here:
//!
//! ```text
//! Route::new(Get, "/case", User, || to(handlers::case::get)).user_id(Subject),
//! Route::new(Get, "/casefilter", User, || to(handlers::case::filter)).alias_of("/case_filter"),
//! Route::new(Post, "/bugs", User, || to(handlers::bugs::create)).body_limit(BodyLimit::Bytes(256 * 1024)),
//! ```

use std::fmt;

use actix_web::{HttpRequest, HttpResponse, web};
use surgicase_kernel::RoleLevel;

use crate::errors::ApiError;
use crate::identity::UserIdRole;
use crate::openapi;

/// HTTP methods used by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    pub fn to_actix(self) -> actix_web::http::Method {
        match self {
            Self::Get => actix_web::http::Method::GET,
            Self::Post => actix_web::http::Method::POST,
            Self::Put => actix_web::http::Method::PUT,
            Self::Patch => actix_web::http::Method::PATCH,
            Self::Delete => actix_web::http::Method::DELETE,
        }
    }

    pub fn to_openapi(self) -> utoipa::openapi::HttpMethod {
        use utoipa::openapi::HttpMethod as H;
        match self {
            Self::Get => H::Get,
            Self::Post => H::Post,
            Self::Put => H::Put,
            Self::Patch => H::Patch,
            Self::Delete => H::Delete,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The access level of a route (api.md §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No identity needed.
    Public,
    /// jwt: a valid token, no profile needed; user-id: no identity needed.
    Registrant,
    /// An active user (ownership is decided by the use case).
    User,
    /// `user_type` at or above the level (CA 10, UA 20, GA 100, SA 999).
    Level(RoleLevel),
}

impl Access {
    /// The label used in the docs (`public`, `user`, `CA`, …).
    pub fn label(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Registrant => "registrant",
            Self::User => "user",
            Self::Level(RoleLevel::Provider) => "user",
            Self::Level(RoleLevel::CaseAdmin) => "CA",
            Self::Level(RoleLevel::UserAdmin) => "UA",
            Self::Level(RoleLevel::GlobalAdmin) => "GA",
            Self::Level(RoleLevel::SystemAdmin) => "SA",
        }
    }
}

/// The body limit of a route (api.md §1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyLimit {
    /// `http.max_body_bytes`.
    Default,
    /// A fixed limit (`/bugs`, `/admin/status_rules`: 256 KiB).
    Bytes(usize),
    /// `documents.max_bytes` (the direct upload route).
    Documents,
}

/// One route: method, path, handler and what the shell must know about it.
#[derive(Clone, Copy)]
pub struct Route {
    pub method: Method,
    /// The actix pattern, also the OpenAPI path (`/document_upload/{upload_id}`).
    pub path: &'static str,
    pub access: Access,
    /// Builds the actix route (`|| to(handler)`); the method guard is added at registration.
    pub handler: fn() -> actix_web::Route,
    /// The canonical path when this path is a legacy alias (documented as deprecated copies).
    pub alias_of: Option<&'static str>,
    pub user_id: UserIdRole,
    pub body_limit: BodyLimit,
}

impl Route {
    /// A route whose `user_id` names only the caller and whose body limit is the default.
    pub const fn new(
        method: Method,
        path: &'static str,
        access: Access,
        handler: fn() -> actix_web::Route,
    ) -> Self {
        Self {
            method,
            path,
            access,
            handler,
            alias_of: None,
            user_id: UserIdRole::CallerOnly,
            body_limit: BodyLimit::Default,
        }
    }

    /// Marks the path as a legacy alias of `canonical` (same method).
    pub const fn alias_of(self, canonical: &'static str) -> Self {
        Self { alias_of: Some(canonical), ..self }
    }

    /// What `user_id` means on this route (‡ routes: [`UserIdRole::Filter`]).
    pub const fn user_id(self, role: UserIdRole) -> Self {
        Self { user_id: role, ..self }
    }

    pub const fn body_limit(self, limit: BodyLimit) -> Self {
        Self { body_limit: limit, ..self }
    }
}

impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.access.label())
    }
}

/// A handler as an actix route: `|| to(my_handler)` in the table.
pub fn to<F, Args>(handler: F) -> actix_web::Route
where
    F: actix_web::Handler<Args>,
    Args: actix_web::FromRequest + 'static,
    F::Output: actix_web::Responder + 'static,
{
    web::route().to(handler)
}

use crate::handlers::status_rules as rules;
use crate::handlers::{
    back_lists, backoffice, cases, dashboards, directory, documents, lists, reference, users,
};
use crate::observability as obs;
use Access::{Level, Public, Registrant, User};
use Method::{Delete, Get, Patch, Post, Put};
use RoleLevel::{CaseAdmin, GlobalAdmin, UserAdmin};
use UserIdRole::{Filter, Subject};

/// Every route of the API.
pub static ROUTES: &[Route] = &[
    // Cases (api.md §2).
    Route::new(Get, "/case", User, || to(cases::get_case)).user_id(Subject),
    Route::new(Post, "/case", User, || to(cases::create_case)).user_id(Subject),
    Route::new(Patch, "/case", User, || to(cases::update_case)).user_id(Subject),
    Route::new(Delete, "/case", User, || to(cases::delete_case)).user_id(Subject),
    Route::new(Post, "/case/restore", Level(CaseAdmin), || to(cases::restore_case)).user_id(Subject),
    Route::new(Get, "/case/status_history", User, || to(cases::case_history)).user_id(Subject),
    Route::new(Get, "/case_filter", User, || to(cases::filter_cases)).user_id(Subject),
    Route::new(Get, "/casefilter", User, || to(cases::filter_cases))
        .user_id(Subject)
        .alias_of("/case_filter"),
    // Back office (api.md §6).
    Route::new(Patch, "/bulk_update_case_status", Level(CaseAdmin), || {
        to(backoffice::bulk_update_case_status)
    }),
    Route::new(Patch, "/bulkupdatecasestatus", Level(CaseAdmin), || to(backoffice::bulk_update_case_status))
        .alias_of("/bulk_update_case_status"),
    Route::new(Get, "/users", Level(UserAdmin), || to(back_lists::list_users)),
    Route::new(Get, "/cases_by_status", Level(CaseAdmin), || to(back_lists::cases_by_status)),
    Route::new(Get, "/case_dashboard_data", Level(CaseAdmin), || to(dashboards::case_dashboard)),
    Route::new(Get, "/user_dashboard_data", Level(CaseAdmin), || to(dashboards::user_dashboard)),
    Route::new(Get, "/build_dashboard", Level(CaseAdmin), || to(dashboards::build_dashboard)),
    // Lists (api.md §9).
    Route::new(Get, "/user_types", Level(GlobalAdmin), || to(lists::list_user_types)),
    Route::new(Post, "/user_types", Level(GlobalAdmin), || to(lists::create_user_type)),
    Route::new(Get, "/case_statuses", Level(GlobalAdmin), || to(lists::list_case_statuses)),
    Route::new(Post, "/case_statuses", Level(GlobalAdmin), || to(lists::create_case_status)),
    Route::new(Get, "/user_doc_types", User, || to(lists::list_user_doc_types)),
    Route::new(Post, "/user_doc_types", Level(GlobalAdmin), || to(lists::create_user_doc_type)),
    Route::new(Get, "/faqs", User, || to(lists::list_faqs)),
    Route::new(Post, "/faqs", Level(GlobalAdmin), || to(lists::create_faq)),
    Route::new(Get, "/pay_tiers", Level(GlobalAdmin), || to(lists::list_pay_tiers)),
    Route::new(Post, "/pay_tiers", Level(GlobalAdmin), || to(lists::create_pay_tiers)),
    Route::new(Put, "/pay_tiers", Level(GlobalAdmin), || to(lists::put_pay_tiers)),
    Route::new(Get, "/tiers_summary", Level(UserAdmin), || to(lists::tiers_summary)),
    Route::new(Get, "/procedure_code_auto_fix", Level(GlobalAdmin), || to(lists::list_auto_fixes)),
    Route::new(Post, "/procedure_code_auto_fix", Level(GlobalAdmin), || to(lists::create_auto_fix)),
    Route::new(Delete, "/procedure_code_auto_fix", Level(GlobalAdmin), || to(lists::delete_auto_fix)),
    // Users (api.md §3).
    Route::new(Get, "/user", User, || to(users::get_user)).user_id(Subject),
    Route::new(Post, "/user", Registrant, || to(users::create_user)).user_id(Subject),
    Route::new(Patch, "/user", User, || to(users::update_user)).user_id(Subject),
    // `user_id` names the user to delete, never the caller (calling_user_id does).
    Route::new(Delete, "/user", Level(UserAdmin), || to(users::delete_user)).user_id(Filter),
    Route::new(Put, "/user/password", Public, || to(users::change_password)),
    Route::new(Get, "/user_environment", User, || to(users::user_environment)).user_id(Subject),
    // Surgeons, facilities, search, NPI (api.md §4).
    Route::new(Post, "/surgeon", User, || to(directory::create_surgeon)).user_id(Subject),
    Route::new(Get, "/surgeons", User, || to(directory::list_surgeons)).user_id(Subject),
    Route::new(Delete, "/surgeon", User, || to(directory::delete_surgeon)).user_id(Subject),
    Route::new(Post, "/facility", User, || to(directory::create_facility)).user_id(Subject),
    Route::new(Get, "/facilities", User, || to(directory::list_facilities)).user_id(Subject),
    Route::new(Delete, "/facility", User, || to(directory::delete_facility)).user_id(Subject),
    Route::new(Get, "/search_surgeon", User, || to(directory::search_surgeon)),
    Route::new(Get, "/search_facility", User, || to(directory::search_facility)),
    Route::new(Get, "/check_npi", Registrant, || to(directory::check_npi)),
    // Reference data (api.md §4).
    Route::new(Get, "/cpt_codes", Public, || to(reference::cpt_codes)),
    Route::new(Get, "/doctypes", Public, || to(reference::doc_types)),
    Route::new(Get, "/timezones", Public, || to(reference::timezones)),
    // Documents (api.md §5).
    Route::new(Post, "/case/document/upload_url", User, || to(documents::case_upload_url)).user_id(Subject),
    Route::new(Post, "/case/document/confirm", User, || to(documents::case_confirm)).user_id(Subject),
    Route::new(Get, "/case/document", User, || to(documents::get_case_document)).user_id(Subject),
    Route::new(Delete, "/case/document", User, || to(documents::delete_case_document)).user_id(Subject),
    Route::new(Post, "/user/document/upload_url", User, || to(documents::user_upload_url)).user_id(Subject),
    Route::new(Post, "/user/document/confirm", User, || to(documents::user_confirm)).user_id(Subject),
    Route::new(Get, "/user/document", User, || to(documents::get_user_document)).user_id(Subject),
    Route::new(Delete, "/user/document", User, || to(documents::delete_user_document)).user_id(Subject),
    Route::new(Put, "/document_upload/{upload_id}", User, || to(documents::direct_upload))
        .body_limit(BodyLimit::Documents),
    Route::new(Post, "/get_case_images", Level(CaseAdmin), || to(documents::get_case_images)),
    // Observability.
    Route::new(Get, "/openapi.json", Public, || to(openapi::openapi_json)),
    Route::new(Get, "/docs", Public, || to(openapi::docs_redirect)),
    Route::new(Get, "/health", Public, || to(obs::health::health)),
    Route::new(Get, "/health/system", Public, || to(obs::health::system)),
    Route::new(Get, "/health/ready", Public, || to(obs::health::ready)),
    Route::new(Get, "/health/live", Public, || to(obs::health::live)),
    Route::new(Get, "/health/simple", Public, || to(obs::health::simple)),
    Route::new(Get, "/metrics", Public, || to(obs::metrics_routes::metrics)),
    Route::new(Get, "/metrics/summary", Public, || to(obs::metrics_routes::summary_route)),
    Route::new(Get, "/metrics/health", Public, || to(obs::metrics_routes::health_route)),
    Route::new(Get, "/metrics/system", Public, || to(obs::metrics_routes::system_route)),
    Route::new(Get, "/metrics/database", Public, || to(obs::metrics_routes::database_route)),
    Route::new(Get, "/metrics/business", Public, || to(obs::metrics_routes::business_route)),
    Route::new(Get, "/metrics/endpoints", Public, || to(obs::metrics_routes::endpoints_route)),
    Route::new(Get, "/metrics/self", Public, || to(obs::metrics_routes::self_route)),
    Route::new(Post, "/log_request", User, || to(obs::log_request::log_request)),
    // Bugs (api.md §10).
    Route::new(Post, "/bugs", User, || to(obs::bugs::create_bug))
        .body_limit(BodyLimit::Bytes(obs::bugs::BODY_LIMIT)),
    Route::new(Get, "/bugs", User, || to(obs::bugs::list_bugs)),
    // Scheduler jobs (api.md §8).
    Route::new(Get, "/admin/jobs", Level(RoleLevel::GlobalAdmin), || to(crate::handlers::jobs::list_jobs)),
    Route::new(Get, "/admin/job_runs", Level(RoleLevel::GlobalAdmin), || {
        to(crate::handlers::jobs::list_job_runs)
    }),
    // Status rule sets (api.md §8).
    Route::new(Get, "/admin/status_rules", Level(GlobalAdmin), || to(rules::get_status_rules)),
    Route::new(Put, "/admin/status_rules", Level(GlobalAdmin), || to(rules::put_status_rules))
        .body_limit(BodyLimit::Bytes(rules::BODY_LIMIT)),
    Route::new(Post, "/admin/status_rules/validate", Level(GlobalAdmin), || to(rules::validate_status_rules))
        .body_limit(BodyLimit::Bytes(rules::BODY_LIMIT)),
    Route::new(Get, "/admin/status_rules/history", Level(GlobalAdmin), || to(rules::status_rules_history)),
];

/// The routes sharing one path (resource-level app data).
#[derive(Debug, Clone)]
pub struct PathRoutes(pub Vec<&'static Route>);

/// The table entry serving `req`, if the request reached a table route.
pub fn current(req: &HttpRequest) -> Option<&'static Route> {
    let routes = req.app_data::<PathRoutes>()?;
    routes.0.iter().copied().find(|r| r.method.to_actix() == req.method())
}

/// Registers every route of `table`, one actix resource per path, each answering 405 with
/// `Allow` for the methods it lacks.
pub fn configure(cfg: &mut web::ServiceConfig, table: &'static [Route]) {
    let mut paths: Vec<&'static str> = Vec::new();
    for route in table {
        if !paths.contains(&route.path) {
            paths.push(route.path);
        }
    }
    for path in paths {
        let group: Vec<&'static Route> = table.iter().filter(|r| r.path == path).collect();
        let allow: Vec<&'static str> = group.iter().map(|r| r.method.as_str()).collect();
        let mut resource = web::resource(path).app_data(PathRoutes(group.clone()));
        for route in &group {
            resource = resource.route((route.handler)().method(route.method.to_actix()));
        }
        resource = resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allow }) }
        }));
        cfg.service(resource);
    }
}

/// The app's default service: 404 `route_not_found`.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::RouteNotFound)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn table_has_no_duplicates_and_aliases_point_to_routes() {
        let mut seen = HashSet::new();
        for route in ROUTES {
            assert!(seen.insert((route.method, route.path)), "duplicate {route:?}");
            assert!(route.path.starts_with('/'), "{route:?}");
        }
        for route in ROUTES.iter().filter(|r| r.alias_of.is_some()) {
            let canonical = route.alias_of.unwrap_or_default();
            assert!(
                ROUTES
                    .iter()
                    .any(|r| r.path == canonical && r.method == route.method && r.alias_of.is_none()),
                "alias {route:?} of a missing route"
            );
        }
    }

    #[test]
    fn access_labels() {
        assert_eq!(Access::Level(RoleLevel::CaseAdmin).label(), "CA");
        assert_eq!(Access::Level(RoleLevel::SystemAdmin).label(), "SA");
        assert_eq!(Access::Registrant.label(), "registrant");
    }
}
