//! What the status rules see of a case (domain §6.1).

use surgicase_billing::Facts;

use crate::pricing::code_facts;
use crate::record::{CaseCodeRecord, CaseRow};

impl CaseRow {
    /// The rule facts of this row with `codes`.
    pub fn facts(&self, codes: &[CaseCodeRecord]) -> Facts {
        Facts {
            status: self.case_status,
            documents_present: self.documents.present().collect(),
            codes: code_facts(codes),
            insurer: self.patient.ins_provider.clone(),
            patient_dob: self.patient.dob,
            case_date: self.case_date,
        }
    }
}
