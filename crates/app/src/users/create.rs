//! `POST /user`: a user admin creates anyone; a registrant creates their own profile
//! (api.md §3; tiers per domain §4.4, caps per §4.2.1).

use serde_json::json;
use surgicase_kernel::{CaseStatus, UserId, UserType};
use surgicase_permissions::{Creator, may_assign_user_type, may_create_user, may_set_field_on_create};
use surgicase_ports::StoreError;
use surgicase_users::{
    Mode, Profile, ProfileChanges, ProfileField, ProfileInput, RoleDefaults, assign_tier, initial_cap,
    tier_candidates,
};

use crate::App;
use crate::access::require_field;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Conflict};

/// Who creates the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registrar {
    /// An active user (a user admin for anyone; anyone else only for their own id).
    User(Ctx),
    /// A caller without a profile, creating their own (self-registration).
    Registrant { identity: UserId, request_id: Option<String> },
    /// An operator command (`surgicase-api admin create-user`, seeding): no permission checks.
    System { name: &'static str },
}

/// What creation did.
#[derive(Debug, Clone, PartialEq)]
pub struct UserCreated {
    pub user_id: UserId,
    pub user_type: UserType,
    pub user_tier: i32,
    pub max_case_status: CaseStatus,
    pub touched: Touched,
}

impl Registrar {
    fn actor_name(&self) -> String {
        match self {
            Self::User(ctx) => ctx.actor.user_id.to_string(),
            Self::Registrant { identity, .. } => identity.to_string(),
            Self::System { name } => (*name).to_owned(),
        }
    }
}

impl App {
    pub async fn create_user(
        &self,
        registrar: &Registrar,
        input: &ProfileInput,
    ) -> Result<UserCreated, AppError> {
        let now = self.clock.now();
        let changes = ProfileChanges::parse(input, Mode::Create)?;
        let creator = match registrar {
            Registrar::User(ctx) => Some(Creator::User(&ctx.actor)),
            Registrar::Registrant { identity, .. } => Some(Creator::Registrant(identity)),
            Registrar::System { .. } => None,
        };
        if let Some(creator) = creator
            && !may_create_user(creator, &changes.user_id, self.settings.allow_self_registration).is_allowed()
        {
            return Err(AppError::Forbidden);
        }
        let refs = self.profile_refs(&changes).await?;
        let default_tier = {
            let mut conn = self.store.conn().await?;
            let presets = conn.preset_tiers(&tier_candidates(changes.email())).await?;
            assign_tier(changes.email(), presets.iter().map(|r| (r.user_email.as_str(), r.tier)))
        };
        let user_type = changes.user_type().unwrap_or(UserType::PROVIDER);
        let type_cap = refs.type_record(user_type).and_then(|r| r.user_max_case_status);
        let roles = RoleDefaults {
            user_type,
            user_tier: changes.user_tier().unwrap_or(default_tier),
            max_case_status: initial_cap(changes.max_case_status(), type_cap),
        };
        if let Some(creator) = creator {
            check_roles(creator, roles, default_tier, initial_cap(None, type_cap))?;
        }
        let named: Vec<(usize, String, String)> = changes
            .documents
            .iter()
            .enumerate()
            .filter_map(|(i, d)| d.document_name.clone().map(|n| (i, d.document_type.clone(), n)))
            .collect();
        let actor = UserId::parse(&registrar.actor_name()).unwrap_or_else(|_| changes.user_id.clone());
        let documents = self.load_user_documents(&changes.user_id, &named, &actor, now).await?;

        let profile = Profile::new(&changes, roles, now);
        let mut tx = self.store.begin().await?;
        match tx.insert_user(&profile).await {
            Err(StoreError::Duplicate(_)) => {
                return Err(AppError::Conflict(Conflict::UserExists {
                    user_id: profile.user_id.to_string(),
                }));
            }
            other => other?,
        }
        if !documents.is_empty() {
            tx.put_user_documents(&documents).await?;
        }
        tx.commit().await?;

        let touched = Touched::new("user.create", "user", profile.user_id.as_str())
            .subject(profile.user_id.as_str())
            .details(json!({"user_type": user_type.get(), "user_tier": roles.user_tier, "by": registrar.actor_name()}));
        Ok(UserCreated {
            user_id: profile.user_id,
            user_type,
            user_tier: roles.user_tier,
            max_case_status: roles.max_case_status,
            touched,
        })
    }
}

/// Role fields need a user admin unless they equal the defaults, and no one gives a type above
/// their own (domain §4.2).
fn check_roles(
    creator: Creator<'_>,
    roles: RoleDefaults,
    default_tier: i32,
    default_cap: CaseStatus,
) -> Result<(), AppError> {
    let defaults = [
        (ProfileField::UserType, "user_type", roles.user_type == UserType::PROVIDER),
        (ProfileField::UserTier, "user_tier", roles.user_tier == default_tier),
        (ProfileField::MaxCaseStatus, "max_case_status", roles.max_case_status == default_cap),
    ];
    for (field, name, is_default) in defaults {
        require_field(may_set_field_on_create(creator, field), name, is_default)?;
    }
    if let Creator::User(actor) = creator
        && !may_assign_user_type(actor, roles.user_type)
    {
        return Err(AppError::forbidden_field("user_type"));
    }
    Ok(())
}
