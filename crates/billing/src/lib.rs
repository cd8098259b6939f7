//! Status rule engine, scheduled transitions and pay amounts (domain §5–§8).
//!
//! Pure: nothing here does I/O. The application gathers [`Facts`] and priced codes inside its
//! transaction, calls [`evaluate()`] and [`compute_pay`], and writes the outcome.

pub mod catalogue;
pub mod error;
pub mod evaluate;
pub mod facts;
pub mod parse;
mod parse_conditions;
pub mod pay;
pub mod price_rows;
pub mod rule_set;
pub mod shipped;
pub mod tiers_summary;
pub mod transitions;
mod walk;

#[cfg(test)]
mod evaluate_tests;
#[cfg(test)]
mod shipped_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod validation_tests;

pub use catalogue::{SEEDED_CATALOGUE, SEEDED_STATUSES};
pub use error::RuleSetErrors;
pub use evaluate::{Decision, evaluate};
pub use facts::{CodeFact, DocumentField, Facts, normalize_insurer};
pub use parse::parse_rule_set;
pub use pay::{CodeInfo, PayOutcome, PricedCode, compute_pay, pay_message, reprices_on_tier_change};
pub use price_rows::{BucketInput, TierPrices, validate_tier_prices};
pub use rule_set::{
    AssistIndicator, CodeRange, Conditions, RULE_SET_FORMAT, Rule, RuleSet, RuleSetWarning, ValidatedRuleSet,
};
pub use shipped::{
    DEFAULT_RULE_SET_TOML, PAYER_AND_ELIGIBILITY_TOML, default_rule_set, payer_and_eligibility_rule_set,
};
pub use tiers_summary::{DEFAULT_BUCKET_ORDER, TierLine, TiersSummary, tiers_summary};
pub use transitions::{
    PAID_TRANSITION, PENDING_PAYMENT_TRANSITION, SCHEDULED_TRANSITIONS, ScheduledTransition,
};
