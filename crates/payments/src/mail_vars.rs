//! The variables of report mails (§17.3, §17.5): which names their templates may use, and the
//! values for one mail. Templates are keyed `<template>.<email_type>` in configuration and
//! parsed with [`Template::parse`](crate::Template::parse) against these sets.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::format::{dollars, iso_date, long_date};
use crate::password::ReportPassword;
use crate::population::{ProviderCases, Totals};

/// `individual_provider_payment_report.<email_type>`. `password` renders the password only
/// when `reports.include_password_in_email` is true, and the hint otherwise.
pub const INDIVIDUAL_REPORT_MAIL_VARIABLES: &[&str] = &[
    "provider_name",
    "first_name",
    "last_name",
    "npi",
    "creation_date",
    "filename",
    "total_amount",
    "case_count",
    "password_hint",
    "password",
];

/// `provider_payment_report.<email_type>`. `first_name` and `last_name` are the recipient's
/// when known, else empty.
pub const CONSOLIDATED_REPORT_MAIL_VARIABLES: &[&str] = &[
    "creation_date",
    "report_date",
    "total_providers",
    "total_cases",
    "total_amount",
    "filename",
    "first_name",
    "last_name",
    "password_hint",
    "password",
];

/// `provider_payment_summary_report.<email_type>`.
pub const SUMMARY_REPORT_MAIL_VARIABLES: &[&str] = &[
    "creation_date",
    "report_date",
    "total_states",
    "total_providers",
    "total_cases",
    "total_amount",
    "filename",
    "first_name",
    "last_name",
    "password_hint",
];

/// `report_date`: `S to E`, `from S`, `through E`, or `week of Month DD` (the creation date's
/// week) when the run had no dates. S and E print `YYYY-MM-DD`, as they were asked for.
pub fn report_period(start: Option<NaiveDate>, end: Option<NaiveDate>, creation_date: NaiveDate) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{} to {}", iso_date(s), iso_date(e)),
        (Some(s), None) => format!("from {}", iso_date(s)),
        (None, Some(e)) => format!("through {}", iso_date(e)),
        (None, None) => format!("week of {}", creation_date.format("%B %d")),
    }
}

/// How a report's password reaches a mail.
#[derive(Debug, Clone, Copy)]
pub struct PasswordInMail<'a> {
    pub password: Option<&'a ReportPassword>,
    pub hint: &'a str,
    /// `reports.include_password_in_email`.
    pub include_password: bool,
}

impl PasswordInMail<'_> {
    fn insert(&self, vars: &mut BTreeMap<String, String>) {
        vars.insert("password_hint".to_owned(), self.hint.to_owned());
        let shown = match (self.include_password, self.password) {
            (true, Some(p)) => p.expose().to_owned(),
            _ => self.hint.to_owned(),
        };
        vars.insert("password".to_owned(), shown);
    }
}

fn vars<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// The values of an individual report mail. `creation_date` is in the provider's zone.
pub fn individual_report_mail_values(
    group: &ProviderCases,
    creation_date: NaiveDate,
    filename: &str,
    password: PasswordInMail<'_>,
) -> BTreeMap<String, String> {
    let p = &group.provider;
    let mut out = vars([
        ("provider_name", p.display_name()),
        ("first_name", p.first_name_trimmed().unwrap_or_default().to_owned()),
        ("last_name", p.last_name_trimmed().unwrap_or_default().to_owned()),
        ("npi", p.npi.map(|n| n.to_string()).unwrap_or_default()),
        ("creation_date", long_date(creation_date)),
        ("filename", filename.to_owned()),
        ("total_amount", dollars(group.total())),
        ("case_count", group.case_count().to_string()),
    ]);
    password.insert(&mut out);
    out
}

/// What the consolidated and summary mails say about a run.
#[derive(Debug, Clone)]
pub struct RunMailFacts<'a> {
    pub creation_date: NaiveDate,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub totals: &'a Totals,
    pub filename: &'a str,
    /// The recipient's names when the list entry has them.
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
}

impl RunMailFacts<'_> {
    fn common(&self) -> BTreeMap<String, String> {
        vars([
            ("creation_date", long_date(self.creation_date)),
            ("report_date", report_period(self.start_date, self.end_date, self.creation_date)),
            ("total_providers", self.totals.providers.to_string()),
            ("total_cases", self.totals.cases.to_string()),
            ("total_amount", dollars(self.totals.amount)),
            ("filename", self.filename.to_owned()),
            ("first_name", self.first_name.unwrap_or_default().to_owned()),
            ("last_name", self.last_name.unwrap_or_default().to_owned()),
        ])
    }
}

/// The values of a consolidated report mail.
pub fn consolidated_report_mail_values(
    facts: &RunMailFacts<'_>,
    password: PasswordInMail<'_>,
) -> BTreeMap<String, String> {
    let mut out = facts.common();
    password.insert(&mut out);
    out
}

/// The values of a summary report mail; the summary is not protected, so the hint says so.
pub fn summary_report_mail_values(facts: &RunMailFacts<'_>, total_states: usize) -> BTreeMap<String, String> {
    let mut out = facts.common();
    out.insert("total_states".to_owned(), total_states.to_string());
    out.insert("password_hint".to_owned(), "no password is needed".to_owned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::{PasswordFacts, PasswordTemplate};
    use crate::template::Template;
    use crate::test_support::{at, date, jane_doe};

    #[test]
    fn periods() {
        let created = date("2025-03-10");
        let table: &[(Option<&str>, Option<&str>, &str)] = &[
            (Some("2025-03-01"), Some("2025-03-07"), "2025-03-01 to 2025-03-07"),
            (Some("2025-03-01"), None, "from 2025-03-01"),
            (None, Some("2025-03-07"), "through 2025-03-07"),
            (None, None, "week of March 10"),
        ];
        for (s, e, text) in table {
            assert_eq!(report_period(s.map(date), e.map(date), created), *text);
        }
    }

    #[test]
    fn individual_mail_shows_the_password_only_when_allowed() {
        let population = jane_doe();
        let group = &population.providers()[0];
        let template = PasswordTemplate::parse("{last_name_lower}_{npi}").unwrap();
        let password = template
            .render(&PasswordFacts::for_provider(&group.provider, at("2025-03-10T09:00:00Z")))
            .unwrap();
        let hint = template.hint();
        let body = Template::parse(
            "Dear {provider_name} ({npi}): {case_count} cases, {total_amount}, {filename}, {creation_date}. Password: {password}",
            INDIVIDUAL_REPORT_MAIL_VARIABLES,
        )
        .unwrap();
        let render = |include_password: bool| {
            let values = individual_report_mail_values(
                group,
                date("2025-03-10"),
                "provider_payment_report_1234567893_20250310.pdf",
                PasswordInMail { password: Some(&password), hint: &hint, include_password },
            );
            body.render(&values).unwrap()
        };
        assert_eq!(
            render(false),
            "Dear Jane Doe (1234567893): 2 cases, $750.00, provider_payment_report_1234567893_20250310.pdf, \
             March 10, 2025. Password: your last name in lower case, an underscore, your NPI"
        );
        assert!(render(true).ends_with("Password: doe_1234567893"));
        assert!(!render(false).contains("doe_1234567893"));
    }

    #[test]
    fn run_mails_fill_every_allowed_variable() {
        let population = jane_doe();
        let totals = population.totals();
        let facts = RunMailFacts {
            creation_date: date("2025-03-10"),
            start_date: None,
            end_date: Some(date("2025-03-07")),
            totals: &totals,
            filename: "f.pdf",
            first_name: Some("Ada"),
            last_name: None,
        };
        let consolidated = consolidated_report_mail_values(
            &facts,
            PasswordInMail { password: None, hint: "h", include_password: true },
        );
        let keys: Vec<&str> = consolidated.keys().map(String::as_str).collect();
        let mut expected = CONSOLIDATED_REPORT_MAIL_VARIABLES.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(consolidated.get("report_date").map(String::as_str), Some("through 2025-03-07"));
        assert_eq!(consolidated.get("password").map(String::as_str), Some("h"));
        let summary = summary_report_mail_values(&facts, 1);
        let keys: Vec<&str> = summary.keys().map(String::as_str).collect();
        let mut expected = SUMMARY_REPORT_MAIL_VARIABLES.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(summary.get("total_states").map(String::as_str), Some("1"));
    }
}
