//! Request ids and the outermost middleware of every request.
//!
//! The middleware: takes `X-Request-Id` from the request when it is well formed (else a UUID v4),
//! stores it in the request extensions, runs the request inside a tracing span carrying
//! `request_id`, turns every error answer into the JSON error shape (see [`crate::fallback`]),
//! sets `X-Request-Id` and `Cache-Control: no-store` on the response, and writes one access line.
//!
//! `Cache-Control: no-store` is the default for every response except the documentation
//! (`/docs`, `/docs/…`): most answers carry case or user data, and a default is harder to
//! forget than a flag. A handler that wants caching sets its own `Cache-Control`, which is kept.

use std::fmt;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, HttpResponse};
use tracing::Instrument;

use crate::fallback;
use crate::identity::Caller;

/// The header carrying the request id, both ways.
pub const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of one request (`[A-Za-z0-9._-]{1,64}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(String);

impl RequestId {
    /// The client's id when it is well formed.
    pub fn parse(raw: &str) -> Option<Self> {
        let ok = (1..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
        ok.then(|| Self(raw.to_owned()))
    }

    /// A fresh UUID v4.
    pub fn generate() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// The request's header value if valid, else a fresh id.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        headers
            .get(X_REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .and_then(Self::parse)
            .unwrap_or_else(Self::generate)
    }

    /// The id of a request that went through the middleware.
    pub fn of(req: &HttpRequest) -> Option<Self> {
        req.extensions().get::<Self>().cloned()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Paths whose responses may be cached (the static documentation).
fn is_docs_path(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/")
}

/// The outermost middleware (register with `actix_web::middleware::from_fn`).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let id = RequestId::from_headers(req.headers());
    req.extensions_mut().insert(id.clone());
    let method = req.method().clone();
    let cacheable = is_docs_path(req.path());
    let span = tracing::info_span!("request", request_id = %id);
    // No clone of the request may be held here: routing needs it unshared.
    let outcome = next.call(req).instrument(span.clone()).await;
    let finish = |res: HttpResponse<BoxBody>| {
        let mut res = span.in_scope(|| fallback::finalize(res, &id));
        let headers = res.headers_mut();
        if let Ok(value) = HeaderValue::from_str(id.as_str()) {
            headers.insert(X_REQUEST_ID, value);
        }
        if !cacheable && !headers.contains_key(header::CACHE_CONTROL) {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        res
    };
    let access_line = |route: &str, status: u16, user_id: Option<&str>| {
        span.in_scope(|| {
            tracing::info!(
                method = %method,
                route = %route,
                status,
                duration_ms = started.elapsed().as_millis() as u64,
                user_id = user_id.unwrap_or("-"),
                "request"
            );
        });
    };
    match outcome {
        Ok(res) => {
            let (http_req, res) = res.map_into_boxed_body().into_parts();
            let res = finish(res);
            let route = http_req.match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
            let user_id = http_req.extensions().get::<Caller>().map(|c| c.user_id.as_str().to_owned());
            access_line(&route, res.status().as_u16(), user_id.as_deref());
            Ok(ServiceResponse::new(http_req, res))
        }
        // Only a failing inner middleware gets here; its answer is finalized all the same.
        Err(err) => {
            let res = finish(HttpResponse::from_error(err));
            access_line("(unmatched)", res.status().as_u16(), None);
            Err(InternalError::from_response("request failed", res).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_ids() {
        let long = "a".repeat(64);
        let too_long = "a".repeat(65);
        let table: &[(&str, bool)] = &[
            ("abc-123", true),
            ("A.b_c-9", true),
            (&long, true),
            (&too_long, false),
            ("", false),
            ("has space", false),
            ("semi;colon", false),
            ("é", false),
            ("a/b", false),
        ];
        for (raw, ok) in table {
            assert_eq!(RequestId::parse(raw).is_some(), *ok, "{raw:?}");
        }
    }

    #[test]
    fn generated_ids_are_uuids() {
        let id = RequestId::generate();
        assert_eq!(id.as_str().len(), 36);
        assert!(RequestId::parse(id.as_str()).is_some());
        assert_ne!(id, RequestId::generate());
    }

    #[test]
    fn docs_paths_are_cacheable() {
        assert!(is_docs_path("/docs"));
        assert!(is_docs_path("/docs/index.html"));
        assert!(!is_docs_path("/docsx"));
        assert!(!is_docs_path("/case"));
    }
}
