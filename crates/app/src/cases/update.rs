//! `PATCH /case`: change fields, codes, documents or owner; re-price and re-run the rules in
//! the same transaction (domain §8, §10.2, §14.3; api.md §2).

use serde_json::json;
use surgicase_cases::{
    CaseCore, CasePatch, CasePatchInput, DocumentName, PatientNameKey, duplicate_check_needed,
};
use surgicase_kernel::{DocumentField, Patch, Raw, UserId, ValidationErrors};
use surgicase_permissions::{
    CaseRef, case_reads_limited_to, may_edit_case, may_read_case, may_reassign_case, may_set_admin_file,
};
use surgicase_ports::records::{CaseCodeRecord, CaseDocumentRecord, CaseRow, CaseView};

use super::outcome::{CodesReport, PayUpdate, StatusUpdate};
use super::read::parse_case_id;
use super::read_only::shown as stored_read_only;
use super::status::apply_rules;
use super::write::{
    check_address_book, check_duplicate, code_strings, document_name, document_slot, lock_active_owner,
};
use crate::App;
use crate::access::{require_case_edit, require_field};
use crate::audit::Touched;
use crate::context::Ctx;
use crate::counters::{self, PayTrigger};
use crate::documents::KeyOwner;
use crate::error::{AppError, Missing};
use crate::pricing::price_codes;
use crate::read_only::{ReadOnlySent, check as check_read_only, lone_read_only};

/// A case change, as the request carried it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseUpdateRequest {
    pub input: CasePatchInput,
    /// The read-only fields the body carried (`READ_ONLY_FIELDS`), compared with the stored case.
    pub read_only: ReadOnlySent,
}

/// What the change did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseUpdated {
    pub case_id: String,
    /// Fields whose stored value changed (plus `pay_amount` when the pay changed).
    pub updated_fields: Vec<String>,
    pub status_update: StatusUpdate,
    /// `None` when pay was not recomputed.
    pub pay_update: Option<PayUpdate>,
    /// Present when the request carried `procedure_codes`.
    pub codes: Option<CodesReport>,
    pub touched: Touched,
}

fn case_ref(view: &CaseView) -> CaseRef<'_> {
    let row = &view.case.row;
    CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active }
}

/// Whether a document patch leaves the stored name as it is.
fn unchanged(patch: &Patch<&DocumentName>, stored: Option<&str>) -> bool {
    match patch {
        Patch::Unchanged => true,
        Patch::Clear => stored.is_none(),
        Patch::Set(name) => stored == Some(name.as_str()),
    }
}

impl App {
    /// A body of read-only fields alone: each is compared with the stored case the actor may
    /// read (a changed one is `read_only_field`); when all are equal, `errors` stands.
    async fn judge_case_read_only(
        &self,
        ctx: &Ctx,
        request: &CaseUpdateRequest,
        errors: ValidationErrors,
    ) -> AppError {
        let Raw::Value(raw_id) = &request.input.case_id else { return errors.into() };
        let view = match parse_case_id(raw_id) {
            Ok(id) => match self.store.conn().await {
                Ok(mut conn) => conn
                    .get_case_view(&id, None, case_reads_limited_to(&ctx.actor))
                    .await
                    .map_err(AppError::from),
                Err(e) => Err(e.into()),
            },
            Err(e) => Err(e),
        };
        let view = match view {
            Ok(Some(view)) if may_read_case(&ctx.actor, case_ref(&view)).is_allowed() => view,
            Ok(_) => return AppError::not_found(Missing::Case, raw_id),
            Err(e) => return e,
        };
        match check_read_only(&request.read_only, |name| stored_read_only(&ctx.actor, &view.case, name)) {
            Err(changed) => changed.into(),
            Ok(()) => errors.into(),
        }
    }

    pub async fn update_case(&self, ctx: &Ctx, request: CaseUpdateRequest) -> Result<CaseUpdated, AppError> {
        let now = self.clock.now();
        // The whole request is validated, codes included, before anything stored is asked.
        let fixes = self.auto_fixes(&CasePatch::code_lookup(&request.input)).await?;
        let patch = match CasePatch::validate(&request.input, now.date_naive(), &fixes) {
            Ok(patch) => patch,
            Err(errors) if lone_read_only(&errors, &request.read_only) => {
                return Err(self.judge_case_read_only(ctx, &request, errors).await);
            }
            Err(errors) => return Err(errors.into()),
        };
        let id = patch.case_id.clone();
        let not_found = || AppError::not_found(Missing::Case, id.as_str());

        // A read without locks decides access and names the owner, so the owner can be locked
        // before the case (the lock order of every case write) and objects read before any lock.
        let peek = {
            let mut conn = self.store.conn().await?;
            conn.get_case_view(&id, None, case_reads_limited_to(&ctx.actor)).await?.ok_or_else(not_found)?
        };
        let peek_row = &peek.case.row;
        require_case_edit(
            may_edit_case(&ctx.actor, case_ref(&peek)),
            id.as_str(),
            peek_row.case_status.code(),
        )?;
        let new_owner = patch.owner.clone().unwrap_or_else(|| peek_row.user_id.clone());
        let owner_changed = new_owner != peek_row.user_id;
        require_field(
            may_reassign_case(&ctx.actor, &peek_row.user_id, &new_owner),
            "user_id",
            !owner_changed,
        )?;
        let admin = patch.document(DocumentField::AdminFile);
        let admin_kept = unchanged(&admin, document_name(&peek_row.documents, DocumentField::AdminFile));
        require_field(may_set_admin_file(&ctx.actor), "admin_file", admin_kept)?;
        let loaded =
            self.load_changed_documents(&patch, peek_row, &new_owner, &ctx.actor.user_id, now).await?;

        let mut tx = self.store.begin().await?;
        let owner_record = match tx.lock_user(&peek_row.user_id).await? {
            Some(user) => user,
            None => return Err(AppError::Internal(format!("case {id} has no owner row"))),
        };
        let current = tx.lock_case(&id).await?.ok_or_else(not_found)?;
        let old = current.row.clone();
        let stored = CaseRef { owner: &old.user_id, stored_status: old.case_status, active: old.active };
        require_case_edit(may_edit_case(&ctx.actor, stored), id.as_str(), old.case_status.code())?;
        // Against the locked row, before any write: equal to what the actor reads is ignored.
        check_read_only(&request.read_only, |name| stored_read_only(&ctx.actor, &current, name))?;
        let tier = if owner_changed {
            lock_active_owner(&mut *tx, &new_owner).await?.user_tier
        } else {
            owner_record.user_tier
        };

        // Surgeon and facility must belong to the resulting owner.
        let surgeon = patch.surgeon_id.or(old.surgeon_id);
        let facility = patch.facility_id.or(old.facility_id);
        let check_surgeon = if owner_changed || patch.surgeon_id.is_some() { surgeon } else { None };
        let check_facility = if owner_changed || patch.facility_id.is_some() { facility } else { None };
        check_address_book(&mut *tx, &new_owner, check_surgeon, check_facility).await?;
        patch.check_dates_against(old.case_date, old.patient.dob)?;

        let mut row = old.clone();
        row.user_id = new_owner.clone();
        row.case_date = patch.resulting_case_date(old.case_date);
        row.surgeon_id = surgeon;
        row.facility_id = facility;
        if let Some(first) = &patch.patient_first {
            row.patient.first = first.clone();
        }
        if let Some(last) = &patch.patient_last {
            row.patient.last = last.clone();
        }
        if let Some(ins) = &patch.ins_provider {
            row.patient.ins_provider = ins.clone();
        }
        row.patient.dob = patch.resulting_dob(old.patient.dob);
        row.patient_name_key = PatientNameKey::new(&row.patient.first, &row.patient.last).as_str().to_owned();

        let core = |r: &CaseRow| CaseCore {
            owner: r.user_id.clone(),
            case_date: r.case_date,
            patient_first: r.patient.first.clone(),
            patient_last: r.patient.last.clone(),
        };
        if duplicate_check_needed(&core(&old), &core(&row)) {
            let (first, last) = (row.patient.first.clone(), row.patient.last.clone());
            let forced = check_duplicate(
                &mut *tx,
                &row.user_id,
                row.case_date,
                &first,
                &last,
                Some(&id),
                patch.force_duplicate,
            )
            .await?;
            row.dupe_flag |= forced;
        }

        // Documents: set the loaded ones, clear the cleared ones.
        let mut removed: Vec<CaseDocumentRecord> = Vec::new();
        let mut cleared: Vec<String> = Vec::new();
        for (field, doc) in &patch.documents {
            if let Patch::Clear = doc
                && document_name(&old.documents, *field).is_some()
            {
                *document_slot(&mut row.documents, *field) = None;
                cleared.push(field.as_str().to_owned());
            }
        }
        for record in &loaded {
            if let Some(field) = DocumentField::from_name(&record.document_type) {
                *document_slot(&mut row.documents, field) = Some(record.document_name.clone());
            }
        }
        for record in &current.documents {
            let replaced = loaded.iter().any(|l| l.document_type == record.document_type);
            if (replaced || cleared.contains(&record.document_type)) && record.location == "live" {
                removed.push(record.clone());
            }
        }

        // Codes, then pay.
        let (codes_report, codes_now) = match patch.procedure_codes.clone() {
            Some(outcome) => (Some(outcome), None::<Vec<CaseCodeRecord>>),
            None => (None, Some(current.codes.clone())),
        };
        let reprice = codes_report.is_some() || (owner_changed && old.case_status.is_pre_billing());
        let mut pay_update = None;
        let mut unknown = Vec::new();
        let codes_after: Vec<CaseCodeRecord> = match (&codes_report, codes_now) {
            (Some(outcome), _) => {
                let infos = if outcome.codes.is_empty() {
                    Vec::new()
                } else {
                    tx.code_info(&code_strings(&outcome.codes), tier).await?
                };
                let priced = price_codes(&outcome.codes, &infos);
                pay_update = Some(PayUpdate::new(&priced.pay, (old.pay_amount, old.pay_category.as_deref())));
                row.pay_amount = priced.pay.amount;
                row.pay_category = priced.pay.category.clone();
                unknown = priced.unknown;
                priced.records
            }
            (None, Some(stored_codes)) => {
                if reprice {
                    let infos = if stored_codes.is_empty() {
                        Vec::new()
                    } else {
                        let list: Vec<String> =
                            stored_codes.iter().map(|c| c.procedure_code.clone()).collect();
                        tx.code_info(&list, tier).await?
                    };
                    let pay = crate::pricing::reprice(&stored_codes, &infos);
                    pay_update = Some(PayUpdate::new(&pay, (old.pay_amount, old.pay_category.as_deref())));
                    row.pay_amount = pay.amount;
                    row.pay_category = pay.category;
                }
                stored_codes
            }
            (None, None) => Vec::new(),
        };

        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, history) = apply_rules(&mut row, &codes_after, &rules, ctx, now);

        let codes_changed = codes_report.is_some() && codes_after != current.codes;
        let updated_fields = changed_fields(&old, &row, codes_changed);
        if !updated_fields.is_empty() || decision.changed() {
            row.case_updated_ts = now;
            tx.update_case(&row).await?;
        }
        if codes_changed {
            tx.replace_case_codes(&id, &codes_after).await?;
        }
        if !cleared.is_empty() {
            tx.remove_case_documents(&id, &cleared).await?;
        }
        if !loaded.is_empty() {
            tx.put_case_documents(&id, &loaded).await?;
        }
        if let Some(history) = &history {
            tx.append_history(std::slice::from_ref(history)).await?;
        }
        // Replaced and removed objects go to the deleted prefix: queued in this transaction,
        // moved after it (a refused move is finished by `document_archive`).
        let moves: Vec<surgicase_ports::PendingMove> = removed
            .iter()
            .filter(|r| !loaded.iter().any(|l| l.object_key == r.object_key))
            .filter_map(|r| self.archive_move(KeyOwner::Case, &r.object_key, None, now))
            .collect();
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        counters::status_transitions(history.as_slice());
        if pay_update.is_some() {
            counters::pay_recomputed(PayTrigger::CaseUpdate, 1);
        }

        self.run_moves(&moves, &move_ids).await;

        let touched =
            Touched::new("case.update", "case", id.as_str()).subject(row.user_id.as_str()).details(json!({
                "fields": updated_fields,
                "status": {"from": old.case_status.code(), "to": row.case_status.code()},
            }));
        Ok(CaseUpdated {
            case_id: id.to_string(),
            updated_fields,
            status_update: StatusUpdate::new(&decision, &ctx.actor, rules.set.name()),
            pay_update,
            codes: codes_report.map(|outcome| CodesReport::new(&outcome, unknown)),
            touched,
        })
    }

    /// Reads and validates the documents a patch names with a new file name.
    async fn load_changed_documents(
        &self,
        patch: &CasePatch,
        stored: &CaseRow,
        owner: &UserId,
        actor: &UserId,
        now: surgicase_kernel::Timestamp,
    ) -> Result<Vec<CaseDocumentRecord>, AppError> {
        let mut named = Vec::new();
        for (field, doc) in &patch.documents {
            if let Patch::Set(name) = doc
                && document_name(&stored.documents, *field) != Some(name.as_str())
            {
                named.push((*field, name.clone()));
            }
        }
        self.load_named_case_documents(owner, &named, actor, now).await
    }
}

/// The API names of the fields whose stored value differs.
fn changed_fields(old: &CaseRow, new: &CaseRow, codes_changed: bool) -> Vec<String> {
    let mut fields = Vec::new();
    let mut check = |name: &str, differs: bool| {
        if differs {
            fields.push(name.to_owned());
        }
    };
    check("user_id", old.user_id != new.user_id);
    check("case_date", old.case_date != new.case_date);
    check("surgeon_id", old.surgeon_id != new.surgeon_id);
    check("facility_id", old.facility_id != new.facility_id);
    check("patient_first", old.patient.first != new.patient.first);
    check("patient_last", old.patient.last != new.patient.last);
    check("ins_provider", old.patient.ins_provider != new.patient.ins_provider);
    check("patient_dob", old.patient.dob != new.patient.dob);
    for field in DocumentField::ALL {
        check(field.as_str(), document_name(&old.documents, field) != document_name(&new.documents, field));
    }
    check("procedure_codes", codes_changed);
    check("pay_amount", old.pay_amount != new.pay_amount || old.pay_category != new.pay_category);
    fields
}
