//! The auto-fix entries a request's procedure codes need (domain §9.2, §9.3), read before the
//! request is validated.

use surgicase_cases::AutoFixes;
use surgicase_kernel::ProcedureCode;

use crate::App;
use crate::error::AppError;

impl App {
    /// The active corrections of `entries` (one statement; none when the list is empty).
    pub(crate) async fn auto_fixes(&self, entries: &[String]) -> Result<AutoFixes, AppError> {
        if entries.is_empty() {
            return Ok(AutoFixes::default());
        }
        let rows = self.store.conn().await?.active_auto_fixes(entries).await?;
        Ok(AutoFixes::new(rows.into_iter().filter_map(|f| {
            // The map only holds valid fixed codes (domain §9.3); a corrupt row corrects nothing.
            let fixed = ProcedureCode::parse(&f.fixed_code).ok()?;
            Some((f.entered_code, fixed, f.reason))
        })))
    }
}
