//! National Provider Identifier: ten digits, first digit 1 or 2, Luhn check digit computed
//! as if the prefix `80840` stood in front (domain §11).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// A check-digit-valid NPI. Validity says nothing about existence (that is the registry's job).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u64", into = "u64")]
pub struct Npi(u64);

/// The constant the `80840` prefix contributes to the Luhn sum.
const PREFIX_SUM: u32 = 24;

impl Npi {
    /// Parses ten ASCII digits (surrounding whitespace is ignored).
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let digits = raw.trim();
        if digits.len() != 10 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("must be ten digits"));
        }
        let mut value = 0u64;
        for b in digits.bytes() {
            value = value * 10 + u64::from(b - b'0');
        }
        Self::from_u64(value)
    }

    /// Validates a numeric NPI (as stored in `BIGINT` columns).
    pub fn from_u64(value: u64) -> Result<Self, ValueError> {
        if !(1_000_000_000..3_000_000_000).contains(&value) {
            return Err(invalid("must be ten digits starting with 1 or 2"));
        }
        let base = value / 10;
        let check = (value % 10) as u32;
        if check_digit(base) != check {
            return Err(invalid("has a wrong check digit"));
        }
        Ok(Self(value))
    }

    pub fn get(self) -> u64 {
        self.0
    }
}

/// The check digit for the first nine digits: double every second digit starting with the
/// rightmost, add the digits of the products and the undoubled digits, add 24, and take what
/// is needed to reach the next multiple of ten.
pub fn check_digit(mut base: u64) -> u32 {
    let mut sum = PREFIX_SUM;
    let mut double = true;
    for _ in 0..9 {
        let d = (base % 10) as u32;
        base /= 10;
        sum += if double {
            let p = d * 2;
            p / 10 + p % 10
        } else {
            d
        };
        double = !double;
    }
    (10 - sum % 10) % 10
}

fn invalid(reason: &str) -> ValueError {
    ValueError::new(FieldCode::InvalidNpi, format!("NPI {reason}"))
}

impl TryFrom<u64> for Npi {
    type Error = ValueError;
    fn try_from(value: u64) -> Result<Self, ValueError> {
        Self::from_u64(value)
    }
}

impl From<Npi> for u64 {
    fn from(npi: Npi) -> u64 {
        npi.0
    }
}

impl fmt::Display for Npi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_example_and_neighbours() {
        let table: &[(&str, bool)] = &[
            ("1234567893", true),
            ("1234567890", false),
            ("1234567891", false),
            (" 1234567893 ", true),
            ("123456789", false),
            ("12345678931", false),
            ("3234567893", false),
            ("0234567893", false),
            ("12345678a3", false),
            ("", false),
            // Further numbers whose check digit was computed by hand.
            ("1003000126", true),
            ("1972672137", true),
            ("1588667638", true),
            ("1588667639", false),
        ];
        for (raw, valid) in table {
            assert_eq!(Npi::parse(raw).is_ok(), *valid, "{raw:?}");
        }
    }

    #[test]
    fn every_base_has_exactly_one_check_digit() {
        for base in [100_000_000u64, 123_456_789, 299_999_999, 187_654_321] {
            let valid: Vec<u64> =
                (0..10).map(|d| base * 10 + d).filter(|v| Npi::from_u64(*v).is_ok()).collect();
            assert_eq!(valid.len(), 1, "base {base}");
        }
    }

    #[test]
    fn invalid_npis_report_the_npi_code() {
        assert_eq!(Npi::parse("1234567890").err().map(|e| e.code), Some(FieldCode::InvalidNpi));
    }

    #[test]
    fn displays_ten_digits() {
        assert_eq!(Npi::parse("1234567893").map(|n| n.to_string()).ok().as_deref(), Some("1234567893"));
    }
}
