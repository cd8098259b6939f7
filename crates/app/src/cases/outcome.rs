//! What a case write reports back: the rule outcome, the pay recomputation and the code
//! corrections (api.md §1.9).

use surgicase_billing::{Decision, PayOutcome, pay_message};
use surgicase_cases::CodeListOutcome;
use surgicase_kernel::{CaseStatus, Money};
use surgicase_permissions::Actor;

/// The automatic-rule outcome of a write, with statuses displayed through the actor's cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusUpdate {
    pub changed: bool,
    pub previous_status: CaseStatus,
    pub case_status: CaseStatus,
    pub rule: Option<String>,
    pub rule_set: String,
    pub message: String,
}

impl StatusUpdate {
    pub(crate) fn new(decision: &Decision, actor: &Actor, rule_set: &str) -> Self {
        Self {
            changed: decision.changed(),
            previous_status: actor.display(decision.previous_status()),
            case_status: actor.display(decision.status()),
            rule: decision.rule().map(str::to_owned),
            rule_set: rule_set.to_owned(),
            message: decision.message_with(|s| actor.display(s)),
        }
    }
}

/// A pay recomputation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayUpdate {
    pub changed: bool,
    pub pay_amount: Money,
    pub pay_category: Option<String>,
    pub procedure_codes_found: usize,
    pub priced_code: Option<String>,
    pub message: String,
}

impl PayUpdate {
    pub(crate) fn new(outcome: &PayOutcome, previous: (Money, Option<&str>)) -> Self {
        Self {
            changed: previous.0 != outcome.amount || previous.1 != outcome.category.as_deref(),
            pay_amount: outcome.amount,
            pay_category: outcome.category.clone(),
            procedure_codes_found: outcome.codes_found,
            priced_code: outcome.priced_code.as_ref().map(|c| c.to_string()),
            message: pay_message(outcome),
        }
    }
}

/// The procedure-code report of a write that carried `procedure_codes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodesReport {
    /// The normalised entries as sent.
    pub original: Vec<String>,
    /// The stored list.
    pub corrected: Vec<String>,
    pub corrections: Vec<String>,
    pub unknown: Vec<String>,
}

impl CodesReport {
    pub(crate) fn new(outcome: &CodeListOutcome, unknown: Vec<String>) -> Self {
        Self {
            original: outcome.original.clone(),
            corrected: outcome.codes.iter().map(|c| c.to_string()).collect(),
            corrections: outcome.corrections.clone(),
            unknown,
        }
    }
}
