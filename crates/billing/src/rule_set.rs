//! The rule set model (domain §6.2, §6.3). Only [`crate::parse_rule_set`] builds a [`RuleSet`],
//! so a rule set that exists passed every check of §6.4.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use surgicase_kernel::{CaseStatus, ProcedureCode};

use crate::facts::DocumentField;

/// The only TOML format version there is.
pub const RULE_SET_FORMAT: i64 = 1;

/// An ordered rule set: the first rule whose conditions hold gives the target status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) managed: Vec<CaseStatus>,
    /// Every rule but the last.
    pub(crate) guarded: Vec<Rule>,
    /// The last rule, which has no conditions: holding it apart makes evaluation total.
    pub(crate) fallback: Rule,
}

impl RuleSet {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The statuses the rules may move a case from.
    pub fn managed(&self) -> &[CaseStatus] {
        &self.managed
    }

    pub fn is_managed(&self, status: CaseStatus) -> bool {
        self.managed.contains(&status)
    }

    /// The rules in evaluation order; the last one has no conditions.
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.guarded.iter().chain(std::iter::once(&self.fallback))
    }

    pub fn rule_count(&self) -> usize {
        self.guarded.len() + 1
    }
}

/// `{"name", "description", "managed", "rules": [{"name", "set", "when": {…}}]}` for the API.
impl Serialize for RuleSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Rules<'a>(&'a RuleSet);
        impl Serialize for Rules<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.rules())
            }
        }
        let mut s = serializer.serialize_struct("RuleSet", 4)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("description", &self.description)?;
        s.serialize_field("managed", &self.managed)?;
        s.serialize_field("rules", &Rules(self))?;
        s.end()
    }
}

/// One rule: when every condition holds, the case goes to `set`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub name: String,
    pub set: CaseStatus,
    pub when: Conditions,
}

/// The conditions of a rule (§6.3); all given ones must hold, none given always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Conditions {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents_present: Option<Vec<DocumentField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents_missing_any: Option<Vec<DocumentField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_procedure_codes: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_procedure_codes: Option<u8>,
    /// Stored trimmed, collapsed and NFC; compared after [`crate::facts::normalize_insurer`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurer_contains_any: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub insurer_equals_any: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub any_code_in: Option<Vec<ProcedureCode>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_codes_in_range: Option<CodeRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub any_code_in_range: Option<CodeRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient_age_at_least: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient_age_below: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub any_code_with_assist_indicator: Option<Vec<AssistIndicator>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_code_with_assist_indicator: Option<Vec<AssistIndicator>>,
}

impl Conditions {
    /// A rule without conditions always matches.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// An inclusive range of five-digit code values, `0 ≤ from ≤ to ≤ 99999`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CodeRange {
    from: u32,
    to: u32,
}

impl CodeRange {
    pub const MAX: u32 = 99_999;

    /// `None` unless `from ≤ to ≤ 99999`.
    pub fn new(from: u32, to: u32) -> Option<Self> {
        (from <= to && to <= Self::MAX).then_some(Self { from, to })
    }

    pub fn from(self) -> u32 {
        self.from
    }

    pub fn to(self) -> u32 {
        self.to
    }

    pub fn contains(self, value: u32) -> bool {
        (self.from..=self.to).contains(&value)
    }
}

/// A CMS assistant-at-surgery indicator: 0, 1, 2 or 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AssistIndicator(i16);

impl AssistIndicator {
    pub const VALUES: [i16; 4] = [0, 1, 2, 9];

    pub fn new(value: i64) -> Option<Self> {
        Self::VALUES.into_iter().find(|v| i64::from(*v) == value).map(Self)
    }

    pub fn value(self) -> i16 {
        self.0
    }
}

/// A problem that does not refuse a rule set (§6.4), e.g. a target outside `managed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSetWarning {
    /// TOML path, e.g. `rules[2].set`.
    pub field: String,
    pub message: String,
}

/// An accepted rule set with its warnings (returned to the admin, not stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatedRuleSet {
    pub rule_set: RuleSet,
    pub warnings: Vec<RuleSetWarning>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ranges() {
        assert_eq!(CodeRange::new(10004, 11960).map(|r| (r.from(), r.to())), Some((10004, 11960)));
        assert!(CodeRange::new(5, 5).is_some());
        assert!(CodeRange::new(6, 5).is_none());
        assert!(CodeRange::new(0, 100_000).is_none());
        let range = CodeRange::new(10, 20).unwrap();
        assert!(range.contains(10) && range.contains(20) && !range.contains(21) && !range.contains(9));
    }

    #[test]
    fn assist_indicators() {
        let table: &[(i64, bool)] = &[(0, true), (1, true), (2, true), (9, true), (3, false), (-1, false)];
        for (value, ok) in table {
            assert_eq!(AssistIndicator::new(*value).is_some(), *ok, "{value}");
        }
    }
}
