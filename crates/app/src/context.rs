//! Who is acting: the request context every use case receives.

use std::time::Instant;

use surgicase_kernel::UserId;
use surgicase_permissions::Actor;
use surgicase_ports::Store;

use crate::error::AppError;

/// The authenticated actor and the request id (recorded in history rows and the audit trail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ctx {
    pub actor: Actor,
    pub request_id: Option<String>,
}

impl Ctx {
    pub fn new(actor: Actor, request_id: Option<String>) -> Self {
        Self { actor, request_id }
    }
}

/// Loads the caller named by the request: they must exist and be active (one statement).
pub async fn authenticate(store: &dyn Store, user_id: &UserId) -> Result<Actor, AppError> {
    let mut conn = store.conn().await?;
    match conn.get_user(user_id).await? {
        Some(user) if user.active => Ok(Actor::new(user.user_id, user.user_type, user.max_case_status)),
        _ => Err(AppError::UnknownUser),
    }
}

impl crate::App {
    /// See [`authenticate`]; an active caller loaded moments ago is not loaded again
    /// ([`crate::identities`]).
    pub async fn authenticate(&self, user_id: &UserId) -> Result<Actor, AppError> {
        if let Some(actor) = self.identities.get(user_id, Instant::now()) {
            return Ok(actor);
        }
        let loaded_at = Instant::now();
        let actor = authenticate(self.store.as_ref(), user_id).await?;
        self.identities.put(&actor, loaded_at);
        Ok(actor)
    }

    /// This process changed `user_id`: their next request loads them again.
    pub(crate) fn forget_identity(&self, user_id: &UserId) {
        self.identities.forget(user_id);
    }
}
