//! Checking the `when` table of one rule (§6.3, §6.4 item 4).

use surgicase_kernel::text::required_line;
use surgicase_kernel::{FieldCode, ProcedureCode};
use toml::{Table, Value};

use crate::facts::DocumentField;
use crate::rule_set::{AssistIndicator, CodeRange, Conditions};
use crate::walk::{Problems, key_path};

const MAX_CODE_COUNT: i64 = 50;
const MAX_AGE: i64 = 130;
const MAX_INSURER_LEN: usize = 100;

/// The conditions of `when` (at `path`), or `None` when any of them is invalid (all reported).
pub(crate) fn check_conditions(p: &mut Problems, path: &str, when: &Table) -> Option<Conditions> {
    let before = p.len();
    let mut c = Conditions::default();
    let mut keys: Vec<&String> = when.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let Some(value) = when.get(key) else { continue };
        let at = key_path(path, key);
        match key.as_str() {
            "documents_present" => c.documents_present = p.list_of(&at, value, document_field),
            "documents_missing_any" => c.documents_missing_any = p.list_of(&at, value, document_field),
            "min_procedure_codes" => c.min_procedure_codes = small(p, &at, value, 0, MAX_CODE_COUNT),
            "max_procedure_codes" => c.max_procedure_codes = small(p, &at, value, 0, MAX_CODE_COUNT),
            "insurer_contains_any" => c.insurer_contains_any = p.list_of(&at, value, insurer_text),
            "insurer_equals_any" => c.insurer_equals_any = p.list_of(&at, value, insurer_text),
            "any_code_in" => c.any_code_in = p.list_of(&at, value, procedure_code),
            "all_codes_in_range" => c.all_codes_in_range = code_range(p, &at, value),
            "any_code_in_range" => c.any_code_in_range = code_range(p, &at, value),
            "patient_age_at_least" => c.patient_age_at_least = small(p, &at, value, 0, MAX_AGE),
            "patient_age_below" => c.patient_age_below = small(p, &at, value, 1, MAX_AGE),
            "any_code_with_assist_indicator" => {
                c.any_code_with_assist_indicator = p.list_of(&at, value, assist_indicator)
            }
            "no_code_with_assist_indicator" => {
                c.no_code_with_assist_indicator = p.list_of(&at, value, assist_indicator)
            }
            _ => p.unknown_key(&at),
        }
    }
    if let (Some(min), Some(max)) = (c.min_procedure_codes, c.max_procedure_codes)
        && min > max
    {
        p.push(
            key_path(path, "max_procedure_codes"),
            FieldCode::OutOfRange,
            format!("must not be less than min_procedure_codes ({min})"),
        );
    }
    (p.len() == before).then_some(c)
}

/// A count or an age: an integer in `min..=max` (both within `u8`).
fn small(p: &mut Problems, at: &str, value: &Value, min: i64, max: i64) -> Option<u8> {
    p.int_in(at, value, min, max).and_then(|n| u8::try_from(n).ok())
}

fn document_field(p: &mut Problems, at: &str, value: &Value) -> Option<DocumentField> {
    let name = p.string(at, value)?;
    let field = DocumentField::from_name(name);
    if field.is_none() {
        p.push(
            at,
            FieldCode::UnknownDocumentType,
            format!(
                "unknown document field '{name}': expected demo_file, note_file, misc_file or admin_file"
            ),
        );
    }
    field
}

/// 1–100 characters, kept as one normalised line (trimmed, collapsed, NFC) like stored text.
fn insurer_text(p: &mut Problems, at: &str, value: &Value) -> Option<String> {
    let raw = p.string(at, value)?;
    p.check(at, required_line(raw, MAX_INSURER_LEN))
}

fn procedure_code(p: &mut Problems, at: &str, value: &Value) -> Option<ProcedureCode> {
    let raw = p.string(at, value)?;
    p.check(at, ProcedureCode::parse(raw))
}

fn assist_indicator(p: &mut Problems, at: &str, value: &Value) -> Option<AssistIndicator> {
    let n = p.integer(at, value)?;
    let indicator = AssistIndicator::new(n);
    if indicator.is_none() {
        p.push(at, FieldCode::OutOfRange, "must be one of 0, 1, 2, 9");
    }
    indicator
}

/// `{ from = N, to = M }` with `0 ≤ N ≤ M ≤ 99999`; `from > to` is reported at `.to`.
fn code_range(p: &mut Problems, at: &str, value: &Value) -> Option<CodeRange> {
    let table = p.table(at, value)?;
    let before = p.len();
    p.unknown_keys(at, table, &["from", "to"]);
    let max = i64::from(CodeRange::MAX);
    let bound = |p: &mut Problems, key: &str| {
        let value = p.required(table, at, key)?;
        p.int_in(&key_path(at, key), value, 0, max).and_then(|n| u32::try_from(n).ok())
    };
    let from = bound(p, "from");
    let to = bound(p, "to");
    let (from, to) = (from?, to?);
    if from > to {
        p.push(key_path(at, "to"), FieldCode::OutOfRange, format!("must not be less than from ({from})"));
        return None;
    }
    if p.len() != before {
        return None;
    }
    CodeRange::new(from, to)
}
