//! Reading a JSON object into domain inputs while collecting every problem.
//!
//! Two families of getters:
//! - `raw_*` return a [`Raw`] for a domain constructor that validates and reports itself
//!   (absent/`null` → `Absent`, a JSON type the field does not take → `WrongType`); they record
//!   nothing.
//! - the typed getters (`req_str`, `opt_bool`, `opt_money`, …) validate the JSON shape here and
//!   record `required` / `invalid_type` / `out_of_range` / … at the field's dotted path.
//!
//! Every getter marks its name as known; with `http.strict_fields = true`, [`Fields::finish`]
//! reports every other key as `unknown_field` (declare read-and-ignored keys with
//! [`Fields::allow`]). Nested objects are read through [`Fields::raw_object`] or
//! [`Fields::opt_object`], whose paths are `parent.child`.
//!
//! ```text
//! let mut f = body.fields();
//! let input = NewCaseInput {
//!     case_id: f.raw_str("case_id"),
//!     surgeon_id: f.raw_text("surgeon_id"),
//!     patient: f.raw_object("patient", |p| PatientInput { first: p.raw_str("first"), … }),
//!     procedure_codes: f.raw_str_list("procedure_codes"),
//!     …
//! };
//! let force = f.opt_bool("force_duplicate").unwrap_or(false);
//! let mut errors = f.into_errors();       // or f.finish()? when no domain step follows
//! let new_case = NewCase::validate(input).map_err(|e| { errors.extend(e); errors })?;
//! ```

use std::ops::RangeInclusive;

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use surgicase_kernel::{FieldCode, FieldError, Money, Patch, Raw, ValidationErrors, ValueError};

use crate::errors::ApiError;
use crate::query::parse_int;

/// A reader over one JSON object (the body or a nested object).
#[derive(Debug)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
    strict: bool,
    known: Vec<&'a str>,
    errors: ValidationErrors,
}

impl<'a> Fields<'a> {
    /// A reader of a top-level object; `strict` refuses unknown keys.
    pub fn new(map: &'a Map<String, Value>, strict: bool) -> Self {
        Self { map, prefix: String::new(), strict, known: Vec::new(), errors: ValidationErrors::new() }
    }

    /// The dotted path of a key of this object.
    pub fn path(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Declares keys as known without reading them (accepted and discarded).
    pub fn allow(&mut self, names: &[&str]) {
        for name in names {
            self.mark(name);
        }
    }

    fn mark(&mut self, name: &str) {
        if let Some((key, _)) = self.map.get_key_value(name)
            && !self.known.contains(&key.as_str())
        {
            self.known.push(key.as_str());
        }
    }

    /// The non-null values of `names` as sent, marked known: read-only fields, which only the
    /// use case can judge (it compares them with the stored row).
    pub fn sent_values(&mut self, names: &[&str]) -> Vec<(String, Value)> {
        names.iter().filter_map(|name| self.value(name).map(|v| ((*name).to_owned(), v.clone()))).collect()
    }

    /// The value of a key, marked known; `None` when absent or `null`.
    pub fn value(&mut self, name: &str) -> Option<&'a Value> {
        self.mark(name);
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// Whether the key carries a non-null value (does not mark it known).
    pub fn is_present(&self, name: &str) -> bool {
        self.map.get(name).is_some_and(|v| !v.is_null())
    }

    /// Records the error of a parse under this key's path; the value when valid.
    pub fn check<T>(&mut self, name: &str, result: Result<T, ValueError>) -> Option<T> {
        let path = self.path(name);
        self.errors.check(&path, result)
    }

    /// Records an error (its field should come from [`Fields::path`]).
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    fn invalid_type(&mut self, name: &str, expected: &str) {
        let path = self.path(name);
        self.errors.push(FieldError::new(path, FieldCode::InvalidType, format!("must be {expected}")));
    }

    // ----- raw values for the domain -----

    /// A string field.
    pub fn raw_str(&mut self, name: &str) -> Raw<String> {
        self.raw_with(name, |v| v.as_str().map(str::to_owned))
    }

    /// A field taken as a JSON string or number (ids, NPIs, telephone): numbers as their
    /// decimal text.
    pub fn raw_text(&mut self, name: &str) -> Raw<String> {
        self.raw_with(name, |v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(number_text(n)),
            _ => None,
        })
    }

    /// An array of strings; items that are not strings are `None` (the domain reports them).
    pub fn raw_str_list(&mut self, name: &str) -> Raw<Vec<Option<String>>> {
        self.raw_with(name, |v| {
            v.as_array().map(|items| items.iter().map(|i| i.as_str().map(str::to_owned)).collect())
        })
    }

    /// Any shape serde can read (e.g. an untagged "text or int" enum); a failure is `WrongType`.
    pub fn raw_de<T: DeserializeOwned>(&mut self, name: &str) -> Raw<T> {
        self.raw_with(name, |v| serde_json::from_value(v.clone()).ok())
    }

    /// A field converted by `convert`; `None` from it is `WrongType`.
    pub fn raw_with<T>(&mut self, name: &str, convert: impl FnOnce(&'a Value) -> Option<T>) -> Raw<T> {
        match self.value(name) {
            None => Raw::Absent,
            Some(v) => convert(v).map_or(Raw::WrongType, Raw::Value),
        }
    }

    /// A nested object read by `read` (paths `name.key`); its problems join this reader's.
    pub fn raw_object<T>(&mut self, name: &str, read: impl FnOnce(&mut Fields<'a>) -> T) -> Raw<T> {
        match self.value(name) {
            None => Raw::Absent,
            Some(Value::Object(map)) => {
                let mut child = Fields {
                    map,
                    prefix: format!("{}.", self.path(name)),
                    strict: self.strict,
                    known: Vec::new(),
                    errors: ValidationErrors::new(),
                };
                let value = read(&mut child);
                self.errors.extend(child.into_errors());
                Raw::Value(value)
            }
            Some(_) => Raw::WrongType,
        }
    }

    // ----- typed values, checked here -----

    /// A required string: absent, `null`, empty or blank → `required`.
    pub fn req_str(&mut self, name: &str) -> Option<String> {
        match self.raw_str(name) {
            Raw::Value(s) if !s.trim().is_empty() => Some(s),
            Raw::WrongType => {
                self.invalid_type(name, "a string");
                None
            }
            _ => {
                let path = self.path(name);
                self.errors.push(ValueError::required().at(path));
                None
            }
        }
    }

    /// An optional string: absent or `null` → `None`; `""` is returned as is.
    pub fn opt_str(&mut self, name: &str) -> Option<String> {
        match self.raw_str(name) {
            Raw::Value(s) => Some(s),
            Raw::Absent => None,
            Raw::WrongType => {
                self.invalid_type(name, "a string");
                None
            }
        }
    }

    /// A clearable PATCH string: absent/`null` → `Unchanged`, `""` or blank → `Clear`.
    pub fn opt_str_or_empty(&mut self, name: &str) -> Patch<String> {
        match self.opt_str(name) {
            None => Patch::Unchanged,
            Some(s) if s.trim().is_empty() => Patch::Clear,
            Some(s) => Patch::Set(s),
        }
    }

    /// A boolean: JSON `true`/`false`, or the numbers `1`/`0` (legacy clients send flags so).
    pub fn opt_bool(&mut self, name: &str) -> Option<bool> {
        let value = self.value(name)?;
        match value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_u64() == Some(1) => Some(true),
            Value::Number(n) if n.as_u64() == Some(0) => Some(false),
            _ => {
                self.invalid_type(name, "true or false");
                None
            }
        }
    }

    /// An integer given as a JSON number, within `range`.
    pub fn opt_i64(&mut self, name: &str, range: RangeInclusive<i64>) -> Option<i64> {
        match self.value(name)? {
            Value::Number(n) => self.integer(name, n, &range),
            _ => {
                self.invalid_type(name, "an integer");
                None
            }
        }
    }

    /// An integer given as a JSON number or a digit string (NPIs, telephone, ids: api.md §1.6),
    /// within `range`. A blank string is absent.
    pub fn opt_i64_or_digits(&mut self, name: &str, range: RangeInclusive<i64>) -> Option<i64> {
        match self.value(name)? {
            Value::Number(n) => self.integer(name, n, &range),
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => {
                let text = s.trim();
                if text.starts_with('-') {
                    // A digit string has no sign.
                    let path = self.path(name);
                    self.errors.push(FieldError::new(
                        path,
                        FieldCode::InvalidFormat,
                        "must contain only digits",
                    ));
                    return None;
                }
                self.check(name, parse_int(text, &range))
            }
            _ => {
                self.invalid_type(name, "an integer or a digit string");
                None
            }
        }
    }

    fn integer(&mut self, name: &str, n: &Number, range: &RangeInclusive<i64>) -> Option<i64> {
        if n.is_f64() {
            self.invalid_type(name, "an integer");
            return None;
        }
        // Integers beyond i64 are still integers: their text gives `out_of_range`.
        self.check(name, parse_int(&n.to_string(), range))
    }

    /// An amount given as a JSON number or a decimal string, 0.00–100000.00, at most two
    /// decimals (`invalid_amount` otherwise). A blank string is absent.
    pub fn opt_money(&mut self, name: &str) -> Option<Money> {
        let text = match self.value(name)? {
            Value::Number(n) => number_text(n),
            Value::String(s) if s.trim().is_empty() => return None,
            Value::String(s) => s.trim().to_owned(),
            _ => {
                let path = self.path(name);
                self.errors.push(FieldError::new(
                    path,
                    FieldCode::InvalidAmount,
                    "amount must be a number or a decimal string",
                ));
                return None;
            }
        };
        self.check(name, Money::parse_request_amount(&text))
    }

    /// An array of strings; a non-array is `invalid_type`, and so is each non-string item
    /// (at `name[i]`).
    pub fn opt_str_list(&mut self, name: &str) -> Option<Vec<String>> {
        let Value::Array(items) = self.value(name)? else {
            self.invalid_type(name, "an array of strings");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => {
                    ok = false;
                    self.invalid_type(&format!("{name}[{i}]"), "a string");
                }
            }
        }
        ok.then_some(out)
    }

    /// A nested object read by `read`; a non-object is `invalid_type`.
    pub fn opt_object<T>(&mut self, name: &str, read: impl FnOnce(&mut Fields<'a>) -> T) -> Option<T> {
        match self.raw_object(name, read) {
            Raw::Value(v) => Some(v),
            Raw::Absent => None,
            Raw::WrongType => {
                self.invalid_type(name, "an object");
                None
            }
        }
    }

    /// An array of objects, each read by `read` (paths `name[i].key`); a non-array is
    /// `invalid_type`, and so is each item that is not an object. Limits on the count are the
    /// use case's.
    pub fn opt_object_list<T>(
        &mut self,
        name: &str,
        mut read: impl FnMut(&mut Fields<'a>) -> T,
    ) -> Option<Vec<T>> {
        let Value::Array(items) = self.value(name)? else {
            self.invalid_type(name, "an array of objects");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let Value::Object(map) = item else {
                self.invalid_type(&format!("{name}[{i}]"), "an object");
                continue;
            };
            let mut child = Fields {
                map,
                prefix: format!("{}[{i}].", self.path(name)),
                strict: self.strict,
                known: Vec::new(),
                errors: ValidationErrors::new(),
            };
            out.push(read(&mut child));
            self.errors.extend(child.into_errors());
        }
        Some(out)
    }

    // ----- the end -----

    /// Every problem recorded, plus unknown keys in strict mode.
    pub fn into_errors(mut self) -> ValidationErrors {
        if self.strict {
            for key in self.map.keys() {
                if !self.known.contains(&key.as_str()) {
                    let path = self.path(key);
                    self.errors.push(FieldError::new(path, FieldCode::UnknownField, "is not a known field"));
                }
            }
        }
        self.errors
    }

    /// 422 with every problem, or `Ok` when there is none.
    pub fn finish(self) -> Result<(), ApiError> {
        self.into_errors().into_result(()).map_err(ApiError::from)
    }
}

/// The decimal text of a JSON number. Integers are exact; other numbers are written from
/// their shortest round-trip form (`450.5`, `1e-7`), never through arithmetic, so a money
/// parser sees the decimals that were sent.
pub fn number_text(n: &Number) -> String {
    n.to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    fn listed(errors: &ValidationErrors) -> Vec<(String, &'static str)> {
        errors.iter().map(|e| (e.field.clone(), e.code.as_str())).collect()
    }

    #[test]
    fn raw_values() {
        let map = object(json!({
            "s": "x", "n": 1234567893_i64, "f": 12.5, "b": true, "nul": null,
            "list": ["a", 2, "c"], "obj": {"first": "Jane", "extra": 1}
        }));
        let mut f = Fields::new(&map, false);
        assert_eq!(f.raw_str("s"), Raw::Value("x".into()));
        assert_eq!(f.raw_str("n"), Raw::WrongType);
        assert_eq!(f.raw_str("nul"), Raw::Absent);
        assert_eq!(f.raw_str("missing"), Raw::Absent);
        assert_eq!(f.raw_text("n"), Raw::Value("1234567893".into()));
        assert_eq!(f.raw_text("f"), Raw::Value("12.5".into()));
        assert_eq!(f.raw_text("b"), Raw::WrongType);
        assert_eq!(f.raw_str_list("list"), Raw::Value(vec![Some("a".into()), None, Some("c".into())]));
        assert_eq!(f.raw_str_list("s"), Raw::WrongType);
        assert_eq!(f.raw_object("obj", |p| p.raw_str("first")), Raw::Value(Raw::Value("Jane".into())));
        assert_eq!(f.raw_object("s", |p| p.raw_str("first")), Raw::WrongType);
        assert_eq!(f.raw_de::<i64>("n"), Raw::Value(1_234_567_893));
        assert_eq!(f.raw_de::<i64>("s"), Raw::WrongType);
        assert!(f.into_errors().is_empty(), "raw getters record nothing outside strict mode");
    }

    #[test]
    fn typed_values_and_their_errors() {
        let map = object(json!({
            "name": "Jane", "blank": "  ", "num": 5, "flag": true, "one": 1, "two": 2,
            "age": 40, "old": 400, "float": 1.5, "npi": "1234567893", "neg": "-5", "digits": "12a",
            "big": 18446744073709551615_u64, "codes": ["27447", 5], "clear": "", "keep": null
        }));
        let mut f = Fields::new(&map, false);
        assert_eq!(f.req_str("name").as_deref(), Some("Jane"));
        assert_eq!(f.req_str("blank"), None);
        assert_eq!(f.req_str("missing"), None);
        assert_eq!(f.req_str("num"), None);
        assert_eq!(f.opt_str("blank").as_deref(), Some("  "));
        assert_eq!(f.opt_str("keep"), None);
        assert_eq!(f.opt_str_or_empty("clear"), Patch::Clear);
        assert_eq!(f.opt_str_or_empty("keep"), Patch::Unchanged);
        assert_eq!(f.opt_str_or_empty("name"), Patch::Set("Jane".into()));
        assert_eq!(f.opt_bool("flag"), Some(true));
        assert_eq!(f.opt_bool("one"), Some(true));
        assert_eq!(f.opt_bool("two"), None);
        assert_eq!(f.opt_i64("age", 0..=150), Some(40));
        assert_eq!(f.opt_i64("old", 0..=150), None);
        assert_eq!(f.opt_i64("float", 0..=150), None);
        assert_eq!(f.opt_i64("npi", 0..=i64::MAX), None);
        assert_eq!(f.opt_i64_or_digits("npi", 0..=i64::MAX), Some(1_234_567_893));
        assert_eq!(f.opt_i64_or_digits("neg", 0..=i64::MAX), None);
        assert_eq!(f.opt_i64_or_digits("digits", 0..=i64::MAX), None);
        assert_eq!(f.opt_i64_or_digits("big", 0..=i64::MAX), None);
        assert_eq!(f.opt_str_list("codes"), None);
        assert_eq!(
            listed(&f.into_errors()),
            vec![
                ("blank".into(), "required"),
                ("missing".into(), "required"),
                ("num".into(), "invalid_type"),
                ("two".into(), "invalid_type"),
                ("old".into(), "out_of_range"),
                ("float".into(), "invalid_type"),
                ("npi".into(), "invalid_type"),
                ("neg".into(), "invalid_format"),
                ("digits".into(), "invalid_format"),
                ("big".into(), "out_of_range"),
                ("codes[1]".into(), "invalid_type"),
            ]
        );
    }

    #[test]
    fn money() {
        let map = object(json!({
            "a": 450, "b": 450.5, "c": "450.50", "d": 1.234, "e": -1, "f": "100000.01",
            "g": true, "h": 0.1, "i": 1e-7, "j": "", "k": 100000.00
        }));
        let mut f = Fields::new(&map, false);
        let cents = |m: Option<Money>| m.map(Money::cents);
        assert_eq!(cents(f.opt_money("a")), Some(45_000));
        assert_eq!(cents(f.opt_money("b")), Some(45_050));
        assert_eq!(cents(f.opt_money("c")), Some(45_050));
        assert_eq!(cents(f.opt_money("h")), Some(10));
        assert_eq!(cents(f.opt_money("k")), Some(10_000_000));
        assert_eq!(cents(f.opt_money("j")), None);
        assert_eq!(cents(f.opt_money("missing")), None);
        for name in ["d", "e", "f", "g", "i"] {
            assert_eq!(cents(f.opt_money(name)), None, "{name}");
        }
        let errors = f.into_errors();
        assert_eq!(errors.len(), 5);
        assert!(errors.iter().all(|e| e.code == FieldCode::InvalidAmount), "{errors:?}");
    }

    #[test]
    fn nested_paths_and_strict_mode() {
        let map = object(json!({
            "patient": {"first": "", "last": "Doe", "middle": "X"},
            "user_id": "u1", "extra": 1, "discarded": {}, "bad": "x"
        }));
        let mut f = Fields::new(&map, true);
        let last = f.opt_object("patient", |p| {
            p.req_str("first");
            p.req_str("last")
        });
        assert_eq!(last, Some(Some("Doe".into())));
        assert_eq!(f.opt_object("bad", |p| p.req_str("x")), None);
        f.raw_str("user_id");
        f.allow(&["discarded", "not_sent"]);
        assert_eq!(
            listed(&f.into_errors()),
            vec![
                ("patient.first".into(), "required"),
                ("patient.middle".into(), "unknown_field"),
                ("bad".into(), "invalid_type"),
                ("extra".into(), "unknown_field"),
            ]
        );
    }

    #[test]
    fn sent_values_are_known_and_skip_null() {
        let map = object(json!({"case_status": 20, "pay_amount": null, "extra": 1}));
        let mut f = Fields::new(&map, true);
        let sent = f.sent_values(&["case_status", "pay_amount", "pay_category"]);
        assert_eq!(sent, vec![("case_status".to_owned(), json!(20))]);
        assert_eq!(listed(&f.into_errors()), vec![("extra".into(), "unknown_field")]);
    }

    #[test]
    fn finish_answers_422() {
        let map = object(json!({}));
        assert!(Fields::new(&map, true).finish().is_ok());
        let mut f = Fields::new(&map, false);
        f.req_str("case_id");
        assert_eq!(f.finish().map_err(|e| e.status().as_u16()), Err(422));
    }
}
