//! `message_pref`: how a user wants to be notified.

use serde::{Deserialize, Serialize};
use surgicase_kernel::{FieldCode, ValueError};

/// `message_pref` 0–3 (the column is `SMALLINT NOT NULL DEFAULT 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i16")]
pub enum MessagePref {
    #[default]
    None,
    Email,
    Sms,
    Both,
}

impl MessagePref {
    pub fn from_code(code: i64) -> Result<Self, ValueError> {
        Ok(match code {
            0 => Self::None,
            1 => Self::Email,
            2 => Self::Sms,
            3 => Self::Both,
            _ => return Err(ValueError::new(FieldCode::OutOfRange, "must be between 0 and 3")),
        })
    }

    pub fn code(self) -> i16 {
        match self {
            Self::None => 0,
            Self::Email => 1,
            Self::Sms => 2,
            Self::Both => 3,
        }
    }

    /// The decimal text of an integer or a digit string (surrounding whitespace ignored). A
    /// blank string is `required`: the column has no empty value.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValueError::required());
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValueError::new(FieldCode::InvalidFormat, "must be an integer 0–3"));
        }
        // Longer digit strings are out of range anyway.
        Self::from_code(s.parse().unwrap_or(i64::MAX))
    }
}

impl TryFrom<i64> for MessagePref {
    type Error = ValueError;
    fn try_from(code: i64) -> Result<Self, ValueError> {
        Self::from_code(code)
    }
}

impl From<MessagePref> for i16 {
    fn from(pref: MessagePref) -> i16 {
        pref.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_and_digit_strings() {
        let table: &[(&str, Result<MessagePref, FieldCode>)] = &[
            ("0", Ok(MessagePref::None)),
            ("1", Ok(MessagePref::Email)),
            ("2", Ok(MessagePref::Sms)),
            (" 3 ", Ok(MessagePref::Both)),
            ("03", Ok(MessagePref::Both)),
            ("4", Err(FieldCode::OutOfRange)),
            ("7", Err(FieldCode::OutOfRange)),
            ("99999999999999999999999", Err(FieldCode::OutOfRange)),
            ("-1", Err(FieldCode::InvalidFormat)),
            ("email", Err(FieldCode::InvalidFormat)),
            ("", Err(FieldCode::Required)),
        ];
        for (raw, expected) in table {
            assert_eq!(MessagePref::parse(raw).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for code in 0..=3 {
            assert_eq!(MessagePref::from_code(code).map(|p| i64::from(p.code())).ok(), Some(code));
        }
        assert_eq!(MessagePref::default(), MessagePref::None);
    }
}
