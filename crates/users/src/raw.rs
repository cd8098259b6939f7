//! Raw request values.

use serde::Deserialize;

/// A body value the API accepts as a JSON number or as a string (telephone, NPI, message_pref,
/// default_pagination_cases).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum TextOrInt {
    Int(i64),
    Text(String),
}

impl TextOrInt {
    /// A blank string: "no value" on creation, "clear" in a PATCH.
    pub fn is_blank(&self) -> bool {
        matches!(self, Self::Text(s) if s.trim().is_empty())
    }
}

impl From<&str> for TextOrInt {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<i64> for TextOrInt {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}
