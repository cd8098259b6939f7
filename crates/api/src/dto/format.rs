//! Value formats of api.md §1.6.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use surgicase_kernel::time::format_timestamp;
use surgicase_kernel::{Date, Money, Timestamp};

/// Money in a response: a JSON number with exactly two decimals, written from integer cents
/// (`450.00`). A float cannot do this (`450.0`), so the digits are written verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub Money);

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // `Money`'s text (`-?\d+\.\d\d`) is always a valid JSON number.
        let raw = RawValue::from_string(self.0.to_string()).map_err(S::Error::custom)?;
        raw.serialize(serializer)
    }
}

impl From<Money> for Amount {
    fn from(money: Money) -> Self {
        Self(money)
    }
}

/// A timestamp as responses carry it: `2025-01-15T09:30:00Z`.
pub fn timestamp(ts: Timestamp) -> String {
    format_timestamp(ts)
}

/// A date: `2025-01-15`.
pub fn date(d: Date) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A flag as 0/1.
pub fn flag(value: bool) -> u8 {
    u8::from(value)
}

/// An NPI column: `0` means "no NPI" and is `null`.
pub fn npi(value: Option<i64>) -> Option<i64> {
    value.filter(|n| *n != 0)
}

/// "First Last" from optional parts; `null` when both are missing or blank.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<&str> =
        [first, last].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;

    #[test]
    fn money_has_two_decimals_as_a_json_number() {
        let table: &[(i64, &str)] =
            &[(45_000, "450.00"), (0, "0.00"), (5, "0.05"), (123_456, "1234.56"), (-1_050, "-10.50")];
        for (cents, text) in table {
            let json = serde_json::to_string(&Amount(Money::from_cents(*cents))).expect("serializable");
            assert_eq!(json, *text);
            let value: serde_json::Value = serde_json::from_str(&json).expect("a JSON number");
            assert!(value.is_number(), "{json}");
        }
        let nested =
            serde_json::to_string(&[Some(Amount(Money::from_cents(1))), None]).expect("serializable");
        assert_eq!(nested, "[0.01,null]");
    }

    #[test]
    fn formats() {
        let ts = Utc.with_ymd_and_hms(2025, 1, 15, 9, 30, 0).single().expect("valid");
        assert_eq!(timestamp(ts), "2025-01-15T09:30:00Z");
        assert_eq!(date(NaiveDate::from_ymd_opt(2025, 2, 3).expect("valid")), "2025-02-03");
        assert_eq!((flag(true), flag(false)), (1, 0));
        assert_eq!((npi(Some(0)), npi(Some(1_234_567_893)), npi(None)), (None, Some(1_234_567_893), None));
        assert_eq!(full_name(Some("Gregory"), Some("House")).as_deref(), Some("Gregory House"));
        assert_eq!(full_name(None, Some("House")).as_deref(), Some("House"));
        assert_eq!(full_name(Some(" "), None), None);
    }
}
