//! Identifiers.
//!
//! `user_id` and `case_id` are client-supplied strings (1–100 characters from
//! `A–Z a–z 0–9 . _ - : @ +`, at least one of them a letter or digit), compared exactly. Surgeon and facility ids are assigned by
//! the database.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// Longest client-supplied identifier.
pub const IDENTIFIER_MAX: usize = 100;

/// Largest database id a request may name (18 digits: within every engine's BIGINT and exact
/// in a JSON number).
pub const ID_MAX: i64 = 999_999_999_999_999_999;

/// Checks the identifier alphabet and length (the rule shared by user and case ids).
pub fn check_identifier(raw: &str) -> Result<(), ValueError> {
    if raw.is_empty() {
        return Err(ValueError::required());
    }
    if raw.chars().count() > IDENTIFIER_MAX {
        return Err(ValueError::too_long(IDENTIFIER_MAX));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '@' | '+');
    if !raw.chars().all(allowed) {
        return Err(ValueError::new(
            FieldCode::InvalidCharacters,
            "may contain only letters, digits and . _ - : @ +",
        ));
    }
    // Ids become object-key segments (domain §14.1): `.`, `..` and the like cannot name a
    // folder, so an id must hold at least one letter or digit.
    if !raw.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Err(ValueError::new(FieldCode::InvalidFormat, "must contain at least one letter or digit"));
    }
    Ok(())
}

/// A validated client-supplied identifier.
pub trait Identifier: Sized {
    fn parse(raw: &str) -> Result<Self, ValueError>;
    fn as_str(&self) -> &str;
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates `raw` (no trimming: identifiers are compared exactly).
            pub fn parse(raw: &str) -> Result<Self, ValueError> {
                check_identifier(raw)?;
                Ok(Self(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Identifier for $name {
            fn parse(raw: &str) -> Result<Self, ValueError> {
                $name::parse(raw)
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValueError;
            fn try_from(raw: String) -> Result<Self, ValueError> {
                check_identifier(&raw)?;
                Ok(Self(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// A user's id: the identity provider's subject or a chosen name.
    UserId
);
string_id!(
    /// A case's client-supplied id, unique forever (deleted cases included).
    CaseId
);

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            /// Ids assigned by the database are positive.
            pub fn new(value: i64) -> Result<Self, ValueError> {
                if value <= 0 {
                    return Err(ValueError::new(FieldCode::OutOfRange, "must be a positive id"));
                }
                Ok(Self(value))
            }

            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

numeric_id!(
    /// A surgeon of a user's address book (assigned from 100000).
    SurgeonId
);
numeric_id!(
    /// A facility of a user's address book (assigned from 1000000).
    FacilityId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_the_alphabet_and_length() {
        let cases: &[(&str, Option<FieldCode>)] = &[
            ("u-jane", None),
            ("u-jane_1741000000000", None),
            ("jane.doe+tag@example.com", None),
            ("us-east-1:3f0c-11aa", None),
            ("A", None),
            ("", Some(FieldCode::Required)),
            ("has space", Some(FieldCode::InvalidCharacters)),
            ("slash/y", Some(FieldCode::InvalidCharacters)),
            ("é", Some(FieldCode::InvalidCharacters)),
            (" lead", Some(FieldCode::InvalidCharacters)),
            // An id names an object-store folder: one made only of punctuation cannot.
            (".", Some(FieldCode::InvalidFormat)),
            ("..", Some(FieldCode::InvalidFormat)),
            ("...", Some(FieldCode::InvalidFormat)),
            ("-_.", Some(FieldCode::InvalidFormat)),
            ("@", Some(FieldCode::InvalidFormat)),
            ("..a", None),
            ("0", None),
        ];
        for (raw, expected) in cases {
            let got = UserId::parse(raw).err().map(|e| e.code);
            assert_eq!(got, *expected, "{raw:?}");
        }
        assert!(CaseId::parse(&"x".repeat(100)).is_ok());
        assert_eq!(CaseId::parse(&"x".repeat(101)).err().map(|e| e.code), Some(FieldCode::TooLong));
    }

    #[test]
    fn identifiers_compare_exactly() {
        assert_ne!(UserId::parse("Jane").ok(), UserId::parse("jane").ok());
    }

    #[test]
    fn numeric_ids_are_positive() {
        assert!(SurgeonId::new(100000).is_ok());
        assert!(SurgeonId::new(0).is_err());
        assert!(FacilityId::new(-5).is_err());
    }

    #[test]
    fn serde_round_trip_validates() {
        let id: Result<UserId, _> = serde_json::from_str("\"bad id\"");
        assert!(id.is_err());
        let id: Result<CaseId, _> = serde_json::from_str("\"c-1\"");
        assert_eq!(id.ok().map(|i| i.into_string()), Some("c-1".to_owned()));
    }
}
