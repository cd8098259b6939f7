//! `GET /case_filter`: a user's active cases, filtered on the displayed status (api.md §2).

use serde_json::json;
use surgicase_kernel::{CaseStatus, FieldCode, FieldError, RoleLevel, UserId};
use surgicase_permissions::{may_act_for, stored_status_match};
use surgicase_ports::Conn;
use surgicase_ports::records::{CaseOrder, CaseQuery, CaseView};

use super::read::describe_status;
use crate::App;
use crate::access::require;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::{AppError, Missing};

/// The `filter` parameter: no filter (`""`), every status (`all`), or a list of statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusFilter {
    None,
    All,
    Statuses(Vec<CaseStatus>),
}

impl StatusFilter {
    /// Parses `""`, `all`, or comma-separated integers (each trimmed); whether each status is
    /// in the catalogue is checked by the use case.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Ok(Self::None);
        }
        if trimmed.eq_ignore_ascii_case("all") {
            return Ok(Self::All);
        }
        let mut statuses = Vec::new();
        for item in trimmed.split(',') {
            let item = item.trim();
            let status =
                item.parse::<i64>().ok().and_then(|code| CaseStatus::new(code).ok()).ok_or_else(|| {
                    AppError::invalid(FieldError::new(
                        "filter",
                        FieldCode::InvalidFormat,
                        format!("'{item}' is not a status code"),
                    ))
                })?;
            if !statuses.contains(&status) {
                statuses.push(status);
            }
        }
        Ok(Self::Statuses(statuses))
    }
}

/// A request for a user's cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFilterRequest {
    /// Whose cases; `None` for the actor's own.
    pub user_id: Option<UserId>,
    pub filter: StatusFilter,
    pub limit: i64,
    pub offset: i64,
}

/// One listed case with its displayed status.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedCase {
    pub view: CaseView,
    pub case_status: CaseStatus,
    pub case_status_desc: Option<String>,
}

/// A page of cases.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseList {
    pub user_id: UserId,
    pub filter: StatusFilter,
    pub cases: Vec<ListedCase>,
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
    pub touched: Touched,
}

/// 422 `unknown_status` on `filter` for the first listed status outside the catalogue.
impl App {
    /// Refuses a status filter naming a status outside the catalogue (the catalogue as
    /// remembered, see `catalogue`).
    pub(super) async fn require_catalogued(
        &self,
        conn: &mut dyn Conn,
        list: &[CaseStatus],
    ) -> Result<(), AppError> {
        let catalogue = self.catalogue.get(conn).await?;
        match list.iter().find(|s| !catalogue.iter().any(|c| c.case_status == **s)) {
            None => Ok(()),
            Some(unknown) => Err(AppError::invalid(FieldError::new(
                "filter",
                FieldCode::UnknownStatus,
                format!("status {unknown} is not in the catalogue"),
            ))),
        }
    }

    pub async fn filter_cases(&self, ctx: &Ctx, request: CaseFilterRequest) -> Result<CaseList, AppError> {
        let subject = request.user_id.clone().unwrap_or_else(|| ctx.actor.user_id.clone());
        require(may_act_for(&ctx.actor, &subject, RoleLevel::CaseAdmin), Missing::User, subject.as_str())?;
        let mut conn = self.store.conn().await?;
        if subject != ctx.actor.user_id && conn.get_user(&subject).await?.is_none() {
            return Err(AppError::not_found(Missing::User, subject.as_str()));
        }
        let status = match &request.filter {
            StatusFilter::None | StatusFilter::All => None,
            StatusFilter::Statuses(list) => {
                self.require_catalogued(conn.as_mut(), list).await?;
                Some(stored_status_match(list, ctx.actor.max_case_status))
            }
        };
        let page = conn
            .list_cases(&CaseQuery {
                owner: Some(subject.clone()),
                status,
                date_from: None,
                date_to: None,
                describe: Some(ctx.actor.max_case_status),
                order: CaseOrder::NewestFirst,
                limit: request.limit,
                offset: request.offset,
            })
            .await?;
        let cases: Vec<ListedCase> = page
            .items
            .into_iter()
            .map(|view| {
                let (case_status, case_status_desc) = describe_status(&ctx.actor, &view);
                ListedCase { view, case_status, case_status_desc }
            })
            .collect();
        let ids: Vec<&str> = cases.iter().map(|c| c.view.case.row.case_id.as_str()).collect();
        let touched = Touched::new("case.list", "case", subject.as_str())
            .subject(subject.as_str())
            .details(json!({"case_ids": ids, "count": ids.len()}));
        Ok(CaseList {
            user_id: subject,
            filter: request.filter,
            cases,
            total: page.total,
            limit: request.limit,
            offset: request.offset,
            touched,
        })
    }
}
