//! What `PATCH /case` does to a stored case (domain §8, §10, §14.3), decided without a store:
//! who may make the change, the resulting row, which checks the store must answer, how pay is
//! recomputed and which document objects move.

use surgicase_billing::{CodeInfo, PayOutcome};
use surgicase_kernel::{DocumentField, FacilityId, Patch, SurgeonId, Timestamp, ValidationErrors};
use surgicase_permissions::{Actor, CaseRef, Denied, may_edit_case, may_reassign_case, may_set_admin_file};

use crate::codes::CodeListOutcome;
use crate::documents::DocumentName;
use crate::duplicate::{PatientNameKey, duplicate_check_needed};
use crate::patch::CasePatch;
use crate::pricing::{UnreadableCode, price_codes, reprice};
use crate::record::{Case, CaseCodeRecord, CaseDocumentRecord, CaseRow, DocumentNames};

/// How an edit recomputes pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pricing {
    /// Neither the codes nor the owner's tier change.
    Keep,
    /// New codes were sent: priced and stored with fresh snapshots.
    Codes(CodeListOutcome),
    /// The owner changed on a case that re-prices on a tier change: the stored codes at the new
    /// owner's prices.
    Reprice,
}

/// A stored case with a validated patch applied; the store's answers (address book, duplicate,
/// code master) complete it before it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEdit {
    /// The row as stored.
    pub before: CaseRow,
    /// The row after the patch.
    pub row: CaseRow,
    /// The codes as stored.
    pub codes_before: Vec<CaseCodeRecord>,
    /// The codes after the patch (stored ones until [`CaseEdit::price`] replaces them).
    pub codes: Vec<CaseCodeRecord>,
    pub pricing: Pricing,
    /// Address-book entries the resulting owner must hold (sent, or kept across a new owner).
    pub check_surgeon: Option<SurgeonId>,
    pub check_facility: Option<FacilityId>,
    /// Whether duplicate detection must run (domain §10.3).
    pub duplicate_check: bool,
    pub force_duplicate: bool,
    /// Document fields the patch empties.
    pub cleared: Vec<DocumentField>,
    /// Documents the patch names anew, already read and checked.
    pub loaded: Vec<CaseDocumentRecord>,
    /// Live documents replaced or removed: their objects move under the deleted prefix.
    pub archived: Vec<CaseDocumentRecord>,
}

/// The pay recomputed by an edit, with the codes the master did not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repriced {
    pub pay: PayOutcome,
    pub unknown: Vec<String>,
}

/// Whether a document patch leaves the stored name as it is.
fn keeps(patch: &Patch<&DocumentName>, stored: Option<&str>) -> bool {
    match patch {
        Patch::Unchanged => true,
        Patch::Clear => stored.is_none(),
        Patch::Set(name) => stored == Some(name.as_str()),
    }
}

impl CasePatch {
    /// The documents this patch names with a name other than the stored one: their objects
    /// are read and checked before the case is locked.
    pub fn documents_to_load(&self, stored: &DocumentNames) -> Vec<(DocumentField, DocumentName)> {
        self.documents
            .iter()
            .filter_map(|(field, doc)| match doc {
                Patch::Set(name) if stored.get(*field) != Some(name.as_str()) => Some((*field, name.clone())),
                _ => None,
            })
            .collect()
    }
}

impl Case {
    /// What access decisions need to know of this case.
    pub fn reference(&self) -> CaseRef<'_> {
        CaseRef { owner: &self.row.user_id, stored_status: self.row.case_status, active: self.row.active }
    }

    /// Whether `actor` may make this change: the edit lock first, then a new owner (case admins
    /// only), then `admin_file` (case admins only); a value equal to the stored one is no change.
    pub fn check_edit(&self, actor: &Actor, patch: &CasePatch) -> Result<(), Denied> {
        may_edit_case(actor, self.reference()).check()?;
        let owner = &self.row.user_id;
        if let Some(new_owner) = &patch.owner {
            may_reassign_case(actor, owner, new_owner).check("user_id")?;
        }
        let admin = patch.document(DocumentField::AdminFile);
        if !keeps(&admin, self.row.documents.get(DocumentField::AdminFile)) {
            may_set_admin_file(actor).check("admin_file")?;
        }
        Ok(())
    }

    /// Applies a validated patch; `loaded` holds the documents of
    /// [`CasePatch::documents_to_load`], read and checked. The merged dates are judged here.
    pub fn edit(
        &self,
        patch: &CasePatch,
        loaded: Vec<CaseDocumentRecord>,
    ) -> Result<CaseEdit, ValidationErrors> {
        let before = &self.row;
        patch.check_dates_against(before.case_date, before.patient.dob)?;
        let mut row = before.clone();
        if let Some(owner) = &patch.owner {
            row.user_id = owner.clone();
        }
        let owner_changed = row.user_id != before.user_id;
        row.case_date = patch.resulting_case_date(before.case_date);
        row.surgeon_id = patch.surgeon_id.or(before.surgeon_id);
        row.facility_id = patch.facility_id.or(before.facility_id);
        let patient = &mut row.patient;
        for (sent, field) in [
            (&patch.patient_first, &mut patient.first),
            (&patch.patient_last, &mut patient.last),
            (&patch.ins_provider, &mut patient.ins_provider),
        ] {
            if let Some(value) = sent {
                field.clone_from(value);
            }
        }
        patient.dob = patch.resulting_dob(before.patient.dob);
        row.patient_name_key = PatientNameKey::new(&row.patient.first, &row.patient.last).as_str().to_owned();

        let pricing = match &patch.procedure_codes {
            Some(codes) => Pricing::Codes(codes.clone()),
            None if owner_changed && self.reprices_on_tier_change() => Pricing::Reprice,
            None => Pricing::Keep,
        };
        let stored_core = before.core();
        let mut edit = CaseEdit {
            check_surgeon: (owner_changed || patch.surgeon_id.is_some()).then_some(row.surgeon_id).flatten(),
            check_facility: (owner_changed || patch.facility_id.is_some())
                .then_some(row.facility_id)
                .flatten(),
            duplicate_check: duplicate_check_needed(&stored_core, &patch.apply_to_core(&stored_core)),
            force_duplicate: patch.force_duplicate,
            before: before.clone(),
            row,
            codes_before: self.codes.clone(),
            codes: self.codes.clone(),
            pricing,
            cleared: Vec::new(),
            loaded: Vec::new(),
            archived: Vec::new(),
        };
        edit.place_documents(self, patch, loaded);
        Ok(edit)
    }
}

impl CaseEdit {
    /// Names the loaded documents, empties the cleared ones and picks the live objects that
    /// leave (an object that is loaded again under the same key stays).
    fn place_documents(&mut self, case: &Case, patch: &CasePatch, loaded: Vec<CaseDocumentRecord>) {
        for (field, doc) in &patch.documents {
            if matches!(doc, Patch::Clear) && self.before.documents.get(*field).is_some() {
                *self.row.documents.slot(*field) = None;
                self.cleared.push(*field);
            }
        }
        for record in &loaded {
            *self.row.documents.slot(record.document_type) = Some(record.document_name.clone());
        }
        self.archived = case
            .documents
            .iter()
            .filter(|d| d.location.is_live())
            .filter(|d| {
                loaded.iter().any(|l| l.document_type == d.document_type)
                    || self.cleared.contains(&d.document_type)
            })
            .filter(|d| !loaded.iter().any(|l| l.object_key == d.object_key))
            .cloned()
            .collect();
        self.loaded = loaded;
    }

    /// The codes to look up in the code master for [`CaseEdit::price`] (none when pay stays).
    pub fn codes_to_price(&self) -> Vec<String> {
        match &self.pricing {
            Pricing::Keep => Vec::new(),
            Pricing::Codes(outcome) => outcome.code_strings(),
            Pricing::Reprice => self.codes.iter().map(|c| c.procedure_code.clone()).collect(),
        }
    }

    /// Recomputes pay from the master's answer for the resulting owner's tier; `None` when pay
    /// stays. Stored codes that do not parse refuse a re-price.
    pub fn price(&mut self, infos: &[CodeInfo]) -> Result<Option<Repriced>, UnreadableCode> {
        let repriced = match &self.pricing {
            Pricing::Keep => return Ok(None),
            Pricing::Codes(outcome) => {
                let priced = price_codes(&outcome.codes, infos);
                self.codes = priced.records;
                Repriced { pay: priced.pay, unknown: priced.unknown }
            }
            Pricing::Reprice => Repriced {
                pay: reprice(self.before.case_id.as_str(), &self.codes, infos)?,
                unknown: Vec::new(),
            },
        };
        self.row.pay_amount = repriced.pay.amount;
        self.row.pay_category.clone_from(&repriced.pay.category);
        Ok(Some(repriced))
    }

    /// Whether the stored code list is replaced.
    pub fn codes_changed(&self) -> bool {
        matches!(self.pricing, Pricing::Codes(_)) && self.codes != self.codes_before
    }

    /// The API names of the fields whose stored value differs (plus `procedure_codes` and
    /// `pay_amount` when those changed).
    pub fn changed_fields(&self) -> Vec<String> {
        let (old, new) = (&self.before, &self.row);
        let mut fields: Vec<&str> = [
            ("user_id", old.user_id != new.user_id),
            ("case_date", old.case_date != new.case_date),
            ("surgeon_id", old.surgeon_id != new.surgeon_id),
            ("facility_id", old.facility_id != new.facility_id),
            ("patient_first", old.patient.first != new.patient.first),
            ("patient_last", old.patient.last != new.patient.last),
            ("ins_provider", old.patient.ins_provider != new.patient.ins_provider),
            ("patient_dob", old.patient.dob != new.patient.dob),
        ]
        .into_iter()
        .filter_map(|(name, differs)| differs.then_some(name))
        .collect();
        fields.extend(
            DocumentField::ALL
                .into_iter()
                .filter(|f| old.documents.get(*f) != new.documents.get(*f))
                .map(DocumentField::as_str),
        );
        if self.codes_changed() {
            fields.push("procedure_codes");
        }
        if old.pay_amount != new.pay_amount || old.pay_category != new.pay_category {
            fields.push("pay_amount");
        }
        fields.into_iter().map(str::to_owned).collect()
    }

    /// Stamps the update time when anything changed (the status included); returns whether the
    /// row must be written.
    pub fn touch(&mut self, status_changed: bool, now: Timestamp) -> bool {
        let write = status_changed || self.codes_changed() || self.row != self.before;
        if write {
            self.row.case_updated_ts = now;
        }
        write
    }
}
