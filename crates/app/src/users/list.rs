//! `GET /users`: the back office's list of users (api.md §6).

use serde_json::json;
use surgicase_permissions::listable_user_types;
use surgicase_ports::records::{UserPage, UserQuery};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// A page of users with what the request touched.
#[derive(Debug, Clone, PartialEq)]
pub struct UserList {
    pub page: UserPage,
    pub touched: Touched,
}

impl App {
    /// UA only: people whose type is not above the caller's, by type, first name, last name.
    pub async fn list_users(
        &self,
        ctx: &Ctx,
        include_inactive: bool,
        limit: i64,
        offset: i64,
    ) -> Result<UserList, AppError> {
        let max_user_type = listable_user_types(&ctx.actor).or_else(|denied| {
            require(denied, Missing::Other, "")?;
            Err(AppError::Forbidden)
        })?;
        let query = UserQuery { max_user_type, include_inactive, limit, offset };
        let page = self.store.conn().await?.list_users(&query).await?;
        let ids: Vec<&str> = page.users.iter().map(|u| u.user.user_id.as_str()).collect();
        let touched = Touched::new("user.list", "user", "")
            .details(json!({"user_ids": ids, "count": ids.len(), "include_inactive": include_inactive}));
        Ok(UserList { page, touched })
    }
}
