//! `PATCH /case`: change fields, codes, documents or owner; re-price and re-run the rules in
//! the same transaction (domain §8, §10.2, §14.3; api.md §2). The case aggregate decides
//! (`Case::check_edit`, `Case::edit`, `CaseEdit::price`); this file loads, stores and reports.

use serde_json::json;
use surgicase_cases::{Case, CaseEdit, CasePatch, CasePatchInput, Repriced};
use surgicase_kernel::{CaseId, Raw, Timestamp, ValidationErrors};
use surgicase_permissions::{Denied, case_reads_limited_to, may_read_case};
use surgicase_ports::{Conn, PendingMove};

use super::outcome::{CodesReport, PayUpdate, StatusUpdate};
use super::read::parse_case_id;
use super::read_only::shown as stored_read_only;
use super::status::apply_rules;
use super::write::{check_address_book, check_duplicate, lock_active_owner};
use crate::App;
use crate::access::case_denied;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::counters::{self, PayTrigger};
use crate::documents::KeyOwner;
use crate::error::{AppError, Missing};
use crate::read_only::{ReadOnlySent, check as check_read_only, lone_read_only};
use crate::retry::retrying;

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

impl App {
    pub async fn update_case(&self, ctx: &Ctx, request: CaseUpdateRequest) -> Result<CaseUpdated, AppError> {
        // Run again whole on a write conflict: what precedes the transaction only reads.
        retrying("case.update", || self.update_case_once(ctx, &request)).await
    }

    async fn update_case_once(
        &self,
        ctx: &Ctx,
        request: &CaseUpdateRequest,
    ) -> Result<CaseUpdated, AppError> {
        let now = self.clock.now();
        let patch = self.validate_case_patch(ctx, request, now).await?;
        // A read without locks decides access and names the owner, so the owner can be locked
        // before the case (the lock order of every case write) and objects read before any lock.
        let peek = self.read_case_for_edit(ctx, &patch.case_id).await?;
        peek.check_edit(&ctx.actor, &patch).map_err(|d| refused(d, &peek))?;
        let new_owner = patch.owner.as_ref().unwrap_or(&peek.row.user_id);
        let named = patch.documents_to_load(&peek.row.documents);
        let loaded = self.load_named_case_documents(new_owner, &named, &ctx.actor.user_id, now).await?;

        let mut tx = self.store.begin().await?;
        let (current, tier) = lock_for_edit(&mut *tx, ctx, &patch, &peek, &request.read_only).await?;
        let mut edit = current.edit(&patch, loaded)?;
        check_address_book(&mut *tx, &edit.row.user_id, edit.check_surgeon, edit.check_facility).await?;
        if edit.duplicate_check {
            let row = &edit.row;
            let (owner, date, id) = (&row.user_id, row.case_date, Some(&row.case_id));
            let (first, last) = (&row.patient.first, &row.patient.last);
            edit.row.dupe_flag |=
                check_duplicate(&mut *tx, owner, date, first, last, id, edit.force_duplicate).await?;
        }
        let codes = edit.codes_to_price();
        let infos = if codes.is_empty() { Vec::new() } else { tx.code_info(&codes, tier).await? };
        let repriced = edit.price(&infos)?;
        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, history) = apply_rules(&mut edit.row, &edit.codes, &rules, ctx, now);
        let moves = self.store_edit(&mut *tx, &mut edit, decision.changed(), now).await?;
        if let Some(history) = &history {
            tx.append_history(std::slice::from_ref(history)).await?;
        }
        let move_ids = tx.enqueue_moves(&moves).await?;
        tx.commit().await?;
        counters::status_transitions(history.as_slice());
        if repriced.is_some() {
            counters::pay_recomputed(PayTrigger::CaseUpdate, 1);
        }
        self.run_moves(&moves, &move_ids).await;
        Ok(updated(ctx, &edit, &decision, rules.set.name(), repriced))
    }

    /// The validated patch; a body of read-only fields alone is judged against the stored case.
    async fn validate_case_patch(
        &self,
        ctx: &Ctx,
        request: &CaseUpdateRequest,
        now: Timestamp,
    ) -> Result<CasePatch, AppError> {
        // The whole request is validated, codes included, before anything stored is asked.
        let fixes = self.auto_fixes(&CasePatch::code_lookup(&request.input)).await?;
        match CasePatch::validate(&request.input, now.date_naive(), &fixes) {
            Ok(patch) => Ok(patch),
            Err(errors) if lone_read_only(&errors, &request.read_only) => {
                Err(self.judge_case_read_only(ctx, request, errors).await)
            }
            Err(errors) => Err(errors.into()),
        }
    }

    /// The case as the actor may read it by id (limited to their own below case admin).
    async fn read_case_for_edit(&self, ctx: &Ctx, id: &CaseId) -> Result<Case, AppError> {
        let mut conn = self.store.conn().await?;
        let view = conn.get_case_view(id, None, case_reads_limited_to(&ctx.actor)).await?;
        view.map(|v| v.case).ok_or_else(|| AppError::not_found(Missing::Case, id.as_str()))
    }

    /// A body of read-only fields alone: each is compared with the stored case the actor may
    /// read (a changed one is `read_only_field`); when all are equal, `errors` stands.
    async fn judge_case_read_only(
        &self,
        ctx: &Ctx,
        request: &CaseUpdateRequest,
        errors: ValidationErrors,
    ) -> AppError {
        let Raw::Value(raw_id) = &request.input.case_id else { return errors.into() };
        let case = match parse_case_id(raw_id) {
            Ok(id) => self.read_case_for_edit(ctx, &id).await,
            Err(e) => Err(e),
        };
        let case = match case {
            Ok(case) if may_read_case(&ctx.actor, case.reference()).is_allowed() => case,
            Ok(_) => return AppError::not_found(Missing::Case, raw_id),
            Err(e) => return e,
        };
        match check_read_only(&request.read_only, |name| stored_read_only(&ctx.actor, &case, name)) {
            Err(changed) => changed.into(),
            Ok(()) => errors.into(),
        }
    }

    /// Writes what the edit changed and queues the moves of the objects that leave (moved
    /// after commit; a refused move is finished by `document_archive`).
    async fn store_edit(
        &self,
        tx: &mut dyn Conn,
        edit: &mut CaseEdit,
        status_changed: bool,
        now: Timestamp,
    ) -> Result<Vec<PendingMove>, AppError> {
        let id = edit.row.case_id.clone();
        if edit.touch(status_changed, now) {
            tx.update_case(&edit.row).await?;
        }
        if edit.codes_changed() {
            tx.replace_case_codes(&id, &edit.codes).await?;
        }
        if !edit.cleared.is_empty() {
            tx.remove_case_documents(&id, &edit.cleared).await?;
        }
        if !edit.loaded.is_empty() {
            tx.put_case_documents(&id, &edit.loaded).await?;
        }
        Ok(edit
            .archived
            .iter()
            .filter_map(|r| self.archive_move(KeyOwner::Case, &r.object_key, None, now))
            .collect())
    }
}

/// Locks the owner, then the case, then a new owner (the lock order of every case write), and
/// checks the edit again against the locked row; returns the case and the resulting owner's tier.
async fn lock_for_edit(
    tx: &mut dyn Conn,
    ctx: &Ctx,
    patch: &CasePatch,
    peek: &Case,
    read_only: &ReadOnlySent,
) -> Result<(Case, i32), AppError> {
    let first_owner = tx.lock_user(&peek.row.user_id).await?;
    let id = &patch.case_id;
    let current = tx.lock_case(id).await?.ok_or_else(|| AppError::not_found(Missing::Case, id.as_str()))?;
    current.check_edit(&ctx.actor, patch).map_err(|d| refused(d, &current))?;
    // Against the locked row, before any write: equal to what the actor reads is ignored.
    check_read_only(read_only, |name| stored_read_only(&ctx.actor, &current, name))?;
    let stored_owner = &current.row.user_id;
    let tier = match (&patch.owner, first_owner) {
        (Some(new), _) if new != stored_owner => lock_active_owner(tx, new).await?.user_tier,
        (_, Some(owner)) if &owner.user_id == stored_owner => owner.user_tier,
        // The case changed owner between the read and the lock.
        _ => match tx.lock_user(stored_owner).await? {
            Some(owner) => owner.user_tier,
            None => return Err(AppError::internal(format!("case {id} has no owner row"))),
        },
    };
    Ok((current, tier))
}

fn refused(denied: Denied, case: &Case) -> AppError {
    case_denied(denied, case.row.case_id.as_str(), case.row.case_status.code())
}

fn updated(
    ctx: &Ctx,
    edit: &CaseEdit,
    decision: &surgicase_billing::Decision,
    rule_set: &str,
    repriced: Option<Repriced>,
) -> CaseUpdated {
    let (old, row) = (&edit.before, &edit.row);
    let updated_fields = edit.changed_fields();
    let touched = Touched::new("case.update", "case", row.case_id.as_str())
        .subject(row.user_id.as_str())
        .details(json!({
            "fields": updated_fields,
            "status": {"from": old.case_status.code(), "to": row.case_status.code()},
        }));
    let codes = match &edit.pricing {
        surgicase_cases::Pricing::Codes(outcome) => {
            Some(CodesReport::new(outcome, repriced.as_ref().map(|r| r.unknown.clone()).unwrap_or_default()))
        }
        _ => None,
    };
    CaseUpdated {
        case_id: row.case_id.to_string(),
        updated_fields,
        status_update: StatusUpdate::new(decision, &ctx.actor, rule_set),
        pay_update: repriced.map(|r| PayUpdate::new(&r.pay, (old.pay_amount, old.pay_category.as_deref()))),
        codes,
        touched,
    }
}
