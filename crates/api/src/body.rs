//! Request bodies: read by the shell itself, within the route's limit, into JSON errors.
//!
//! [`JsonBody`] needs `Content-Type: application/json` (or `…+json`; else 415), stops reading at
//! the route's limit (413 with `limit_bytes`; a `Content-Length` over it is refused before
//! reading), refuses invalid UTF-8, invalid JSON and nesting deeper than 32 levels (400
//! `malformed_json`), and a body that is not an object (422, field `""`).
//! [`OptionalJsonBody`] is the same but accepts an empty body without `Content-Type`.
//! [`RawBody`] reads any bytes within the limit (uploads, TOML rule sets); the handler checks
//! the type.

use std::time::{Duration, Instant};

use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::http::header::{self, HeaderMap};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures::future::LocalBoxFuture;
use futures::{Stream, StreamExt};
use serde_json::{Map, Value};
use surgicase_kernel::{FieldCode, FieldError, RequestBody, UnknownFields};

use crate::errors::ApiError;
use crate::fields::Fields;
use crate::routes::{self, BodyLimit};
use crate::state::Settings;

/// Deepest accepted nesting of arrays and objects (api.md §1.4).
pub const MAX_DEPTH: usize = 32;

/// A JSON object body.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonBody {
    map: Map<String, Value>,
    strict: bool,
}

impl JsonBody {
    /// A body built in code (tests, internal calls); `strict` as `http.strict_fields`.
    pub fn new(map: Map<String, Value>, strict: bool) -> Self {
        Self { map, strict }
    }

    /// A reader of the top-level fields, collecting every problem (see [`Fields`]).
    pub fn fields(&self) -> Fields<'_> {
        Fields::new(&self.map, self.strict)
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }

    /// The non-null values of `names` as sent: read-only fields, which only the use case can
    /// judge (it compares them with the stored row).
    pub fn sent_values(&self, names: &[&str]) -> Vec<(String, Value)> {
        names
            .iter()
            .filter_map(|name| {
                self.map.get(*name).filter(|v| !v.is_null()).map(|v| ((*name).to_owned(), v.clone()))
            })
            .collect()
    }

    /// The top-level string `user_id`, which may name the caller (api.md §1.2).
    pub fn user_id(&self) -> Option<&str> {
        self.map.get("user_id").and_then(Value::as_str)
    }
}

/// The top-level string `user_id` of the request's body, kept for identification (api.md §1.2):
/// body extractors record it, the caller extractors read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyUserId(pub String);

/// Left on the request by a JSON body extractor when it starts: it resolves once the body has
/// been read (or its reading failed). Actix creates every extractor's future before it polls
/// any, so the caller extractors, which look for the body's `user_id`, wait on it instead of
/// looking before the body has arrived (an in-memory test payload hides the difference; a
/// socket does not).
struct BodyPending(futures::channel::oneshot::Receiver<()>);

/// Marks the request's body as being read; dropping the returned sender marks it read.
fn start_reading(req: &HttpRequest) -> futures::channel::oneshot::Sender<()> {
    let (done, pending) = futures::channel::oneshot::channel();
    req.extensions_mut().insert(BodyPending(pending));
    done
}

/// The top-level `user_id` of the request's JSON body, once a body extractor extracted before
/// the caller has read it; `None` when there is none.
pub async fn body_user_id(req: &HttpRequest) -> Option<String> {
    let pending = req.extensions_mut().remove::<BodyPending>();
    if let Some(BodyPending(read)) = pending {
        // Sent or dropped: either way the body is no longer being read.
        let _ = read.await;
    }
    req.extensions().get::<BodyUserId>().map(|b| b.0.clone())
}

/// A request body of type `T`: a JSON object read as [`JsonBody`] is (limit, media type,
/// syntax), then deserialized leniently — every field is a `Raw`, so a wrong JSON type is a
/// field error of the domain's validation, reported with every other problem. Under
/// `http.strict_fields` the keys `T` does not read are recorded in it for validation to report.
/// Extract it before the caller ([`crate::identity::Authed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Json<T>(pub T);

impl<T: RequestBody> Json<T> {
    /// Reads `T` from an object (the body, or a body built in code).
    pub fn from_map(map: Map<String, Value>, strict: bool) -> Result<Self, ApiError> {
        let sent = Value::Object(map);
        let mut value: T = serde_json::from_value(sent.clone())
            .map_err(|e| ApiError::internal(format!("a lenient body type refused its input: {e}")))?;
        if strict {
            let known = serde_json::to_value(&value).unwrap_or(Value::Null);
            let mut unknown = Vec::new();
            unknown_keys(&sent, &known, "", &mut unknown);
            unknown.retain(|key| !T::ALSO_KNOWN.contains(&key.as_str()));
            *value.unknown_fields() = UnknownFields::new(unknown);
        }
        Ok(Json(value))
    }
}

/// The paths of keys in `sent` that `known` (the body type written back) does not have.
fn unknown_keys(sent: &Value, known: &Value, path: &str, out: &mut Vec<String>) {
    match (sent, known) {
        (Value::Object(sent), Value::Object(known)) => {
            for (key, value) in sent {
                let here = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                match known.get(key) {
                    Some(inner) => unknown_keys(value, inner, &here, out),
                    None => out.push(here),
                }
            }
        }
        (Value::Array(sent), Value::Array(known)) => {
            for (i, (value, inner)) in sent.iter().zip(known).enumerate() {
                unknown_keys(value, inner, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

impl<T: RequestBody + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        let reading = start_reading(&req);
        Box::pin(async move {
            let body = read_json(req, payload, false).await;
            drop(reading);
            let body = body?.ok_or(ApiError::UnsupportedMediaType)?;
            Json::from_map(body.map, body.strict)
        })
    }
}

/// A JSON object body, or `None` when the request has no body and no `Content-Type`.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionalJsonBody(pub Option<JsonBody>);

/// The raw bytes of a body, read within the route's limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawBody(pub Bytes);

/// Whether a `Content-Type` value is JSON: `application/json` or `application/…+json`.
pub fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json"
        || essence.strip_prefix("application/").is_some_and(|sub| sub.ends_with("+json") && sub.len() > 5)
}

/// The body limit of the request's route: its own, else `http.max_body_bytes`.
pub fn body_limit(req: &HttpRequest) -> usize {
    let settings = Settings::of(req);
    match routes::current(req).map(|r| r.body_limit) {
        Some(BodyLimit::Bytes(n)) => n,
        Some(BodyLimit::Documents) => settings.document_max_bytes,
        Some(BodyLimit::Default) | None => settings.max_body_bytes,
    }
}

fn content_type(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or("invalid"))
}

/// Refuses a declared `Content-Length` over the limit before anything is read.
fn check_declared_length(headers: &HeaderMap, limit: usize) -> Result<(), ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => Err(ApiError::PayloadTooLarge { limit_bytes: limit }),
        _ => Ok(()),
    }
}

/// How slowly a body may arrive: after `grace`, at least `min_bytes_per_s` on average since the
/// first byte was awaited. A trickling client is cut off (408) instead of holding a worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyPace {
    pub grace: Duration,
    pub min_bytes_per_s: u64,
}

impl BodyPace {
    /// The instant by which more than `received` bytes must have arrived.
    fn deadline(&self, start: Instant, received: usize) -> Instant {
        let allowance = Duration::from_secs_f64(received as f64 / self.min_bytes_per_s.max(1) as f64);
        start + self.grace + allowance
    }
}

/// Reads a payload stream, stopping as soon as more than `limit` bytes have arrived, or when
/// the body falls behind `pace`.
pub async fn read_limited<S>(mut stream: S, limit: usize, pace: BodyPace) -> Result<BytesMut, ApiError>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    let mut buf = BytesMut::new();
    let start = Instant::now();
    loop {
        let deadline = pace.deadline(start, buf.len());
        let next = tokio::time::timeout_at(deadline.into(), stream.next())
            .await
            .map_err(|_| ApiError::BodyTimeout)?;
        let Some(chunk) = next else { break };
        let chunk = chunk.map_err(|e| match e {
            PayloadError::Overflow => ApiError::PayloadTooLarge { limit_bytes: limit },
            other => ApiError::MalformedJson(format!("the body could not be read ({other})")),
        })?;
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit_bytes: limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Refuses arrays and objects nested deeper than `max` (strings are skipped, escapes included).
pub fn check_depth(bytes: &[u8], max: usize) -> Result<(), ApiError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(ApiError::MalformedJson(format!("nested deeper than {max} levels")));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Bytes to a JSON object: UTF-8, nesting, syntax, then the object check.
pub fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| ApiError::MalformedJson("not valid UTF-8".to_owned()))?;
    check_depth(text.as_bytes(), MAX_DEPTH)?;
    // serde_json's messages name a position, never the input's content.
    let value: Value = serde_json::from_str(text).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(FieldError::new("", FieldCode::InvalidType, "the body must be a JSON object").into()),
    }
}

async fn read_json(req: HttpRequest, payload: Payload, optional: bool) -> Result<Option<JsonBody>, ApiError> {
    let limit = body_limit(&req);
    let strict = Settings::of(&req).strict_fields;
    let content_type = content_type(req.headers());
    if let Some(ct) = content_type
        && !is_json_media_type(ct)
    {
        return Err(ApiError::UnsupportedMediaType);
    }
    if content_type.is_none() && !optional {
        return Err(ApiError::UnsupportedMediaType);
    }
    check_declared_length(req.headers(), limit)?;
    let bytes = read_limited(payload, limit, Settings::of(&req).body_pace).await?;
    if content_type.is_none() {
        // Only an optional body gets here: no type is fine only with nothing sent.
        return if bytes.is_empty() { Ok(None) } else { Err(ApiError::UnsupportedMediaType) };
    }
    let body = JsonBody { map: parse_object(&bytes)?, strict };
    if let Some(user_id) = body.user_id() {
        req.extensions_mut().insert(BodyUserId(user_id.to_owned()));
    }
    Ok(Some(body))
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        let reading = start_reading(&req);
        Box::pin(async move {
            let body = read_json(req, payload, false).await;
            drop(reading);
            body?.ok_or(ApiError::UnsupportedMediaType)
        })
    }
}

impl FromRequest for OptionalJsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        let reading = start_reading(&req);
        Box::pin(async move {
            let body = read_json(req, payload, true).await;
            drop(reading);
            body.map(OptionalJsonBody)
        })
    }
}

impl FromRequest for RawBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let (req, payload) = (req.clone(), payload.take());
        Box::pin(async move {
            let limit = body_limit(&req);
            check_declared_length(req.headers(), limit)?;
            read_limited(payload, limit, Settings::of(&req).body_pace).await.map(|b| RawBody(b.freeze()))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use futures::stream;

    use super::*;

    #[test]
    fn json_media_types() {
        let table: &[(&str, bool)] = &[
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("application/merge-patch+json", true),
            ("application/problem+json;charset=UTF-8", true),
            ("application/+json", false),
            ("text/json", false),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("application/jsonx", false),
            ("", false),
        ];
        for (ct, ok) in table {
            assert_eq!(is_json_media_type(ct), *ok, "{ct}");
        }
    }

    #[test]
    fn depth_limit() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(check_depth(nested(32).as_bytes(), 32).is_ok());
        assert_eq!(check_depth(nested(33).as_bytes(), 32).map_err(|e| e.code()), Err("malformed_json"));
        // Brackets inside strings, escaped quotes included, do not count.
        let text = format!(r#"{{"a": "{}\"{}"}}"#, "[".repeat(40), "{".repeat(40));
        assert!(check_depth(text.as_bytes(), 2).is_ok());
    }

    #[test]
    fn parse_outcomes() {
        let table: &[(&[u8], &str)] = &[
            (br#"{"a": 1}"#, "ok"),
            (b"{", "malformed_json"),
            (b"", "malformed_json"),
            (b"{\"a\": \"\xff\"}", "malformed_json"),
            (b"[1, 2]", "validation_failed"),
            (b"\"text\"", "validation_failed"),
            (b"null", "validation_failed"),
        ];
        for (bytes, code) in table {
            let got = parse_object(bytes).map(|_| "ok").unwrap_or_else(|e| e.code());
            assert_eq!(got, *code, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[actix_web::test]
    async fn reading_stops_at_the_limit() {
        let pulled = Rc::new(Cell::new(0usize));
        let counter = pulled.clone();
        // An endless body: the read must give up after the limit, not drain it.
        let endless = stream::repeat_with(move || {
            counter.set(counter.get() + 1);
            Ok::<_, PayloadError>(Bytes::from_static(&[b' '; 100]))
        });
        let result = read_limited(Box::pin(endless), 1000, PACE).await;
        assert_eq!(result.map(|b| b.len()).map_err(|e| e.code()), Err("payload_too_large"));
        assert_eq!(pulled.get(), 11, "ten chunks fit, the eleventh overflows");

        let small = stream::iter(vec![Ok::<_, PayloadError>(Bytes::from_static(b"{}"))]);
        assert_eq!(read_limited(small, 2, PACE).await.map(|b| b.len()).ok(), Some(2));
    }

    const PACE: BodyPace = BodyPace { grace: Duration::from_secs(5), min_bytes_per_s: 1024 };

    /// A body whose chunks of `size` bytes arrive every `every`.
    fn paced(chunks: usize, size: usize, every: Duration) -> impl Stream<Item = Result<Bytes, PayloadError>> {
        stream::iter(0..chunks).then(move |_| async move {
            actix_web::rt::time::sleep(every).await;
            Ok::<_, PayloadError>(Bytes::from(vec![b' '; size]))
        })
    }

    #[actix_web::test]
    async fn a_trickling_body_is_cut_off_and_a_steady_one_is_not() {
        let pace = BodyPace { grace: Duration::from_millis(150), min_bytes_per_s: 1000 };
        // 1 byte every 60 ms: 16 bytes/s, far below the rate; cut off soon after the grace,
        // long before its 100 bytes are in.
        let pulled = Rc::new(Cell::new(0usize));
        let counter = pulled.clone();
        let slow = paced(100, 1, Duration::from_millis(60)).inspect(move |_| counter.set(counter.get() + 1));
        let slow = read_limited(Box::pin(slow), 1000, pace).await;
        assert_eq!(slow.map(|b| b.len()).map_err(|e| e.code()), Err("request_timeout"));
        assert!(pulled.get() < 20, "cut off after {} bytes, not read to the end", pulled.get());
        // 100 bytes every 50 ms (2000 bytes/s) keeps ahead of the rate past the grace period.
        let steady = read_limited(Box::pin(paced(8, 100, Duration::from_millis(50))), 1000, pace).await;
        assert_eq!(steady.map(|b| b.len()).ok(), Some(800));
        // Nothing at all: the grace period is the deadline.
        let silent = read_limited(Box::pin(stream::pending::<Result<Bytes, PayloadError>>()), 10, pace).await;
        assert_eq!(silent.map_err(|e| e.code()).err(), Some("request_timeout"));
    }
}
