//! The tables, as ordered maps keyed like their primary or unique keys, and the foreign-key
//! checks a database would run.

use std::collections::BTreeMap;

use surgicase_kernel::DocumentField;
use surgicase_kernel::{CaseId, CaseStatus, FacilityId, SurgeonId, UserId, UserType};
use surgicase_ports::StoreError;
use surgicase_ports::records::*;

/// First `surgeon_list.surgeon_id` (domain §3.3).
pub(super) const FIRST_SURGEON_ID: i64 = 100_000;
/// First `facility_list.facility_id` (domain §3.3).
pub(super) const FIRST_FACILITY_ID: i64 = 1_000_000;

/// A row of `cases` with its child rows.
#[derive(Debug, Clone)]
pub(super) struct StoredCase {
    pub human_case_id: i64,
    pub row: CaseRow,
    /// `case_procedure_codes`, by `seq`.
    pub codes: Vec<CaseCodeRecord>,
    /// `case_documents`, by `document_type`.
    pub documents: BTreeMap<DocumentField, CaseDocumentRecord>,
}

#[derive(Debug, Clone)]
pub(super) struct State {
    pub users: BTreeMap<UserId, UserRecord>,
    pub user_types: BTreeMap<UserType, UserTypeRecord>,
    /// `users_and_tiers`, keyed by the folded e-mail (the column is case-insensitive).
    pub preset_tiers: BTreeMap<String, PresetTierRecord>,
    pub doc_types: BTreeMap<String, DocTypeRecord>,
    pub user_documents: BTreeMap<(UserId, String), UserDocumentRecord>,
    pub statuses: BTreeMap<CaseStatus, StatusRecord>,
    /// Keyed by `human_case_id`.
    pub cases: BTreeMap<i64, StoredCase>,
    /// The unique key `cases.case_id`.
    pub case_ids: BTreeMap<CaseId, i64>,
    pub next_case: i64,
    /// `case_status_history` in id order.
    pub history: Vec<HistoryRecord>,
    pub surgeons: BTreeMap<SurgeonId, SurgeonRecord>,
    pub next_surgeon: i64,
    pub facilities: BTreeMap<FacilityId, FacilityRecord>,
    pub next_facility: i64,
    pub npi_people: BTreeMap<i64, NpiPersonRecord>,
    pub npi_organizations: BTreeMap<i64, NpiOrganizationRecord>,
    pub timezones: BTreeMap<String, TimezoneRecord>,
    pub procedure_codes: BTreeMap<String, ProcedureCodeRecord>,
    pub pay_tiers: BTreeMap<(String, i32), PayTierRecord>,
    pub auto_fixes: BTreeMap<String, AutoFixRecord>,
    pub rule_sets: BTreeMap<i64, RuleSetRecord>,
    pub next_rule_set: i64,
    /// `faq_list` by id; ids from 1.
    pub faqs: BTreeMap<i64, FaqRecord>,
    pub next_faq: i64,
    /// `bugs` and `request_logs` (see `bugs.rs`).
    pub bugs: super::bugs::BugTables,
    /// `job_runs` (see `jobs.rs`).
    pub jobs: super::jobs::JobTables,
    /// `document_uploads` and `document_moves` (see `uploads.rs`).
    pub uploads: super::uploads::UploadTables,
}

impl Default for State {
    fn default() -> Self {
        Self {
            users: BTreeMap::new(),
            user_types: BTreeMap::new(),
            preset_tiers: BTreeMap::new(),
            doc_types: BTreeMap::new(),
            user_documents: BTreeMap::new(),
            statuses: BTreeMap::new(),
            cases: BTreeMap::new(),
            case_ids: BTreeMap::new(),
            next_case: 1,
            history: Vec::new(),
            surgeons: BTreeMap::new(),
            next_surgeon: FIRST_SURGEON_ID,
            facilities: BTreeMap::new(),
            next_facility: FIRST_FACILITY_ID,
            npi_people: BTreeMap::new(),
            npi_organizations: BTreeMap::new(),
            timezones: BTreeMap::new(),
            procedure_codes: BTreeMap::new(),
            pay_tiers: BTreeMap::new(),
            auto_fixes: BTreeMap::new(),
            rule_sets: BTreeMap::new(),
            next_rule_set: 1,
            faqs: BTreeMap::new(),
            next_faq: 0,
            bugs: super::bugs::BugTables::default(),
            jobs: super::jobs::JobTables::default(),
            uploads: super::uploads::UploadTables::default(),
        }
    }
}

pub(super) fn duplicate(key: &str) -> StoreError {
    StoreError::Duplicate(key.to_owned())
}

pub(super) fn reference(key: &str) -> StoreError {
    StoreError::Reference(key.to_owned())
}

/// What a `utf8mb4_unicode_ci` comparison (or SQLite `LIKE`) treats as equal, near enough.
pub(super) fn fold(text: &str) -> String {
    text.to_lowercase()
}

pub(super) fn fold_opt(text: &Option<String>) -> Option<String> {
    text.as_deref().map(fold)
}

/// `LIMIT limit OFFSET offset` (negative values count as 0).
pub(super) fn page<T>(items: impl IntoIterator<Item = T>, limit: i64, offset: i64) -> Vec<T> {
    let skip = usize::try_from(offset).unwrap_or(0);
    let take = usize::try_from(limit).unwrap_or(0);
    items.into_iter().skip(skip).take(take).collect()
}

impl State {
    pub fn case(&self, id: &CaseId) -> Option<&StoredCase> {
        self.case_ids.get(id).and_then(|human| self.cases.get(human))
    }

    pub fn case_mut(&mut self, id: &CaseId) -> Option<&mut StoredCase> {
        let human = *self.case_ids.get(id)?;
        self.cases.get_mut(&human)
    }

    pub fn require_user(&self, id: &UserId, constraint: &str) -> Result<(), StoreError> {
        if self.users.contains_key(id) { Ok(()) } else { Err(reference(constraint)) }
    }

    pub fn require_case(&self, id: &CaseId, constraint: &str) -> Result<(), StoreError> {
        if self.case_ids.contains_key(id) { Ok(()) } else { Err(reference(constraint)) }
    }

    pub fn require_user_type(&self, t: UserType) -> Result<(), StoreError> {
        if self.user_types.contains_key(&t) {
            Ok(())
        } else {
            Err(reference("user_profile.user_type -> user_type_list"))
        }
    }

    /// The foreign keys of a `cases` row.
    pub fn check_case_references(&self, row: &CaseRow) -> Result<(), StoreError> {
        self.require_user(&row.user_id, "cases.user_id -> user_profile")?;
        if let Some(id) = row.surgeon_id
            && !self.surgeons.contains_key(&id)
        {
            return Err(reference("cases.surgeon_id -> surgeon_list"));
        }
        if let Some(id) = row.facility_id
            && !self.facilities.contains_key(&id)
        {
            return Err(reference("cases.facility_id -> facility_list"));
        }
        if !self.statuses.contains_key(&row.case_status) {
            return Err(reference("cases.case_status -> case_status_list"));
        }
        Ok(())
    }

    pub fn case_record(&self, stored: &StoredCase) -> Case {
        Case {
            human_case_id: stored.human_case_id,
            row: stored.row.clone(),
            // The memory store keeps patient data in clear text.
            phi_encrypted: false,
            codes: stored.codes.clone(),
            documents: stored.documents.values().cloned().collect(),
        }
    }

    /// The LEFT JOINs of a case read.
    pub fn case_joins(&self, row: &CaseRow, describe: Option<CaseStatus>) -> CaseJoins {
        let surgeon = row.surgeon_id.and_then(|id| self.surgeons.get(&id));
        let facility = row.facility_id.and_then(|id| self.facilities.get(&id));
        let owner = self.users.get(&row.user_id);
        let desc = |s: CaseStatus| self.statuses.get(&s).map(|r| r.case_status_desc.clone());
        CaseJoins {
            surgeon_first: surgeon.map(|s| s.name.first_name.clone()),
            surgeon_last: surgeon.map(|s| s.name.last_name.clone()),
            surgeon_npi: surgeon.and_then(|s| s.npi),
            facility_name: facility.map(|f| f.name.clone()),
            facility_state: facility.and_then(|f| f.address.state.clone()),
            facility_npi: facility.and_then(|f| f.npi),
            owner_first: owner.and_then(|u| u.first_name.clone()),
            owner_last: owner.and_then(|u| u.last_name.clone()),
            status_desc: desc(row.case_status),
            described_status_desc: describe.and_then(desc),
        }
    }

    pub fn case_view(&self, stored: &StoredCase, describe: Option<CaseStatus>) -> CaseView {
        CaseView { case: self.case_record(stored), joins: self.case_joins(&stored.row, describe) }
    }

    pub fn user_view(&self, user: &UserRecord) -> UserView {
        UserView {
            user: user.clone(),
            user_type_desc: self.user_types.get(&user.user_type).map(|t| t.user_type_desc.clone()),
            documents: self
                .user_documents
                .range((user.user_id.clone(), String::new())..)
                .take_while(|((owner, _), _)| *owner == user.user_id)
                .map(|(_, doc)| doc.clone())
                .collect(),
        }
    }
}
