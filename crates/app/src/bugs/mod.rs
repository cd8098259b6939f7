//! Bug intake (api.md §10, domain §19): a report is stored first, then pushed to the tracker —
//! once right after the answer, then by [`App::sync_pending_bugs`] with backoff until it is in.
//!
//! Never lost: the report is in the database before anyone answers 201. Never duplicated: each
//! attempt is claimed in the database (a claim names the attempt count it saw, so two workers
//! cannot both attempt), the tracker's task id is recorded, and every retry first looks the
//! task up by its unique name, since an earlier attempt may have created it without our
//! knowing (a timeout, a crash, a 5xx after the fact).

pub mod report;
mod sync;

use serde_json::{Map, Value};
use surgicase_kernel::{FieldCode, FieldError, RoleLevel};
use surgicase_ports::bugs::{BugQuery, BugRecord, NewBugRecord, SyncState};

use crate::App;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::counters;
use crate::error::AppError;

pub use report::BugReport;
pub use sync::{SyncOutcome, SyncReport};

/// Default and largest `limit` of `GET /bugs`.
pub const DEFAULT_LIST_LIMIT: i64 = 100;
pub const MAX_LIST_LIMIT: i64 = 10_000;
/// Most reports one [`App::sync_pending_bugs`] run attempts.
pub const SYNC_BATCH: i64 = 50;

/// A stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct BugFiled {
    pub bug_id: i64,
    /// `pending` (a tracker is configured) or `disabled`.
    pub sync_state: SyncState,
    /// The status stored with the report.
    pub status: &'static str,
    pub touched: Touched,
}

/// `GET /bugs`: `status` is `open` (default) or `all`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BugListRequest {
    pub status: Option<String>,
    pub limit: Option<i64>,
}

impl App {
    /// Stores a report (`body` is the request body, kept whole). The first push to the tracker
    /// is the caller's to start ([`App::sync_bug`]) once the answer is on its way.
    pub async fn file_bug(&self, ctx: &Ctx, body: &Map<String, Value>) -> Result<BugFiled, AppError> {
        let report = BugReport::read(body)?;
        let full_json =
            serde_json::to_string(body).map_err(|e| AppError::internal_from("bug report body", e))?;
        let mut conn = self.store.conn().await?;
        let reported_by = match report.reported_by {
            Some(name) => Some(name),
            None => conn
                .get_user(&ctx.actor.user_id)
                .await?
                .and_then(|u| report::full_name(u.first_name.as_deref(), u.last_name.as_deref())),
        };
        let now = self.clock.now();
        let sync_state =
            if self.ops.bug_tracker.enabled() { SyncState::Pending } else { SyncState::Disabled };
        let bug_id = conn
            .insert_bug(&NewBugRecord {
                title: report.title,
                description: report.description,
                calling_page: report.calling_page,
                bug_date: report.bug_date,
                priority: report.priority,
                reported_by,
                reported_by_user_id: ctx.actor.user_id.clone(),
                full_json,
                created_ts: now,
                status: report::FILED_STATUS.to_owned(),
                sync_state,
                // A pending report is pushed at once; `sync_pending_bugs` retries it from there.
                next_sync_ts: (sync_state == SyncState::Pending).then_some(now),
            })
            .await?;
        counters::bug_filed(sync_state.as_str());
        tracing::info!(bug_id, sync_state = sync_state.as_str(), "bug report stored");
        let touched =
            Touched::new("bug.create", "bug", bug_id.to_string()).subject(ctx.actor.user_id.as_str());
        Ok(BugFiled { bug_id, sync_state, status: report::FILED_STATUS, touched })
    }

    /// The caller's reports, newest first; a global admin sees everyone's.
    pub async fn list_bugs(&self, ctx: &Ctx, request: &BugListRequest) -> Result<Vec<BugRecord>, AppError> {
        let open_only = match request.status.as_deref().map(str::trim) {
            None | Some("") => true,
            Some(s) if s.eq_ignore_ascii_case("open") => true,
            Some(s) if s.eq_ignore_ascii_case("all") => false,
            Some(_) => {
                return Err(AppError::invalid(FieldError::new(
                    "status",
                    FieldCode::InvalidFormat,
                    "must be open or all",
                )));
            }
        };
        let limit = request.limit.unwrap_or(DEFAULT_LIST_LIMIT);
        if !(1..=MAX_LIST_LIMIT).contains(&limit) {
            return Err(AppError::invalid(FieldError::new(
                "limit",
                FieldCode::OutOfRange,
                format!("must be between 1 and {MAX_LIST_LIMIT}"),
            )));
        }
        let reporter = (!ctx.actor.has_level(RoleLevel::GlobalAdmin)).then(|| ctx.actor.user_id.clone());
        let mut conn = self.store.conn().await?;
        Ok(conn.list_bugs(&BugQuery { reporter, open_only, limit }).await?)
    }
}
