//! Read-only fields in a PATCH body (api.md §1.5): clients send back what they read, so a value
//! equal to the stored one is ignored and any other is 422 `read_only_field`. The shell cannot
//! decide this (it has no stored row), so it passes the values on as sent and the use case
//! compares them with the row it locked, before any write.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use serde_json::Value;
use surgicase_kernel::{FieldCode, FieldError, Money, Timestamp, ValidationErrors};

/// The read-only fields a PATCH body carried with a non-null value, by body name, as sent.
/// (`null` leaves any field unchanged, api.md §1.6, so it is never compared.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadOnlySent(pub Vec<(String, Value)>);

impl ReadOnlySent {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A stored value in the form the caller is shown it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shown<'a> {
    /// Statuses and other integers: a JSON integer or a digit string.
    Int(i64),
    /// Compared in cents: `150`, `150.0` and `"150.00"` all equal 150.00.
    Money(Money),
    /// Optional text; a blank string stands for null.
    Text(Option<&'a str>),
    /// A 0/1 flag, also written `true`/`false`.
    Flag(bool),
    /// Responses carry timestamps to the second (RFC 3339; exports `YYYY-MM-DD HH:MM:SS` UTC),
    /// so equality is to the second.
    Time(Option<Timestamp>),
}

impl Shown<'_> {
    /// Whether `sent` is this value as a client may write it back.
    pub(crate) fn matches(self, sent: &Value) -> bool {
        match (self, sent) {
            (_, Value::Null) => true,
            (Self::Int(n), Value::Number(v)) => v.as_i64() == Some(n),
            (Self::Int(n), Value::String(s)) => s.trim().parse::<i64>().ok() == Some(n),
            (Self::Money(m), Value::Number(v)) => Money::parse(&v.to_string()).ok() == Some(m),
            (Self::Money(m), Value::String(s)) => Money::parse(s).ok() == Some(m),
            (Self::Text(t), Value::String(s)) if s.trim().is_empty() => t.is_none_or(|t| t.trim().is_empty()),
            (Self::Text(t), Value::String(s)) => t == Some(s.as_str()),
            (Self::Flag(b), Value::Bool(v)) => *v == b,
            (Self::Flag(b), Value::Number(v)) => v.as_u64() == Some(u64::from(b)),
            (Self::Time(t), Value::String(s)) => match (t, parse_time(s)) {
                (Some(stored), Some(sent)) => stored.trunc_subsecs(0) == sent.trunc_subsecs(0),
                _ => false,
            },
            _ => false,
        }
    }
}

fn parse_time(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").ok().map(|t| t.and_utc()))
}

/// Whether a PATCH was refused only for carrying no updatable field while it did carry
/// read-only ones: a changed read-only value is the better answer (`read_only_field`).
pub(crate) fn lone_read_only(errors: &ValidationErrors, sent: &ReadOnlySent) -> bool {
    !sent.is_empty() && !errors.is_empty() && errors.iter().all(|e| e.code == FieldCode::NoFieldsToUpdate)
}

/// Every sent field whose value differs from what `shown` gives, as `read_only_field` errors
/// in the order sent. A name `shown` does not know is not read-only for this resource: ignored.
pub(crate) fn check<'a>(
    sent: &ReadOnlySent,
    shown: impl Fn(&str) -> Option<Shown<'a>>,
) -> Result<(), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    for (name, value) in &sent.0 {
        if shown(name).is_some_and(|stored| !stored.matches(value)) {
            errors.push(FieldError::new(
                name.as_str(),
                FieldCode::ReadOnlyField,
                "is read-only: send the value you read, or leave it out",
            ));
        }
    }
    errors.into_result(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;

    #[test]
    fn values_written_back_as_clients_write_them() {
        let at = Utc
            .with_ymd_and_hms(2025, 1, 15, 9, 30, 0)
            .single()
            .map(|t| t + chrono::Duration::microseconds(250));
        let money = Money::from_cents(15_000);
        let table: &[(Shown<'_>, Value, bool)] = &[
            (Shown::Int(20), json!(20), true),
            (Shown::Int(20), json!("20"), true),
            (Shown::Int(20), json!(30), false),
            (Shown::Int(20), json!(20.5), false),
            (Shown::Int(20), json!(true), false),
            (Shown::Money(money), json!(150), true),
            (Shown::Money(money), json!(150.0), true),
            (Shown::Money(money), json!("150.00"), true),
            (Shown::Money(money), json!(" 150.0 "), true),
            (Shown::Money(money), json!(150.01), false),
            (Shown::Money(money), json!("150.001"), false),
            (Shown::Money(money), json!("abc"), false),
            (Shown::Text(Some("Orthopedic")), json!("Orthopedic"), true),
            (Shown::Text(Some("Orthopedic")), json!("General"), false),
            (Shown::Text(None), json!(""), true),
            (Shown::Text(None), json!("General"), false),
            (Shown::Text(Some("Orthopedic")), json!(""), false),
            (Shown::Flag(true), json!(1), true),
            (Shown::Flag(true), json!(true), true),
            (Shown::Flag(true), json!(0), false),
            (Shown::Flag(false), json!(false), true),
            (Shown::Time(at), json!("2025-01-15T09:30:00Z"), true),
            (Shown::Time(at), json!("2025-01-15T04:30:00-05:00"), true),
            (Shown::Time(at), json!("2025-01-15 09:30:00"), true),
            (Shown::Time(at), json!("2025-01-15T09:30:01Z"), false),
            (Shown::Time(at), json!("yesterday"), false),
            (Shown::Time(None), json!("2025-01-15T09:30:00Z"), false),
            (Shown::Int(20), Value::Null, true),
        ];
        for (shown, sent, equal) in table {
            assert_eq!(shown.matches(sent), *equal, "{shown:?} vs {sent}");
        }
    }

    #[test]
    fn differing_fields_are_named_in_the_order_sent() {
        let sent = ReadOnlySent(vec![
            ("pay_amount".into(), json!("1.00")),
            ("case_status".into(), json!(1)),
            ("not_read_only".into(), json!("x")),
            ("case_status_again".into(), json!(2)),
        ]);
        let shown = |name: &str| match name {
            "pay_amount" => Some(Shown::Money(Money::from_cents(200))),
            "case_status" => Some(Shown::Int(1)),
            "case_status_again" => Some(Shown::Int(1)),
            _ => None,
        };
        let errors = check(&sent, shown).err().unwrap_or_default();
        let listed: Vec<(&str, FieldCode)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            listed,
            vec![("pay_amount", FieldCode::ReadOnlyField), ("case_status_again", FieldCode::ReadOnlyField)]
        );
        assert!(check(&ReadOnlySent::default(), shown).is_ok());
    }
}
