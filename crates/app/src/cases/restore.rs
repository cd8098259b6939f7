//! `POST /case/restore`: undo a deletion (domain §13). Duplicate detection, pay and the rules
//! run again in the same transaction; documents move back afterwards.

use serde_json::json;
use surgicase_kernel::ArchiveState;
use surgicase_permissions::may_restore_case;

use super::outcome::{PayUpdate, StatusUpdate};
use super::read::parse_case_id;
use super::status::apply_rules;
use super::write::check_duplicate;
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::counters::{self, PayTrigger};
use crate::documents::ArchiveDirection;
use crate::error::{AppError, Conflict, Missing};

/// What the restore did.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRestored {
    pub case_id: String,
    /// As the actor sees it.
    pub case_status: surgicase_kernel::CaseStatus,
    pub status_update: StatusUpdate,
    /// `None` when pay was kept (cases at 15 and above keep their amount).
    pub pay_update: Option<PayUpdate>,
    pub archive_state: ArchiveState,
    pub touched: Touched,
}

impl App {
    pub async fn restore_case(
        &self,
        ctx: &Ctx,
        case_id: &str,
        force_duplicate: bool,
    ) -> Result<CaseRestored, AppError> {
        require(may_restore_case(&ctx.actor), Missing::Case, case_id)?;
        let id = parse_case_id(case_id)?;
        let now = self.clock.now();
        let owner = {
            let mut conn = self.store.conn().await?;
            let view = conn.get_case_view(&id, None, None).await?;
            view.ok_or_else(|| AppError::not_found(Missing::Case, case_id))?.case.row.user_id
        };
        let mut tx = self.store.begin().await?;
        let owner_record = tx.lock_user(&owner).await?;
        let current = tx.lock_case(&id).await?.ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
        if current.row.active {
            return Err(AppError::Conflict(Conflict::CaseActive { case_id: case_id.to_owned() }));
        }
        let Some(owner_record) = owner_record.filter(|u| u.active && u.user_id == current.row.user_id) else {
            return Err(AppError::Conflict(Conflict::OwnerInactive {
                user_id: current.row.user_id.to_string(),
            }));
        };
        let stored = &current.row;
        let (first, last) = (&stored.patient.first, &stored.patient.last);
        let forced = check_duplicate(
            &mut *tx,
            &stored.user_id,
            stored.case_date,
            first,
            last,
            Some(&id),
            force_duplicate,
        )
        .await?;
        let mut row = current.restored(forced, now);

        let codes = current.code_strings();
        let infos = if codes.is_empty() || !current.restore_reprices() {
            Vec::new()
        } else {
            tx.code_info(&codes, owner_record.user_tier).await?
        };
        let pay_update = if current.restore_reprices() {
            let pay = current.reprice(&infos)?;
            row.pay_amount = pay.amount;
            row.pay_category = pay.category.clone();
            Some(PayUpdate::new(&pay, (current.row.pay_amount, current.row.pay_category.as_deref())))
        } else {
            None
        };
        let rules = self.rule_sets.active(&mut *tx).await?;
        let (decision, history) = apply_rules(&mut row, &current.codes, &rules, ctx, now);
        tx.update_case(&row).await?;
        if let Some(history) = &history {
            tx.append_history(std::slice::from_ref(history)).await?;
        }
        tx.commit().await?;
        counters::status_transitions(history.as_slice());
        if pay_update.is_some() {
            counters::pay_recomputed(PayTrigger::CaseRestore, 1);
        }
        let (_, archive_state) = self.archive_case_documents(&id, ArchiveDirection::ToLive).await?;

        let touched = Touched::new("case.restore", "case", case_id).subject(row.user_id.as_str()).details(
            json!({"status": {"from": current.row.case_status.code(), "to": row.case_status.code()}}),
        );
        Ok(CaseRestored {
            case_id: case_id.to_owned(),
            case_status: ctx.actor.display(row.case_status),
            status_update: StatusUpdate::new(&decision, &ctx.actor, rules.set.name()),
            pay_update,
            archive_state,
            touched,
        })
    }
}
