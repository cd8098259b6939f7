//! `GET /user_environment`: what the client needs at start-up (api.md §3).

use surgicase_kernel::{RoleLevel, UserId};
use surgicase_permissions::{
    EnvironmentPermissions, UserRef, environment_shows_status, lists_user_type, may_act_for, may_see_user,
};
use surgicase_ports::records::{FacilityRecord, StatusRecord, SurgeonRecord, UserTypeRecord, UserView};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// The bootstrap data of one user.
#[derive(Debug, Clone, PartialEq)]
pub struct UserEnvironment {
    pub profile: UserView,
    pub case_statuses: Vec<StatusRecord>,
    pub surgeons: Vec<SurgeonRecord>,
    pub facilities: Vec<FacilityRecord>,
    pub user_types: Vec<UserTypeRecord>,
    pub permissions: EnvironmentPermissions,
    pub max_case_status_desc: Option<String>,
    pub last_login_updated: bool,
    pub touched: Touched,
}

impl App {
    pub async fn user_environment(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
    ) -> Result<UserEnvironment, AppError> {
        let subject = subject.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_act_for(&ctx.actor, &subject, RoleLevel::UserAdmin), Missing::User, subject.as_str())?;
        let now = self.clock.now();
        let mut conn = self.store.conn().await?;
        let profile = conn
            .get_user_view(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let user = &profile.user;
        let target = UserRef { user_id: &user.user_id, user_type: user.user_type, active: user.active };
        require(may_see_user(&ctx.actor, target, false), Missing::User, subject.as_str())?;
        let (user_type, cap) = (user.user_type, user.max_case_status);

        let catalogue = self.catalogue.get(conn.as_mut()).await?;
        let max_case_status_desc =
            catalogue.iter().find(|s| s.case_status == cap).map(|s| s.case_status_desc.clone());
        let case_statuses = catalogue
            .iter()
            .filter(|s| environment_shows_status(user_type, cap, s.case_status))
            .cloned()
            .collect();
        let user_types = conn
            .user_types()
            .await?
            .into_iter()
            .filter(|t| lists_user_type(user_type, t.user_type))
            .collect();
        let surgeons = conn.surgeons().list(&subject).await?;
        let facilities = conn.facilities().list(&subject).await?;
        let last_login_updated =
            conn.touch_last_login(&subject, now, self.settings.login_touch_interval_s).await?;
        let touched =
            Touched::new("user.environment_read", "user", subject.as_str()).subject(subject.as_str());
        Ok(UserEnvironment {
            permissions: EnvironmentPermissions::for_user_type(user_type),
            profile,
            case_statuses,
            surgeons,
            facilities,
            user_types,
            max_case_status_desc,
            last_login_updated,
            touched,
        })
    }
}
