//! `case_status_history`: append-only.

use async_trait::async_trait;
use surgicase_kernel::CaseId;
use surgicase_ports::HistoryRepo;
use surgicase_ports::records::HistoryRecord;

use super::{R, Session};

#[async_trait]
impl HistoryRepo for Session {
    async fn append_history(&mut self, rows: &[HistoryRecord]) -> R<()> {
        self.write(|s| {
            for row in rows {
                s.require_case(&row.case_id, "case_status_history.case_id -> cases")?;
                super::jobs::require_job_run(s, row.job_run_id)?;
            }
            s.history.extend(rows.iter().cloned());
            Ok(())
        })
        .await
    }

    async fn case_history(&mut self, id: &CaseId) -> R<Vec<HistoryRecord>> {
        Ok(self.read(|s| s.history.iter().filter(|h| h.case_id == *id).cloned().collect()))
    }
}
