//! The first row of a new case (domain §10): a draft, priced, owned by the resolved owner.

use std::collections::BTreeMap;

use surgicase_billing::PayOutcome;
use surgicase_kernel::{CaseStatus, Timestamp, UserId};

use crate::duplicate::PatientNameKey;
use crate::new_case::NewCase;
use crate::record::{CaseRow, DocumentNames, PatientData};

impl NewCase {
    /// The row to insert before the rules run: status 0, `pay` from the priced codes,
    /// `dupe_flag` when a duplicate was forced.
    pub fn row(&self, owner: UserId, pay: &PayOutcome, forced_duplicate: bool, now: Timestamp) -> CaseRow {
        let mut documents = DocumentNames::default();
        for (field, name) in &self.documents {
            *documents.slot(*field) = Some(name.as_str().to_owned());
        }
        let patient = &self.patient;
        CaseRow {
            case_id: self.case_id.clone(),
            user_id: owner,
            case_date: self.case_date,
            patient: PatientData {
                first: patient.first().to_owned(),
                last: patient.last().to_owned(),
                ins_provider: patient.ins_provider().to_owned(),
                dob: patient.dob(),
            },
            patient_name_key: PatientNameKey::new(patient.first(), patient.last()).as_str().to_owned(),
            surgeon_id: Some(self.surgeon_id),
            facility_id: Some(self.facility_id),
            case_status: CaseStatus::DRAFT,
            documents,
            pay_amount: pay.amount,
            pay_category: pay.category.clone(),
            biller_status: 0,
            dupe_flag: forced_duplicate,
            active: true,
            deleted_ts: None,
            deleted_by: None,
            archive_state: None,
            case_create_ts: now,
            case_updated_ts: now,
            status_timestamps: BTreeMap::new(),
        }
    }
}
