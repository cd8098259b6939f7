//! `PATCH /user`: profile fields by their owner, role fields by a user admin (domain §4.2.1);
//! a tier change re-prices the user's pre-payment cases in the same transaction (domain §8).

use serde_json::json;
use surgicase_kernel::{RoleLevel, Timestamp, UserId, ValidationErrors};
use surgicase_permissions::{
    UserRef, may_act_for, may_assign_user_type, may_change_user_field, may_update_user,
};
use surgicase_ports::records::{UserDocumentRecord, UserRecord, UserView};
use surgicase_ports::{Conn, PendingMove, Tx};
use surgicase_users::{Mode, ProfileChanges, ProfileField, ProfileInput, resolve_cap};

use super::checks::{ProfileRefs, check_refs};
use super::profile_documents::DocumentPlan;
use super::read_only::shown as stored_read_only;
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::documents::{ArchiveDirection, KeyOwner};
use crate::error::{AppError, Missing};
use crate::read_only::{ReadOnlySent, check as check_read_only, lone_read_only};

/// What the update did.
#[derive(Debug, Clone, PartialEq)]
pub struct UserUpdated {
    pub user_id: String,
    /// API names of the fields whose value changed.
    pub updated_fields: Vec<String>,
    /// Set when the tier changed: how many pre-payment cases were re-priced.
    pub cases_repriced: Option<usize>,
    pub touched: Touched,
}

impl App {
    /// A body of read-only fields alone: each is compared with the stored profile the actor
    /// may see (a changed one is `read_only_field`); when all are equal, `errors` stands.
    async fn judge_profile_read_only(
        &self,
        ctx: &Ctx,
        input: &ProfileInput,
        read_only: &ReadOnlySent,
        errors: ValidationErrors,
    ) -> AppError {
        let Some(subject) = input.user_id.value().and_then(|raw| UserId::parse(raw).ok()) else {
            return errors.into();
        };
        let not_found = || AppError::not_found(Missing::User, subject.as_str());
        if !may_act_for(&ctx.actor, &subject, RoleLevel::UserAdmin).is_allowed() {
            return not_found();
        }
        let stored = match self.store.conn().await {
            Ok(mut conn) => conn.get_user(&subject).await.map_err(AppError::from),
            Err(e) => Err(e.into()),
        };
        let stored = match stored {
            Ok(Some(user)) => user,
            Ok(None) => return not_found(),
            Err(e) => return e,
        };
        let target = UserRef { user_id: &stored.user_id, user_type: stored.user_type, active: stored.active };
        if !may_update_user(&ctx.actor, target).is_allowed() {
            return not_found();
        }
        match check_read_only(read_only, |name| stored_read_only(&stored, name)) {
            Err(changed) => changed.into(),
            Ok(()) => errors.into(),
        }
    }

    /// [`App::patch_user`] for a body without read-only fields (operators, tests).
    pub async fn update_user(&self, ctx: &Ctx, input: &ProfileInput) -> Result<UserUpdated, AppError> {
        self.patch_user(ctx, input, &ReadOnlySent::default()).await
    }

    /// `PATCH /user` as received: the body, and the read-only fields it carried
    /// (`READ_ONLY_FIELDS`), which must equal the stored values.
    pub async fn patch_user(
        &self,
        ctx: &Ctx,
        input: &ProfileInput,
        read_only: &ReadOnlySent,
    ) -> Result<UserUpdated, AppError> {
        let now = self.clock.now();
        let changes = self.validate_profile_patch(ctx, input, read_only).await?;
        let subject = changes.user_id.clone();
        require(may_act_for(&ctx.actor, &subject, RoleLevel::UserAdmin), Missing::User, subject.as_str())?;
        let refs = self.profile_refs(&changes).await?;

        let mut tx = self.store.begin().await?;
        let (view, stored) = locked_profile(&mut *tx, ctx, &subject).await?;
        // Against the locked row, before any write: a profile sent back as read is no change.
        check_read_only(read_only, |name| stored_read_only(&stored, name))?;
        let type_cap =
            changes.user_type().and_then(|t| refs.type_record(t)).and_then(|r| r.user_max_case_status);
        let cap = resolve_cap(stored.user_type, changes.user_type(), changes.max_case_status(), type_cap);
        let mut next = stored.clone();
        let mut changed = next.apply(&changes, cap, now);
        let documents = DocumentPlan::new(&view.documents, &changes.documents);
        if documents.changes_anything() {
            changed.push(ProfileField::Documents);
            next.last_updated_ts = now;
        }
        check_changes(ctx, &stored, &next, &changed)?;
        if changed.is_empty() {
            tx.commit().await?;
            return Ok(UserUpdated::new(&subject, &changed, None));
        }
        // Objects are read only once the change is known to be allowed.
        let loaded = self.load_user_documents(&subject, &documents.replace, &ctx.actor.user_id, now).await?;
        let moves = self.store_profile(&mut *tx, &view.documents, &next, &documents, &loaded, now).await?;
        let move_ids = tx.enqueue_moves(&moves).await?;
        let cases_repriced = match next.user_tier != stored.user_tier {
            true => Some(crate::pricing::reprice_owner_cases(&mut *tx, &subject, next.user_tier, now).await?),
            false => None,
        };
        tx.commit().await?;
        self.forget_identity(&subject);
        self.after_profile_commit(&subject, &moves, &move_ids, (stored.active, next.active), cases_repriced)
            .await?;
        Ok(UserUpdated::new(&subject, &changed, cases_repriced))
    }

    /// The validated changes; a body of read-only fields alone is judged against the stored
    /// profile.
    async fn validate_profile_patch(
        &self,
        ctx: &Ctx,
        input: &ProfileInput,
        read_only: &ReadOnlySent,
    ) -> Result<ProfileChanges, AppError> {
        match ProfileChanges::parse(input, Mode::Update) {
            Ok(changes) => Ok(changes),
            Err(errors) if lone_read_only(&errors, read_only) => {
                Err(self.judge_profile_read_only(ctx, input, read_only, errors).await)
            }
            Err(errors) => Err(errors.into()),
        }
    }

    /// Writes the profile and its documents; returns the moves of the objects that leave
    /// (replaced or removed live documents), to queue in the same transaction.
    async fn store_profile(
        &self,
        tx: &mut dyn Conn,
        stored_documents: &[UserDocumentRecord],
        next: &UserRecord,
        documents: &DocumentPlan,
        loaded: &[UserDocumentRecord],
        now: Timestamp,
    ) -> Result<Vec<PendingMove>, AppError> {
        let subject = &next.user_id;
        tx.update_user(next).await?;
        if !documents.remove.is_empty() {
            tx.remove_user_documents(subject, &documents.remove).await?;
        }
        if !loaded.is_empty() {
            tx.put_user_documents(loaded).await?;
        }
        Ok(stored_documents
            .iter()
            .filter(|d| d.location.is_live() && documents.displaces(&d.document_type))
            .filter(|d| !loaded.iter().any(|n| n.object_key == d.object_key))
            .filter_map(|d| self.archive_move(KeyOwner::User(subject), &d.object_key, None, now))
            .collect())
    }

    /// The reference lists a profile body names exist (type, status, time zone, document types).
    pub(crate) async fn profile_refs(&self, changes: &ProfileChanges) -> Result<ProfileRefs, AppError> {
        let doc_types: Vec<(usize, &str)> =
            changes.documents.iter().enumerate().map(|(i, d)| (i, d.document_type.as_str())).collect();
        let mut conn = self.store.conn().await?;
        check_refs(&mut *conn, changes.user_type(), changes.max_case_status(), changes.timezone(), &doc_types)
            .await
    }

    /// Document moves, archive on (re)activation and counters, once the update committed.
    async fn after_profile_commit(
        &self,
        subject: &UserId,
        moves: &[PendingMove],
        move_ids: &[i64],
        (was_active, is_active): (bool, bool),
        cases_repriced: Option<usize>,
    ) -> Result<(), AppError> {
        self.run_moves(moves, move_ids).await;
        if was_active != is_active {
            // Reactivation brings the user's documents back (a deactivation sends them away).
            let direction = if is_active { ArchiveDirection::ToLive } else { ArchiveDirection::ToDeleted };
            self.archive_user_documents(subject, direction).await?;
        }
        if let Some(cases) = cases_repriced {
            crate::counters::pay_recomputed(crate::counters::PayTrigger::TierChange, cases as u64);
        }
        Ok(())
    }
}

/// The subject's profile with its documents, locked; someone the actor may not change is not
/// found.
async fn locked_profile(
    tx: &mut dyn Tx,
    ctx: &Ctx,
    subject: &UserId,
) -> Result<(UserView, UserRecord), AppError> {
    let not_found = || AppError::not_found(Missing::User, subject.as_str());
    let view = tx.get_user_view(subject).await?.ok_or_else(not_found)?;
    let stored = tx.lock_user(subject).await?.ok_or_else(not_found)?;
    let target = UserRef { user_id: &stored.user_id, user_type: stored.user_type, active: stored.active };
    require(may_update_user(&ctx.actor, target), Missing::User, subject.as_str())?;
    Ok((view, stored))
}

/// Every changed field must be the actor's to change (domain §4.2.1), and a new type no higher
/// than their own.
fn check_changes(
    ctx: &Ctx,
    stored: &UserRecord,
    next: &UserRecord,
    changed: &[ProfileField],
) -> Result<(), AppError> {
    for field in changed {
        if !may_change_user_field(&ctx.actor, &stored.user_id, stored.user_type, *field).is_allowed() {
            return Err(AppError::forbidden_field(field.as_str()));
        }
    }
    if changed.contains(&ProfileField::UserType) && !may_assign_user_type(&ctx.actor, next.user_type) {
        return Err(AppError::forbidden_field("user_type"));
    }
    Ok(())
}

impl UserUpdated {
    fn new(subject: &UserId, changed: &[ProfileField], cases_repriced: Option<usize>) -> Self {
        let updated_fields: Vec<String> = changed.iter().map(|f| f.as_str().to_owned()).collect();
        let role_change = changed.iter().any(|f| f.is_role_field());
        let action = if role_change { "user.role_change" } else { "user.update" };
        let touched = Touched::new(action, "user", subject.as_str())
            .subject(subject.as_str())
            .details(json!({"fields": updated_fields}));
        UserUpdated { user_id: subject.to_string(), updated_fields, cases_repriced, touched }
    }
}
