//! The procedure-code pipeline with the auto-fix map read from the store (domain §9.2).

use std::collections::HashMap;

use surgicase_cases::{CodeListOutcome, apply_pipeline};
use surgicase_kernel::ProcedureCode;
use surgicase_ports::Conn;

use crate::error::AppError;

/// Auto-fix, shape check and de-duplication of normalised entries (one statement for the map,
/// none when the list is empty).
pub(crate) async fn prepare_codes(
    conn: &mut dyn Conn,
    entries: Vec<String>,
) -> Result<CodeListOutcome, AppError> {
    let fixes: HashMap<String, (ProcedureCode, String)> = if entries.is_empty() {
        HashMap::new()
    } else {
        let mut unique = entries.clone();
        unique.sort();
        unique.dedup();
        conn.active_auto_fixes(&unique)
            .await?
            .into_iter()
            .filter_map(|f| Some((f.entered_code, (ProcedureCode::parse(&f.fixed_code).ok()?, f.reason))))
            .collect()
    };
    Ok(apply_pipeline(entries, &|entered| fixes.get(entered).cloned())?)
}
