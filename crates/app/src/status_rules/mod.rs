//! The status rule sets of api.md §8 (domain §6): read the set in force, check a new one, store
//! it (optionally re-evaluating the managed cases), list what was stored. Global admins only.

mod reevaluate;

pub use reevaluate::{REEVALUATE_BATCH, Reevaluation};
pub use surgicase_billing::{DEFAULT_RULE_SET_TOML, PAYER_AND_ELIGIBILITY_TOML, Rule, RuleSetWarning};

use std::sync::Arc;

use serde_json::json;
use sha2::{Digest, Sha256};
use surgicase_billing::{RULE_SET_FORMAT, RuleSet, parse_rule_set};
use surgicase_kernel::{CaseStatus, RoleLevel, Timestamp};
use surgicase_permissions::require_level;
use surgicase_ports::Conn;
use surgicase_ports::records::{NewRuleSetRecord, RuleSetRecord, RuleSetSummaryRecord};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// Where the set in force comes from (api.md §8 `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSetSource {
    Database,
    BuiltInDefault,
}

impl RuleSetSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Database => "database",
            Self::BuiltInDefault => "built-in default",
        }
    }
}

/// A rule set with its text and digest; the stored fields are `None` for the built-in default
/// and for a set that was only validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetView {
    pub id: Option<i64>,
    pub set: Arc<RuleSet>,
    pub format: i64,
    pub toml: String,
    pub sha256: String,
    pub created_ts: Option<Timestamp>,
    pub created_by: Option<String>,
    pub source: Option<RuleSetSource>,
}

/// A checked rule set and its warnings (returned, never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetChecked {
    pub rule_set: RuleSetView,
    pub warnings: Vec<RuleSetWarning>,
}

/// What `PUT /admin/status_rules` did.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetReplaced {
    pub rule_set: RuleSetView,
    pub warnings: Vec<RuleSetWarning>,
    /// `None` unless re-evaluation was asked for.
    pub reevaluation: Option<Reevaluation>,
    pub touched: Touched,
}

/// The lowercase hex SHA-256 of the text as sent (what `status_rule_sets.sha256` holds).
pub fn toml_sha256(toml: &str) -> String {
    hex::encode(Sha256::digest(toml.as_bytes()))
}

fn require_global_admin(ctx: &Ctx) -> Result<(), AppError> {
    require(require_level(&ctx.actor, RoleLevel::GlobalAdmin), Missing::Other, "")
}

/// The catalogue's status codes, which `managed` entries and targets must name.
async fn catalogue(conn: &mut dyn Conn) -> Result<Vec<CaseStatus>, AppError> {
    Ok(conn.case_statuses().await?.into_iter().map(|s| s.case_status).collect())
}

/// Parses `toml` against `catalogue`; a refusal is 422 `invalid_rule_set` with every problem.
fn check(toml: &str, catalogue: &[CaseStatus]) -> Result<RuleSetChecked, AppError> {
    let validated = parse_rule_set(toml, catalogue).map_err(AppError::invalid_rule_set)?;
    let rule_set = RuleSetView {
        id: None,
        set: Arc::new(validated.rule_set),
        format: RULE_SET_FORMAT,
        toml: toml.to_owned(),
        sha256: toml_sha256(toml),
        created_ts: None,
        created_by: None,
        source: None,
    };
    Ok(RuleSetChecked { rule_set, warnings: validated.warnings })
}

fn stored_view(record: RuleSetRecord, set: Arc<RuleSet>) -> RuleSetView {
    RuleSetView {
        id: Some(record.id),
        set,
        format: i64::from(record.format),
        toml: record.source_toml,
        sha256: record.sha256,
        created_ts: Some(record.created_ts),
        created_by: Some(record.created_by),
        source: Some(RuleSetSource::Database),
    }
}

impl App {
    /// GA: the set in force (the newest stored one, else the built-in default).
    pub async fn status_rules(&self, ctx: &Ctx) -> Result<RuleSetView, AppError> {
        require_global_admin(ctx)?;
        let mut conn = self.store.conn().await?;
        let stored = conn.active_rule_set().await?;
        let active = self.rule_sets.parsed(&mut *conn, stored.as_ref()).await?;
        match stored {
            Some(record) => Ok(stored_view(record, active.set)),
            None => Ok(RuleSetView {
                id: None,
                set: active.set,
                format: RULE_SET_FORMAT,
                toml: DEFAULT_RULE_SET_TOML.to_owned(),
                sha256: toml_sha256(DEFAULT_RULE_SET_TOML),
                created_ts: None,
                created_by: None,
                source: Some(RuleSetSource::BuiltInDefault),
            }),
        }
    }

    /// GA: checks a set against the current catalogue; nothing is stored.
    pub async fn validate_status_rules(&self, ctx: &Ctx, toml: &str) -> Result<RuleSetChecked, AppError> {
        require_global_admin(ctx)?;
        let mut conn = self.store.conn().await?;
        check(toml, &catalogue(&mut *conn).await?)
    }

    /// GA: stores a new set, which is in force from the next transaction of every process
    /// (each reads the active id inside its transaction). With `reevaluate`, every active case
    /// at a status the new set manages is then evaluated, in batches of [`REEVALUATE_BATCH`].
    pub async fn replace_status_rules(
        &self,
        ctx: &Ctx,
        toml: &str,
        reevaluate: bool,
    ) -> Result<RuleSetReplaced, AppError> {
        require_global_admin(ctx)?;
        let now = self.clock.now();
        let mut tx = self.store.begin().await?;
        let checked = check(toml, &catalogue(&mut *tx).await?)?;
        let record = NewRuleSetRecord {
            name: checked.rule_set.set.name().to_owned(),
            format: RULE_SET_FORMAT as i32,
            source_toml: toml.to_owned(),
            sha256: checked.rule_set.sha256.clone(),
            created_ts: now,
            created_by: ctx.actor.user_id.to_string(),
        };
        let id = tx.insert_rule_set(&record).await?;
        tx.commit().await?;
        let rule_set = RuleSetView {
            id: Some(id),
            created_ts: Some(now),
            created_by: Some(record.created_by),
            source: Some(RuleSetSource::Database),
            ..checked.rule_set
        };
        let reevaluation = if reevaluate { Some(self.reevaluate_cases(ctx, id).await?) } else { None };
        let touched = Touched::new("admin.status_rules_replace", "status_rule_set", id.to_string()).details(
            json!({
                "name": rule_set.set.name(),
                "sha256": rule_set.sha256,
                "reevaluation": reevaluation.as_ref().map(|r| json!({"evaluated": r.evaluated, "changed": r.changed})),
            }),
        );
        Ok(RuleSetReplaced { rule_set, warnings: checked.warnings, reevaluation, touched })
    }

    /// GA: every stored set, newest first.
    pub async fn status_rules_history(&self, ctx: &Ctx) -> Result<Vec<RuleSetSummaryRecord>, AppError> {
        require_global_admin(ctx)?;
        Ok(self.store.conn().await?.rule_set_history().await?)
    }
}
