//! `PATCH /user`: profile fields by their owner, role fields by a user admin (domain §4.2.1);
//! a tier change re-prices the user's pre-payment cases in the same transaction (domain §8).

use serde_json::json;
use surgicase_kernel::{RoleLevel, UserId, ValidationErrors};
use surgicase_permissions::{
    UserRef, may_act_for, may_assign_user_type, may_change_user_field, may_update_user,
};
use surgicase_ports::records::UserDocumentRecord;
use surgicase_users::{ProfileField, UserPatch, UserPatchInput, resolve_cap};

use super::checks::check_refs;
use super::patch::apply;
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
        input: &UserPatchInput,
        read_only: &ReadOnlySent,
        errors: ValidationErrors,
    ) -> AppError {
        let Some(subject) = input.user_id.as_deref().and_then(|raw| UserId::parse(raw).ok()) else {
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
    pub async fn update_user(&self, ctx: &Ctx, input: &UserPatchInput) -> Result<UserUpdated, AppError> {
        self.patch_user(ctx, input, &ReadOnlySent::default()).await
    }

    /// `PATCH /user` as received: the patch, and the read-only fields the body carried
    /// (`READ_ONLY_FIELDS`), which must equal the stored values.
    pub async fn patch_user(
        &self,
        ctx: &Ctx,
        input: &UserPatchInput,
        read_only: &ReadOnlySent,
    ) -> Result<UserUpdated, AppError> {
        let now = self.clock.now();
        let patch = match UserPatch::parse(input) {
            Ok(patch) => patch,
            Err(errors) if lone_read_only(&errors, read_only) => {
                return Err(self.judge_profile_read_only(ctx, input, read_only, errors).await);
            }
            Err(errors) => return Err(errors.into()),
        };
        let subject = patch.user_id.clone();
        require(may_act_for(&ctx.actor, &subject, RoleLevel::UserAdmin), Missing::User, subject.as_str())?;

        let timezone = match &patch.timezone {
            surgicase_kernel::Patch::Set(tz) => Some(tz.as_str()),
            _ => None,
        };
        let doc_types: Vec<(usize, &str)> =
            patch.documents.iter().enumerate().map(|(i, d)| (i, d.document_type.as_str())).collect();
        let refs = {
            let mut conn = self.store.conn().await?;
            check_refs(&mut *conn, patch.user_type, patch.max_case_status, timezone, &doc_types).await?
        };
        let named: Vec<(usize, String, String)> = patch
            .documents
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.document_name.clone().map(|n| (i, d.document_type.clone(), n)))
            .collect();

        let mut tx = self.store.begin().await?;
        let view = tx
            .get_user_view(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let stored = tx
            .lock_user(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let target = UserRef { user_id: &stored.user_id, user_type: stored.user_type, active: stored.active };
        require(may_update_user(&ctx.actor, target), Missing::User, subject.as_str())?;
        // Against the locked row, before any write: a profile sent back as read is no change.
        check_read_only(read_only, |name| stored_read_only(&stored, name))?;

        let type_cap = patch.user_type.and_then(|t| refs.type_record(t)).and_then(|r| r.user_max_case_status);
        let new_cap = resolve_cap(stored.user_type, patch.user_type, patch.max_case_status, type_cap);
        let (mut next, mut changed) = apply(&stored, &patch, new_cap);

        // Documents: replaced per type when the name differs, removed when set to "".
        let current_name = |doc_type: &str| {
            view.documents.iter().find(|d| d.document_type == doc_type).map(|d| d.document_name.as_str())
        };
        let replace: Vec<(usize, String, String)> =
            named.into_iter().filter(|(_, t, n)| current_name(t) != Some(n.as_str())).collect();
        let removed: Vec<String> = patch
            .documents
            .iter()
            .filter(|d| d.document_name.is_none() && current_name(&d.document_type).is_some())
            .map(|d| d.document_type.clone())
            .collect();
        if !replace.is_empty() || !removed.is_empty() {
            changed.push(ProfileField::Documents);
        }
        for field in &changed {
            if !may_change_user_field(&ctx.actor, &subject, stored.user_type, *field).is_allowed() {
                return Err(AppError::forbidden_field(field.as_str()));
            }
        }
        if changed.contains(&ProfileField::UserType) && !may_assign_user_type(&ctx.actor, next.user_type) {
            return Err(AppError::forbidden_field("user_type"));
        }
        if changed.is_empty() {
            tx.commit().await?;
            return Ok(UserUpdated {
                user_id: subject.to_string(),
                updated_fields: Vec::new(),
                cases_repriced: None,
                touched: Touched::new("user.update", "user", subject.as_str()).subject(subject.as_str()),
            });
        }
        // Objects are read only once the change is known to be allowed.
        let documents: Vec<UserDocumentRecord> =
            self.load_user_documents(&subject, &replace, &ctx.actor.user_id, now).await?;

        next.last_updated_ts = now;
        tx.update_user(&next).await?;
        if !removed.is_empty() {
            tx.remove_user_documents(&subject, &removed).await?;
        }
        if !documents.is_empty() {
            tx.put_user_documents(&documents).await?;
        }
        // Replaced and removed objects go to the deleted prefix after the commit.
        let moves: Vec<surgicase_ports::PendingMove> = view
            .documents
            .iter()
            .filter(|d| d.location == "live")
            .filter(|d| {
                removed.contains(&d.document_type) || replace.iter().any(|(_, t, _)| *t == d.document_type)
            })
            .filter(|d| !documents.iter().any(|n| n.object_key == d.object_key))
            .filter_map(|d| self.archive_move(KeyOwner::User(&subject), &d.object_key, None, now))
            .collect();
        let move_ids = tx.enqueue_moves(&moves).await?;
        let cases_repriced = if next.user_tier != stored.user_tier {
            Some(crate::pricing::reprice_owner_cases(&mut *tx, &subject, next.user_tier, now).await?)
        } else {
            None
        };
        tx.commit().await?;
        self.run_moves(&moves, &move_ids).await;
        if next.active != stored.active {
            // Reactivation brings the user's documents back (a deactivation sends them away).
            let direction = if next.active { ArchiveDirection::ToLive } else { ArchiveDirection::ToDeleted };
            self.archive_user_documents(&subject, direction).await?;
        }
        if let Some(cases) = cases_repriced {
            crate::counters::pay_recomputed(crate::counters::PayTrigger::TierChange, cases as u64);
        }

        let updated_fields: Vec<String> = changed.iter().map(|f| f.as_str().to_owned()).collect();
        let role_change = changed.iter().any(|f| f.is_role_field());
        let touched = Touched::new(
            if role_change { "user.role_change" } else { "user.update" },
            "user",
            subject.as_str(),
        )
        .subject(subject.as_str())
        .details(json!({"fields": updated_fields}));
        Ok(UserUpdated { user_id: subject.to_string(), updated_fields, cases_repriced, touched })
    }
}
