//! The price table (`procedure_code_buckets2`) as listed and summarised.

use surgicase_billing::{TiersSummary, tiers_summary};
use surgicase_kernel::RoleLevel;
use surgicase_permissions::require_level;
use surgicase_ports::records::PayTierRecord;

use super::require_global_admin;
use crate::App;
use crate::access::require;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

impl App {
    /// GA: every price row, by tier, then amount.
    pub async fn list_pay_tiers(&self, ctx: &Ctx) -> Result<Vec<PayTierRecord>, AppError> {
        require_global_admin(ctx)?;
        Ok(self.store.conn().await?.pay_tiers().await?)
    }

    /// UA: one line per tier, buckets in the configured order.
    pub async fn tiers_summary(&self, ctx: &Ctx) -> Result<TiersSummary, AppError> {
        require(require_level(&ctx.actor, RoleLevel::UserAdmin), Missing::Other, "")?;
        let rows = self.store.conn().await?.pay_tiers().await?;
        let lines = rows.iter().map(|r| (r.code_bucket.as_str(), r.tier, r.pay_amount));
        Ok(tiers_summary(lines, &self.settings.bucket_order))
    }
}
