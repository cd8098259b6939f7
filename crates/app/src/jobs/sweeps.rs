//! The frequent sweeps (domain §7.1): each is a use case that is safe to run at any time, from
//! any number of processes; the job only records what it did.

use serde_json::json;

use super::registry::{JobFuture, JobRun};
use super::report::JobReport;
use crate::App;

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `bug_tracker_sync`: pushes due bug reports to the tracker (§19).
pub(crate) fn bug_tracker_sync_job<'a>(app: &'a App, _run: &'a JobRun) -> JobFuture<'a> {
    Box::pin(async move {
        let r = app.sync_pending_bugs(app.clock.now()).await?;
        Ok(JobReport {
            items_processed: count(r.synced),
            items_failed: count(r.failed),
            details: json!({ "due": r.due, "synced": r.synced, "failed": r.failed, "skipped": r.skipped }),
            touched: None,
        })
    })
}

/// `document_archive`: finishes document moves an unavailable object store left behind (§13).
pub(crate) fn document_archive_job<'a>(app: &'a App, _run: &'a JobRun) -> JobFuture<'a> {
    Box::pin(async move {
        let r = app.finish_pending_archives().await?;
        Ok(JobReport {
            items_processed: count(r.moves_done + r.cases_done + r.users_done),
            items_failed: count(r.moves_pending + r.cases_pending + r.users_pending),
            details: json!({
                "moves_done": r.moves_done, "moves_pending": r.moves_pending,
                "cases_done": r.cases_done, "cases_pending": r.cases_pending,
                "users_done": r.users_done, "users_pending": r.users_pending,
            }),
            touched: r.touched,
        })
    })
}

/// `upload_cleanup`: expires uploads past their lifetime and deletes their unconfirmed objects.
pub(crate) fn upload_cleanup_job<'a>(app: &'a App, _run: &'a JobRun) -> JobFuture<'a> {
    Box::pin(async move {
        let r = app.expire_uploads().await?;
        Ok(JobReport {
            items_processed: count(r.expired),
            items_failed: count(r.delete_failures),
            details: json!({
                "expired": r.expired, "objects_deleted": r.objects_deleted,
                "delete_failures": r.delete_failures,
            }),
            touched: None,
        })
    })
}
