//! Parsing and validating a rule set (§6.4): every problem is reported, with its TOML path.

use std::collections::HashMap;

use surgicase_kernel::text::required_line;
use surgicase_kernel::{CaseStatus, FieldCode};
use toml::{Table, Value};

use crate::error::RuleSetErrors;
use crate::parse_conditions::check_conditions;
use crate::rule_set::{Conditions, RULE_SET_FORMAT, Rule, RuleSet, RuleSetWarning, ValidatedRuleSet};
use crate::walk::{Problems, index_path, key_path};

const MAX_NAME_LEN: usize = 100;
const MAX_RULES: usize = 100;
const MAX_RULE_NAME_LEN: usize = 64;
const TOP_KEYS: [&str; 5] = ["format", "name", "description", "managed", "rules"];
const RULE_KEYS: [&str; 3] = ["name", "set", "when"];

/// Parses and validates the TOML form of a rule set (§6.2–§6.4).
///
/// `catalogue` is the current status catalogue (`case_status_list` codes); `managed` entries and
/// rule targets must be in it (400, which cannot be deleted, is always accepted as a target).
/// On refusal every problem is listed: a syntax error alone, at field `toml`, with its line and
/// column; otherwise one error per problem at its path (`rules[3].when.all_codes_in_range.to`).
pub fn parse_rule_set(toml_text: &str, catalogue: &[CaseStatus]) -> Result<ValidatedRuleSet, RuleSetErrors> {
    let document: Table = match toml_text.parse() {
        Ok(document) => document,
        Err(error) => return Err(RuleSetErrors { errors: vec![syntax_error(toml_text, &error)] }),
    };
    let mut p = Problems::default();
    match check_document(&mut p, &document, catalogue) {
        Some(rule_set) if p.len() == 0 => {
            let warnings = warnings(&rule_set);
            Ok(ValidatedRuleSet { rule_set, warnings })
        }
        _ => Err(RuleSetErrors { errors: p.into_errors() }),
    }
}

/// Field `toml`, message `line L, column C: what`.
fn syntax_error(text: &str, error: &toml::de::Error) -> surgicase_kernel::FieldError {
    let position = error.span().and_then(|span| text.get(..span.start)).map(|before| {
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}")
    });
    let message = match position {
        Some(position) => format!("{position}: {}", error.message().trim()),
        // No span: the rendered error names the position itself ("… at line 1, column 10").
        None => error.to_string().lines().next().unwrap_or_default().to_owned(),
    };
    surgicase_kernel::FieldError::new("toml", FieldCode::InvalidFormat, message)
}

fn check_document(p: &mut Problems, doc: &Table, catalogue: &[CaseStatus]) -> Option<RuleSet> {
    p.unknown_keys("", doc, &TOP_KEYS);
    if let Some(value) = p.required(doc, "", "format")
        && let Some(format) = p.integer("format", value)
        && format != RULE_SET_FORMAT
    {
        p.push("format", FieldCode::OutOfRange, format!("unsupported format {format}: must be 1"));
    }
    let name = p
        .required(doc, "", "name")
        .and_then(|v| p.string("name", v))
        .and_then(|s| p.check("name", required_line(s, MAX_NAME_LEN)));
    let description = match doc.get("description") {
        None => Some(None),
        Some(value) => p.string("description", value).map(|s| Some(s.to_owned())),
    };
    let managed = check_managed(p, doc, catalogue);
    let rules = check_rules(p, doc, catalogue);
    let (mut rules, name, description, managed) = (rules?, name?, description?, managed?);
    let fallback = rules.pop()?;
    Some(RuleSet { name, description, managed, guarded: rules, fallback })
}

fn check_managed(p: &mut Problems, doc: &Table, catalogue: &[CaseStatus]) -> Option<Vec<CaseStatus>> {
    let value = p.required(doc, "", "managed")?;
    let mut seen: Vec<CaseStatus> = Vec::new();
    p.list_of("managed", value, |p, at, value| {
        let status = catalogue_status(p, at, value, catalogue)?;
        if !status.is_pre_billing() {
            let message = format!("status {status} is not in the pre-billing band (below 15)");
            p.push(at, FieldCode::OutOfRange, message);
            return None;
        }
        if seen.contains(&status) {
            p.push(at, FieldCode::InvalidFormat, format!("status {status} is repeated"));
            return None;
        }
        seen.push(status);
        Some(status)
    })
}

/// An integer that is a catalogue status.
fn catalogue_status(
    p: &mut Problems,
    at: &str,
    value: &Value,
    catalogue: &[CaseStatus],
) -> Option<CaseStatus> {
    let code = p.integer(at, value)?;
    let status = CaseStatus::new(code).ok().filter(|s| catalogue.contains(s));
    if status.is_none() {
        p.push(at, FieldCode::UnknownStatus, format!("status {code} is not in the catalogue"));
    }
    status
}

fn check_rules(p: &mut Problems, doc: &Table, catalogue: &[CaseStatus]) -> Option<Vec<Rule>> {
    let value = p.required(doc, "", "rules")?;
    let Some(items) = value.as_array() else {
        p.push("rules", FieldCode::InvalidType, "must be a list of [[rules]] tables");
        return None;
    };
    if items.is_empty() {
        p.push("rules", FieldCode::TooShort, "must have at least one rule");
    }
    if items.len() > MAX_RULES {
        let message = format!("must have at most {MAX_RULES} rules, not {}", items.len());
        p.push("rules", FieldCode::TooMany, message);
    }
    let before = p.len();
    let mut rules = Vec::with_capacity(items.len());
    let mut names: HashMap<&str, usize> = HashMap::new();
    let mut always_matches: Option<usize> = None;
    for (i, item) in items.iter().enumerate() {
        let at = index_path("rules", i);
        if let Some(first) = always_matches {
            let message = format!("unreachable rule: rules[{first}] has no conditions and always matches");
            p.push(at.as_str(), FieldCode::InvalidFormat, message);
        }
        let Some(table) = p.table(&at, item) else { continue };
        if always_matches.is_none() && !has_conditions(table) {
            always_matches = Some(i);
        }
        if i + 1 == items.len() && has_conditions(table) {
            let message = "the last rule must have no conditions, so that every case gets a target";
            p.push(key_path(&at, "when"), FieldCode::InvalidFormat, message);
        }
        if let Some(rule) = check_rule(p, &at, table, catalogue, i, &mut names) {
            rules.push(rule);
        }
    }
    (p.len() == before && !rules.is_empty()).then_some(rules)
}

/// `when` is present and not an empty table (a malformed `when` counts as conditions).
fn has_conditions(rule: &Table) -> bool {
    rule.get("when").is_some_and(|when| when.as_table().is_none_or(|t| !t.is_empty()))
}

fn check_rule<'t>(
    p: &mut Problems,
    at: &str,
    table: &'t Table,
    catalogue: &[CaseStatus],
    index: usize,
    names: &mut HashMap<&'t str, usize>,
) -> Option<Rule> {
    p.unknown_keys(at, table, &RULE_KEYS);
    let name_at = key_path(at, "name");
    let name = p.required(table, at, "name").and_then(|v| p.string(&name_at, v)).and_then(|name| {
        check_rule_name(p, &name_at, name)?;
        if let Some(first) = names.get(name) {
            let message = format!("duplicate rule name '{name}' (also rules[{first}])");
            p.push(name_at.as_str(), FieldCode::InvalidFormat, message);
            return None;
        }
        names.insert(name, index);
        Some(name.to_owned())
    });
    let set_at = key_path(at, "set");
    let set = p.required(table, at, "set").and_then(|v| check_target(p, &set_at, v, catalogue));
    let when = match table.get("when") {
        None => Some(Conditions::default()),
        Some(value) => {
            let when_at = key_path(at, "when");
            p.table(&when_at, value).and_then(|t| check_conditions(p, &when_at, t))
        }
    };
    Some(Rule { name: name?, set: set?, when: when? })
}

/// 1–64 characters from `a-z 0-9 - _`.
fn check_rule_name(p: &mut Problems, at: &str, name: &str) -> Option<()> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if name.is_empty() {
        p.push(at, FieldCode::Required, "must not be empty");
    } else if name.chars().count() > MAX_RULE_NAME_LEN {
        p.push(at, FieldCode::TooLong, format!("must be at most {MAX_RULE_NAME_LEN} characters"));
    } else if !name.chars().all(allowed) {
        p.push(at, FieldCode::InvalidCharacters, "may only contain lower-case letters, digits, '-' and '_'");
    } else {
        return Some(());
    }
    None
}

/// A catalogue status in the pre-billing band, or 400.
fn check_target(p: &mut Problems, at: &str, value: &Value, catalogue: &[CaseStatus]) -> Option<CaseStatus> {
    if value.as_integer() == Some(i64::from(CaseStatus::REJECTED.code())) {
        return Some(CaseStatus::REJECTED);
    }
    let status = catalogue_status(p, at, value, catalogue)?;
    if !status.is_pre_billing() {
        let message = format!("status {status} may not be set by rules: only statuses below 15, or 400");
        p.push(at, FieldCode::OutOfRange, message);
        return None;
    }
    Some(status)
}

/// A target other than 400 that is not managed: cases reaching it stay there.
fn warnings(rule_set: &RuleSet) -> Vec<RuleSetWarning> {
    rule_set
        .rules()
        .enumerate()
        .filter(|(_, rule)| rule.set != CaseStatus::REJECTED && !rule_set.is_managed(rule.set))
        .map(|(i, rule)| RuleSetWarning {
            field: format!("rules[{i}].set"),
            message: format!(
                "status {} is not in managed: cases that reach it stay there until an admin moves them",
                rule.set
            ),
        })
        .collect()
}
