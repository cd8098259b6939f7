//! The error of this crate: a refused rule set, with every problem found.

use surgicase_kernel::FieldError;

/// Why a rule set was refused (§6.4): every problem, each with its TOML path (`toml` for a
/// syntax error) and a message. The API answers them as 422 `invalid_rule_set`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid rule set: {} problem(s), first at {}: {}", .errors.len(), first_field(.errors), first_message(.errors))]
pub struct RuleSetErrors {
    pub errors: Vec<FieldError>,
}

impl RuleSetErrors {
    /// The field paths, in the order the problems were found.
    pub fn fields(&self) -> Vec<&str> {
        self.errors.iter().map(|e| e.field.as_str()).collect()
    }
}

fn first_field(errors: &[FieldError]) -> &str {
    errors.first().map_or("", |e| e.field.as_str())
}

fn first_message(errors: &[FieldError]) -> &str {
    errors.first().map_or("", |e| e.message.as_str())
}
