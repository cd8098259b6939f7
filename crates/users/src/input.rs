//! The one body of `POST /user` and `PATCH /user` as received: `user_id`, which names the
//! profile, and every field of [`ProfileField`] as sent. Reading never fails: each value is
//! checked by its field's kind ([`crate::ProfileChanges::parse`]), so every problem is reported
//! at once.

use std::collections::BTreeMap;

use serde::de::Deserializer;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use surgicase_kernel::{Raw, RequestBody, UnknownFields};

use crate::field::ProfileField;

/// A profile body as received.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileInput {
    /// The profile to create or change.
    pub user_id: Raw<String>,
    /// The profile fields sent, `null` included (it leaves a field unchanged).
    pub values: BTreeMap<ProfileField, Value>,
    pub unknown: UnknownFields,
}

impl ProfileInput {
    /// A body naming `user_id` (tools and tests build bodies in code).
    pub fn new(user_id: &str) -> Self {
        Self { user_id: Raw::Value(user_id.to_owned()), ..Self::default() }
    }

    /// The body with `field` set to `value`.
    pub fn with(mut self, field: ProfileField, value: impl Into<Value>) -> Self {
        self.values.insert(field, value.into());
        self
    }

    /// The sent, non-null value of `field`.
    pub fn get(&self, field: ProfileField) -> Option<&Value> {
        self.values.get(&field).filter(|v| !v.is_null())
    }
}

impl<'de> Deserialize<'de> for ProfileInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        let mut input = ProfileInput::default();
        for (key, value) in map {
            if key == "user_id" {
                input.user_id = match value {
                    Value::Null => Raw::Absent,
                    Value::String(s) => Raw::Value(s),
                    _ => Raw::WrongType,
                };
            } else if let Some(field) = ProfileField::from_name(&key) {
                input.values.insert(field, value);
            }
        }
        Ok(input)
    }
}

/// The known keys, as sent: what strict mode compares the body with.
impl Serialize for ProfileInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len() + 1))?;
        map.serialize_entry("user_id", &self.user_id)?;
        for (field, value) in &self.values {
            map.serialize_entry(field.as_str(), value)?;
        }
        map.end()
    }
}

impl RequestBody for ProfileInput {
    /// Read-only timestamps a client may send back (compared by the use case).
    const ALSO_KNOWN: &'static [&'static str] = &["create_ts", "last_updated_ts", "last_login_dt"];

    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn known_keys_are_kept_as_sent_and_others_dropped() {
        let input: ProfileInput = serde_json::from_value(json!({
            "user_id": "u-jane", "first_name": 5, "addr1": null, "other": "x", "documents": [1]
        }))
        .unwrap_or_default();
        assert_eq!(input.user_id, Raw::Value("u-jane".to_owned()));
        assert_eq!(input.get(ProfileField::FirstName), Some(&json!(5)));
        assert_eq!(input.get(ProfileField::Addr1), None, "null is not a value");
        assert!(input.values.contains_key(&ProfileField::Addr1), "but the key is known");
        assert_eq!(input.get(ProfileField::Documents), Some(&json!([1])));
        let written = serde_json::to_value(&input).unwrap_or_default();
        assert_eq!(written.get("other"), None);
        assert_eq!(written["addr1"], Value::Null);
        let wrong: ProfileInput = serde_json::from_value(json!({"user_id": 7})).unwrap_or_default();
        assert_eq!(wrong.user_id, Raw::WrongType);
    }
}
