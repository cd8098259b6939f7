//! Exact money: integer cents inside, decimal text with exactly two places at the edges.
//! No floating point is used to compute, compare, sum or format an amount.

use std::fmt;
use std::iter::Sum;
use std::ops::Add;

use serde::{Deserialize, Serialize};

use crate::error::{FieldCode, ValueError};

/// An amount in cents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

/// The largest amount a request may carry (100000.00).
pub const MAX_REQUEST_CENTS: i64 = 10_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Self(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses a decimal such as `450`, `450.5`, `450.50` or `-12.00`: digits, at most two
    /// decimals, no exponent, no separators.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        let s = raw.trim();
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, f),
            None => (body, ""),
        };
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || (body.contains('.') && frac.is_empty()) {
            return Err(invalid("must be a decimal number such as 450.00"));
        }
        if frac.len() > 2 {
            return Err(invalid("must have at most two decimals"));
        }
        if whole.len() > 15 {
            return Err(invalid("is too large"));
        }
        let whole: i64 = whole.parse().map_err(|_| invalid("is too large"))?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => i64::from(frac.as_bytes()[0] - b'0') * 10,
            _ => i64::from(frac.as_bytes()[0] - b'0') * 10 + i64::from(frac.as_bytes()[1] - b'0'),
        };
        let cents = whole * 100 + frac_cents;
        Ok(Self(if negative { -cents } else { cents }))
    }

    /// Parses an amount a request may carry: 0.00–100000.00, at most two decimals.
    pub fn parse_request_amount(raw: &str) -> Result<Self, ValueError> {
        let money = Self::parse(raw)?;
        if money.0 < 0 {
            return Err(invalid("must not be negative"));
        }
        if money.0 > MAX_REQUEST_CENTS {
            return Err(invalid("must be at most 100000.00"));
        }
        Ok(money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// `$1,234.56` as printed on reports.
    pub fn to_dollars(self) -> String {
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        format!("{sign}${grouped}.{:02}", abs % 100)
    }
}

fn invalid(reason: &str) -> ValueError {
    ValueError::new(FieldCode::InvalidAmount, format!("amount {reason}"))
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let table: &[(&str, Option<i64>)] = &[
            ("450", Some(45_000)),
            ("450.5", Some(45_050)),
            ("450.50", Some(45_050)),
            ("0.01", Some(1)),
            ("0", Some(0)),
            ("1234.56", Some(123_456)),
            ("-12.30", Some(-1_230)),
            ("450.", None),
            (".5", None),
            ("1.234", None),
            ("1e3", None),
            ("1,000.00", None),
            ("abc", None),
            ("", None),
            ("--1", None),
        ];
        for (raw, cents) in table {
            assert_eq!(Money::parse(raw).ok().map(Money::cents), *cents, "{raw:?}");
        }
    }

    #[test]
    fn request_amount_range() {
        assert!(Money::parse_request_amount("100000.00").is_ok());
        assert!(Money::parse_request_amount("100000.01").is_err());
        assert!(Money::parse_request_amount("-1").is_err());
        assert_eq!(Money::parse_request_amount("-1").err().map(|e| e.code), Some(FieldCode::InvalidAmount));
    }

    #[test]
    fn formatting_is_exact() {
        assert_eq!(Money::from_cents(45_000).to_string(), "450.00");
        assert_eq!(Money::from_cents(5).to_string(), "0.05");
        assert_eq!(Money::from_cents(-45_000).to_string(), "-450.00");
        assert_eq!(Money::from_cents(123_456).to_dollars(), "$1,234.56");
        assert_eq!(Money::from_cents(123_456_789).to_dollars(), "$1,234,567.89");
        assert_eq!(Money::from_cents(99).to_dollars(), "$0.99");
        // 1234.56 is where SQLite decimals go wrong; cents stay exact.
        assert_eq!(Money::parse("1234.56").map(|m| m.to_string()).ok().as_deref(), Some("1234.56"));
    }

    #[test]
    fn sums() {
        let total: Money = [45_000, 30_000, 1].into_iter().map(Money::from_cents).sum();
        assert_eq!(total.to_string(), "750.01");
    }
}
