//! Status rule sets for admins (api.md §8 "Status rule sets").

use serde::Serialize;
use serde_json::{Map, Value};
use surgicase_app::status_rules::{
    Reevaluation, Rule, RuleSetChecked, RuleSetReplaced, RuleSetView, RuleSetWarning,
};
use surgicase_ports::records::RuleSetSummaryRecord;
use utoipa::ToSchema;

use super::timestamp;

/// One rule: the first whose conditions all hold gives the target status.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleDto {
    #[schema(example = "complete")]
    pub name: String,
    /// The target status.
    #[schema(example = 1)]
    pub set: i16,
    /// The conditions as in the TOML (domain §6.3); empty: always holds.
    #[schema(value_type = Object)]
    pub when: Map<String, Value>,
}

impl RuleDto {
    fn new(rule: &Rule) -> Self {
        let when = match serde_json::to_value(&rule.when) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        Self { name: rule.name.clone(), set: rule.set.code(), when }
    }
}

/// A rule set: the parsed form, its TOML text and digest, and where it comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetDto {
    /// Null for the built-in default and for a set only validated.
    pub id: Option<i64>,
    #[schema(example = "faq-default")]
    pub name: String,
    #[schema(example = 1)]
    pub format: i64,
    pub description: Option<String>,
    /// The statuses the rules may move a case from.
    #[schema(example = json!([0, 1]))]
    pub managed: Vec<i16>,
    pub rules: Vec<RuleDto>,
    /// The TOML text as stored (or as sent).
    pub toml: String,
    /// Lowercase hex SHA-256 of `toml`.
    pub sha256: String,
    pub created_ts: Option<String>,
    pub created_by: Option<String>,
    /// `database` or `built-in default`; null for a set only validated.
    #[schema(example = "database")]
    pub source: Option<&'static str>,
}

impl RuleSetDto {
    pub fn new(view: &RuleSetView) -> Self {
        Self {
            id: view.id,
            name: view.set.name().to_owned(),
            format: view.format,
            description: view.set.description().map(str::to_owned),
            managed: view.set.managed().iter().map(|s| s.code()).collect(),
            rules: view.set.rules().map(RuleDto::new).collect(),
            toml: view.toml.clone(),
            sha256: view.sha256.clone(),
            created_ts: view.created_ts.map(timestamp),
            created_by: view.created_by.clone(),
            source: view.source.map(|s| s.as_str()),
        }
    }
}

/// A problem that does not refuse the set, e.g. a target outside `managed`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetWarningDto {
    /// TOML path.
    #[schema(example = "rules[1].set")]
    pub field: String,
    pub message: String,
}

fn warnings(list: &[RuleSetWarning]) -> Vec<RuleSetWarningDto> {
    list.iter().map(|w| RuleSetWarningDto { field: w.field.clone(), message: w.message.clone() }).collect()
}

/// What a re-evaluation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReevaluationDto {
    /// Active cases at a managed status that were evaluated.
    pub evaluated: u64,
    /// Of those, the cases that moved.
    pub changed: u64,
}

impl From<&Reevaluation> for ReevaluationDto {
    fn from(r: &Reevaluation) -> Self {
        Self { evaluated: r.evaluated, changed: r.changed }
    }
}

/// `PUT /admin/status_rules`: the stored set, now in force.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetReplacedAnswer {
    pub rule_set: RuleSetDto,
    pub warnings: Vec<RuleSetWarningDto>,
    /// Null unless re-evaluation was asked for.
    pub reevaluation: Option<ReevaluationDto>,
}

impl From<&RuleSetReplaced> for RuleSetReplacedAnswer {
    fn from(r: &RuleSetReplaced) -> Self {
        Self {
            rule_set: RuleSetDto::new(&r.rule_set),
            warnings: warnings(&r.warnings),
            reevaluation: r.reevaluation.as_ref().map(ReevaluationDto::from),
        }
    }
}

/// `POST /admin/status_rules/validate`: the set is valid (nothing was stored).
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetValidAnswer {
    /// Always true (an invalid set is a 422).
    pub valid: bool,
    pub rule_set: RuleSetDto,
    pub warnings: Vec<RuleSetWarningDto>,
}

impl From<&RuleSetChecked> for RuleSetValidAnswer {
    fn from(c: &RuleSetChecked) -> Self {
        Self { valid: true, rule_set: RuleSetDto::new(&c.rule_set), warnings: warnings(&c.warnings) }
    }
}

/// One stored set.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetHistoryItem {
    pub id: i64,
    pub name: String,
    pub sha256: String,
    pub created_ts: String,
    pub created_by: String,
}

/// `GET /admin/status_rules/history`: every stored set, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetHistoryAnswer {
    pub rule_sets: Vec<RuleSetHistoryItem>,
}

impl RuleSetHistoryAnswer {
    pub fn new(rows: &[RuleSetSummaryRecord]) -> Self {
        let item = |r: &RuleSetSummaryRecord| RuleSetHistoryItem {
            id: r.id,
            name: r.name.clone(),
            sha256: r.sha256.clone(),
            created_ts: timestamp(r.created_ts),
            created_by: r.created_by.clone(),
        };
        Self { rule_sets: rows.iter().map(item).collect() }
    }
}
