//! Procedure codes: CPT Category I/II/III and HCPCS Level II shapes (domain §9.1).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// Letters that start a HCPCS Level II code.
const HCPCS_LETTERS: &[u8] = b"ABCDEGHJKLMPQRSTUV";

/// The kind of code a shape denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// Five digits, e.g. `27447`.
    CptCategoryI,
    /// Four digits then `F`, e.g. `3074F`.
    CptCategoryII,
    /// Four digits then `T`, e.g. `0042T`.
    CptCategoryIII,
    /// A HCPCS letter then four digits, e.g. `J1100`.
    HcpcsLevelII,
}

/// A code of a valid shape (upper-case, no modifiers).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProcedureCode(String);

/// The entry normalisation applied before any check: trimmed, ASCII letters upper-cased.
pub fn normalize_entry(raw: &str) -> String {
    raw.trim().to_ascii_uppercase()
}

/// The kind of a normalised entry, or `None` when it has no valid shape.
pub fn kind_of(code: &str) -> Option<CodeKind> {
    let b = code.as_bytes();
    if b.len() != 5 {
        return None;
    }
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if digits(b) {
        Some(CodeKind::CptCategoryI)
    } else if digits(&b[..4]) && b[4] == b'F' {
        Some(CodeKind::CptCategoryII)
    } else if digits(&b[..4]) && b[4] == b'T' {
        Some(CodeKind::CptCategoryIII)
    } else if HCPCS_LETTERS.contains(&b[0]) && digits(&b[1..]) {
        Some(CodeKind::HcpcsLevelII)
    } else {
        None
    }
}

impl ProcedureCode {
    /// Normalises (trim, upper-case) and checks the shape.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let code = normalize_entry(raw);
        if code.is_empty() {
            return Err(ValueError::required());
        }
        match kind_of(&code) {
            Some(_) => Ok(Self(code)),
            None => Err(ValueError::new(
                FieldCode::InvalidProcedureCode,
                format!("'{code}' is not a CPT or HCPCS code"),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> CodeKind {
        // A constructed code always has a shape; Category I is the safe fallback.
        kind_of(&self.0).unwrap_or(CodeKind::CptCategoryI)
    }

    /// The numeric value of a five-digit (Category I) code, used by code-range rules.
    pub fn five_digit_value(&self) -> Option<u32> {
        match self.kind() {
            CodeKind::CptCategoryI => self.0.parse().ok(),
            _ => None,
        }
    }
}

impl TryFrom<String> for ProcedureCode {
    type Error = ValueError;
    fn try_from(raw: String) -> Result<Self, ValueError> {
        Self::parse(&raw)
    }
}

impl From<ProcedureCode> for String {
    fn from(code: ProcedureCode) -> String {
        code.0
    }
}

impl fmt::Display for ProcedureCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let table: &[(&str, Option<CodeKind>)] = &[
            ("27447", Some(CodeKind::CptCategoryI)),
            ("00100", Some(CodeKind::CptCategoryI)),
            ("3074F", Some(CodeKind::CptCategoryII)),
            ("0042T", Some(CodeKind::CptCategoryIII)),
            ("J1100", Some(CodeKind::HcpcsLevelII)),
            ("A0021", Some(CodeKind::HcpcsLevelII)),
            ("V2020", Some(CodeKind::HcpcsLevelII)),
            ("F1100", None),
            ("I1100", None),
            ("N1100", None),
            ("O1100", None),
            ("W1100", None),
            ("2744", None),
            ("274470", None),
            ("27447-80", None),
            ("27447 80", None),
            ("3074G", None),
            ("J11000", None),
        ];
        for (code, kind) in table {
            assert_eq!(kind_of(code), *kind, "{code}");
        }
    }

    #[test]
    fn parse_normalises_and_reports() {
        assert_eq!(ProcedureCode::parse(" j1100 ").map(|c| c.to_string()).ok().as_deref(), Some("J1100"));
        assert_eq!(ProcedureCode::parse("0042t").map(|c| c.to_string()).ok().as_deref(), Some("0042T"));
        let err = ProcedureCode::parse("2744").err();
        assert_eq!(err.as_ref().map(|e| e.code), Some(FieldCode::InvalidProcedureCode));
        assert_eq!(err.map(|e| e.message).as_deref(), Some("'2744' is not a CPT or HCPCS code"));
        assert_eq!(ProcedureCode::parse("   ").err().map(|e| e.code), Some(FieldCode::Required));
    }

    #[test]
    fn five_digit_values() {
        let value = |c: &str| ProcedureCode::parse(c).ok().and_then(|c| c.five_digit_value());
        assert_eq!(value("11042"), Some(11042));
        assert_eq!(value("00100"), Some(100));
        assert_eq!(value("0042T"), None);
        assert_eq!(value("J1100"), None);
    }
}
