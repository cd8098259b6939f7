//! What the status rules look at (domain §6.1). The application gathers the facts of a case
//! inside its transaction; evaluation only reads them.

use std::collections::BTreeSet;

pub use surgicase_kernel::DocumentField;
use surgicase_kernel::{CaseStatus, Date, ProcedureCode};

/// One stored procedure code of a case with its `asst_surg` snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeFact {
    pub code: ProcedureCode,
    /// CMS assistant-at-surgery indicator (0, 1, 2, 9), `None` when unknown.
    pub asst_surg: Option<i16>,
}

/// The facts of one case, as the rules see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// The stored status (not the displayed one).
    pub status: CaseStatus,
    /// The document slots that hold a document.
    pub documents_present: BTreeSet<DocumentField>,
    pub codes: Vec<CodeFact>,
    /// The decrypted `ins_provider` as stored; evaluation normalises it ([`normalize_insurer`]).
    pub insurer: String,
    pub patient_dob: Option<Date>,
    pub case_date: Date,
}

/// Trimmed, inner whitespace collapsed, Unicode lower-cased (§6.1), so that rule values and the
/// stored insurer compare regardless of spacing and case.
pub fn normalize_insurer(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insurer_normalisation() {
        let table: &[(&str, &str)] = &[
            ("  Humana   Gold\tPlus ", "humana gold plus"),
            ("MEDICARE Part B", "medicare part b"),
            ("ÉTAT Santé", "état santé"),
            ("\u{00a0}Aetna\u{2003}Inc\u{00a0}", "aetna inc"),
            ("", ""),
        ];
        for (raw, normalised) in table {
            assert_eq!(normalize_insurer(raw), *normalised, "{raw:?}");
        }
    }
}
