//! Report passwords from templates (§17.2, §17.3) and the hint that tells a reader the rule.

use std::fmt;

use chrono::NaiveDate;
use surgicase_kernel::{Npi, Timestamp};

use crate::population::Provider;
use crate::template::{Piece, Template, TemplateError};

pub const PASSWORD_PLACEHOLDERS: &[&str] =
    &["last_name_lower", "first_name_lower", "npi", "npi_last4", "date"];

/// What a password of a report that belongs to no provider (the consolidated report) can use.
pub const RUN_PASSWORD_PLACEHOLDERS: &[&str] = &["date"];

/// `reports.individual_password_template` when configuration says nothing.
pub const DEFAULT_INDIVIDUAL_PASSWORD_TEMPLATE: &str = "{last_name_lower}_{npi}";

/// `reports.consolidated_password_template` when configuration says nothing.
pub const DEFAULT_CONSOLIDATED_PASSWORD_TEMPLATE: &str = "weekly_{date}";

/// Shorter rendered passwords are refused.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// A parsed password template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordTemplate(Template);

/// What a password may be made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordFacts<'a> {
    pub last_name: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub npi: Option<Npi>,
    /// The generation date in UTC (`{date}` prints it `YYYYMMDD`).
    pub date: NaiveDate,
}

impl<'a> PasswordFacts<'a> {
    /// A provider's facts for an individual report generated at `generated_at`.
    pub fn for_provider(provider: &'a Provider, generated_at: Timestamp) -> Self {
        Self {
            last_name: provider.last_name_trimmed(),
            first_name: provider.first_name_trimmed(),
            npi: provider.npi,
            date: generated_at.date_naive(),
        }
    }

    /// The facts of a report that belongs to no provider (the consolidated report).
    pub fn for_run(generated_at: Timestamp) -> Self {
        Self { last_name: None, first_name: None, npi: None, date: generated_at.date_naive() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password needs a last name and the provider has none")]
    MissingLastName,
    #[error("the password needs a first name and the provider has none")]
    MissingFirstName,
    #[error("the password needs an NPI and the provider has none")]
    MissingNpi,
    #[error("the rendered password has {chars} characters; at least {MIN_PASSWORD_CHARS} are required")]
    TooShort { chars: usize },
}

/// A rendered password. Its `Debug` hides the value, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportPassword(String);

impl ReportPassword {
    /// A password given as is (a test, an operator's choice); the length rule still applies.
    pub fn new(password: String) -> Result<Self, PasswordError> {
        let chars = password.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort { chars });
        }
        Ok(Self(password))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ReportPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReportPassword(***)")
    }
}

impl PasswordTemplate {
    /// Parses a template; placeholders outside [`PASSWORD_PLACEHOLDERS`] are refused.
    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        Template::parse(text, PASSWORD_PLACEHOLDERS).map(Self)
    }

    /// Parses a template for a report that belongs to no provider: only `{date}` is allowed, so
    /// a template that could never render is refused when configuration loads.
    pub fn parse_for_run(text: &str) -> Result<Self, TemplateError> {
        Template::parse(text, RUN_PASSWORD_PLACEHOLDERS).map(Self)
    }

    pub fn render(&self, facts: &PasswordFacts<'_>) -> Result<ReportPassword, PasswordError> {
        let mut out = String::new();
        for piece in self.0.pieces() {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder(name) => out.push_str(&value(name, facts)?),
            }
        }
        let chars = out.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort { chars });
        }
        Ok(ReportPassword(out))
    }

    /// The rule in words, for mails: `your last name in lower case, an underscore, your NPI`.
    pub fn hint(&self) -> String {
        let words: Vec<String> = self
            .0
            .pieces()
            .map(|piece| match piece {
                Piece::Placeholder(name) => placeholder_words(name).to_owned(),
                Piece::Text(text) => literal_words(text),
            })
            .collect();
        words.join(", ")
    }
}

fn value(name: &str, facts: &PasswordFacts<'_>) -> Result<String, PasswordError> {
    let npi = || facts.npi.map(|n| n.to_string()).ok_or(PasswordError::MissingNpi);
    Ok(match name {
        "last_name_lower" => {
            facts.last_name.map(|s| s.trim().to_lowercase()).ok_or(PasswordError::MissingLastName)?
        }
        "first_name_lower" => {
            facts.first_name.map(|s| s.trim().to_lowercase()).ok_or(PasswordError::MissingFirstName)?
        }
        "npi" => npi()?,
        "npi_last4" => npi()?.split_off(6),
        // Only the five names above pass `parse`; `date` is the one left.
        _ => facts.date.format("%Y%m%d").to_string(),
    })
}

fn placeholder_words(name: &str) -> &'static str {
    match name {
        "last_name_lower" => "your last name in lower case",
        "first_name_lower" => "your first name in lower case",
        "npi" => "your NPI",
        "npi_last4" => "the last four digits of your NPI",
        _ => "the report date as YYYYMMDD",
    }
}

fn literal_words(text: &str) -> String {
    match text {
        "_" => "an underscore".to_owned(),
        "-" => "a hyphen".to_owned(),
        "." => "a dot".to_owned(),
        other => format!("\"{other}\""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, provider};

    #[test]
    fn renders_from_provider_facts() {
        let generated = at("2025-03-10T23:30:00Z");
        let table: &[(&str, &str, &str, &str)] = &[
            ("{last_name_lower}_{npi}", "Sean", "O'Connor", "o'connor_1234567893"),
            ("{last_name_lower}_{npi}", "Zoë", " ÅNGSTRÖM ", "ångström_1234567893"),
            ("{first_name_lower}-{npi_last4}", "Zoë", "Ångström", "zoë-7893"),
            ("{npi}{date}", "A", "B", "123456789320250310"),
            ("weekly_{date}", "A", "B", "weekly_20250310"),
        ];
        for (template, first, last, password) in table {
            let p = provider("u", first, last, Some("1234567893"));
            let t = PasswordTemplate::parse(template).unwrap();
            let rendered = t.render(&PasswordFacts::for_provider(&p, generated)).unwrap();
            assert_eq!(rendered.expose(), *password, "{template}");
        }
    }

    #[test]
    fn errors() {
        let generated = at("2025-03-10T09:00:00Z");
        let no_npi = provider("u", "Al", "Li", None);
        let no_last = provider("u", "Al", "", Some("1234567893"));
        let no_first = provider("u", "", "Li", Some("1234567893"));
        let short = provider("u", "Al", "Li", Some("1234567893"));
        let table: &[(&str, &Provider, PasswordError)] = &[
            ("{last_name_lower}_{npi}", &no_npi, PasswordError::MissingNpi),
            ("{npi_last4}{last_name_lower}{date}", &no_npi, PasswordError::MissingNpi),
            ("{last_name_lower}_{npi}", &no_last, PasswordError::MissingLastName),
            ("{first_name_lower}{npi}", &no_first, PasswordError::MissingFirstName),
            ("{last_name_lower}_{npi_last4}", &short, PasswordError::TooShort { chars: 7 }),
        ];
        for (template, p, error) in table {
            let t = PasswordTemplate::parse(template).unwrap();
            assert_eq!(
                t.render(&PasswordFacts::for_provider(p, generated)),
                Err(error.clone()),
                "{template}"
            );
        }
        // A provider-free report has only the date.
        let weekly = PasswordTemplate::parse(DEFAULT_CONSOLIDATED_PASSWORD_TEMPLATE).unwrap();
        assert_eq!(weekly.render(&PasswordFacts::for_run(generated)).unwrap().expose(), "weekly_20250310");
    }

    #[test]
    fn unknown_placeholders_are_refused_when_parsed() {
        assert!(matches!(
            PasswordTemplate::parse("{last_name}_{npi}"),
            Err(TemplateError::UnknownPlaceholder { name, .. }) if name == "last_name"
        ));
        assert!(PasswordTemplate::parse(DEFAULT_INDIVIDUAL_PASSWORD_TEMPLATE).is_ok());
        assert!(PasswordTemplate::parse_for_run(DEFAULT_CONSOLIDATED_PASSWORD_TEMPLATE).is_ok());
        assert!(matches!(
            PasswordTemplate::parse_for_run("weekly_{npi}"),
            Err(TemplateError::UnknownPlaceholder { name, .. }) if name == "npi"
        ));
    }

    #[test]
    fn hints() {
        let table: &[(&str, &str)] = &[
            ("{last_name_lower}_{npi}", "your last name in lower case, an underscore, your NPI"),
            ("weekly_{date}", "\"weekly_\", the report date as YYYYMMDD"),
            (
                "{first_name_lower}-{npi_last4}",
                "your first name in lower case, a hyphen, the last four digits of your NPI",
            ),
        ];
        for (template, hint) in table {
            assert_eq!(PasswordTemplate::parse(template).unwrap().hint(), *hint);
        }
    }

    #[test]
    fn debug_hides_the_password() {
        let p = provider("u", "Sean", "O'Connor", Some("1234567893"));
        let t = PasswordTemplate::parse(DEFAULT_INDIVIDUAL_PASSWORD_TEMPLATE).unwrap();
        let password = t.render(&PasswordFacts::for_provider(&p, at("2025-03-10T09:00:00Z"))).unwrap();
        assert_eq!(format!("{password:?}"), "ReportPassword(***)");
    }
}
