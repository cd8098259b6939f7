//! Evaluating a rule set against the facts of a case (§6.5). Pure: no I/O, no clock.

use surgicase_kernel::CaseStatus;
use surgicase_kernel::time::age_in_years;

use crate::facts::{Facts, normalize_insurer};
use crate::rule_set::{AssistIndicator, CodeRange, Conditions, RuleSet};

/// What the rules decide for one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The current status is not in `managed`: the rules do not touch the case.
    NotManaged { status: CaseStatus },
    /// A rule matched and its target is the current status: nothing is written.
    Unchanged { status: CaseStatus, rule: String },
    /// The case moves from `from` to `to` because of `rule`.
    Move { from: CaseStatus, to: CaseStatus, rule: String },
}

impl Decision {
    pub fn changed(&self) -> bool {
        matches!(self, Self::Move { .. })
    }

    /// The status before the decision.
    pub fn previous_status(&self) -> CaseStatus {
        match self {
            Self::NotManaged { status } | Self::Unchanged { status, .. } => *status,
            Self::Move { from, .. } => *from,
        }
    }

    /// The status after the decision.
    pub fn status(&self) -> CaseStatus {
        match self {
            Self::NotManaged { status } | Self::Unchanged { status, .. } => *status,
            Self::Move { to, .. } => *to,
        }
    }

    /// The rule that matched (`None` when the status is not managed).
    pub fn rule(&self) -> Option<&str> {
        match self {
            Self::NotManaged { .. } => None,
            Self::Unchanged { rule, .. } | Self::Move { rule, .. } => Some(rule),
        }
    }

    /// The `StatusUpdate` message (api §1.9) with stored statuses.
    pub fn message(&self) -> String {
        self.message_with(|status| status)
    }

    /// The `StatusUpdate` message with each status passed through `display` (the reader's
    /// visibility cap, domain §4.3), so the message shows what the response shows.
    pub fn message_with(&self, display: impl Fn(CaseStatus) -> CaseStatus) -> String {
        match self {
            Self::NotManaged { status } => {
                format!("Status {} is not managed by the automatic rules", display(*status))
            }
            Self::Unchanged { status, rule } => {
                format!("Status {} unchanged (rule {rule})", display(*status))
            }
            Self::Move { from, to, rule } => {
                format!("Status changed from {} to {} (rule {rule})", display(*from), display(*to))
            }
        }
    }
}

/// The facts as conditions read them: insurer normalised, age computed once.
struct Subject<'f> {
    facts: &'f Facts,
    insurer: String,
    age: Option<u32>,
}

/// Applies the first rule whose conditions hold to a case whose status is managed (§6.5).
pub fn evaluate(rule_set: &RuleSet, facts: &Facts) -> Decision {
    let status = facts.status;
    if !rule_set.is_managed(status) {
        return Decision::NotManaged { status };
    }
    let subject = Subject {
        facts,
        insurer: normalize_insurer(&facts.insurer),
        age: facts.patient_dob.and_then(|dob| age_in_years(dob, facts.case_date)),
    };
    let rule = rule_set.guarded.iter().find(|rule| holds(&rule.when, &subject)).unwrap_or(&rule_set.fallback);
    if rule.set == status {
        Decision::Unchanged { status, rule: rule.name.clone() }
    } else {
        Decision::Move { from: status, to: rule.set, rule: rule.name.clone() }
    }
}

/// Every given condition holds (§6.3).
fn holds(c: &Conditions, s: &Subject<'_>) -> bool {
    let facts = s.facts;
    let count = facts.codes.len();
    let five_digit = || facts.codes.iter().map(|c| c.code.five_digit_value());
    let has_indicator = |list: &[AssistIndicator]| {
        facts.codes.iter().any(|c| c.asst_surg.is_some_and(|a| list.iter().any(|i| i.value() == a)))
    };
    let in_range = |range: CodeRange, value: Option<u32>| value.is_some_and(|v| range.contains(v));
    let all_true = [
        c.documents_present.as_ref().is_none_or(|l| l.iter().all(|d| facts.documents_present.contains(d))),
        c.documents_missing_any
            .as_ref()
            .is_none_or(|l| l.iter().any(|d| !facts.documents_present.contains(d))),
        c.min_procedure_codes.is_none_or(|n| count >= usize::from(n)),
        c.max_procedure_codes.is_none_or(|n| count <= usize::from(n)),
        c.insurer_contains_any
            .as_ref()
            .is_none_or(|l| l.iter().any(|x| s.insurer.contains(normalize_insurer(x).as_str()))),
        c.insurer_equals_any.as_ref().is_none_or(|l| l.iter().any(|x| s.insurer == normalize_insurer(x))),
        c.any_code_in.as_ref().is_none_or(|l| facts.codes.iter().any(|c| l.contains(&c.code))),
        c.all_codes_in_range.is_none_or(|r| count > 0 && five_digit().all(|v| in_range(r, v))),
        c.any_code_in_range.is_none_or(|r| five_digit().any(|v| in_range(r, v))),
        c.patient_age_at_least.is_none_or(|n| s.age.is_some_and(|age| age >= u32::from(n))),
        c.patient_age_below.is_none_or(|n| s.age.is_some_and(|age| age < u32::from(n))),
        c.any_code_with_assist_indicator.as_ref().is_none_or(|l| has_indicator(l)),
        // An unknown indicator counts as not listed.
        c.no_code_with_assist_indicator.as_ref().is_none_or(|l| !has_indicator(l)),
    ];
    all_true.iter().all(|holds| *holds)
}
