//! How values are written in responses (api.md §1.6), for `#[serde(serialize_with = …)]`:
//! timestamps as RFC 3339 UTC with seconds, flags as 0/1, a stored NPI of 0 as `null`.

use serde::Serializer;

use crate::time::{Timestamp, format_timestamp};

pub fn timestamp<S: Serializer>(ts: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_timestamp(*ts))
}

pub fn opt_timestamp<S: Serializer>(ts: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match ts {
        Some(ts) => timestamp(ts, s),
        None => s.serialize_none(),
    }
}

pub fn flag<S: Serializer>(value: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(u8::from(*value))
}

/// `0` in an NPI column means "no NPI".
pub fn npi<S: Serializer>(value: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match value.filter(|n| *n != 0) {
        Some(n) => s.serialize_i64(n),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use serde::Serialize;
    use serde_json::json;

    use super::*;

    #[derive(Serialize)]
    struct Row {
        #[serde(serialize_with = "timestamp")]
        at: Timestamp,
        #[serde(serialize_with = "opt_timestamp")]
        maybe: Option<Timestamp>,
        #[serde(serialize_with = "flag")]
        active: bool,
        #[serde(serialize_with = "npi")]
        npi: Option<i64>,
    }

    #[test]
    fn formats() {
        let at = Utc.with_ymd_and_hms(2025, 1, 15, 9, 30, 0).single().unwrap_or_default();
        let row = Row { at, maybe: None, active: true, npi: Some(0) };
        assert_eq!(
            serde_json::to_value(&row).ok(),
            Some(json!({"at": "2025-01-15T09:30:00Z", "maybe": null, "active": 1, "npi": null}))
        );
    }
}
