//! The rule sets shipped with the service (domain §6.7, §6.8), as TOML files beside the crate.

use crate::catalogue::SEEDED_CATALOGUE;
use crate::error::RuleSetErrors;
use crate::parse::parse_rule_set;
use crate::rule_set::RuleSet;

/// The built-in default (§6.7): active while `status_rule_sets` has no row.
pub const DEFAULT_RULE_SET_TOML: &str = include_str!("../rules/faq-default.toml");

/// The richer set (§6.8): payer rejections, code range, review flags, ready for billing.
pub const PAYER_AND_ELIGIBILITY_TOML: &str = include_str!("../rules/payer-and-eligibility.toml");

/// [`DEFAULT_RULE_SET_TOML`] parsed against the seeded catalogue. It always parses (a test
/// proves it); an error here is a bug in the shipped file.
pub fn default_rule_set() -> Result<RuleSet, RuleSetErrors> {
    parse_rule_set(DEFAULT_RULE_SET_TOML, &SEEDED_CATALOGUE).map(|v| v.rule_set)
}

/// [`PAYER_AND_ELIGIBILITY_TOML`] parsed against the seeded catalogue.
pub fn payer_and_eligibility_rule_set() -> Result<RuleSet, RuleSetErrors> {
    parse_rule_set(PAYER_AND_ELIGIBILITY_TOML, &SEEDED_CATALOGUE).map(|v| v.rule_set)
}
