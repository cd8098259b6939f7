//! Payment reports and exports as pure rules (domain §17, §18, §20).
//!
//! The application reads the report population (§17.1) from the store and hands the rows to
//! [`Population::new`]; everything after that is here and does no I/O: the renderer-neutral
//! report documents, projected pay dates, report passwords and their hints, file names, object
//! keys and metadata, the QuickBooks vendors CSV and transactions IIF, case export rows, and the
//! placeholder templates of report mails. Renderers (PDF) and senders (mail) are adapters.

pub mod case_export;
pub mod consolidated;
mod csv;
pub mod document;
pub mod format;
pub mod mail_vars;
pub mod metadata;
pub mod naming;
pub mod password;
pub mod pay_date;
pub mod plan;
pub mod population;
pub mod quickbooks;
pub mod summary;
pub mod template;
pub mod zone;

#[cfg(test)]
mod test_support;

pub use case_export::{CASE_EXPORT_COLUMNS, CaseExportRow, write_case_export_header, write_case_export_row};
pub use consolidated::{CONSOLIDATED_TITLE, ReportRun, consolidated_report, individual_report};
pub use document::{Align, Block, Column, ReportDocument, Section, Table};
pub use mail_vars::{
    CONSOLIDATED_REPORT_MAIL_VARIABLES, INDIVIDUAL_REPORT_MAIL_VARIABLES, SUMMARY_REPORT_MAIL_VARIABLES,
    report_period,
};
pub use metadata::{GeneratedBy, ReportScope};
pub use naming::{ReportFile, ReportsPrefix, first_free_key, key_candidates, stamp};
pub use password::{PasswordError, PasswordFacts, PasswordTemplate, ReportPassword};
pub use pay_date::{first_friday_after, projected_pay_date};
pub use plan::{
    IndividualReportError, ReportPlan, ReportSettings, plan_consolidated, plan_individual, plan_summary,
};
pub use population::{
    CategoryTotal, IncludedCase, Population, PopulationError, Provider, ProviderCases, Totals,
};
pub use quickbooks::{IifAccounts, IifExport, IifOptions, VendorsCsv, transactions_iif, vendors_csv};
pub use summary::{SUMMARY_TITLE, summary_report};
pub use template::{MissingVariable, Template, TemplateError};
pub use zone::{DEFAULT_REPORT_ZONE, ReportZone, ZoneError};
