//! The shell's own request bodies: those with no domain input type (upload URLs, confirmations,
//! `/get_case_images`, bug reports, `/log_request`).
//!
//! Such a body is one type that is read, documented and checked: its fields are `Raw` (reading
//! never fails), it derives `ToSchema` (field schemas built from the limits the checks use) and
//! `validator::Validate` (lengths, counts, ranges, presence). [`Valid`] extracts one and refuses
//! it with every problem at once; what the values mean stays the use case's to judge.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use serde_json::{Map, Value};
use surgicase_kernel::{FieldCode, FieldError, Raw, RequestBody, ValidationErrors, ValueError};
use validator::{Validate, ValidationErrorsKind};

use crate::body::{Json, JsonBody};
use crate::errors::ApiError;
use crate::state::Settings;

/// A checked shell body (see the module). Extract it before the caller ([`crate::Authed`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Valid<T>(pub T);

impl<T: RequestBody + Validate> Valid<T> {
    /// Reads and checks an object: 422 with every problem.
    pub fn from_map(map: Map<String, Value>, strict: bool) -> Result<Self, ApiError> {
        let (body, problems) = read(map, strict)?;
        problems.into_result(Valid(body)).map_err(ApiError::from)
    }
}

impl<T: RequestBody + Validate + 'static> FromRequest for Valid<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = JsonBody::from_request(req, payload);
        let strict = Settings::of(req).strict_fields;
        Box::pin(async move { Valid::from_map(body.await?.into_map(), strict) })
    }
}

/// `T` read from an object, with its problems: values of the wrong JSON type
/// (`invalid_type`), broken `validator` rules, and under `strict` the keys `T` does not know.
pub fn read<T: RequestBody + Validate>(
    map: Map<String, Value>,
    strict: bool,
) -> Result<(T, ValidationErrors), ApiError> {
    let sent = Value::Object(map.clone());
    let Json(mut body) = Json::<T>::from_map(map, strict)?;
    let read_back = serde_json::to_value(&body)
        .map_err(|e| ApiError::internal(format!("a body type cannot be written back: {e}")))?;
    let mut found = Vec::new();
    wrong_types(&sent, &read_back, "", &mut found);
    if let Err(broken) = body.validate() {
        rules(&broken, "", &mut found);
    }
    // The rules come in no particular order; fields are listed by path, each problem once.
    found.sort_by(|a, b| a.field.cmp(&b.field));
    found.dedup_by(|a, b| a.field == b.field && a.code == b.code);
    let mut errors = ValidationErrors(found);
    body.unknown_fields().report(&mut errors);
    Ok((body, errors))
}

/// A value sent that reads back as `null` was of a JSON type its field does not take.
fn wrong_types(sent: &Value, read_back: &Value, path: &str, out: &mut Vec<FieldError>) {
    match (sent, read_back) {
        (Value::Object(sent), Value::Object(known)) => {
            for (key, value) in sent {
                if let Some(inner) = known.get(key) {
                    wrong_types(value, inner, &join(path, key), out);
                }
            }
        }
        (Value::Array(sent), Value::Array(known)) => {
            for (i, (value, inner)) in sent.iter().zip(known).enumerate() {
                wrong_types(value, inner, &format!("{path}[{i}]"), out);
            }
        }
        (sent, Value::Null) if !sent.is_null() => {
            out.push(FieldError::new(
                path,
                FieldCode::InvalidType,
                "has the wrong JSON type (see the schema)",
            ));
        }
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    match (path.is_empty(), key) {
        (_, "__all__") => path.to_owned(),
        (true, _) => key.to_owned(),
        (false, _) => format!("{path}.{key}"),
    }
}

/// `validator`'s errors as field errors: paths `a.b` and `list[i]`; codes `too_long`,
/// `too_short`, `too_many`, `out_of_range`, `required` (any other rule: `invalid_format`).
pub fn rules(errors: &validator::ValidationErrors, path: &str, out: &mut Vec<FieldError>) {
    for (name, kind) in errors.errors() {
        let here = join(path, name);
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| field_error(&here, e))),
            ValidationErrorsKind::Struct(inner) => rules(inner, &here, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    rules(inner, &format!("{here}[{i}]"), out);
                }
            }
        }
    }
}

fn field_error(field: &str, error: &validator::ValidationError) -> FieldError {
    let param = |name: &str| error.params.get(name);
    let bound = |name: &str| param(name).and_then(Value::as_u64);
    match error.code.as_ref() {
        "length" => {
            let (len, items) = match param("value") {
                Some(Value::String(s)) => (s.chars().count() as u64, false),
                Some(Value::Array(a)) => (a.len() as u64, true),
                Some(Value::Object(o)) => (o.len() as u64, true),
                _ => (0, false),
            };
            match (bound("max").or(bound("equal")), bound("min").or(bound("equal"))) {
                (Some(max), _) if len > max && items => {
                    FieldError::new(field, FieldCode::TooMany, format!("must list at most {max} items"))
                }
                (Some(max), _) if len > max => ValueError::too_long(max as usize).at(field),
                (_, min) => {
                    let min = min.unwrap_or(0);
                    let what = if items { "items" } else { "characters" };
                    FieldError::new(field, FieldCode::TooShort, format!("must have at least {min} {what}"))
                }
            }
        }
        "range" => {
            let message = match (param("min"), param("max")) {
                (Some(min), Some(max)) => format!("must be between {min} and {max}"),
                (Some(min), None) => format!("must be at least {min}"),
                (None, Some(max)) => format!("must be at most {max}"),
                (None, None) => "is out of range".to_owned(),
            };
            FieldError::new(field, FieldCode::OutOfRange, message)
        }
        "required" => ValueError::required().at(field),
        "invalid_type" => FieldError::new(field, FieldCode::InvalidType, "must be a string"),
        other => {
            let message = error.message.as_deref().unwrap_or(other).to_owned();
            FieldError::new(field, FieldCode::InvalidFormat, message)
        }
    }
}

/// An item of a list of strings. Unlike a field, an item has no absence: `null` or any other
/// JSON type is `invalid_type` at its index (`case_ids[2]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringItem(pub Option<String>);

impl<'de> serde::Deserialize<'de> for StringItem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => StringItem(Some(s)),
            _ => StringItem(None),
        })
    }
}

impl serde::Serialize for StringItem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl Validate for StringItem {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        let mut errors = validator::ValidationErrors::new();
        if self.0.is_none() {
            errors.add("__all__", validator::ValidationError::new("invalid_type"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// A rule for text fields that must not be blank when sent (`required`).
pub fn not_blank(raw: &Raw<String>) -> Result<(), validator::ValidationError> {
    match raw.value() {
        Some(text) if text.trim().is_empty() => Err(validator::ValidationError::new("required")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
