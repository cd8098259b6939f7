//! `GET /case`: one case as the actor may see it (one statement).

use surgicase_kernel::{CaseId, CaseStatus, FieldCode, FieldError};
use surgicase_permissions::{Actor, CaseRef, case_reads_limited_to, may_read_case};
use surgicase_ports::records::CaseView;

use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// A case with its status displayed through the actor's cap (domain §4.3).
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDetails {
    pub view: CaseView,
    pub case_status: CaseStatus,
    pub case_status_desc: Option<String>,
    pub touched: Touched,
}

/// The displayed status of a view and its description. The store was asked to describe the
/// actor's cap, which is the displayed status whenever it differs from the stored one.
pub fn describe_status(actor: &Actor, view: &CaseView) -> (CaseStatus, Option<String>) {
    let stored = view.case.row.case_status;
    let shown = actor.display(stored);
    let desc = if shown == stored { &view.joins.status_desc } else { &view.joins.described_status_desc };
    (shown, desc.clone())
}

/// Parses a case id given as a query parameter.
pub(crate) fn parse_case_id(raw: &str) -> Result<CaseId, AppError> {
    CaseId::parse(raw).map_err(|e| {
        let code = if raw.is_empty() { FieldCode::Required } else { e.code };
        AppError::invalid(FieldError::new("case_id", code, e.message))
    })
}

impl App {
    pub async fn get_case(&self, ctx: &Ctx, case_id: &str) -> Result<CaseDetails, AppError> {
        let id = parse_case_id(case_id)?;
        let mut conn = self.store.conn().await?;
        let view = conn
            .get_case_view(&id, Some(ctx.actor.max_case_status), case_reads_limited_to(&ctx.actor))
            .await?
            .ok_or_else(|| AppError::not_found(Missing::Case, case_id))?;
        let row = &view.case.row;
        let case = CaseRef { owner: &row.user_id, stored_status: row.case_status, active: row.active };
        require(may_read_case(&ctx.actor, case), Missing::Case, case_id)?;
        let (case_status, case_status_desc) = describe_status(&ctx.actor, &view);
        let touched = Touched::new("case.read", "case", case_id).subject(row.user_id.as_str());
        Ok(CaseDetails { view, case_status, case_status_desc, touched })
    }
}
