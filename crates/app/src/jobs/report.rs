//! What a job reports when it ends.

use serde_json::Value;

use crate::audit::Touched;

/// The counts and summary a job run records (`items_processed`, `items_failed`, `details`).
#[derive(Debug, Clone, PartialEq)]
pub struct JobReport {
    pub items_processed: i64,
    pub items_failed: i64,
    /// A JSON summary: ids and counts, never PHI.
    pub details: Value,
    /// The auditable action (the seam of the audit trail, domain §16).
    pub touched: Option<Touched>,
}

impl JobReport {
    /// `n` items processed, none failed.
    pub fn processed(n: usize, details: Value) -> Self {
        Self {
            items_processed: i64::try_from(n).unwrap_or(i64::MAX),
            items_failed: 0,
            details,
            touched: None,
        }
    }
}

/// The longest `job_runs.error_text`.
pub const MAX_ERROR_TEXT: usize = 2000;

/// Error text for `job_runs.error_text`: at most 2000 characters. Callers pass only texts
/// without PHI (use-case errors name codes, keys and ids, never patient values).
pub fn error_text(text: &str) -> String {
    surgicase_kernel::text::clip(text, MAX_ERROR_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts_are_cut_at_2000_characters() {
        assert_eq!(error_text("boom"), "boom");
        let long = "é".repeat(2500);
        assert_eq!(error_text(&long).chars().count(), 2000);
    }
}
