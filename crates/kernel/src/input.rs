//! Request fields as received, before validation, and the tri-state of PATCH fields
//! (api.md §1.6). Request bodies deserialize into structs of [`Raw`] fields, which never fail:
//! a value of the wrong JSON type is kept as [`Raw::WrongType`] for the domain to report with
//! every other problem at once. The `de` helpers read the loose shapes legacy clients send.

use serde::de::{DeserializeOwned, Deserializer};

use crate::error::{FieldCode, FieldError, ValidationErrors};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One body field as received.
///
/// `null` and an absent key are both `Absent`. A JSON type the field does not accept is
/// `WrongType` (reported as `invalid_type`). Numbers accepted for id and NPI fields are passed
/// as their decimal text in `Value`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Raw<T> {
    #[default]
    Absent,
    WrongType,
    Value(T),
}

impl<T> Raw<T> {
    /// Whether the key carried a non-null value (valid or not).
    pub fn is_present(&self) -> bool {
        !matches!(self, Raw::Absent)
    }

    /// The value, when one of the right type was sent.
    pub fn value(&self) -> Option<&T> {
        match self {
            Raw::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// Absent or `null` is `Absent`; a value `T` cannot be read from is `WrongType`.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Raw<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.is_null() {
            return Ok(Raw::Absent);
        }
        Ok(T::deserialize(value).map_or(Raw::WrongType, Raw::Value))
    }
}

/// Written as the value, or `null`: tests and tools build bodies from inputs.
impl<T: Serialize> Serialize for Raw<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Raw::Value(v) => v.serialize(serializer),
            _ => serializer.serialize_none(),
        }
    }
}

impl<T> From<Option<T>> for Raw<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Raw::Absent, Raw::Value)
    }
}

impl From<&str> for Raw<String> {
    fn from(value: &str) -> Self {
        Raw::Value(value.to_owned())
    }
}

/// The integer a JSON number is: a whole number written with a fraction or an exponent
/// (`200.0`, `2e2`) is the integer it equals, as JSON Schema counts it. Integers beyond `i64`
/// saturate: they are outside every range a field takes. `None` for a fraction.
pub fn whole_number(n: &serde_json::Number) -> Option<i64> {
    match (n.as_i64(), n.as_u64(), n.as_f64()) {
        (Some(i), _, _) => Some(i),
        (None, Some(_), _) => Some(i64::MAX),
        // `as` saturates at the bounds of i64.
        (None, None, Some(f)) if f.fract() == 0.0 => Some(f as i64),
        _ => None,
    }
}

/// Readers of the loose shapes legacy clients send, for `#[serde(deserialize_with = …)]` on
/// [`Raw`] fields (always with `#[serde(default)]`).
pub mod de {
    use super::*;

    /// A JSON string, or a number taken as its decimal text (ids, NPIs, telephone numbers,
    /// amounts): numbers are written from their shortest round-trip form, never through
    /// arithmetic, so a parser sees the digits that were sent.
    pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Raw<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Raw::Absent,
            Value::String(s) => Raw::Value(s),
            Value::Number(n) => Raw::Value(number_text(&n)),
            _ => Raw::WrongType,
        })
    }

    /// A number's decimal text; a whole number written with a fraction or an exponent (`42.0`,
    /// `1e3`) is the integer it equals, as JSON Schema counts it.
    fn number_text(n: &serde_json::Number) -> String {
        match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        }
    }

    /// An integer (see [`whole_number`]).
    pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Raw<i64>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Raw::Absent,
            Value::Number(n) => whole_number(&n).map_or(Raw::WrongType, Raw::Value),
            _ => Raw::WrongType,
        })
    }

    /// An array whose items should be strings; an item of another type is `None` (reported at
    /// its index by the domain).
    pub fn string_items<'de, D: Deserializer<'de>>(d: D) -> Result<Raw<Vec<Option<String>>>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => Raw::Absent,
            Value::Array(items) => Raw::Value(
                items
                    .into_iter()
                    .map(|item| match item {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => Raw::WrongType,
        })
    }
}

/// Keys a body carried that its request type does not read. The shell fills this in only under
/// `http.strict_fields = true`, and validation reports each key as `unknown_field`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownFields(Vec<String>);

impl UnknownFields {
    pub fn new(paths: Vec<String>) -> Self {
        Self(paths)
    }

    pub fn report(&self, errors: &mut ValidationErrors) {
        for path in &self.0 {
            errors.push(FieldError::new(path.as_str(), FieldCode::UnknownField, "is not a known field"));
        }
    }
}

/// A request body: deserialized leniently (every field a [`Raw`]), with the keys it did not
/// know recorded by the shell.
pub trait RequestBody: DeserializeOwned + Serialize {
    /// Top-level keys read outside serde (read-only fields, compared by the use case).
    const ALSO_KNOWN: &'static [&'static str] = &[];
    fn unknown_fields(&mut self) -> &mut UnknownFields;
}

/// A flag as legacy clients send it: JSON `true`/`false` or the numbers `1`/`0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Bool(b) => Ok(Flag(b)),
            Value::Number(n) if n.as_u64() == Some(1) => Ok(Flag(true)),
            Value::Number(n) if n.as_u64() == Some(0) => Ok(Flag(false)),
            _ => Err(serde::de::Error::custom("must be true, false, 1 or 0")),
        }
    }
}

impl Serialize for Flag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(self.0)
    }
}

impl Raw<Flag> {
    /// The flag's value: absent is `false`; a wrong type (reported elsewhere) too.
    pub fn is_set(&self) -> bool {
        matches!(self, Raw::Value(Flag(true)))
    }
}

/// A PATCH field that may also be cleared (`""` in the body).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Absent or `null`: keep the stored value.
    #[default]
    Unchanged,
    /// `""`: remove the stored value.
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Patch::Unchanged)
    }

    /// From an optional field's validated value: `None` (blank) clears, a value sets.
    pub fn from_value(value: Option<T>) -> Self {
        match value {
            Some(v) => Self::Set(v),
            None => Self::Clear,
        }
    }

    /// The value after applying the patch to `current`.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Unchanged => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(v) => Patch::Set(f(v)),
        }
    }

    /// `None` when unchanged, else the new column value (`Some(None)` stores `NULL`).
    pub fn into_update(self) -> Option<Option<T>> {
        match self {
            Patch::Unchanged => None,
            Patch::Clear => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }

    pub fn as_ref(&self) -> Patch<&T> {
        match self {
            Patch::Unchanged => Patch::Unchanged,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (patch, current value, value after, column update)
    type Row = (Patch<i32>, Option<i32>, Option<i32>, Option<Option<i32>>);

    #[test]
    fn raw_fields_never_fail() {
        #[derive(Debug, Deserialize, PartialEq)]
        #[serde(default)]
        struct Body {
            name: Raw<String>,
            count: Raw<i64>,
            #[serde(deserialize_with = "de::text_or_number")]
            npi: Raw<String>,
            #[serde(deserialize_with = "de::string_items")]
            codes: Raw<Vec<Option<String>>>,
            flag: Raw<Flag>,
        }
        impl Default for Body {
            fn default() -> Self {
                Body {
                    name: Raw::Absent,
                    count: Raw::Absent,
                    npi: Raw::Absent,
                    codes: Raw::Absent,
                    flag: Raw::Absent,
                }
            }
        }
        let read = |json: &str| serde_json::from_str::<Body>(json).ok();
        let body = read(r#"{"name": 5, "count": "x", "npi": 1234567893, "codes": ["a", 2], "flag": 1}"#);
        assert_eq!(
            body,
            Some(Body {
                name: Raw::WrongType,
                count: Raw::WrongType,
                npi: Raw::Value("1234567893".into()),
                codes: Raw::Value(vec![Some("a".into()), None]),
                flag: Raw::Value(Flag(true)),
            })
        );
        let body = read(r#"{"name": null, "count": 7, "npi": true, "codes": "x", "flag": "yes"}"#);
        assert_eq!(
            body,
            Some(Body {
                name: Raw::Absent,
                count: Raw::Value(7),
                npi: Raw::WrongType,
                codes: Raw::WrongType,
                flag: Raw::WrongType,
            })
        );
        assert_eq!(read("{}"), Some(Body::default()));
        assert_eq!(read(r#"{"npi": 12.50}"#).map(|b| b.npi), Some(Raw::Value("12.5".into())));

        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        struct Count {
            #[serde(deserialize_with = "de::integer")]
            n: Raw<i64>,
        }
        let count = |json: &str| serde_json::from_str::<Count>(json).map(|c| c.n).unwrap_or(Raw::Absent);
        assert_eq!(count(r#"{"n": 200}"#), Raw::Value(200));
        assert_eq!(count(r#"{"n": 200.0}"#), Raw::Value(200));
        assert_eq!(count(r#"{"n": 2e2}"#), Raw::Value(200));
        assert_eq!(count(r#"{"n": 200.5}"#), Raw::WrongType);
        assert_eq!(count(r#"{"n": "200"}"#), Raw::WrongType);
        assert_eq!(count(r#"{"n": 18446744073709551615}"#), Raw::Value(i64::MAX));
        assert_eq!(count(r#"{"n": -1e300}"#), Raw::Value(i64::MIN));
        assert_eq!(count(r#"{"n": null}"#), Raw::Absent);
    }

    #[test]
    fn apply_and_update() {
        let table: &[Row] = &[
            (Patch::Unchanged, Some(1), Some(1), None),
            (Patch::Unchanged, None, None, None),
            (Patch::Clear, Some(1), None, Some(None)),
            (Patch::Set(2), Some(1), Some(2), Some(Some(2))),
            (Patch::Set(2), None, Some(2), Some(Some(2))),
        ];
        for (patch, current, after, update) in table {
            assert_eq!(patch.clone().apply(*current), *after, "{patch:?} on {current:?}");
            assert_eq!(patch.clone().into_update(), *update, "{patch:?}");
        }
        assert_eq!(Patch::from_value(Some(3)), Patch::Set(3));
        assert_eq!(Patch::<i32>::from_value(None), Patch::Clear);
        assert_eq!(Patch::Set(2).map(|v| v * 10), Patch::Set(20));
        assert!(Patch::<i32>::default().is_unchanged());
    }
}
