//! The admin lists of api.md §9: user types, case statuses, user document types, the price
//! table and its summary, the procedure-code auto-fix map.

mod auto_fix;
mod catalogues;
mod faqs;
mod prices;

pub use auto_fix::{AutoFixCreated, AutoFixDeactivated, NewAutoFix};
pub use catalogues::{NewCaseStatus, NewDocType, NewUserType};
pub use faqs::{Faqs, NewFaq};
pub use prices::{PriceWrite, PricesCreated, PricesStored};
pub use surgicase_billing::BucketInput;
pub use surgicase_billing::TiersSummary;

use serde_json::{Map, Value};
use surgicase_kernel::RoleLevel;
use surgicase_permissions::require_level;
use surgicase_ports::StoreError;

use crate::access::require;
use crate::context::Ctx;
use crate::error::{AppError, Conflict, Missing};

/// Global admins manage the lists.
fn require_global_admin(ctx: &Ctx) -> Result<(), AppError> {
    require(require_level(&ctx.actor, RoleLevel::GlobalAdmin), Missing::Other, "")
}

/// 409 `already_exists` with the clashing key.
fn already_exists(key: &str, value: Value) -> AppError {
    let mut context = Map::new();
    context.insert(key.to_owned(), value);
    AppError::Conflict(Conflict::AlreadyExists { context })
}

/// A duplicate key from the store is the same 409 (a concurrent creation won).
fn on_duplicate(error: StoreError, key: &str, value: Value) -> AppError {
    match error {
        StoreError::Duplicate(_) => already_exists(key, value),
        other => other.into(),
    }
}
