//! `DELETE /user`: deactivate a user and their pre-payment cases (domain §13). Cases at 20 and
//! above stay (billing continues); a user with cases pending payment cannot be deleted.

use serde_json::json;
use surgicase_kernel::{ArchiveState, CaseStatus, Timestamp, UserId};
use surgicase_permissions::{UserRef, may_delete_user, may_see_user};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::documents::ArchiveDirection;
use crate::error::{AppError, Conflict, Missing};

/// What the deletion did.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDeleted {
    pub user_id: String,
    pub already_inactive: bool,
    pub deactivated_at: Option<Timestamp>,
    pub cases_deactivated: usize,
    pub archive_state: ArchiveState,
    pub touched: Touched,
}

impl App {
    pub async fn delete_user(&self, ctx: &Ctx, subject: &UserId) -> Result<UserDeleted, AppError> {
        // Decided before any lookup: user admins only, never oneself.
        require(may_delete_user(&ctx.actor, subject), Missing::User, subject.as_str())?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let stored = tx
            .lock_user(subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let target = UserRef { user_id: &stored.user_id, user_type: stored.user_type, active: stored.active };
        require(may_see_user(&ctx.actor, target, true), Missing::User, subject.as_str())?;
        if !stored.active {
            tx.commit().await?;
            return Ok(UserDeleted {
                user_id: subject.to_string(),
                already_inactive: true,
                deactivated_at: stored.deleted_ts,
                cases_deactivated: 0,
                archive_state: ArchiveState::Done,
                touched: Touched::new("user.delete", "user", subject.as_str()).subject(subject.as_str()),
            });
        }
        let pending = tx.count_owner_cases_at(subject, CaseStatus::PENDING_PAYMENT).await?;
        if pending > 0 {
            return Err(AppError::Conflict(Conflict::UserHasPendingPayments { case_count: pending }));
        }
        let mut next = stored.clone();
        next.active = false;
        next.deleted_ts = Some(now);
        next.deleted_by = Some(ctx.actor.user_id.to_string());
        next.last_updated_ts = now;
        tx.update_user(&next).await?;
        let by = ctx.actor.user_id.to_string();
        let cases = tx.deactivate_owner_cases(subject, CaseStatus::PENDING_PAYMENT, now, &by).await?;
        tx.commit().await?;
        self.forget_identity(subject);

        // Documents of the deactivated cases move to the deleted prefix after the commit.
        let mut archive_state = ArchiveState::Done;
        for case_id in &cases {
            let (_, state) = self.archive_case_documents(case_id, ArchiveDirection::ToDeleted).await?;
            archive_state = archive_state.and(state);
        }
        // The user's own documents follow (domain §13).
        let own = self.archive_user_documents(subject, ArchiveDirection::ToDeleted).await?;
        archive_state = archive_state.and(own);
        let touched =
            Touched::new("user.delete", "user", subject.as_str()).subject(subject.as_str()).details(json!({
                "case_ids": cases.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
                "count": cases.len(),
            }));
        Ok(UserDeleted {
            user_id: subject.to_string(),
            already_inactive: false,
            deactivated_at: Some(now),
            cases_deactivated: cases.len(),
            archive_state,
            touched,
        })
    }
}
