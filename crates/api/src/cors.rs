//! CORS (api.md §1.1): only the origins of `http.cors_allowed_origins` (default none), with
//! credentials, and the `X-…` headers of the API exposed.
//!
//! - No origin configured: the middleware adds nothing at all.
//! - A request whose `Origin` is listed: the answer (errors included) carries
//!   `Access-Control-Allow-Origin` (the origin, echoed), `Access-Control-Allow-Credentials: true`
//!   and `Access-Control-Expose-Headers` ([`EXPOSED_HEADERS`]). A preflight (`OPTIONS` with
//!   `Access-Control-Request-Method`) is answered here, 204, with the allowed methods, the
//!   requested headers and `Access-Control-Max-Age`.
//! - Any other origin: no `Access-Control-*` header, so the browser refuses; the request itself
//!   is served as usual (a preflight reaches the routes and is refused there, 405), since
//!   non-browser clients do not need CORS.
//! - With origins configured, every answer varies by `Origin`.
//!
//! A small middleware rather than `actix-cors`: that crate adds `Allow-Credentials` and
//! `Expose-Headers` to answers for any origin (and to requests without one), which the
//! contract ("credentials allowed for those only") rules out.
//!
//! Registered inside the request-id middleware, so preflight answers carry `X-Request-Id` and
//! error bodies keep the CORS headers when they are rewritten as JSON.

use std::sync::LazyLock;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};

use crate::state::AppState;

/// The response headers scripts of an allowed origin may read: the request id, the download
/// and the report and export headers (api.md §5, §7), and the file name of downloads.
pub const EXPOSED_HEADERS: &[&str] = &[
    "X-Request-Id",
    "X-Checksum-SHA256",
    "X-Cases-Processed",
    "X-Downloaded-Files",
    "X-Download-Errors",
    "X-Report-Password-Protected",
    "X-Email-Sent",
    "X-Email-Count",
    "X-Email-Total-Recipients",
    "X-Export-Type",
    "X-Record-Count",
    "X-Export-Summary",
    "X-S3-Key",
    "X-S3-URL",
    "X-S3-Upload-Success",
    "X-S3-Upload-Status",
    "Content-Disposition",
];

/// The methods of the route table.
pub const ALLOWED_METHODS: &str = "GET, POST, PUT, PATCH, DELETE";

/// Allowed request headers when a preflight names none (or names them unreadably).
pub const DEFAULT_ALLOWED_HEADERS: &str = "Authorization, Content-Type, X-Request-Id";

/// How long browsers may cache a preflight answer.
pub const MAX_AGE_S: u32 = 600;

/// The request's `Origin` when it is one of `allowed` (compared case-insensitively).
fn listed_origin(headers: &HeaderMap, allowed: &[String]) -> Option<HeaderValue> {
    let origin = headers.get(header::ORIGIN)?;
    let text = origin.to_str().ok()?;
    allowed.iter().any(|a| a.eq_ignore_ascii_case(text)).then(|| origin.clone())
}

/// The headers a preflight asks for, when they read as a short list of header names.
fn requested_headers(headers: &HeaderMap) -> Option<HeaderValue> {
    let text = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS)?.to_str().ok()?;
    let names: Vec<&str> = text.split(',').map(str::trim).filter(|n| !n.is_empty()).collect();
    let token =
        |n: &str| n.len() <= 64 && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if names.is_empty() || names.len() > 32 || !names.iter().all(|n| token(n)) {
        return None;
    }
    HeaderValue::from_str(&names.join(", ")).ok()
}

/// [`EXPOSED_HEADERS`] as one header value.
static EXPOSED: LazyLock<HeaderValue> = LazyLock::new(|| {
    HeaderValue::from_str(&EXPOSED_HEADERS.join(", ")).unwrap_or(HeaderValue::from_static("X-Request-Id"))
});

fn allow(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
}

/// The CORS middleware (register with `actix_web::middleware::from_fn`, inside the request-id
/// middleware).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let settings = req.app_data::<web::Data<AppState>>().map(|s| s.settings.clone());
    let Some(settings) = settings.filter(|s| !s.cors_allowed_origins.is_empty()) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let origin = listed_origin(req.headers(), &settings.cors_allowed_origins);
    let preflight =
        req.method() == Method::OPTIONS && req.headers().contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if let (Some(origin), true) = (origin.clone(), preflight) {
        let allow_headers =
            requested_headers(req.headers()).unwrap_or(HeaderValue::from_static(DEFAULT_ALLOWED_HEADERS));
        let mut res = HttpResponse::NoContent().finish();
        let headers = res.headers_mut();
        allow(headers, origin);
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static(ALLOWED_METHODS));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, allow_headers);
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from(MAX_AGE_S));
        headers.append(
            header::VARY,
            HeaderValue::from_static("Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        );
        return Ok(req.into_response(res));
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    let headers = res.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    if let Some(origin) = origin {
        allow(headers, origin);
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED.clone());
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exposed_value_lists_every_exposed_header() {
        let listed: Vec<&str> = EXPOSED.to_str().unwrap_or_default().split(", ").collect();
        assert_eq!(listed, EXPOSED_HEADERS);
    }

    #[test]
    fn requested_headers_are_echoed_when_they_are_header_names() {
        let table: &[(&str, Option<&str>)] = &[
            ("content-type", Some("content-type")),
            ("Content-Type,Authorization , x-request-id", Some("Content-Type, Authorization, x-request-id")),
            ("", None),
            (" , ", None),
            ("content-type, bad header", None),
            ("x;y", None),
        ];
        for (raw, expected) in table {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCESS_CONTROL_REQUEST_HEADERS, HeaderValue::from_str(raw).unwrap());
            let got = requested_headers(&headers);
            assert_eq!(got.as_ref().and_then(|v| v.to_str().ok()), *expected, "{raw:?}");
        }
    }
}
