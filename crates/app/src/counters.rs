//! Business counters (api.md §11), emitted through the `metrics` facade by the use cases. The
//! process that serves them installs a recorder; without one these are no-ops.
//!
//! Labels are fixed words or status codes, never ids or PHI (domain §15.1).

use surgicase_kernel::CaseStatus;
use surgicase_ports::records::HistoryRecord;

pub const CASES_CREATED: &str = "surgicase_cases_created_total";
pub const STATUS_TRANSITIONS: &str = "surgicase_case_status_transitions_total";
pub const PAY_RECOMPUTATIONS: &str = "surgicase_pay_recomputations_total";
pub const DOCUMENTS_STORED: &str = "surgicase_documents_stored_total";
pub const BUGS_FILED: &str = "surgicase_bugs_filed_total";
pub const BUG_TRACKER_SYNC: &str = "surgicase_bug_tracker_sync_total";
pub const ERRORS: &str = "surgicase_errors_total";
pub const CLIENT_REQUEST_LOGS: &str = "surgicase_client_request_logs_total";

/// Every business counter with its help text (`/metrics/business` lists them all, zero or not).
pub const BUSINESS: &[(&str, &str)] = &[
    (CASES_CREATED, "Cases created"),
    (STATUS_TRANSITIONS, "Case status changes, by from, to and source (create, rule, bulk, job)"),
    (PAY_RECOMPUTATIONS, "Pay amount computations, by trigger"),
    (DOCUMENTS_STORED, "Documents stored, by kind (case, user)"),
    (BUGS_FILED, "Bug reports filed, by outcome (pending, disabled)"),
    (BUG_TRACKER_SYNC, "Attempts to push bug reports to the tracker, by outcome"),
    (ERRORS, "Error answers, by code"),
    (CLIENT_REQUEST_LOGS, "Client-side request logs received (POST /log_request)"),
];

/// Registers the help text of every business counter with the installed recorder.
pub fn describe() {
    for (name, help) in BUSINESS {
        metrics::describe_counter!(*name, *help);
    }
}

/// What made the service compute a case's pay amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayTrigger {
    CaseCreate,
    CaseUpdate,
    /// A deleted case came back (it is re-priced when still before billing).
    CaseRestore,
    /// The owner's tier changed (every pre-payment case is re-priced).
    TierChange,
}

impl PayTrigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CaseCreate => "case_create",
            Self::CaseUpdate => "case_update",
            Self::CaseRestore => "case_restore",
            Self::TierChange => "tier_change",
        }
    }
}

/// Which kind of document was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Case,
    User,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Case => "case",
            Self::User => "user",
        }
    }
}

pub fn case_created() {
    metrics::counter!(CASES_CREATED).increment(1);
}

/// The `from` label of a status change (`none` for a creation).
pub fn from_label(from: Option<CaseStatus>) -> String {
    from.map_or_else(|| "none".to_owned(), |s| s.code().to_string())
}

/// One count per history row written (call after the transaction committed).
pub fn status_transitions(rows: &[HistoryRecord]) {
    for row in rows {
        metrics::counter!(
            STATUS_TRANSITIONS,
            "from" => from_label(row.from_status),
            "to" => row.to_status.code().to_string(),
            "source" => row.source.as_str(),
        )
        .increment(1);
    }
}

/// `cases` pay amounts computed for `trigger`.
pub fn pay_recomputed(trigger: PayTrigger, cases: u64) {
    if cases > 0 {
        metrics::counter!(PAY_RECOMPUTATIONS, "trigger" => trigger.as_str()).increment(cases);
    }
}

/// `count` documents of `kind` stored (the documents use cases call this once they are kept).
pub fn documents_stored(kind: DocumentKind, count: u64) {
    if count > 0 {
        metrics::counter!(DOCUMENTS_STORED, "kind" => kind.as_str()).increment(count);
    }
}

/// A bug report stored (`outcome`: its sync state, `pending` or `disabled`).
pub fn bug_filed(outcome: &'static str) {
    metrics::counter!(BUGS_FILED, "outcome" => outcome).increment(1);
}

/// One attempt to push a report (`outcome`: `synced`, `found_existing`, or a tracker error's).
pub fn bug_sync(outcome: &'static str) {
    metrics::counter!(BUG_TRACKER_SYNC, "outcome" => outcome).increment(1);
}

/// An error answer with this `code` (the HTTP shell calls this once per error response).
pub fn error(code: &str) {
    metrics::counter!(ERRORS, "code" => code.to_owned()).increment(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(from_label(None), "none");
        assert_eq!(from_label(Some(CaseStatus::DRAFT)), "0");
        assert_eq!(PayTrigger::TierChange.as_str(), "tier_change");
        assert_eq!(DocumentKind::User.as_str(), "user");
        let names: std::collections::BTreeSet<&str> = BUSINESS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names.len(), BUSINESS.len());
        assert!(names.iter().all(|n| n.starts_with("surgicase_") && n.ends_with("_total")));
    }
}
