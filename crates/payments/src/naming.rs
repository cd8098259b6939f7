//! File names and object keys of reports and exports (§17.2–§17.5, §18.1–§18.3), and the
//! rule that keeps a write from replacing an object already stored under the same key.

use surgicase_kernel::{Npi, Timestamp};

/// `reports_prefix` when configuration says nothing.
pub const DEFAULT_REPORTS_PREFIX: &str = "reports/";

/// `<ts>`: the generation instant as `YYYYMMDD_HHMMSS` in UTC.
pub fn stamp(at: Timestamp) -> String {
    at.format("%Y%m%d_%H%M%S").to_string()
}

/// The key prefix every report and export is stored under: empty (the bucket's root) or
/// relative `/`-separated segments ending in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportsPrefix(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "reports prefix {0:?} must be relative segments without '.', '..', empty parts or control characters"
)]
pub struct PrefixError(pub String);

impl ReportsPrefix {
    /// Trims `raw` and adds the trailing `/` when it is missing (`reports` → `reports/`).
    pub fn parse(raw: &str) -> Result<Self, PrefixError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(Self(String::new()));
        }
        let body = trimmed.strip_suffix('/').unwrap_or(trimmed);
        let bad_segment = |s: &str| s.is_empty() || s == "." || s == "..";
        if trimmed.starts_with('/')
            || trimmed.chars().any(|c| c.is_control() || c == '\\')
            || body.split('/').any(bad_segment)
        {
            return Err(PrefixError(raw.to_owned()));
        }
        Ok(Self(format!("{body}/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for ReportsPrefix {
    fn default() -> Self {
        Self(DEFAULT_REPORTS_PREFIX.to_owned())
    }
}

/// The download name of a report and the object key it is first tried under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub file_name: String,
    pub key: String,
}

impl ReportFile {
    fn under(prefix: &ReportsPrefix, folder: &str, at: Timestamp, file_name: String) -> Self {
        let key = format!("{}{folder}{}_{file_name}", prefix.as_str(), stamp(at));
        Self { file_name, key }
    }

    /// §17.2: `provider_payment_report_<ts>.pdf` under `<prefix><ts>_`.
    pub fn consolidated(prefix: &ReportsPrefix, at: Timestamp) -> Self {
        Self::under(prefix, "", at, format!("provider_payment_report_{}.pdf", stamp(at)))
    }

    /// §17.3: `provider_payment_report_<NPI>_<YYYYMMDD>.pdf` (the UTC date of `at`) under
    /// `<prefix>individual-provider-payment/<ts>_`.
    pub fn individual(prefix: &ReportsPrefix, npi: Npi, at: Timestamp) -> Self {
        let file_name = format!("provider_payment_report_{npi}_{}.pdf", at.format("%Y%m%d"));
        Self::under(prefix, "individual-provider-payment/", at, file_name)
    }

    /// §17.4: `provider_payment_summary_report_<ts>.pdf` under `<prefix>reports/<ts>_`.
    pub fn summary(prefix: &ReportsPrefix, at: Timestamp) -> Self {
        Self::under(prefix, "reports/", at, format!("provider_payment_summary_report_{}.pdf", stamp(at)))
    }

    /// §18.1: `quickbooks_vendors_<ts>.csv` under `<prefix>exports/<ts>_`.
    pub fn vendors_csv(prefix: &ReportsPrefix, at: Timestamp) -> Self {
        Self::under(prefix, "exports/", at, format!("quickbooks_vendors_{}.csv", stamp(at)))
    }

    /// §18.2: `quickbooks_transactions_<ts>.iif` under `<prefix>exports/<ts>_`.
    pub fn transactions_iif(prefix: &ReportsPrefix, at: Timestamp) -> Self {
        Self::under(prefix, "exports/", at, format!("quickbooks_transactions_{}.iif", stamp(at)))
    }

    /// §18.3: `case_export_<ts>.csv` under `<prefix>exports/csv/<ts>_`.
    pub fn case_export(prefix: &ReportsPrefix, at: Timestamp) -> Self {
        Self::under(prefix, "exports/csv/", at, format!("case_export_{}.csv", stamp(at)))
    }
}

/// `key`, then `key` with `_2`, `_3`, … before the extension of its last segment
/// (`a/b.pdf` → `a/b_2.pdf`; no extension → at the end). For callers whose existence check
/// is async: try each until one is free.
pub fn key_candidates(key: &str) -> impl Iterator<Item = String> + '_ {
    let segment_start = key.rfind('/').map_or(0, |i| i + 1);
    let split = match key[segment_start..].rfind('.') {
        Some(dot) if dot > 0 => segment_start + dot,
        _ => key.len(),
    };
    let (stem, extension) = key.split_at(split);
    std::iter::once(key.to_owned()).chain((2u64..).map(move |n| format!("{stem}_{n}{extension}")))
}

/// The first of [`key_candidates`] for which `exists` is false, within `max_attempts` tries.
pub fn first_free_key(
    key: &str,
    max_attempts: usize,
    mut exists: impl FnMut(&str) -> bool,
) -> Option<String> {
    key_candidates(key).take(max_attempts).find(|candidate| !exists(candidate))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::test_support::at;

    #[test]
    fn names_and_keys() {
        let at = at("2025-03-10T09:05:07.5Z");
        let prefix = ReportsPrefix::default();
        let npi = Npi::parse("1234567893").unwrap();
        let table: &[(ReportFile, &str, &str)] = &[
            (
                ReportFile::consolidated(&prefix, at),
                "provider_payment_report_20250310_090507.pdf",
                "reports/20250310_090507_provider_payment_report_20250310_090507.pdf",
            ),
            (
                ReportFile::individual(&prefix, npi, at),
                "provider_payment_report_1234567893_20250310.pdf",
                "reports/individual-provider-payment/20250310_090507_provider_payment_report_1234567893_20250310.pdf",
            ),
            (
                ReportFile::summary(&prefix, at),
                "provider_payment_summary_report_20250310_090507.pdf",
                "reports/reports/20250310_090507_provider_payment_summary_report_20250310_090507.pdf",
            ),
            (
                ReportFile::vendors_csv(&prefix, at),
                "quickbooks_vendors_20250310_090507.csv",
                "reports/exports/20250310_090507_quickbooks_vendors_20250310_090507.csv",
            ),
            (
                ReportFile::transactions_iif(&prefix, at),
                "quickbooks_transactions_20250310_090507.iif",
                "reports/exports/20250310_090507_quickbooks_transactions_20250310_090507.iif",
            ),
            (
                ReportFile::case_export(&prefix, at),
                "case_export_20250310_090507.csv",
                "reports/exports/csv/20250310_090507_case_export_20250310_090507.csv",
            ),
        ];
        for (file, name, key) in table {
            assert_eq!((file.file_name.as_str(), file.key.as_str()), (*name, *key));
        }
    }

    #[test]
    fn prefixes() {
        let table: &[(&str, Option<&str>)] = &[
            ("reports/", Some("reports/")),
            ("reports", Some("reports/")),
            (" tenant-a/reports/ ", Some("tenant-a/reports/")),
            ("", Some("")),
            ("/reports/", None),
            ("a//b/", None),
            ("a/../b/", None),
            ("./a", None),
            ("a\\b", None),
        ];
        for (raw, parsed) in table {
            assert_eq!(
                ReportsPrefix::parse(raw).ok().as_ref().map(ReportsPrefix::as_str),
                *parsed,
                "{raw:?}"
            );
        }
        let at = at("2025-03-10T09:05:07Z");
        let root = ReportsPrefix::parse("").unwrap();
        assert_eq!(
            ReportFile::vendors_csv(&root, at).key,
            "exports/20250310_090507_quickbooks_vendors_20250310_090507.csv"
        );
    }

    #[test]
    fn collisions_add_a_counter_before_the_extension() {
        let taken: BTreeSet<&str> = ["r/a.pdf", "r/a_2.pdf", "r/x.y/noext", "r/archive.tar.gz"].into();
        let table: &[(&str, Option<&str>)] = &[
            ("r/free.pdf", Some("r/free.pdf")),
            ("r/a.pdf", Some("r/a_3.pdf")),
            ("r/x.y/noext", Some("r/x.y/noext_2")),
            ("r/archive.tar.gz", Some("r/archive.tar_2.gz")),
        ];
        for (key, free) in table {
            assert_eq!(first_free_key(key, 10, |k| taken.contains(k)).as_deref(), *free, "{key}");
        }
        assert_eq!(first_free_key("r/a.pdf", 2, |k| taken.contains(k)), None);
        let first: Vec<String> = key_candidates(".hidden").take(3).collect();
        assert_eq!(first, [".hidden", ".hidden_2", ".hidden_3"]);
    }
}
