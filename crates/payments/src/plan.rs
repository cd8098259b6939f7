//! Everything a use case needs to produce, store and mail one report, decided without I/O: the
//! document, the password and its hint, the file name and key, the object metadata.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::consolidated::{ReportRun, consolidated_report, individual_report};
use crate::document::ReportDocument;
use crate::metadata::{
    GeneratedBy, PDF_CONTENT_TYPE, ReportScope, consolidated_metadata, individual_metadata, summary_metadata,
};
use crate::naming::{ReportFile, ReportsPrefix};
use crate::password::{PasswordError, PasswordFacts, PasswordTemplate, ReportPassword};
use crate::population::{Population, ProviderCases};
use crate::summary::{by_state, summary_report};
use crate::zone::ReportZone;

/// The report settings from configuration (`reports.*`).
#[derive(Debug, Clone)]
pub struct ReportSettings {
    /// `reports.timezone`: scheduled runs, and providers without a usable zone.
    pub default_zone: ReportZone,
    /// `reports_prefix`.
    pub prefix: ReportsPrefix,
    /// `reports.consolidated_password_template`, parsed with [`PasswordTemplate::parse_for_run`].
    pub consolidated_password: PasswordTemplate,
    /// `reports.individual_password_template`.
    pub individual_password: PasswordTemplate,
}

/// One report, ready to render (and encrypt when it has a password), store and mail.
#[derive(Debug, Clone)]
pub struct ReportPlan {
    pub document: ReportDocument,
    /// `None` for the summary report, which carries no patient data and is not protected.
    pub password: Option<ReportPassword>,
    /// The rule in words, for the mail's `password_hint`.
    pub password_hint: String,
    /// The download name and the first key to try (see [`crate::first_free_key`]).
    pub file: ReportFile,
    pub content_type: &'static str,
    pub metadata: BTreeMap<String, String>,
    /// The report date in the report's zone (the mails' `creation_date`).
    pub creation_date: NaiveDate,
}

/// Why one provider's report was not made; `Display` is the text of the run's error list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndividualReportError {
    #[error("missing last name")]
    MissingLastName,
    #[error("missing NPI")]
    MissingNpi,
    #[error("{0}")]
    Password(PasswordError),
}

/// §17.2. `zone`: the requesting admin's, or `settings.default_zone` for scheduled runs.
pub fn plan_consolidated(
    population: &Population,
    run: &ReportRun,
    zone: ReportZone,
    settings: &ReportSettings,
    by: &GeneratedBy,
    scope: &ReportScope,
) -> Result<ReportPlan, PasswordError> {
    let password = settings.consolidated_password.render(&PasswordFacts::for_run(run.generated_at))?;
    Ok(ReportPlan {
        document: consolidated_report(population, run, zone),
        password: Some(password),
        password_hint: settings.consolidated_password.hint(),
        file: ReportFile::consolidated(&settings.prefix, run.generated_at),
        content_type: PDF_CONTENT_TYPE,
        metadata: consolidated_metadata(by, scope, &population.totals()),
        creation_date: zone.local_date(run.generated_at),
    })
}

/// §17.3: dated in the provider's own zone (or the default when the profile has none).
pub fn plan_individual(
    group: &ProviderCases,
    run: &ReportRun,
    settings: &ReportSettings,
) -> Result<ReportPlan, IndividualReportError> {
    let provider = &group.provider;
    if provider.last_name_trimmed().is_none() {
        return Err(IndividualReportError::MissingLastName);
    }
    let Some(npi) = provider.npi else { return Err(IndividualReportError::MissingNpi) };
    let password = settings
        .individual_password
        .render(&PasswordFacts::for_provider(provider, run.generated_at))
        .map_err(IndividualReportError::Password)?;
    let zone = ReportZone::or_fallback(provider.timezone.as_deref(), settings.default_zone);
    let creation_date = zone.local_date(run.generated_at);
    Ok(ReportPlan {
        document: individual_report(group, run, zone),
        password: Some(password),
        password_hint: settings.individual_password.hint(),
        file: ReportFile::individual(&settings.prefix, npi, run.generated_at),
        content_type: PDF_CONTENT_TYPE,
        metadata: individual_metadata(group, creation_date),
        creation_date,
    })
}

/// §17.4: not protected.
pub fn plan_summary(
    population: &Population,
    run: &ReportRun,
    zone: ReportZone,
    settings: &ReportSettings,
    by: &GeneratedBy,
    scope: &ReportScope,
) -> ReportPlan {
    let states = by_state(population).len();
    ReportPlan {
        document: summary_report(population, run, zone),
        password: None,
        password_hint: "no password is needed".to_owned(),
        file: ReportFile::summary(&settings.prefix, run.generated_at),
        content_type: PDF_CONTENT_TYPE,
        metadata: summary_metadata(by, scope, &population.totals(), states),
        creation_date: zone.local_date(run.generated_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::{DEFAULT_CONSOLIDATED_PASSWORD_TEMPLATE, DEFAULT_INDIVIDUAL_PASSWORD_TEMPLATE};
    use crate::population::Provider;
    use crate::test_support::{at, case, jane_doe, provider};

    fn settings() -> ReportSettings {
        ReportSettings {
            default_zone: ReportZone::default_zone(),
            prefix: ReportsPrefix::default(),
            consolidated_password: PasswordTemplate::parse_for_run(DEFAULT_CONSOLIDATED_PASSWORD_TEMPLATE)
                .unwrap(),
            individual_password: PasswordTemplate::parse(DEFAULT_INDIVIDUAL_PASSWORD_TEMPLATE).unwrap(),
        }
    }

    fn run() -> ReportRun {
        ReportRun {
            company_name: "SurgiCase".to_owned(),
            // Late evening in New York, already the next day in UTC and in Tokyo.
            generated_at: at("2025-03-11T02:30:00Z"),
            next_paid_transition: None,
        }
    }

    #[test]
    fn consolidated_plan() {
        let by = GeneratedBy::Job("provider_payment_report".to_owned());
        let plan = plan_consolidated(
            &jane_doe(),
            &run(),
            settings().default_zone,
            &settings(),
            &by,
            &ReportScope::default(),
        )
        .unwrap();
        // `{date}` is the UTC date; the report date is New York's.
        assert_eq!(plan.password.as_ref().map(ReportPassword::expose), Some("weekly_20250311"));
        assert_eq!(plan.creation_date.to_string(), "2025-03-10");
        assert_eq!(plan.document.report_date, "Report Date: March 10, 2025");
        assert_eq!(plan.file.key, "reports/20250311_023000_provider_payment_report_20250311_023000.pdf");
        assert_eq!(plan.metadata.get("total_amount").map(String::as_str), Some("750.00"));
        assert_eq!(plan.password_hint, "\"weekly_\", the report date as YYYYMMDD");
    }

    #[test]
    fn individual_plans_use_the_providers_zone_and_report_what_is_missing() {
        let population = jane_doe();
        let mut group = population.providers()[0].clone();
        group.provider.timezone = Some("Asia/Tokyo".to_owned());
        let plan = plan_individual(&group, &run(), &settings()).unwrap();
        assert_eq!(plan.password.as_ref().map(ReportPassword::expose), Some("doe_1234567893"));
        assert_eq!(plan.creation_date.to_string(), "2025-03-11");
        assert_eq!(plan.metadata.get("creation_date").map(String::as_str), Some("2025-03-11"));
        assert_eq!(plan.file.file_name, "provider_payment_report_1234567893_20250311.pdf");

        let without = |edit: fn(&mut Provider)| {
            let mut g = group.clone();
            edit(&mut g.provider);
            plan_individual(&g, &run(), &settings()).err().map(|e| e.to_string())
        };
        assert_eq!(without(|p| p.npi = None).as_deref(), Some("missing NPI"));
        assert_eq!(without(|p| p.last_name = None).as_deref(), Some("missing last name"));
        assert_eq!(without(|p| p.last_name = Some(" ".to_owned())).as_deref(), Some("missing last name"));
    }

    #[test]
    fn a_too_short_individual_password_is_an_error() {
        let mut s = settings();
        s.individual_password = PasswordTemplate::parse("{npi_last4}").unwrap();
        let population = jane_doe();
        let err = plan_individual(&population.providers()[0], &run(), &s).unwrap_err();
        assert_eq!(err, IndividualReportError::Password(PasswordError::TooShort { chars: 4 }));
    }

    #[test]
    fn summary_plan_has_no_password() {
        let population = Population::new(
            vec![provider("u", "A", "B", None)],
            vec![case("u", "C1", 1, "2025-03-03", &[], None, 100)],
        )
        .unwrap();
        let by = GeneratedBy::Job("provider_payment_summary_report".to_owned());
        let plan = plan_summary(
            &population,
            &run(),
            settings().default_zone,
            &settings(),
            &by,
            &ReportScope::default(),
        );
        assert!(plan.password.is_none());
        assert_eq!(plan.metadata.get("total_states").map(String::as_str), Some("1"));
        assert_eq!(
            plan.file.key,
            "reports/reports/20250311_023000_provider_payment_summary_report_20250311_023000.pdf"
        );
    }
}
