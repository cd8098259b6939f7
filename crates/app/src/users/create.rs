//! `POST /user`: a user admin creates anyone; a registrant creates their own profile
//! (api.md §3; tiers per domain §4.4, caps per §4.2.1).

use serde_json::json;
use surgicase_kernel::{CaseStatus, UserId, UserType};
use surgicase_permissions::{Creator, may_assign_user_type, may_create_user, may_set_field_on_create};
use surgicase_ports::StoreError;
use surgicase_ports::records::UserRecord;
use surgicase_users::{NewUser, NewUserInput, ProfileField, assign_tier, initial_cap, tier_candidates};

use super::checks::check_refs;
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
        input: &NewUserInput,
    ) -> Result<UserCreated, AppError> {
        let now = self.clock.now();
        let new = NewUser::parse(input)?;
        let creator = match registrar {
            Registrar::User(ctx) => Some(Creator::User(&ctx.actor)),
            Registrar::Registrant { identity, .. } => Some(Creator::Registrant(identity)),
            Registrar::System { .. } => None,
        };
        if let Some(creator) = creator
            && !may_create_user(creator, &new.user_id, self.settings.allow_self_registration).is_allowed()
        {
            return Err(AppError::Forbidden);
        }

        let doc_types: Vec<(usize, &str)> =
            new.documents.iter().enumerate().map(|(i, d)| (i, d.document_type.as_str())).collect();
        let (refs, default_tier) = {
            let mut conn = self.store.conn().await?;
            let refs = check_refs(
                &mut *conn,
                new.user_type,
                new.max_case_status,
                new.timezone.as_deref(),
                &doc_types,
            )
            .await?;
            let presets = conn.preset_tiers(&tier_candidates(&new.user_email)).await?;
            (refs, assign_tier(&new.user_email, presets.iter().map(|r| (r.user_email.as_str(), r.tier))))
        };
        let user_type = new.user_type.unwrap_or(UserType::PROVIDER);
        let type_cap = refs.type_record(user_type).and_then(|r| r.user_max_case_status);
        let max_case_status = initial_cap(new.max_case_status, type_cap);
        let user_tier = new.user_tier.unwrap_or(default_tier);
        if let Some(creator) = creator {
            // Role fields need a user admin unless they equal the defaults.
            let defaults = [
                (ProfileField::UserType, "user_type", user_type == UserType::PROVIDER),
                (ProfileField::UserTier, "user_tier", user_tier == default_tier),
                (
                    ProfileField::MaxCaseStatus,
                    "max_case_status",
                    max_case_status == initial_cap(None, type_cap),
                ),
            ];
            for (field, name, is_default) in defaults {
                require_field(may_set_field_on_create(creator, field), name, is_default)?;
            }
            if let Creator::User(actor) = creator
                && !may_assign_user_type(actor, user_type)
            {
                return Err(AppError::forbidden_field("user_type"));
            }
        }
        let named: Vec<(usize, String, String)> = new
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.document_type.clone(), d.document_name.clone()))
            .collect();
        let actor = UserId::parse(&registrar.actor_name()).unwrap_or_else(|_| new.user_id.clone());
        let documents = self.load_user_documents(&new.user_id, &named, &actor, now).await?;

        let mut tx = self.store.begin().await?;
        let record = UserRecord {
            user_id: new.user_id.clone(),
            user_email: new.user_email.clone(),
            first_name: Some(new.first_name.clone()),
            last_name: Some(new.last_name.clone()),
            addr1: new.addr1.clone(),
            addr2: new.addr2.clone(),
            city: new.city.clone(),
            state: new.state.clone(),
            zipcode: new.zipcode.clone(),
            telephone: new.telephone.and_then(|t| i64::try_from(t).ok()),
            user_npi: new.user_npi.and_then(|n| i64::try_from(n.get()).ok()),
            referred_by_user: new.referred_by_user.clone(),
            user_type,
            message_pref: new.message_pref.code(),
            states_licensed: new.states_licensed.clone(),
            user_tier,
            max_case_status,
            timezone: new.timezone.clone(),
            credentials: new.credentials.clone(),
            ins_exp_date: new.ins_exp_date,
            default_pagination_cases: new.default_pagination_cases,
            active: true,
            create_ts: now,
            last_updated_ts: now,
            last_login_dt: None,
            deleted_ts: None,
            deleted_by: None,
        };
        match tx.insert_user(&record).await {
            Err(StoreError::Duplicate(_)) => {
                return Err(AppError::Conflict(Conflict::UserExists { user_id: new.user_id.to_string() }));
            }
            other => other?,
        }
        if !documents.is_empty() {
            tx.put_user_documents(&documents).await?;
        }
        tx.commit().await?;

        let touched =
            Touched::new("user.create", "user", new.user_id.as_str()).subject(new.user_id.as_str()).details(
                json!({"user_type": user_type.get(), "user_tier": user_tier, "by": registrar.actor_name()}),
            );
        Ok(UserCreated { user_id: new.user_id, user_type, user_tier, max_case_status, touched })
    }
}
