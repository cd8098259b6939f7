//! Object metadata of stored reports and exports (§17.2–§17.4, §18). Metadata never carries
//! patient data; every value is ASCII.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use surgicase_kernel::{Money, Timestamp, UserId};

use crate::format::iso_date;
use crate::population::{ProviderCases, Totals};

pub const PDF_CONTENT_TYPE: &str = "application/pdf";
pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
pub const IIF_CONTENT_TYPE: &str = "application/octet-stream";

/// Who asked for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GeneratedBy {
    User(UserId),
    /// A scheduler job, by name.
    Job(String),
}

impl GeneratedBy {
    /// The user id, or `job:<name>`.
    pub fn label(&self) -> String {
        match self {
            Self::User(id) => id.as_str().to_owned(),
            Self::Job(name) => format!("job:{name}"),
        }
    }
}

/// The filters of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// The one provider asked for, if any.
    pub user_filter: Option<UserId>,
}

type Metadata = BTreeMap<String, String>;

fn meta<const N: usize>(pairs: [(&str, String); N]) -> Metadata {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// An absent date is stored as an empty value.
fn date_value(date: Option<NaiveDate>) -> String {
    date.map(iso_date).unwrap_or_default()
}

impl ReportScope {
    fn dates(&self) -> [(&'static str, String); 2] {
        [("start_date", date_value(self.start_date)), ("end_date", date_value(self.end_date))]
    }

    fn user_filter(&self) -> String {
        self.user_filter.as_ref().map_or_else(|| "all".to_owned(), |u| u.as_str().to_owned())
    }
}

/// §17.2.
pub fn consolidated_metadata(by: &GeneratedBy, scope: &ReportScope, totals: &Totals) -> Metadata {
    let [start, end] = scope.dates();
    meta([
        ("report_type", "provider_payment".to_owned()),
        ("generated_by", by.label()),
        ("total_providers", totals.providers.to_string()),
        ("total_cases", totals.cases.to_string()),
        ("total_amount", totals.amount.to_string()),
        start,
        end,
        ("user_filter", scope.user_filter()),
    ])
}

/// §17.3. `creation_date` is the generation date in the provider's zone.
pub fn individual_metadata(group: &ProviderCases, creation_date: NaiveDate) -> Metadata {
    meta([
        ("report_type", "individual_provider_payment".to_owned()),
        ("provider_id", group.provider.user_id.as_str().to_owned()),
        ("npi", group.provider.npi.map(|n| n.to_string()).unwrap_or_default()),
        ("creation_date", iso_date(creation_date)),
        ("case_count", group.case_count().to_string()),
        ("total_amount", group.total().to_string()),
    ])
}

/// §17.4.
pub fn summary_metadata(
    by: &GeneratedBy,
    scope: &ReportScope,
    totals: &Totals,
    total_states: usize,
) -> Metadata {
    let [start, end] = scope.dates();
    meta([
        ("report_type", "provider_payment_summary".to_owned()),
        ("generated_by", by.label()),
        ("total_states", total_states.to_string()),
        ("total_providers", totals.providers.to_string()),
        ("total_cases", totals.cases.to_string()),
        ("total_amount", totals.amount.to_string()),
        start,
        end,
        ("user_filter", scope.user_filter()),
    ])
}

/// §18.1.
pub fn vendors_csv_metadata(
    by: &GeneratedBy,
    scope: &ReportScope,
    total_vendors: usize,
    total: Money,
) -> Metadata {
    let [start, end] = scope.dates();
    meta([
        ("export_type", "quickbooks_vendors_csv".to_owned()),
        ("generated_by", by.label()),
        ("total_vendors", total_vendors.to_string()),
        ("total_amount", total.to_string()),
        start,
        end,
    ])
}

/// §18.2.
pub fn transactions_iif_metadata(
    by: &GeneratedBy,
    scope: &ReportScope,
    total_transactions: usize,
    total: Money,
) -> Metadata {
    let [start, end] = scope.dates();
    meta([
        ("export_type", "quickbooks_transactions_iif".to_owned()),
        ("generated_by", by.label()),
        ("total_transactions", total_transactions.to_string()),
        ("total_amount", total.to_string()),
        start,
        end,
    ])
}

/// §18.3. `generated_at` is printed RFC 3339 in UTC.
pub fn case_export_metadata(generated_at: Timestamp, requested: usize, found: usize) -> Metadata {
    meta([
        ("report_type", "case_export".to_owned()),
        ("generated_at", surgicase_kernel::time::format_timestamp(generated_at)),
        ("total_cases_requested", requested.to_string()),
        ("total_cases_found", found.to_string()),
        ("export_format", "csv".to_owned()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, date, jane_doe};

    fn pairs(m: &Metadata) -> Vec<(&str, &str)> {
        m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn consolidated_and_summary() {
        let totals = jane_doe().totals();
        let by_job = GeneratedBy::Job("provider_payment_report".into());
        let scope = ReportScope { start_date: Some(date("2025-03-01")), end_date: None, user_filter: None };
        assert_eq!(
            pairs(&consolidated_metadata(&by_job, &scope, &totals)),
            [
                ("end_date", ""),
                ("generated_by", "job:provider_payment_report"),
                ("report_type", "provider_payment"),
                ("start_date", "2025-03-01"),
                ("total_amount", "750.00"),
                ("total_cases", "2"),
                ("total_providers", "1"),
                ("user_filter", "all"),
            ]
        );
        let by_user = GeneratedBy::User(UserId::parse("admin-1").unwrap());
        let scope =
            ReportScope { user_filter: Some(UserId::parse("u-jane").unwrap()), ..ReportScope::default() };
        assert_eq!(
            pairs(&summary_metadata(&by_user, &scope, &totals, 1)),
            [
                ("end_date", ""),
                ("generated_by", "admin-1"),
                ("report_type", "provider_payment_summary"),
                ("start_date", ""),
                ("total_amount", "750.00"),
                ("total_cases", "2"),
                ("total_providers", "1"),
                ("total_states", "1"),
                ("user_filter", "u-jane"),
            ]
        );
    }

    #[test]
    fn individual_and_exports() {
        let population = jane_doe();
        assert_eq!(
            pairs(&individual_metadata(&population.providers()[0], date("2025-03-10"))),
            [
                ("case_count", "2"),
                ("creation_date", "2025-03-10"),
                ("npi", "1234567893"),
                ("provider_id", "u-jane"),
                ("report_type", "individual_provider_payment"),
                ("total_amount", "750.00"),
            ]
        );
        let by = GeneratedBy::User(UserId::parse("admin-1").unwrap());
        let scope = ReportScope::default();
        let csv = vendors_csv_metadata(&by, &scope, 1, Money::from_cents(75_000));
        assert_eq!(csv.get("export_type").map(String::as_str), Some("quickbooks_vendors_csv"));
        assert_eq!(csv.get("total_vendors").map(String::as_str), Some("1"));
        let iif = transactions_iif_metadata(&by, &scope, 2, Money::from_cents(75_000));
        assert_eq!(iif.get("export_type").map(String::as_str), Some("quickbooks_transactions_iif"));
        assert_eq!(iif.get("total_transactions").map(String::as_str), Some("2"));
        assert_eq!(iif.get("total_amount").map(String::as_str), Some("750.00"));
        assert_eq!(
            pairs(&case_export_metadata(at("2025-03-10T09:05:07Z"), 3, 2)),
            [
                ("export_format", "csv"),
                ("generated_at", "2025-03-10T09:05:07Z"),
                ("report_type", "case_export"),
                ("total_cases_found", "2"),
                ("total_cases_requested", "3"),
            ]
        );
    }
}
