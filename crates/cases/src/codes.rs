//! The procedure-code pipeline (domain §9.2): normalise, auto-fix, shape check, de-duplicate,
//! cap.

use std::collections::HashMap;

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
    /// No codes (a case created without a list).
    pub fn empty() -> Self {
        Self { original: Vec::new(), codes: Vec::new(), corrections: Vec::new() }
    }

    /// The stored codes as strings.
    pub fn code_strings(&self) -> Vec<String> {
        self.codes.iter().map(|c| c.as_str().to_owned()).collect()
    }
}

/// The active auto-fix entries a request needs: entered code → (fixed code, reason). Loaded by
/// the application for the entries of [`lookup_entries`], before the request is validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AutoFixes(HashMap<String, (ProcedureCode, String)>);

impl AutoFixes {
    pub fn new(entries: impl IntoIterator<Item = (String, ProcedureCode, String)>) -> Self {
        Self(entries.into_iter().map(|(entered, fixed, reason)| (entered, (fixed, reason))).collect())
    }

    /// The correction of a normalised entry.
    pub fn get(&self, entered: &str) -> Option<(ProcedureCode, String)> {
        self.0.get(entered).cloned()
    }
}

/// The distinct normalised entries of a request's code list: what the auto-fix map is asked
/// for. Entries that are not strings or are blank are left out (validation reports them).
pub fn lookup_entries(raw: &[Option<String>]) -> Vec<String> {
    let mut entries: Vec<String> =
        raw.iter().flatten().map(|s| normalize_entry(s)).filter(|s| !s.is_empty()).collect();
    entries.sort();
    entries.dedup();
    entries
}

/// Steps 1–5 of domain §9.2 on a request's list (`None` stands for an entry that is not a JSON
/// string). Every problem is reported at its entry's index.
pub fn process_codes(raw: &[Option<String>], fixes: &AutoFixes) -> Result<CodeListOutcome, ValidationErrors> {
    if raw.len() > MAX_ENTRIES {
        return Err(ValueError::new(FieldCode::TooMany, format!("must have at most {MAX_ENTRIES} entries"))
            .at(FIELD)
            .into());
    }
    let mut errors = ValidationErrors::new();
    let mut original = Vec::with_capacity(raw.len());
    let mut corrections = Vec::new();
    let mut fixed = Vec::with_capacity(raw.len());
    for (i, entry) in raw.iter().enumerate() {
        let Some(entry) = entry else {
            errors.push(ValueError::new(FieldCode::InvalidType, "must be a string").at(entry_field(i)));
            continue;
        };
        let entry = normalize_entry(entry);
        if entry.is_empty() {
            errors.push(ValueError::required().at(entry_field(i)));
            continue;
        }
        if let Some((code, reason)) = fixes.get(&entry) {
            corrections.push(format!("Auto-corrected {entry} to {code} ({reason})"));
            fixed.push(code);
        } else if let Some(code) = errors.check(&entry_field(i), ProcedureCode::parse(&entry)) {
            fixed.push(code);
        }
        original.push(entry);
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
    Ok(CodeListOutcome { original, codes, corrections })
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
    fn example_map() -> AutoFixes {
        AutoFixes::new([
            ("59510".to_owned(), code("59514"), "Global obstetric code; use delivery-only code".to_owned()),
            ("27447-80".to_owned(), code("27447"), "modifier removed".to_owned()),
        ])
    }

    fn no_map() -> AutoFixes {
        AutoFixes::default()
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
            let outcome = process_codes(&entries(input), &example_map()).unwrap();
            assert_eq!(outcome.code_strings(), *codes, "{input:?}");
            assert_eq!(outcome.corrections, *corrections, "{input:?}");
            let original: Vec<String> = input.iter().map(|s| normalize_entry(s)).collect();
            assert_eq!(outcome.original, original);
        }
    }

    #[test]
    fn api_example() {
        let outcome = process_codes(&entries(&["27447", "27447", "29881"]), &no_map()).unwrap();
        assert_eq!(outcome.original, vec!["27447", "27447", "29881"]);
        assert_eq!(outcome.codes, vec![code("27447"), code("29881")]);
        assert_eq!(outcome.corrections, vec!["Removed duplicate 27447"]);
    }

    #[test]
    fn shape_failures_are_all_reported() {
        let err = process_codes(&entries(&["27447-80", "2744", "27447 80", "J1100"]), &no_map()).unwrap_err();
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
        // Every problem at its own index, the shape of the other entries included.
        let raw = vec![
            Some("27447".to_owned()),
            None,
            Some("   ".to_owned()),
            Some("2744".to_owned()),
            Some("".to_owned()),
        ];
        let err = process_codes(&raw, &no_map()).unwrap_err();
        assert_eq!(
            fields(&err),
            vec![
                ("procedure_codes[1]".to_owned(), FieldCode::InvalidType),
                ("procedure_codes[2]".to_owned(), FieldCode::Required),
                ("procedure_codes[3]".to_owned(), FieldCode::InvalidProcedureCode),
                ("procedure_codes[4]".to_owned(), FieldCode::Required),
            ]
        );
        assert_eq!(lookup_entries(&raw), vec!["2744", "27447"]);
    }

    #[test]
    fn entry_and_code_limits() {
        let hundred: Vec<Option<String>> = (0..100).map(|_| Some("27447".to_owned())).collect();
        assert!(process_codes(&hundred, &no_map()).is_ok());
        let too_many: Vec<Option<String>> = (0..101).map(|_| Some("27447".to_owned())).collect();
        let err = process_codes(&too_many, &no_map()).unwrap_err();
        assert_eq!(fields(&err), vec![("procedure_codes".to_owned(), FieldCode::TooMany)]);

        let distinct =
            |n: u32| -> Vec<Option<String>> { (0..n).map(|i| Some(format!("{:05}", 10000 + i))).collect() };
        assert_eq!(process_codes(&distinct(50), &no_map()).map(|o| o.codes.len()), Ok(50));
        let err = process_codes(&distinct(51), &no_map()).unwrap_err();
        assert_eq!(fields(&err), vec![("procedure_codes".to_owned(), FieldCode::TooMany)]);
        // Duplicates removed first: 60 entries with 50 distinct codes pass.
        let mut with_dupes = distinct(50);
        with_dupes.extend(distinct(10));
        assert_eq!(process_codes(&with_dupes, &no_map()).map(|o| o.codes.len()), Ok(50));
    }
}
