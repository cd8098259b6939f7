//! Shared by the PDF tests: a population with Unicode names, and the external tools that read
//! PDFs back.
#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

use chrono::{DateTime, NaiveDate, Utc};
use surgicase_kernel::{CaseId, Money, Npi, UserId};
use surgicase_payments::{IncludedCase, Population, Provider, ReportRun};

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc)
}

pub fn provider(user_id: &str, first: &str, last: &str, npi: &str, state: &str) -> Provider {
    Provider {
        user_id: UserId::parse(user_id).unwrap(),
        first_name: Some(first.to_owned()),
        last_name: Some(last.to_owned()),
        npi: Some(Npi::parse(npi).unwrap()),
        state: Some(state.to_owned()),
        email: None,
        timezone: None,
    }
}

pub fn case(
    owner: &str,
    id: &str,
    day: &str,
    patient: (&str, &str),
    codes: &[&str],
    cents: i64,
) -> IncludedCase {
    IncludedCase {
        case_id: CaseId::parse(id).unwrap(),
        user_id: UserId::parse(owner).unwrap(),
        human_case_id: 1,
        case_date: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
        patient_first: patient.0.to_owned(),
        patient_last: patient.1.to_owned(),
        procedure_codes: codes.iter().map(|c| (*c).to_owned()).collect(),
        pay_category: Some("Orthopedic".to_owned()),
        pay_amount: Money::from_cents(cents),
    }
}

/// Two providers with Unicode and apostrophe names; Ångström sorts after O'Connor.
pub fn population() -> Population {
    Population::new(
        vec![
            provider("u-zoe", "Zoë", "Ångström", "1234567893", "CA"),
            provider("u-sean", "Sean", "O'Connor", "1003000126", "TX"),
        ],
        vec![
            case("u-zoe", "Z1", "2025-03-03", ("Renée", "Müller"), &["27447"], 123_456),
            case(
                "u-zoe",
                "Z2",
                "2025-03-04",
                ("Łukasz", "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessen"),
                &["27447", "27130", "29881", "29880", "58150", "49505"],
                45_000,
            ),
            case("u-sean", "S1", "2025-03-05", ("Siobhán", "Ní Bhriain"), &["58150"], 30_000),
        ],
    )
    .unwrap()
}

pub fn run() -> ReportRun {
    ReportRun {
        company_name: "SurgiCase".to_owned(),
        generated_at: at("2025-03-10T13:00:00Z"),
        next_paid_transition: Some(at("2025-03-13T08:00:00Z")),
    }
}

/// Whether `tool` can be run. When it cannot, the caller skips (a failure under
/// `SURGICASE_TEST_REQUIRE_ALL=1`: CI installs the tools).
pub fn have_tool(tool: &str, install_hint: &str) -> bool {
    let found = Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
        || Command::new(tool).arg("-v").output().is_ok();
    if !found {
        surgicase_testkit::env::skip(&format!("{tool} is not installed ({install_hint})"));
    }
    found
}

/// The text of `pdf` (pages `first..=last` when given), through poppler's pdftotext.
pub fn pdftotext(pdf: &Path, password: Option<&str>, pages: Option<(usize, usize)>) -> String {
    let mut cmd = Command::new("pdftotext");
    if let Some(pw) = password {
        cmd.args(["-upw", pw]);
    }
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().unwrap();
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The page count poppler's pdfinfo reads.
pub fn pdf_pages(pdf: &Path, password: Option<&str>) -> usize {
    let mut cmd = Command::new("pdfinfo");
    if let Some(pw) = password {
        cmd.args(["-upw", pw]);
    }
    let out = cmd.arg(pdf).output().unwrap();
    assert!(out.status.success(), "pdfinfo: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("no page count in {text}"))
}
