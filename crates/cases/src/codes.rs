//! The procedure-code pipeline (domain §9.2): normalise, auto-fix, shape check, de-duplicate,
//! cap.

use surgicase_kernel::procedure_code::normalize_entry;
use surgicase_kernel::{FieldCode, ProcedureCode, ValidationErrors, ValueError};

/// Most entries a request may send.
pub const MAX_ENTRIES: usize = 100;
/// Most codes a case may keep after de-duplication.
pub const MAX_CODES: usize = 50;

const FIELD: &str = "procedure_codes";

fn entry_field(i: usize) -> String {
    format!("{FIELD}[{i}]")
}

/// The result of the pipeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeListOutcome {
    /// The normalised entries as entered (`original_procedure_codes`).
    pub original: Vec<String>,
    /// The list to store, in entry order (`procedure_codes`, `corrected_procedure_codes`).
    pub codes: Vec<ProcedureCode>,
    /// Auto-corrections and removed duplicates, in the order they happened.
    pub corrections: Vec<String>,
}

impl CodeListOutcome {
    /// The stored codes as strings.
    pub fn code_strings(&self) -> Vec<String> {
        self.codes.iter().map(|c| c.as_str().to_owned()).collect()
    }
}

/// Step 1: each entry must be a string (`None` stands for any other JSON value); trimmed and
/// upper-cased; none empty; at most [`MAX_ENTRIES`].
pub fn normalize_entries(raw: &[Option<String>]) -> Result<Vec<String>, ValidationErrors> {
    if raw.len() > MAX_ENTRIES {
        return Err(ValueError::new(FieldCode::TooMany, format!("must have at most {MAX_ENTRIES} entries"))
            .at(FIELD)
            .into());
    }
    let mut errors = ValidationErrors::new();
    let mut entries = Vec::with_capacity(raw.len());
    for (i, entry) in raw.iter().enumerate() {
        match entry {
            None => {
                errors.push(ValueError::new(FieldCode::InvalidType, "must be a string").at(entry_field(i)))
            }
            Some(s) => {
                let normalized = normalize_entry(s);
                if normalized.is_empty() {
                    errors.push(ValueError::required().at(entry_field(i)));
                } else {
                    entries.push(normalized);
                }
            }
        }
    }
    errors.into_result(entries)
}

/// Steps 2–5 on normalised entries. `auto_fix` answers the active correction of an entry as
/// `(fixed code, reason)`.
pub fn apply_pipeline(
    normalized: Vec<String>,
    auto_fix: &dyn Fn(&str) -> Option<(ProcedureCode, String)>,
) -> Result<CodeListOutcome, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut corrections = Vec::new();
    let mut fixed = Vec::with_capacity(normalized.len());
    for (i, entry) in normalized.iter().enumerate() {
        if let Some((code, reason)) = auto_fix(entry) {
            corrections.push(format!("Auto-corrected {entry} to {code} ({reason})"));
            fixed.push(code);
        } else if let Some(code) = errors.check(&entry_field(i), ProcedureCode::parse(entry)) {
            fixed.push(code);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut codes: Vec<ProcedureCode> = Vec::with_capacity(fixed.len());
    for code in fixed {
        if codes.contains(&code) {
            corrections.push(format!("Removed duplicate {code}"));
        } else {
            codes.push(code);
        }
    }
    if codes.len() > MAX_CODES {
        return Err(ValueError::new(
            FieldCode::TooMany,
            format!("must have at most {MAX_CODES} distinct codes"),
        )
        .at(FIELD)
        .into());
    }
    Ok(CodeListOutcome { original: normalized, codes, corrections })
}

/// Steps 1–5 in one call.
pub fn process_codes(
    raw: &[Option<String>],
    auto_fix: &dyn Fn(&str) -> Option<(ProcedureCode, String)>,
) -> Result<CodeListOutcome, ValidationErrors> {
    apply_pipeline(normalize_entries(raw)?, auto_fix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(raw: &[&str]) -> Vec<Option<String>> {
        raw.iter().map(|s| Some((*s).to_owned())).collect()
    }

    fn code(s: &str) -> ProcedureCode {
        ProcedureCode::parse(s).unwrap()
    }

    /// The example map of domain §9.3 plus a correction of a malformed entry.
    fn example_map(entry: &str) -> Option<(ProcedureCode, String)> {
        match entry {
            "59510" => Some((code("59514"), "Global obstetric code; use delivery-only code".to_owned())),
            "27447-80" => Some((code("27447"), "modifier removed".to_owned())),
            _ => None,
        }
    }

    fn no_map(_: &str) -> Option<(ProcedureCode, String)> {
        None
    }

    fn fields(errors: &ValidationErrors) -> Vec<(String, FieldCode)> {
        errors.iter().map(|e| (e.field.clone(), e.code)).collect()
    }

    #[test]
    fn successful_pipelines() {
        type Row = (&'static [&'static str], &'static [&'static str], &'static [&'static str]);
        let table: &[Row] = &[
            (&["27447", "27447", "29881"], &["27447", "29881"], &["Removed duplicate 27447"]),
            (&[" j1100 ", "0042t", "3074f"], &["J1100", "0042T", "3074F"], &[]),
            (
                &["59514", "59510"],
                &["59514"],
                &[
                    "Auto-corrected 59510 to 59514 (Global obstetric code; use delivery-only code)",
                    "Removed duplicate 59514",
                ],
            ),
            (&["27447-80"], &["27447"], &["Auto-corrected 27447-80 to 27447 (modifier removed)"]),
            (
                &["29881", "29881", "29881"],
                &["29881"],
                &["Removed duplicate 29881", "Removed duplicate 29881"],
            ),
            (&[], &[], &[]),
        ];
        for (input, codes, corrections) in table {
            let outcome = process_codes(&entries(input), &example_map).unwrap();
            assert_eq!(outcome.code_strings(), *codes, "{input:?}");
            assert_eq!(outcome.corrections, *corrections, "{input:?}");
            let original: Vec<String> = input.iter().map(|s| normalize_entry(s)).collect();
            assert_eq!(outcome.original, original);
        }
    }

    #[test]
    fn api_example() {
        let outcome = process_codes(&entries(&["27447", "27447", "29881"]), &no_map).unwrap();
        assert_eq!(outcome.original, vec!["27447", "27447", "29881"]);
        assert_eq!(outcome.codes, vec![code("27447"), code("29881")]);
        assert_eq!(outcome.corrections, vec!["Removed duplicate 27447"]);
    }

    #[test]
    fn shape_failures_are_all_reported() {
        let err = process_codes(&entries(&["27447-80", "2744", "27447 80", "J1100"]), &no_map).unwrap_err();
        assert_eq!(
            fields(&err),
            vec![
                ("procedure_codes[0]".to_owned(), FieldCode::InvalidProcedureCode),
                ("procedure_codes[1]".to_owned(), FieldCode::InvalidProcedureCode),
                ("procedure_codes[2]".to_owned(), FieldCode::InvalidProcedureCode),
            ]
        );
        assert_eq!(err.0[1].message, "'2744' is not a CPT or HCPCS code");
    }

    #[test]
    fn step_one_errors() {
        let raw = vec![Some("27447".to_owned()), None, Some("   ".to_owned()), Some("".to_owned())];
        let err = normalize_entries(&raw).unwrap_err();
        assert_eq!(
            fields(&err),
            vec![
                ("procedure_codes[1]".to_owned(), FieldCode::InvalidType),
                ("procedure_codes[2]".to_owned(), FieldCode::Required),
                ("procedure_codes[3]".to_owned(), FieldCode::Required),
            ]
        );
    }

    #[test]
    fn entry_and_code_limits() {
        let hundred: Vec<Option<String>> = (0..100).map(|_| Some("27447".to_owned())).collect();
        assert!(normalize_entries(&hundred).is_ok());
        let too_many: Vec<Option<String>> = (0..101).map(|_| Some("27447".to_owned())).collect();
        let err = normalize_entries(&too_many).unwrap_err();
        assert_eq!(fields(&err), vec![("procedure_codes".to_owned(), FieldCode::TooMany)]);

        let distinct = |n: u32| -> Vec<String> { (0..n).map(|i| format!("{:05}", 10000 + i)).collect() };
        assert_eq!(apply_pipeline(distinct(50), &no_map).map(|o| o.codes.len()), Ok(50));
        let err = apply_pipeline(distinct(51), &no_map).unwrap_err();
        assert_eq!(fields(&err), vec![("procedure_codes".to_owned(), FieldCode::TooMany)]);
        // Duplicates removed first: 60 entries with 50 distinct codes pass.
        let mut with_dupes = distinct(50);
        with_dupes.extend(distinct(10));
        assert_eq!(apply_pipeline(with_dupes, &no_map).map(|o| o.codes.len()), Ok(50));
    }
}
