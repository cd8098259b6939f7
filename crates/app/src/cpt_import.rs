//! Loading the CPT master from a CSV file (`cargo xtask import-cpt`): each line is
//! `code, description, category, assistant-at-surgery indicator`. Lines are checked one by one
//! (a malformed line is reported by its number); the caller imports nothing unless every line
//! is valid or it was told to skip invalid ones.

use surgicase_kernel::ProcedureCode;
use surgicase_kernel::text::check_max;
use surgicase_ports::records::ProcedureCodeRecord;
use surgicase_ports::{Store, StoreError};

/// Why one line cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the file.
    pub line: u64,
    pub message: String,
}

/// Whether a first row is a header rather than data.
pub fn is_header(fields: &[&str]) -> bool {
    fields.first().is_some_and(|f| {
        let f = f.trim().to_ascii_lowercase();
        f == "code" || f == "procedure_code" || f == "cpt_code"
    })
}

/// Checks one CSV record.
pub fn parse_line(line: u64, fields: &[&str]) -> Result<ProcedureCodeRecord, LineError> {
    let fail = |message: String| LineError { line, message };
    if fields.len() != 4 {
        return Err(fail(format!(
            "expected 4 fields (code, description, category, asst_surg), found {}",
            fields.len()
        )));
    }
    let code = ProcedureCode::parse(fields[0]).map_err(|e| fail(e.message))?;
    let description = fields[1].trim();
    check_max(description, 1000).map_err(|e| fail(format!("description {}", e.message)))?;
    let category = fields[2].trim();
    check_max(category, 50).map_err(|e| fail(format!("category {}", e.message)))?;
    let asst = match fields[3].trim() {
        "" => None,
        "0" => Some(0),
        "1" => Some(1),
        "2" => Some(2),
        "9" => Some(9),
        other => {
            return Err(fail(format!("assistant-at-surgery indicator must be 0, 1, 2 or 9, not '{other}'")));
        }
    };
    Ok(ProcedureCodeRecord {
        procedure_code: code.to_string(),
        procedure_desc: description.to_owned(),
        code_category: (!category.is_empty()).then(|| category.to_owned()),
        code_status: Some("active".to_owned()),
        asst_surg: asst,
    })
}

/// Writes records in batches inside one transaction: all of them or none.
pub async fn import(
    store: &dyn Store,
    batches: impl IntoIterator<Item = Vec<ProcedureCodeRecord>>,
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let mut tx = store.begin().await?;
    let mut total = 0;
    for batch in batches {
        tx.upsert_procedure_codes(&batch).await?;
        total += batch.len();
        progress(batch.len());
    }
    tx.commit().await?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let ok = parse_line(2, &["27447", "Knee replacement", "Orthopedic", "2"]).unwrap();
        assert_eq!(ok.procedure_code, "27447");
        assert_eq!(ok.code_category.as_deref(), Some("Orthopedic"));
        assert_eq!(ok.asst_surg, Some(2));
        let blank = parse_line(3, &[" j1100 ", "", "", ""]).unwrap();
        assert_eq!(
            (blank.procedure_code.as_str(), blank.code_category, blank.asst_surg),
            ("J1100", None, None)
        );
        let table: &[(&[&str], &str)] = &[
            (&["2744", "x", "", ""], "'2744' is not a CPT or HCPCS code"),
            (&["27447", "x", "", "3"], "indicator must be 0, 1, 2 or 9"),
            (&["27447", "x", ""], "expected 4 fields"),
            (&["27447", "x", &"c".repeat(51), ""], "category must be at most 50"),
        ];
        for (fields, message) in table {
            let err = parse_line(7, fields).unwrap_err();
            assert_eq!(err.line, 7);
            assert!(err.message.contains(message), "{fields:?}: {}", err.message);
        }
        assert!(is_header(&["Code", "Description", "Category", "AsstSurg"]));
        assert!(!is_header(&["27447", "x", "", ""]));
    }
}
