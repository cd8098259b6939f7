//! `GET /cases_by_status`: the back office's list of every user's active cases, filtered on the
//! stored status and the case date (api.md §6).

use serde_json::json;
use surgicase_kernel::RoleLevel;
use surgicase_permissions::{StoredStatusMatch, require_level};
use surgicase_ports::records::{CaseDateRange, CaseOrder, CaseQuery};

use super::list::{ListedCase, StatusFilter};
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::date_range::case_date_range;
use crate::error::{AppError, Missing};

/// A request as the API read it; the dates are checked here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasesByStatusRequest {
    pub filter: StatusFilter,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A page of cases at their stored statuses.
#[derive(Debug, Clone, PartialEq)]
pub struct CasesByStatus {
    pub filter: StatusFilter,
    pub range: CaseDateRange,
    pub cases: Vec<ListedCase>,
    pub total: i64,
    pub touched: Touched,
}

impl App {
    /// CA only. Stored statuses, no cap: the back office sees what is stored.
    pub async fn cases_by_status(
        &self,
        ctx: &Ctx,
        request: CasesByStatusRequest,
    ) -> Result<CasesByStatus, AppError> {
        require(require_level(&ctx.actor, RoleLevel::CaseAdmin), Missing::Other, "")?;
        let range = case_date_range(request.start_date.as_deref(), request.end_date.as_deref())?;
        let mut conn = self.store.conn().await?;
        let status = match &request.filter {
            StatusFilter::None | StatusFilter::All => None,
            StatusFilter::Statuses(list) => {
                self.require_catalogued(conn.as_mut(), list).await?;
                Some(StoredStatusMatch::exactly(list))
            }
        };
        let page = conn
            .list_cases(&CaseQuery {
                owner: None,
                status,
                date_from: range.from,
                date_to: range.to,
                describe: None,
                order: CaseOrder::CaseDateDesc,
                limit: request.limit,
                offset: request.offset,
            })
            .await?;
        let cases: Vec<ListedCase> = page
            .items
            .into_iter()
            .map(|view| ListedCase {
                case_status: view.case.row.case_status,
                case_status_desc: view.joins.status_desc.clone(),
                view,
            })
            .collect();
        let ids: Vec<&str> = cases.iter().map(|c| c.view.case.row.case_id.as_str()).collect();
        let touched = Touched::new("case.list_by_status", "case", "")
            .details(json!({"case_ids": ids, "count": ids.len()}));
        Ok(CasesByStatus { filter: request.filter, range, cases, total: page.total, touched })
    }
}
