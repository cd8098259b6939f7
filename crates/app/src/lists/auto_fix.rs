//! The procedure-code auto-fix map (domain §9.3): listed, created (no chains), deactivated.

use serde_json::Value;
use surgicase_cases::validate_auto_fix;
use surgicase_kernel::procedure_code::normalize_entry;
use surgicase_ports::records::AutoFixRecord;

use super::{already_exists, require_global_admin};
use crate::App;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// `POST /procedure_code_auto_fix` as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAutoFix {
    pub entered_code: String,
    pub fixed_code: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AutoFixCreated {
    pub entry: AutoFixRecord,
    pub touched: Touched,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AutoFixDeactivated {
    pub entered_code: String,
    pub touched: Touched,
}

impl App {
    /// GA: the map by entered code; inactive entries when asked.
    pub async fn list_auto_fixes(
        &self,
        ctx: &Ctx,
        include_inactive: bool,
    ) -> Result<Vec<AutoFixRecord>, AppError> {
        require_global_admin(ctx)?;
        Ok(self.store.conn().await?.auto_fixes(include_inactive).await?)
    }

    /// GA: a new active entry. An active entry of the same code is 409; an inactive one is
    /// replaced. The shape and chain rules are the domain's (`validate_auto_fix`).
    pub async fn create_auto_fix(&self, ctx: &Ctx, new: &NewAutoFix) -> Result<AutoFixCreated, AppError> {
        require_global_admin(ctx)?;
        let mut tx = self.store.begin().await?;
        let active = tx.auto_fixes(false).await?;
        let entered = normalize_entry(&new.entered_code);
        if active.iter().any(|f| normalize_entry(&f.entered_code) == entered && !entered.is_empty()) {
            return Err(already_exists("entered_code", Value::String(entered)));
        }
        let pairs: Vec<(String, String)> =
            active.iter().map(|f| (f.entered_code.clone(), f.fixed_code.clone())).collect();
        let entry = validate_auto_fix(&new.entered_code, &new.fixed_code, &new.reason, &pairs)
            .map_err(AppError::Validation)?;
        let record = AutoFixRecord {
            entered_code: entry.entered().to_owned(),
            fixed_code: entry.fixed().as_str().to_owned(),
            reason: entry.reason().to_owned(),
            active: true,
            created_date: self.clock.now(),
            created_by: Some(ctx.actor.user_id.to_string()),
        };
        tx.upsert_auto_fixes(std::slice::from_ref(&record)).await?;
        tx.commit().await?;
        let touched =
            Touched::new("admin.auto_fix_create", "procedure_code_auto_fix", record.entered_code.clone());
        Ok(AutoFixCreated { entry: record, touched })
    }

    /// GA: deactivates the active entry of the code; 404 when there is none.
    pub async fn deactivate_auto_fix(
        &self,
        ctx: &Ctx,
        entered_code: &str,
    ) -> Result<AutoFixDeactivated, AppError> {
        require_global_admin(ctx)?;
        let entered = normalize_entry(entered_code);
        if !self.store.conn().await?.deactivate_auto_fix(&entered).await? {
            return Err(AppError::not_found(Missing::Other, entered));
        }
        let touched = Touched::new("admin.auto_fix_deactivate", "procedure_code_auto_fix", entered.clone());
        Ok(AutoFixDeactivated { entered_code: entered, touched })
    }
}
