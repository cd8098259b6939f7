//! `GET /case/status_history`: the status changes of a case through the reader's cap
//! (domain §5.4).

use surgicase_kernel::{CaseStatus, Timestamp};
use surgicase_permissions::{
    CaseRef, case_reads_limited_to, display_history_row, may_read_case_history, visible_history_actor,
};

use super::read::parse_case_id;
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// One visible status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub from_status: Option<CaseStatus>,
    pub from_status_desc: Option<String>,
    pub to_status: CaseStatus,
    pub to_status_desc: Option<String>,
    pub changed_at: Timestamp,
    pub source: &'static str,
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub actor_type: &'static str,
    /// `None` unless the reader is a case admin or the actor themselves.
    pub actor_id: Option<String>,
}

/// The history of one case, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseHistory {
    pub case_id: String,
    pub history: Vec<HistoryEntry>,
    pub touched: Touched,
}

impl App {
    pub async fn case_history(&self, ctx: &Ctx, case_id: &str) -> Result<CaseHistory, AppError> {
        let id = parse_case_id(case_id)?;
        let mut conn = self.store.conn().await?;
        let view = conn
            .get_case_view(&id, None, case_reads_limited_to(&ctx.actor))
            .await?
            .ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
        let row = &view.case.row;
        let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
        require(may_read_case_history(&ctx.actor, case), Missing::Case, case_id)?;
        let rows = conn.case_history(&id).await?;
        let catalogue = self.catalogue.get(conn.as_mut()).await?;
        let describe =
            |s: CaseStatus| catalogue.iter().find(|c| c.case_status == s).map(|c| c.case_status_desc.clone());
        let cap = ctx.actor.max_case_status;
        let history = rows
            .into_iter()
            .filter_map(|h| {
                let (from, to) = display_history_row(h.from_status, h.to_status, cap)?;
                Some(HistoryEntry {
                    from_status: from,
                    from_status_desc: from.and_then(describe),
                    to_status: to,
                    to_status_desc: describe(to),
                    changed_at: h.changed_ts,
                    source: h.source.as_str(),
                    rule: h.rule_name,
                    reason: h.reason,
                    actor_type: h.actor_type.as_str(),
                    actor_id: visible_history_actor(&ctx.actor, Some(h.actor_id.as_str())).map(str::to_owned),
                })
            })
            .collect();
        let touched = Touched::new("case.history_read", "case", case_id).subject(row.user_id.as_str());
        Ok(CaseHistory { case_id: case_id.to_owned(), history, touched })
    }
}
