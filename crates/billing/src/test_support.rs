//! Building facts for tests: a draft case dated 2025-03-15 with nothing attached.

use std::collections::BTreeSet;

use surgicase_kernel::time::parse_date;
use surgicase_kernel::{CaseStatus, Date, ProcedureCode};

use crate::facts::{CodeFact, DocumentField, Facts};

pub(crate) fn date(raw: &str) -> Date {
    parse_date(raw).unwrap()
}

pub(crate) fn status(code: i16) -> CaseStatus {
    CaseStatus::new(i64::from(code)).unwrap()
}

pub(crate) fn case() -> Facts {
    Facts {
        status: CaseStatus::DRAFT,
        documents_present: BTreeSet::new(),
        codes: Vec::new(),
        insurer: String::new(),
        patient_dob: None,
        case_date: date("2025-03-15"),
    }
}

/// Fluent changes to a test case.
pub(crate) trait With {
    fn at(self, code: i16) -> Self;
    fn docs(self, names: &[&str]) -> Self;
    /// Demo file and note file present.
    fn complete_docs(self) -> Self;
    fn code(self, code: &str, asst_surg: Option<i16>) -> Self;
    fn insurer(self, insurer: &str) -> Self;
    fn born(self, dob: &str) -> Self;
    fn on(self, case_date: &str) -> Self;
}

impl With for Facts {
    fn at(mut self, code: i16) -> Self {
        self.status = status(code);
        self
    }

    fn docs(mut self, names: &[&str]) -> Self {
        self.documents_present = names.iter().map(|n| DocumentField::from_name(n).unwrap()).collect();
        self
    }

    fn complete_docs(self) -> Self {
        self.docs(&["demo_file", "note_file"])
    }

    fn code(mut self, code: &str, asst_surg: Option<i16>) -> Self {
        self.codes.push(CodeFact { code: ProcedureCode::parse(code).unwrap(), asst_surg });
        self
    }

    fn insurer(mut self, insurer: &str) -> Self {
        self.insurer = insurer.to_owned();
        self
    }

    fn born(mut self, dob: &str) -> Self {
        self.patient_dob = Some(date(dob));
        self
    }

    fn on(mut self, case_date: &str) -> Self {
        self.case_date = date(case_date);
        self
    }
}
