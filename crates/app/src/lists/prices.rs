//! The price table (`procedure_code_buckets2`): listed, summarised, written (domain §8: a write
//! re-prices the tier's pre-payment cases in the same transaction).

use serde_json::{Value, json};
use surgicase_billing::{BucketInput, TierPrices, TiersSummary, tiers_summary, validate_tier_prices};
use surgicase_kernel::{Money, Raw, RoleLevel, ValidationErrors};
use surgicase_permissions::require_level;
use surgicase_ports::records::PayTierRecord;

use super::{already_exists, on_duplicate, require_global_admin};
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};
use crate::pricing::reprice_tier_cases;

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

/// A price write as read: the tier and each bucket's name and amount (`WrongType`: refused and
/// reported by the reader).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceWrite {
    pub tier: Raw<i64>,
    pub buckets: Raw<Vec<BucketInput>>,
}

impl PriceWrite {
    /// The domain's problems with the write, for a reader that reports them with its own.
    pub fn problems(&self) -> ValidationErrors {
        validate_tier_prices(&self.tier, &self.buckets).err().unwrap_or_default()
    }
}

/// `POST /pay_tiers`: the rows created.
#[derive(Debug, Clone, PartialEq)]
pub struct PricesCreated {
    pub tier: i32,
    pub created: Vec<(String, Money)>,
    pub cases_repriced: usize,
    pub touched: Touched,
}

/// `PUT /pay_tiers`: how many rows were new and how many changed.
#[derive(Debug, Clone, PartialEq)]
pub struct PricesStored {
    pub tier: i32,
    pub records_created: usize,
    pub records_updated: usize,
    pub cases_repriced: usize,
    pub touched: Touched,
}

/// Each bucket under the spelling already stored for it, if any (names compare without case
/// on every backend), with whether it existed.
fn spelled_as_stored(prices: &TierPrices, stored: &[PayTierRecord]) -> Vec<(PayTierRecord, bool)> {
    prices
        .buckets
        .iter()
        .map(|(bucket, amount)| {
            let existing = stored
                .iter()
                .find(|r| r.tier == prices.tier && r.code_bucket.to_lowercase() == bucket.to_lowercase());
            let code_bucket = existing.map_or_else(|| bucket.clone(), |r| r.code_bucket.clone());
            (PayTierRecord { code_bucket, tier: prices.tier, pay_amount: *amount }, existing.is_some())
        })
        .collect()
}

impl App {
    /// GA: new prices for one tier, refused whole (409 listing the pairs) when a bucket of that
    /// tier is priced already; the tier's pre-payment cases are re-priced in the same
    /// transaction.
    pub async fn create_pay_tiers(&self, ctx: &Ctx, write: &PriceWrite) -> Result<PricesCreated, AppError> {
        require_global_admin(ctx)?;
        let prices = validate_tier_prices(&write.tier, &write.buckets).map_err(AppError::Validation)?;
        let mut tx = self.store.begin().await?;
        let rows = spelled_as_stored(&prices, &tx.pay_tiers().await?);
        let existing: Vec<Value> = rows
            .iter()
            .filter(|(_, exists)| *exists)
            .map(|(r, _)| json!({"bucket": r.code_bucket, "tier": r.tier}))
            .collect();
        if !existing.is_empty() {
            return Err(already_exists("existing", Value::Array(existing)));
        }
        let records: Vec<PayTierRecord> = rows.into_iter().map(|(r, _)| r).collect();
        tx.insert_pay_tiers(&records).await.map_err(|e| on_duplicate(e, "tier", json!(prices.tier)))?;
        let cases_repriced = reprice_tier_cases(tx.as_mut(), prices.tier, self.clock.now()).await?;
        tx.commit().await?;
        let touched = Touched::new("admin.pay_tiers_change", "pay_tier", prices.tier.to_string())
            .details(json!({"buckets": records.iter().map(|r| &r.code_bucket).collect::<Vec<_>>(), "cases_repriced": cases_repriced}));
        let created = records.into_iter().map(|r| (r.code_bucket, r.pay_amount)).collect();
        Ok(PricesCreated { tier: prices.tier, created, cases_repriced, touched })
    }

    /// GA: inserts or updates one tier's prices and re-prices its pre-payment cases, in one
    /// transaction.
    pub async fn put_pay_tiers(&self, ctx: &Ctx, write: &PriceWrite) -> Result<PricesStored, AppError> {
        require_global_admin(ctx)?;
        let prices = validate_tier_prices(&write.tier, &write.buckets).map_err(AppError::Validation)?;
        let mut tx = self.store.begin().await?;
        let rows = spelled_as_stored(&prices, &tx.pay_tiers().await?);
        let records_updated = rows.iter().filter(|(_, exists)| *exists).count();
        let records: Vec<PayTierRecord> = rows.into_iter().map(|(r, _)| r).collect();
        tx.upsert_pay_tiers(&records).await?;
        let cases_repriced = reprice_tier_cases(tx.as_mut(), prices.tier, self.clock.now()).await?;
        tx.commit().await?;
        let touched = Touched::new("admin.pay_tiers_change", "pay_tier", prices.tier.to_string())
            .details(json!({"buckets": records.iter().map(|r| &r.code_bucket).collect::<Vec<_>>(), "cases_repriced": cases_repriced}));
        Ok(PricesStored {
            tier: prices.tier,
            records_created: records.len() - records_updated,
            records_updated,
            cases_repriced,
            touched,
        })
    }
}
