//! `PATCH /bulk_update_case_status`: the back office moves many cases to one status in one
//! transaction (api.md §6). Which case moves is the domain's decision ([`judge_bulk`]).

use std::collections::{HashMap, HashSet};

use serde_json::json;
use surgicase_cases::{BulkSkip, MAX_BULK_CASES, MAX_BULK_REASON, judge_bulk};
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, FieldCode, FieldError, RoleLevel, Timestamp, ValidationErrors};
use surgicase_permissions::require_level;
use surgicase_ports::records::{ActorType, ChangeSource, HistoryRecord};

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};
use crate::retry::retrying;

/// A bulk update as the API read it: the listed ids as sent, the target and the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkStatusRequest {
    pub case_ids: Vec<String>,
    pub new_status: i64,
    pub force: bool,
    pub reason: Option<String>,
}

/// One case that moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkUpdated {
    pub case_id: CaseId,
    pub previous_status: CaseStatus,
    pub new_status: CaseStatus,
    pub forced: bool,
    /// The timestamp column the move stamped, if the target has one.
    pub stamped: Option<StatusTimestamp>,
}

/// One listed id that kept its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkException {
    pub case_id: String,
    pub skip: BulkSkip,
    pub current_status: Option<CaseStatus>,
    pub attempted_status: CaseStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BulkStatusOutcome {
    pub updated: Vec<BulkUpdated>,
    pub exceptions: Vec<BulkException>,
    /// Distinct ids processed.
    pub total_processed: usize,
    pub touched: Touched,
}

/// The listed ids once each, in their first place; every problem of the request in one 422.
fn validated(request: &BulkStatusRequest) -> Result<(Vec<String>, CaseStatus), AppError> {
    let mut errors = ValidationErrors::default();
    let ids: Vec<String> = {
        let mut seen = HashSet::new();
        request.case_ids.iter().filter(|id| seen.insert(id.as_str())).cloned().collect()
    };
    if ids.is_empty() {
        errors.push(FieldError::new(
            "case_ids",
            FieldCode::TooShort,
            "must list at least one case id".to_owned(),
        ));
    } else if ids.len() > MAX_BULK_CASES {
        let message = format!("must list at most {MAX_BULK_CASES} case ids");
        errors.push(FieldError::new("case_ids", FieldCode::TooMany, message));
    }
    let status = CaseStatus::new(request.new_status).map_err(|e| e.at("new_status"));
    if let Err(e) = &status {
        errors.push(e.clone());
    }
    if request.reason.as_ref().is_some_and(|r| r.chars().count() > MAX_BULK_REASON) {
        let message = format!("must be at most {MAX_BULK_REASON} characters");
        errors.push(FieldError::new("reason", FieldCode::TooLong, message));
    }
    match status {
        Ok(status) if errors.is_empty() => Ok((ids, status)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// What one attempt at the transaction decided: the moves, the exceptions, the history rows.
type BulkAttempt = (Vec<BulkUpdated>, Vec<BulkException>, Vec<HistoryRecord>);

impl App {
    /// Moves every listed active case to the target (lower only with `force`), stamping the
    /// target's timestamp column, with one history row per moved case (source `bulk`, the
    /// reason) — all in one transaction. CA only.
    pub async fn bulk_update_case_status(
        &self,
        ctx: &Ctx,
        request: &BulkStatusRequest,
    ) -> Result<BulkStatusOutcome, AppError> {
        require(require_level(&ctx.actor, RoleLevel::CaseAdmin), Missing::Other, "")?;
        let (ids, target) = validated(request)?;
        let now = self.clock.now();
        let (updated, exceptions, history) =
            retrying("case.bulk_status", || self.bulk_move(ctx, request, &ids, target, now)).await?;
        let moved: Vec<CaseId> = updated.iter().map(|u| u.case_id.clone()).collect();
        crate::counters::status_transitions(&history);
        let touched = Touched::new("case.bulk_status", "case", target.to_string()).details(json!({
            "new_status": target.code(),
            "force": request.force,
            "updated": moved.iter().map(CaseId::as_str).collect::<Vec<_>>(),
            "exceptions": exceptions.len(),
        }));
        Ok(BulkStatusOutcome { total_processed: ids.len(), updated, exceptions, touched })
    }

    /// One attempt at the bulk move's transaction: what moved, what did not, the history rows.
    async fn bulk_move(
        &self,
        ctx: &Ctx,
        request: &BulkStatusRequest,
        ids: &[String],
        target: CaseStatus,
        now: Timestamp,
    ) -> Result<BulkAttempt, AppError> {
        let mut tx = self.store.begin().await?;
        if !tx.case_statuses().await?.iter().any(|s| s.case_status == target) {
            return Err(AppError::invalid(FieldError::new(
                "new_status",
                FieldCode::UnknownStatus,
                format!("status {target} is not in the catalogue"),
            )));
        }
        let parsed: Vec<CaseId> = ids.iter().filter_map(|id| CaseId::parse(id).ok()).collect();
        let current: HashMap<CaseId, CaseStatus> =
            tx.lock_case_statuses(&parsed).await?.into_iter().collect();
        let stamp = target.timestamp_column();
        let (mut updated, mut exceptions) = (Vec::new(), Vec::new());
        for raw in ids {
            let id = CaseId::parse(raw).ok();
            let status = id.as_ref().and_then(|id| current.get(id).copied());
            let decision = judge_bulk(status, target, request.force);
            match (id, status, decision) {
                (Some(case_id), Some(previous_status), Ok(forced)) => updated.push(BulkUpdated {
                    case_id,
                    previous_status,
                    new_status: target,
                    forced,
                    stamped: stamp,
                }),
                _ => exceptions.push(BulkException {
                    case_id: raw.clone(),
                    skip: decision.err().unwrap_or(BulkSkip::NotFound),
                    current_status: status,
                    attempted_status: target,
                }),
            }
        }
        let moved: Vec<CaseId> = updated.iter().map(|u| u.case_id.clone()).collect();
        let history: Vec<HistoryRecord> = updated.iter().map(|u| history_row(ctx, u, request, now)).collect();
        if !moved.is_empty() {
            tx.set_case_statuses(&moved, target, stamp, now).await?;
            tx.append_history(&history).await?;
        }
        tx.commit().await?;
        Ok((updated, exceptions, history))
    }
}

fn history_row(
    ctx: &Ctx,
    update: &BulkUpdated,
    request: &BulkStatusRequest,
    now: Timestamp,
) -> HistoryRecord {
    HistoryRecord {
        case_id: update.case_id.clone(),
        from_status: Some(update.previous_status),
        to_status: update.new_status,
        changed_ts: now,
        actor_type: ActorType::User,
        actor_id: ctx.actor.user_id.to_string(),
        source: ChangeSource::Bulk,
        rule_name: None,
        rule_set_id: None,
        reason: request.reason.clone(),
        request_id: ctx.request_id.clone(),
        job_run_id: None,
    }
}
