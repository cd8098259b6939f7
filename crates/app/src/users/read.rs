//! `GET /user`: a profile as the actor may see it.

use surgicase_kernel::{RoleLevel, UserId};
use surgicase_permissions::{UserRef, may_act_for, may_see_user};
use surgicase_ports::records::UserView;

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// A visible profile.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDetails {
    pub view: UserView,
    pub touched: Touched,
}

impl App {
    pub async fn get_user(
        &self,
        ctx: &Ctx,
        subject: Option<UserId>,
        include_inactive: bool,
    ) -> Result<UserDetails, AppError> {
        let subject = subject.unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_act_for(&ctx.actor, &subject, RoleLevel::UserAdmin), Missing::User, subject.as_str())?;
        let mut conn = self.store.conn().await?;
        let view = conn
            .get_user_view(&subject)
            .await?
            .ok_or_else(|| AppError::not_found(Missing::User, subject.as_str()))?;
        let user = &view.user;
        let target = UserRef { user_id: &user.user_id, user_type: user.user_type, active: user.active };
        require(may_see_user(&ctx.actor, target, include_inactive), Missing::User, subject.as_str())?;
        let touched = Touched::new("user.read", "user", subject.as_str()).subject(subject.as_str());
        Ok(UserDetails { view, touched })
    }
}
