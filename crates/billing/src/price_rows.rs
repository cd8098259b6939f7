//! Writes to the price table (api.md §9 `POST`/`PUT /pay_tiers`): one tier, its buckets'
//! amounts, checked together.

use surgicase_kernel::text::required_line;
use surgicase_kernel::{FieldCode, FieldError, Money, Raw, ValidationErrors};

/// Highest tier a write may name.
pub const TIER_MAX: i64 = 1000;
/// Most buckets one write may carry.
pub const BUCKETS_MAX: usize = 50;
/// Longest bucket name.
pub const BUCKET_NAME_MAX: usize = 50;

/// One bucket of a write as read. `WrongType` marks a value the reader refused and reported
/// (a non-string name, an amount that is not one), so it is not reported twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketInput {
    pub bucket: Raw<String>,
    pub pay_amount: Raw<Money>,
}

/// A valid write: the tier and its buckets, names trimmed and unique without regard to case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierPrices {
    pub tier: i32,
    pub buckets: Vec<(String, Money)>,
}

fn required(errors: &mut ValidationErrors, path: impl Into<String>) {
    errors.push(FieldError::new(path, FieldCode::Required, "is required"));
}

/// Checks a write; every problem at its path (`tier`, `buckets`, `buckets[i].bucket`,
/// `buckets[i].pay_amount`). `WrongType` values were reported by the reader.
pub fn validate_tier_prices(
    tier: &Raw<i64>,
    buckets: &Raw<Vec<BucketInput>>,
) -> Result<TierPrices, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    // A value the reader refused fails the write without a second report.
    let mut refused = matches!(tier, Raw::WrongType) || matches!(buckets, Raw::WrongType);
    let tier = match *tier {
        Raw::WrongType => None,
        Raw::Absent => {
            errors.push(FieldError::new("tier", FieldCode::Required, "is required"));
            None
        }
        Raw::Value(t) if !(1..=TIER_MAX).contains(&t) => {
            errors.push(FieldError::new(
                "tier",
                FieldCode::OutOfRange,
                format!("must be between 1 and {TIER_MAX}"),
            ));
            None
        }
        Raw::Value(t) => i32::try_from(t).ok(),
    };
    let mut out: Vec<(String, Money)> = Vec::new();
    match buckets.value().map(Vec::as_slice) {
        None if matches!(buckets, Raw::WrongType) => {}
        None => required(&mut errors, "buckets"),
        Some([]) => {
            errors.push(FieldError::new("buckets", FieldCode::TooShort, "must list at least one bucket"))
        }
        Some(list) if list.len() > BUCKETS_MAX => errors.push(FieldError::new(
            "buckets",
            FieldCode::TooMany,
            format!("must list at most {BUCKETS_MAX} buckets"),
        )),
        Some(list) => {
            for (i, item) in list.iter().enumerate() {
                refused |= matches!(item.bucket, Raw::WrongType) || matches!(item.pay_amount, Raw::WrongType);
                let path = format!("buckets[{i}].bucket");
                let name = match &item.bucket {
                    Raw::Value(raw) => errors.check(&path, required_line(raw, BUCKET_NAME_MAX)),
                    Raw::Absent => {
                        required(&mut errors, path);
                        None
                    }
                    Raw::WrongType => None,
                };
                if matches!(item.pay_amount, Raw::Absent) {
                    required(&mut errors, format!("buckets[{i}].pay_amount"));
                }
                let Some(name) = name else { continue };
                if out.iter().any(|(seen, _)| seen.to_lowercase() == name.to_lowercase()) {
                    let message = format!("bucket '{name}' is listed twice");
                    errors.push(FieldError::new(
                        format!("buckets[{i}].bucket"),
                        FieldCode::InvalidFormat,
                        message,
                    ));
                    continue;
                }
                if let Raw::Value(amount) = item.pay_amount {
                    out.push((name, amount));
                }
            }
        }
    }
    match tier {
        Some(tier) if errors.is_empty() && !refused => Ok(TierPrices { tier, buckets: out }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(name: &str, cents: Option<i64>) -> BucketInput {
        let pay_amount = cents.map_or(Raw::Absent, |c| Raw::Value(Money::from_cents(c)));
        BucketInput { bucket: Raw::Value(name.to_owned()), pay_amount }
    }

    fn some(list: Vec<BucketInput>) -> Raw<Vec<BucketInput>> {
        Raw::Value(list)
    }

    fn codes(result: Result<TierPrices, ValidationErrors>) -> Vec<(String, &'static str)> {
        match result {
            Err(e) => e.iter().map(|f| (f.field.clone(), f.code.as_str())).collect(),
            Ok(ok) => panic!("accepted {ok:?}"),
        }
    }

    #[test]
    fn a_valid_write_keeps_order_and_trims_names() {
        let list = [bucket(" Spine ", Some(60_000)), bucket("Orthopedic", Some(0))];
        let got = validate_tier_prices(&Raw::Value(4), &some(list.to_vec())).unwrap();
        assert_eq!(got.tier, 4);
        assert_eq!(
            got.buckets,
            vec![("Spine".to_owned(), Money::from_cents(60_000)), ("Orthopedic".to_owned(), Money::ZERO)]
        );
    }

    #[test]
    fn every_problem_at_its_path() {
        let many: Vec<BucketInput> = (0..51).map(|i| bucket(&format!("B{i}"), Some(1))).collect();
        let wrong = BucketInput { bucket: Raw::WrongType, pay_amount: Raw::WrongType };
        // (tier, buckets, expected (field, code) pairs)
        type Row<'a> = (Raw<i64>, Raw<Vec<BucketInput>>, Vec<(&'a str, &'a str)>);
        let table: Vec<Row<'_>> = vec![
            (Raw::Absent, Raw::Absent, vec![("tier", "required"), ("buckets", "required")]),
            (Raw::Value(0), some(vec![bucket("A", Some(1))]), vec![("tier", "out_of_range")]),
            (Raw::Value(1001), some(vec![bucket("A", Some(1))]), vec![("tier", "out_of_range")]),
            (Raw::Value(1), some(vec![]), vec![("buckets", "too_short")]),
            (Raw::Value(1), some(many), vec![("buckets", "too_many")]),
            (Raw::Value(1), some(vec![bucket("  ", Some(1))]), vec![("buckets[0].bucket", "required")]),
            (
                Raw::Value(1),
                some(vec![bucket(&"x".repeat(51), Some(1))]),
                vec![("buckets[0].bucket", "too_long")],
            ),
            (Raw::Value(1), some(vec![bucket("A", None)]), vec![("buckets[0].pay_amount", "required")]),
            (
                Raw::Value(1),
                some(vec![bucket("Spine", Some(1)), bucket("SPINE", Some(2))]),
                vec![("buckets[1].bucket", "invalid_format")],
            ),
            // Refused by the reader, reported there: nothing more here, and no write.
            (Raw::WrongType, Raw::WrongType, vec![]),
            (Raw::Value(1), some(vec![wrong]), vec![]),
        ];
        for (tier, list, expected) in table {
            let expected: Vec<(String, &str)> =
                expected.into_iter().map(|(f, c)| (f.to_owned(), c)).collect();
            let mut got = codes(validate_tier_prices(&tier, &list));
            got.sort();
            let mut want = expected.clone();
            want.sort();
            assert_eq!(got, want, "{tier:?} {list:?}");
        }
    }
}
