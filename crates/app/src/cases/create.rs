//! `POST /case`: create a case with its codes and documents, price it and run the rules, in
//! one transaction (domain §10, api.md §2).

use serde_json::json;
use surgicase_cases::{CodeListOutcome, NewCase, NewCaseInput, price_codes};
use surgicase_kernel::{CaseId, CaseStatus, Money, UserId};
use surgicase_permissions::may_create_case_for;
use surgicase_ports::StoreError;
use surgicase_ports::records::ChangeSource;

use super::outcome::{CodesReport, PayUpdate, StatusUpdate};
use super::status::{apply_rules, history_row};
use super::write::{check_address_book, check_duplicate, lock_active_owner};
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::counters::{self, PayTrigger};
use crate::error::{AppError, Conflict, Missing};
use crate::retry::retrying;

/// What creation did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCreated {
    pub case_id: CaseId,
    pub owner: UserId,
    pub human_case_id: i64,
    /// The status as the actor sees it.
    pub case_status: CaseStatus,
    pub codes: CodesReport,
    pub status_update: StatusUpdate,
    pub pay_update: PayUpdate,
    pub forced_duplicate: bool,
    pub dupe_flag: bool,
    pub touched: Touched,
}

impl App {
    pub async fn create_case(&self, ctx: &Ctx, input: NewCaseInput) -> Result<CaseCreated, AppError> {
        // Run again whole on a write conflict: what precedes the transaction only reads.
        retrying("case.create", || self.create_case_once(ctx, &input)).await
    }

    async fn create_case_once(&self, ctx: &Ctx, input: &NewCaseInput) -> Result<CaseCreated, AppError> {
        let now = self.clock.now();
        // The whole request is validated, codes included, before anything stored is asked.
        let fixes = self.auto_fixes(&NewCase::code_lookup(input)).await?;
        let new = NewCase::validate(input, now.date_naive(), &fixes)?;
        let owner = new.owner.clone().unwrap_or_else(|| ctx.actor.user_id.clone());
        // Decided before any lookup, so a provider learns nothing about other users.
        require(may_create_case_for(&ctx.actor, &owner), Missing::User, owner.as_str())?;
        // A taken id is the answer whatever else is wrong, and it is cheap: ask before reading
        // objects. The transaction asks again, so a racing creation still ends in 409.
        if !new.documents.is_empty() && self.store.conn().await?.case_id_taken(&new.case_id).await? {
            return Err(case_exists(&new.case_id));
        }
        // Object reads happen before the transaction: no row stays locked during I/O.
        let documents =
            self.load_named_case_documents(&owner, &new.documents, &ctx.actor.user_id, now).await?;

        let mut tx = self.store.begin().await?;
        // Asked again before the owner, so that both paths answer `case_exists` first.
        if tx.case_id_taken(&new.case_id).await? {
            return Err(case_exists(&new.case_id));
        }
        let owner_record = lock_active_owner(&mut *tx, &owner).await?;
        check_address_book(&mut *tx, &owner, Some(new.surgeon_id), Some(new.facility_id)).await?;
        let patient = &new.patient;
        let duplicate = check_duplicate(
            &mut *tx,
            &owner,
            new.case_date,
            patient.first(),
            patient.last(),
            None,
            new.force_duplicate,
        )
        .await?;
        let codes = new.procedure_codes.clone().unwrap_or_else(CodeListOutcome::empty);
        let infos = if codes.codes.is_empty() {
            Vec::new()
        } else {
            tx.code_info(&codes.code_strings(), owner_record.user_tier).await?
        };
        let priced = price_codes(&codes.codes, &infos);
        let mut row = new.row(owner.clone(), &priced.pay, duplicate, now);
        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, _) = apply_rules(&mut row, &priced.records, &rules, ctx, now);

        let human_case_id = match tx.insert_case(&row).await {
            Err(StoreError::Duplicate(_)) => return Err(case_exists(&new.case_id)),
            other => other?,
        };
        if !priced.records.is_empty() {
            tx.replace_case_codes(&row.case_id, &priced.records).await?;
        }
        if !documents.is_empty() {
            tx.put_case_documents(&row.case_id, &documents).await?;
        }
        // One history row for the creation, naming the rule when the rules moved the case.
        let fired = decision.changed().then(|| decision.rule().map(str::to_owned)).flatten();
        let created =
            history_row(&row, None, row.case_status, ChangeSource::Create, fired, rules.id, ctx, now);
        tx.append_history(std::slice::from_ref(&created)).await?;
        tx.commit().await?;
        counters::case_created();
        counters::status_transitions(std::slice::from_ref(&created));
        counters::pay_recomputed(PayTrigger::CaseCreate, 1);

        let touched = Touched::new("case.create", "case", row.case_id.as_str())
            .subject(owner.as_str())
            .details(json!({
                "status": {"from": null, "to": row.case_status.code()},
                "procedure_codes": priced.records.len(),
                "documents": documents.iter().map(|d| d.document_type).collect::<Vec<_>>(),
            }));
        Ok(CaseCreated {
            case_id: row.case_id,
            owner,
            human_case_id,
            case_status: ctx.actor.display(row.case_status),
            codes: CodesReport::new(&codes, priced.unknown),
            status_update: StatusUpdate::new(&decision, &ctx.actor, rules.set.name()),
            pay_update: PayUpdate::new(&priced.pay, (Money::ZERO, None)),
            forced_duplicate: duplicate,
            dupe_flag: duplicate,
            touched,
        })
    }
}

fn case_exists(case_id: &CaseId) -> AppError {
    AppError::Conflict(Conflict::CaseExists { case_id: case_id.to_string() })
}
