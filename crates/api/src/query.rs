//! The query string, parsed by the shell itself so every malformed input is a JSON error.
//!
//! Extraction fails with 400 `malformed_query` (bad percent-encoding, invalid UTF-8) or 422
//! `duplicate_parameter` (a name given twice). The typed getters record field errors in the
//! extractor; a handler reads every parameter it needs, then calls [`QueryParams::finish`],
//! which answers 422 with every problem at once.
//!
//! ```text
//! async fn list(mut q: QueryParams) -> ApiResult<HttpResponse> {
//!     let user_id = q.req_str("user_id");
//!     let active = q.opt_bool("active");
//!     let page = q.page();
//!     q.finish()?;
//!     …
//! }
//! ```

use std::ops::RangeInclusive;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::{Ready, ready};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use surgicase_kernel::{FieldCode, FieldError, Raw, ValidationErrors, ValueError};
use utoipa::IntoParams;

use crate::errors::ApiError;

/// Largest `limit` of a list (api.md §1.7).
pub const MAX_LIMIT: i64 = 10_000;

/// The query string read into `T`: decoded as [`QueryParams`] are (400 when malformed, 422 for
/// a repeated name), then deserialized leniently like a body — each field a `Raw<String>`,
/// checked by the use case or the readers below. `T` also documents the parameters
/// (`#[derive(IntoParams)]`), so parsing and the document come from one definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(QueryParams::parse(req.query_string()).and_then(|q| q.read().map(Query)))
    }
}

/// `limit` and `offset` of a list (api.md §1.7); flattened into a route's query type and listed
/// beside it in the route's `params(...)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct PageQuery {
    /// 1–10000; default 10000 unless the route says otherwise.
    #[param(value_type = Option<crate::schema::LimitParam>, inline)]
    pub limit: Raw<String>,
    /// At least 0; default 0.
    #[param(value_type = Option<crate::schema::OffsetParam>, inline)]
    pub offset: Raw<String>,
}

impl PageQuery {
    /// The page, with `default_limit` when `limit` is absent; problems go to `errors`.
    pub fn page(&self, default_limit: i64, errors: &mut ValidationErrors) -> Page {
        let limit = int(errors, "limit", &self.limit, 1..=MAX_LIMIT).unwrap_or(default_limit);
        let offset = int(errors, "offset", &self.offset, 0..=i64::MAX).unwrap_or(0);
        Page { limit, offset }
    }
}

/// An integer query parameter in `range`; an empty value is `invalid_format` (it is not absent).
pub fn int(
    errors: &mut ValidationErrors,
    name: &str,
    raw: &Raw<String>,
    range: RangeInclusive<i64>,
) -> Option<i64> {
    match raw {
        Raw::Value(text) => errors.check(name, parse_int(text, &range)),
        _ => None,
    }
}

/// A boolean query parameter: `true`, `false`, `1`, `0`, any case.
pub fn flag(errors: &mut ValidationErrors, name: &str, raw: &Raw<String>) -> Option<bool> {
    let Raw::Value(text) = raw else { return None };
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            errors.push(FieldError::new(name, FieldCode::InvalidFormat, "must be true, false, 1 or 0"));
            None
        }
    }
}

/// A required text parameter as sent (`""` when absent: the use case reports `required`).
pub fn text(raw: &Raw<String>) -> &str {
    match raw {
        Raw::Value(text) => text,
        _ => "",
    }
}

/// The decoded query parameters of a request, with the field errors found so far.
#[derive(Debug, Clone, Default)]
pub struct QueryParams {
    pairs: Vec<(String, String)>,
    errors: ValidationErrors,
}

/// `limit` and `offset` of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
}

impl QueryParams {
    /// Decodes `a=1&b=x%20y` (`+` is a space). Empty pieces and empty names are skipped.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut duplicates = ValidationErrors::new();
        for piece in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = decode(name)?;
            let value = decode(value)?;
            if name.is_empty() {
                continue;
            }
            if pairs.iter().any(|(n, _)| *n == name) {
                if !duplicates.iter().any(|e| e.field == name) {
                    duplicates.push(FieldError::new(
                        name.clone(),
                        FieldCode::DuplicateParameter,
                        "must be given at most once",
                    ));
                }
                continue;
            }
            pairs.push((name, value));
        }
        if !duplicates.is_empty() {
            return Err(duplicates.into());
        }
        Ok(Self { pairs, errors: ValidationErrors::new() })
    }

    /// The parameters as a `T` whose fields are all `Raw<String>` (see [`Query`]).
    pub fn read<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let map: serde_json::Map<String, serde_json::Value> =
            self.pairs.iter().map(|(n, v)| (n.clone(), serde_json::Value::String(v.clone()))).collect();
        serde_json::from_value(serde_json::Value::Object(map))
            .map_err(|e| ApiError::internal(format!("a lenient query type refused its input: {e}")))
    }

    /// The value as sent (possibly empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value, `None` when absent or blank.
    pub fn get_nonblank(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// Whether the parameter was sent at all.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The value for a domain constructor that validates it (absent → `Raw::Absent`).
    pub fn raw(&self, name: &str) -> Raw<String> {
        self.get(name).map(str::to_owned).into()
    }

    /// An optional string; absent or blank is `None`.
    pub fn opt_str(&mut self, name: &str) -> Option<String> {
        self.get_nonblank(name).map(str::to_owned)
    }

    /// A required string; absent or blank records `required`.
    pub fn req_str(&mut self, name: &str) -> Option<String> {
        let value = self.opt_str(name);
        if value.is_none() {
            self.errors.push(ValueError::required().at(name));
        }
        value
    }

    /// `true`/`false`/`1`/`0`, case-insensitive; anything else records `invalid_format`.
    pub fn opt_bool(&mut self, name: &str) -> Option<bool> {
        let raw = self.get_nonblank(name)?.trim();
        match raw.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => {
                self.push(FieldError::new(name, FieldCode::InvalidFormat, "must be true, false, 1 or 0"));
                None
            }
        }
    }

    /// An integer within `range`: `invalid_format` when not an integer, `out_of_range` outside.
    pub fn opt_i64(&mut self, name: &str, range: RangeInclusive<i64>) -> Option<i64> {
        let raw = self.get_nonblank(name)?.trim();
        let result = parse_int(raw, &range);
        self.check(name, result)
    }

    /// `limit` (1–10000, default 10000) and `offset` (≥ 0, default 0).
    pub fn page(&mut self) -> Page {
        self.page_with(MAX_LIMIT)
    }

    /// Like [`QueryParams::page`] with a route's own default `limit`.
    pub fn page_with(&mut self, default_limit: i64) -> Page {
        let limit = self.opt_i64("limit", 1..=MAX_LIMIT).unwrap_or(default_limit);
        let offset = self.opt_i64("offset", 0..=i64::MAX).unwrap_or(0);
        Page { limit, offset }
    }

    /// Records the error of a domain parse under `name`; the value when valid.
    pub fn check<T>(&mut self, name: &str, result: Result<T, ValueError>) -> Option<T> {
        self.errors.check(name, result)
    }

    /// Records a field error.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// 422 with every recorded problem, or `Ok` when there is none. Clears the record.
    pub fn finish(&mut self) -> Result<(), ApiError> {
        let errors = std::mem::take(&mut self.errors);
        errors.into_result(()).map_err(ApiError::from)
    }

    /// The recorded problems, to merge with others (e.g. a body's).
    pub fn take_errors(&mut self) -> ValidationErrors {
        std::mem::take(&mut self.errors)
    }
}

/// An integer in `range` from its decimal text (`-` allowed, no `+`, no spaces inside).
pub fn parse_int(raw: &str, range: &RangeInclusive<i64>) -> Result<i64, ValueError> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(FieldCode::InvalidFormat, "must be an integer"));
    }
    let out_of_range = || {
        ValueError::new(
            FieldCode::OutOfRange,
            format!("must be between {} and {}", range.start(), range.end()),
        )
    };
    let value: i64 = raw.parse().map_err(|_| out_of_range())?;
    if range.contains(&value) { Ok(value) } else { Err(out_of_range()) }
}

/// Percent-decoding with `+` as a space; bad escapes and invalid UTF-8 are refused.
fn decode(raw: &str) -> Result<String, ApiError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = |b: u8| (b as char).to_digit(16);
                let high = bytes.get(i + 1).copied().and_then(hex);
                let low = bytes.get(i + 2).copied().and_then(hex);
                match (high, low) {
                    (Some(h), Some(l)) => out.push((h * 16 + l) as u8),
                    _ => return Err(ApiError::MalformedQuery("invalid percent-encoding".to_owned())),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| ApiError::MalformedQuery("not valid UTF-8".to_owned()))
}

impl FromRequest for QueryParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Self::parse(req.query_string()))
    }
}

#[cfg(test)]
mod tests {
    use surgicase_app::AppError;

    use super::*;

    fn codes(err: ApiError) -> Vec<(String, &'static str)> {
        match err {
            ApiError::App(AppError::Validation(e)) => {
                e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect()
            }
            other => vec![(String::new(), other.code())],
        }
    }

    #[test]
    fn decoding() {
        let q = QueryParams::parse("a=1&b=x%20y&c=x+y&d&e=&=skip&f=%C3%A9&&g=a%3Db").expect("valid");
        assert_eq!(q.get("a"), Some("1"));
        assert_eq!(q.get("b"), Some("x y"));
        assert_eq!(q.get("c"), Some("x y"));
        assert_eq!(q.get("d"), Some(""));
        assert_eq!(q.get("e"), Some(""));
        assert_eq!(q.get("f"), Some("é"));
        assert_eq!(q.get("g"), Some("a=b"));
        assert_eq!(q.get(""), None);
        assert!(q.contains("d"));
        assert!(!q.contains("z"));
    }

    #[test]
    fn malformed_strings() {
        for raw in ["a=%", "a=%4", "a=%zz", "a=%FF", "%C3=1", "a=%C3%28"] {
            let err = QueryParams::parse(raw).expect_err(raw);
            assert_eq!(err.code(), "malformed_query", "{raw}");
        }
    }

    #[test]
    fn repeated_parameters() {
        let err = QueryParams::parse("a=1&b=2&a=3&a=4&b=5").expect_err("duplicates");
        assert_eq!(
            codes(err),
            vec![("a".into(), "duplicate_parameter"), ("b".into(), "duplicate_parameter")]
        );
        // Encoded names are compared after decoding.
        let err = QueryParams::parse("user_id=1&user%5Fid=2").expect_err("duplicates");
        assert_eq!(codes(err), vec![("user_id".into(), "duplicate_parameter")]);
    }

    #[test]
    fn typed_getters() {
        let mut q = QueryParams::parse(
            "s=%20x%20&blank=%20&t=TRUE&f=0&bad=yes&n=42&neg=-3&big=99999999999999999999&x=4x",
        )
        .expect("valid");
        assert_eq!(q.opt_str("s").as_deref(), Some(" x "));
        assert_eq!(q.opt_str("blank"), None);
        assert_eq!(q.req_str("blank"), None);
        assert_eq!(q.req_str("missing"), None);
        assert_eq!(q.opt_bool("t"), Some(true));
        assert_eq!(q.opt_bool("f"), Some(false));
        assert_eq!(q.opt_bool("bad"), None);
        assert_eq!(q.opt_bool("missing"), None);
        assert_eq!(q.opt_i64("n", 0..=100), Some(42));
        assert_eq!(q.opt_i64("n", 0..=10), None);
        assert_eq!(q.opt_i64("neg", -5..=5), Some(-3));
        assert_eq!(q.opt_i64("big", 0..=i64::MAX), None);
        assert_eq!(q.opt_i64("x", 0..=10), None);
        assert_eq!(
            codes(q.finish().expect_err("errors")),
            vec![
                ("blank".into(), "required"),
                ("missing".into(), "required"),
                ("bad".into(), "invalid_format"),
                ("n".into(), "out_of_range"),
                ("big".into(), "out_of_range"),
                ("x".into(), "invalid_format"),
            ]
        );
        assert!(q.finish().is_ok(), "finish clears the record");
    }

    #[test]
    fn pages() {
        let table: &[(&str, Option<Page>)] = &[
            ("", Some(Page { limit: 10_000, offset: 0 })),
            ("limit=5&offset=10", Some(Page { limit: 5, offset: 10 })),
            ("limit=10000", Some(Page { limit: 10_000, offset: 0 })),
            ("limit=0", None),
            ("limit=10001", None),
            ("offset=-1", None),
            ("limit=abc", None),
        ];
        for (raw, expected) in table {
            let mut q = QueryParams::parse(raw).expect("valid");
            let page = q.page();
            match expected {
                Some(p) => {
                    assert_eq!(page, *p, "{raw}");
                    assert!(q.finish().is_ok(), "{raw}");
                }
                None => assert!(q.finish().is_err(), "{raw}"),
            }
        }
        let mut q = QueryParams::parse("").expect("valid");
        assert_eq!(q.page_with(50).limit, 50);
    }
}
