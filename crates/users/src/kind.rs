//! The kinds of value a profile field takes (domain §4, §12): how each is read from a request,
//! validated and normalised. A blank string clears an optional field (PATCH) or means "not
//! given" (POST); the fields a profile cannot lack refuse it.

use serde_json::Value;
use surgicase_kernel::input::whole_number;
use surgicase_kernel::time::parse_date;
use surgicase_kernel::{CaseStatus, FieldCode, Npi, UserType, ValueError, text};

use crate::message_pref::MessagePref;
use crate::value::ProfileValue;

pub(crate) const NAME_MAX: usize = 100;
pub(crate) const ADDRESS_MAX: usize = 250;
pub(crate) const REFERRED_BY_MAX: usize = 100;
pub(crate) const TIMEZONE_MAX: usize = 64;
pub(crate) const CREDENTIALS_MAX: usize = 50;
pub(crate) const PAGINATION_MAX: i64 = 1000;

/// How a profile field's value is read and checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Email,
    Name,
    Address,
    State,
    Zip,
    Telephone,
    Npi,
    ReferredBy,
    MessagePref,
    StatesLicensed,
    Timezone,
    Credentials,
    Date,
    Pagination,
    /// `documents`: read by [`crate::documents`].
    Documents,
    UserType,
    Tier,
    Cap,
    Active,
}

fn invalid_type(expected: &str) -> ValueError {
    ValueError::new(FieldCode::InvalidType, format!("must be {expected}"))
}

/// A JSON string.
fn string(value: &Value) -> Result<&str, ValueError> {
    value.as_str().ok_or_else(|| invalid_type("a string"))
}

/// A JSON string, or an integer taken as its decimal text.
fn text_or_integer(value: &Value) -> Result<String, ValueError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => match whole_number(n) {
            Some(i) => Ok(i.to_string()),
            None => Err(invalid_type("an integer or a digit string")),
        },
        _ => Err(invalid_type("an integer or a digit string")),
    }
}

/// A JSON integer.
fn integer(value: &Value) -> Result<i64, ValueError> {
    match value {
        Value::Number(n) => whole_number(n).ok_or_else(|| invalid_type("an integer")),
        _ => Err(invalid_type("an integer")),
    }
}

/// `Ok(None)` for a blank string (clear / not given), else `parse` of the trimmed text.
fn blank_or<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, ValueError>,
) -> Result<Option<T>, ValueError> {
    if raw.trim().is_empty() { Ok(None) } else { parse(raw).map(Some) }
}

fn text_value(value: Option<String>) -> ProfileValue {
    ProfileValue::Text(value)
}

impl FieldKind {
    /// Only a user admin sets these, never on their own profile (domain §4.2.1).
    pub fn is_role(self) -> bool {
        matches!(self, Self::UserType | Self::Tier | Self::Cap | Self::Active)
    }

    /// The fields a new profile must have; they can never be cleared.
    pub fn is_required(self) -> bool {
        matches!(self, Self::Email | Self::Name)
    }

    /// Whether `""` clears the value (or, on creation, means "not given").
    pub fn is_clearable(self) -> bool {
        !self.is_required() && !self.is_role() && self != Self::MessagePref && self != Self::Documents
    }

    /// Reads one sent value (not `null`): `Ok(None)` when a blank string clears it.
    pub(crate) fn read(self, value: &Value) -> Result<Option<ProfileValue>, ValueError> {
        match self {
            Self::Email => text::email(string(value)?).map(|e| Some(text_value(Some(e)))),
            Self::Name => text::person_name(string(value)?, NAME_MAX).map(|n| Some(text_value(Some(n)))),
            Self::Address => line(string(value)?, ADDRESS_MAX),
            Self::ReferredBy => line(string(value)?, REFERRED_BY_MAX),
            // Only trimmed and bounded here; whether the zone exists is the application's check.
            Self::Timezone => line(string(value)?, TIMEZONE_MAX),
            Self::Credentials => line(string(value)?, CREDENTIALS_MAX),
            Self::State => blank_or(string(value)?, text::state).map(|s| s.map(|s| text_value(Some(s)))),
            Self::Zip => {
                blank_or(&text_or_integer(value)?, text::zip).map(|z| z.map(|z| text_value(Some(z))))
            }
            Self::StatesLicensed => {
                let s = text::states_licensed(string(value)?)?;
                Ok((!s.is_empty()).then(|| text_value(Some(s))))
            }
            Self::Telephone => telephone(value),
            Self::Npi => npi(value),
            Self::MessagePref => {
                MessagePref::parse(&text_or_integer(value)?).map(|p| Some(ProfileValue::MessagePref(p)))
            }
            Self::Date => blank_or(string(value)?, |s| parse_date(s.trim()))
                .map(|d| d.map(|d| ProfileValue::Date(Some(d)))),
            Self::Pagination => pagination(value),
            Self::UserType => UserType::new(integer(value)?).map(|t| Some(ProfileValue::UserType(t))),
            Self::Tier => tier(integer(value)?).map(|t| Some(ProfileValue::Tier(t))),
            Self::Cap => CaseStatus::new(integer(value)?).map(|c| Some(ProfileValue::Cap(c))),
            Self::Active => active(value).map(|_| Some(ProfileValue::Reactivate)),
            Self::Documents => Err(invalid_type("an array of documents")),
        }
    }

    /// The value a clearing blank stands for.
    pub(crate) fn cleared(self) -> ProfileValue {
        match self {
            Self::Telephone => ProfileValue::Telephone(None),
            Self::Npi => ProfileValue::Npi(None),
            Self::Date => ProfileValue::Date(None),
            Self::Pagination => ProfileValue::Count(None),
            _ => ProfileValue::Text(None),
        }
    }
}

/// An optional one-line text field.
fn line(raw: &str, max: usize) -> Result<Option<ProfileValue>, ValueError> {
    text::optional_line(raw, max).map(|s| s.map(|s| text_value(Some(s))))
}

fn telephone(value: &Value) -> Result<Option<ProfileValue>, ValueError> {
    let raw = match value {
        Value::Number(n) if whole_number(n).is_some_and(|i| i < 0) => {
            return Err(ValueError::new(FieldCode::InvalidFormat, "must be a ten-digit telephone number"));
        }
        other => text_or_integer(other)?,
    };
    blank_or(&raw, text::telephone).map(|t| t.map(|t| ProfileValue::Telephone(Some(t))))
}

fn npi(value: &Value) -> Result<Option<ProfileValue>, ValueError> {
    if let Value::Number(n) = value {
        let n = whole_number(n)
            .and_then(|i| u64::try_from(i).ok())
            .ok_or_else(|| ValueError::new(FieldCode::InvalidNpi, "NPI must be ten digits"))?;
        return Npi::from_u64(n).map(|n| Some(ProfileValue::Npi(Some(n))));
    }
    blank_or(string(value)?, Npi::parse).map(|n| n.map(|n| ProfileValue::Npi(Some(n))))
}

fn pagination(value: &Value) -> Result<Option<ProfileValue>, ValueError> {
    let n = match value {
        Value::String(s) if s.trim().is_empty() => return Ok(None),
        Value::String(_) => return Err(invalid_type("an integer")),
        other => integer(other)?,
    };
    if (1..=PAGINATION_MAX).contains(&n) {
        Ok(Some(ProfileValue::Count(Some(n as i32))))
    } else {
        Err(ValueError::new(FieldCode::OutOfRange, "must be between 1 and 1000"))
    }
}

fn tier(raw: i64) -> Result<i32, ValueError> {
    if (1..=i64::from(crate::tier::TIER_MAX)).contains(&raw) {
        Ok(raw as i32)
    } else {
        Err(ValueError::new(FieldCode::OutOfRange, "must be between 1 and 1000"))
    }
}

/// `active` may only be set to 1 (`true`): DELETE /user deactivates.
fn active(value: &Value) -> Result<(), ValueError> {
    match value {
        Value::Bool(true) => Ok(()),
        Value::Number(n) if whole_number(n) == Some(1) => Ok(()),
        Value::Bool(false) | Value::Number(_) => Err(ValueError::new(
            FieldCode::OutOfRange,
            "only 1 (reactivate) is accepted; use DELETE /user to deactivate",
        )),
        _ => Err(invalid_type("1")),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(kind: FieldKind, value: Value) -> Result<Option<ProfileValue>, FieldCode> {
        kind.read(&value).map_err(|e| e.code)
    }

    #[test]
    fn each_kind_reads_and_normalises() {
        use FieldKind as K;
        use ProfileValue as V;
        let t = |s: &str| Ok(Some(V::Text(Some(s.to_owned()))));
        let npi = Npi::parse("1234567893").ok();
        let table: Vec<(K, Value, Result<Option<V>, FieldCode>)> = vec![
            (K::Email, json!(" Jane.Doe@Example.com "), t("Jane.Doe@Example.com")),
            (K::Email, json!(""), Err(FieldCode::Required)),
            (K::Email, json!(5), Err(FieldCode::InvalidType)),
            (K::Name, json!("o'connor"), t("O'Connor")),
            (K::Name, json!("  "), Err(FieldCode::Required)),
            (K::Address, json!("  1  Main   St "), t("1 Main St")),
            (K::Address, json!(""), Ok(None)),
            (K::Address, json!("x".repeat(251)), Err(FieldCode::TooLong)),
            (K::Address, json!("a\u{7}b"), Err(FieldCode::InvalidCharacters)),
            (K::State, json!(" ny "), t("NY")),
            (K::State, json!(""), Ok(None)),
            (K::State, json!("Q"), Err(FieldCode::InvalidFormat)),
            (K::Zip, json!(12207), t("12207")),
            (K::Zip, json!("1234"), Err(FieldCode::InvalidFormat)),
            (K::Zip, json!(1234), Err(FieldCode::InvalidFormat)),
            (K::Telephone, json!(3_358_702_578.0), Ok(Some(V::Telephone(Some(3_358_702_578))))),
            (K::Pagination, json!(20.0), Ok(Some(V::Count(Some(20))))),
            (K::Pagination, json!(20.5), Err(FieldCode::InvalidType)),
            (K::StatesLicensed, json!("ny, nj ,ny"), t("NY,NJ")),
            (K::StatesLicensed, json!(" , "), Ok(None)),
            (K::Telephone, json!(15_185_551_234_u64), Ok(Some(V::Telephone(Some(5_185_551_234))))),
            (K::Telephone, json!("(555) 123-4567"), Ok(Some(V::Telephone(Some(5_551_234_567))))),
            (K::Telephone, json!(-5_551_234_567_i64), Err(FieldCode::InvalidFormat)),
            (K::Telephone, json!(1.5), Err(FieldCode::InvalidType)),
            (K::Telephone, json!("  "), Ok(None)),
            (K::Npi, json!(1_234_567_893_u64), Ok(Some(V::Npi(npi)))),
            (K::Npi, json!(" 1234567893 "), Ok(Some(V::Npi(npi)))),
            (K::Npi, json!(1_234_567_890_u64), Err(FieldCode::InvalidNpi)),
            (K::Npi, json!(-1), Err(FieldCode::InvalidNpi)),
            (K::Npi, json!(""), Ok(None)),
            (K::MessagePref, json!("3"), Ok(Some(V::MessagePref(MessagePref::Both)))),
            (K::MessagePref, json!(4), Err(FieldCode::OutOfRange)),
            (K::MessagePref, json!(""), Err(FieldCode::Required)),
            (K::Date, json!(" 2026-01-31 "), Ok(Some(V::Date(parse_date("2026-01-31").ok())))),
            (K::Date, json!("2026-02-30"), Err(FieldCode::InvalidDate)),
            (K::Pagination, json!(1000), Ok(Some(V::Count(Some(1000))))),
            (K::Pagination, json!(1001), Err(FieldCode::OutOfRange)),
            (K::Pagination, json!("50"), Err(FieldCode::InvalidType)),
            (K::Pagination, json!(""), Ok(None)),
            (K::UserType, json!("10"), Err(FieldCode::InvalidType)),
            (K::Tier, json!(0), Err(FieldCode::OutOfRange)),
            (K::Tier, json!(1000), Ok(Some(V::Tier(1000)))),
            (K::Cap, json!(1000), Err(FieldCode::OutOfRange)),
            (K::Active, json!(true), Ok(Some(V::Reactivate))),
            (K::Active, json!(1), Ok(Some(V::Reactivate))),
            (K::Active, json!(0), Err(FieldCode::OutOfRange)),
            (K::Active, json!("1"), Err(FieldCode::InvalidType)),
        ];
        for (kind, value, expected) in table {
            assert_eq!(read(kind, value.clone()), expected, "{kind:?} {value}");
        }
    }

    #[test]
    fn presence_rules() {
        assert!(FieldKind::Email.is_required() && !FieldKind::Email.is_clearable());
        assert!(FieldKind::Address.is_clearable() && !FieldKind::Address.is_required());
        assert!(!FieldKind::MessagePref.is_clearable());
        for role in [FieldKind::UserType, FieldKind::Tier, FieldKind::Cap, FieldKind::Active] {
            assert!(role.is_role() && !role.is_clearable(), "{role:?}");
        }
    }
}
