//! Fixtures shared by this crate's unit tests: the §18.2 worked example and small builders.

use chrono::{DateTime, NaiveDate, Utc};
use surgicase_kernel::{CaseId, Money, Npi, UserId};

use crate::population::{IncludedCase, Population, Provider};

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).map(|t| t.with_timezone(&Utc)).unwrap()
}

pub fn date(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
}

pub fn provider(user_id: &str, first: &str, last: &str, npi: Option<&str>) -> Provider {
    Provider {
        user_id: UserId::parse(user_id).unwrap(),
        first_name: Some(first.to_owned()).filter(|s| !s.is_empty()),
        last_name: Some(last.to_owned()).filter(|s| !s.is_empty()),
        npi: npi.map(|n| Npi::parse(n).unwrap()),
        state: None,
        email: None,
        timezone: None,
    }
}

/// A case of `user_id` with the given id, human id, date, codes, category and cents.
pub fn case(
    user_id: &str,
    case_id: &str,
    human: i64,
    day: &str,
    codes: &[&str],
    category: Option<&str>,
    cents: i64,
) -> IncludedCase {
    IncludedCase {
        case_id: CaseId::parse(case_id).unwrap(),
        user_id: UserId::parse(user_id).unwrap(),
        human_case_id: human,
        case_date: date(day),
        patient_first: "Pat".to_owned(),
        patient_last: format!("Patient{human}"),
        procedure_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        pay_category: category.map(str::to_owned),
        pay_amount: Money::from_cents(cents),
    }
}

/// §18.2: Jane Doe (NPI 1234567893, `u-jane`) with C1 (2025-03-03, 450.00, 27447 and 29881,
/// human id 1001) and C2 (2025-03-04, 300.00, 58150, human id 1002).
pub fn jane_doe() -> Population {
    Population::new(
        vec![provider("u-jane", "Jane", "Doe", Some("1234567893"))],
        vec![
            case("u-jane", "C2", 1002, "2025-03-04", &["58150"], Some("OB-Gyn"), 30_000),
            case("u-jane", "C1", 1001, "2025-03-03", &["27447", "29881"], Some("Orthopedic"), 45_000),
        ],
    )
    .unwrap()
}
