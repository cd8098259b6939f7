//! User types, case statuses and user document types: listed and created.

use serde_json::{Value, json};
use surgicase_kernel::text::{optional_line, required_line};
use surgicase_kernel::{CaseStatus, FieldCode, FieldError, UserType, ValidationErrors};
use surgicase_ports::records::{DocTypeRecord, StatusRecord, UserTypeRecord};

use super::{already_exists, on_duplicate, require_global_admin};
use crate::App;
use crate::audit::Touched;
use crate::context::Ctx;
use crate::error::AppError;

pub const USER_TYPE_DESC_MAX: usize = 100;
pub const STATUS_DESC_MAX: usize = 200;
pub const DOC_TYPE_MAX: usize = 200;
pub const DOC_PREFIX_MAX: usize = 25;

/// `POST /user_types` as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUserType {
    pub user_type: i64,
    pub user_type_desc: String,
    pub user_max_case_status: Option<i64>,
}

/// `POST /case_statuses` as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCaseStatus {
    pub case_status: i64,
    pub case_status_desc: String,
}

/// `POST /user_doc_types` as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocType {
    pub doc_type: String,
    pub doc_prefix: Option<String>,
}

fn done<T>(errors: ValidationErrors, value: Option<T>) -> Result<T, AppError> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(AppError::Validation(errors)),
    }
}

impl App {
    /// GA: the user types of people (below 1000), by type.
    pub async fn list_user_types(&self, ctx: &Ctx) -> Result<Vec<UserTypeRecord>, AppError> {
        require_global_admin(ctx)?;
        let types = self.store.conn().await?.user_types().await?;
        Ok(types.into_iter().filter(|t| !t.user_type.is_service_account()).collect())
    }

    /// GA: a new user type; its cap, if any, is a catalogue status.
    pub async fn create_user_type(
        &self,
        ctx: &Ctx,
        new: &NewUserType,
    ) -> Result<(UserTypeRecord, Touched), AppError> {
        require_global_admin(ctx)?;
        let mut errors = ValidationErrors::new();
        let user_type = errors.check("user_type", UserType::new(new.user_type));
        let desc = errors.check("user_type_desc", required_line(&new.user_type_desc, USER_TYPE_DESC_MAX));
        let cap = match new.user_max_case_status {
            None => Some(None),
            Some(code) => errors.check("user_max_case_status", CaseStatus::new(code)).map(Some),
        };
        let mut tx = self.store.begin().await?;
        if let Some(Some(cap)) = cap
            && !tx.case_statuses().await?.iter().any(|s| s.case_status == cap)
        {
            let message = format!("status {cap} is not in the catalogue");
            errors.push(FieldError::new("user_max_case_status", FieldCode::UnknownStatus, message));
        }
        let row = done(errors, user_type.zip(desc).zip(cap))?;
        let ((user_type, user_type_desc), user_max_case_status) = row;
        let record = UserTypeRecord { user_type, user_type_desc, user_max_case_status };
        let key = json!(user_type.get());
        tx.insert_user_type(&record).await.map_err(|e| on_duplicate(e, "user_type", key))?;
        tx.commit().await?;
        let touched = Touched::new("admin.user_type_create", "user_type", user_type.get().to_string());
        Ok((record, touched))
    }

    /// GA: the status catalogue, by code.
    pub async fn list_case_statuses(&self, ctx: &Ctx) -> Result<Vec<StatusRecord>, AppError> {
        require_global_admin(ctx)?;
        Ok(self.store.conn().await?.case_statuses().await?)
    }

    /// GA: a new catalogue status.
    pub async fn create_case_status(
        &self,
        ctx: &Ctx,
        new: &NewCaseStatus,
    ) -> Result<(StatusRecord, Touched), AppError> {
        require_global_admin(ctx)?;
        let mut errors = ValidationErrors::new();
        let status = errors.check("case_status", CaseStatus::new(new.case_status));
        let desc = errors.check("case_status_desc", required_line(&new.case_status_desc, STATUS_DESC_MAX));
        let (case_status, case_status_desc) = done(errors, status.zip(desc))?;
        let record = StatusRecord { case_status, case_status_desc };
        let mut conn = self.store.conn().await?;
        let key = json!(case_status.code());
        conn.insert_status(&record).await.map_err(|e| on_duplicate(e, "case_status", key))?;
        let touched = Touched::new("admin.case_status_create", "case_status", case_status.to_string());
        Ok((record, touched))
    }

    /// Any user: the user document types, by name.
    pub async fn list_user_doc_types(&self, _ctx: &Ctx) -> Result<Vec<DocTypeRecord>, AppError> {
        Ok(self.store.conn().await?.doc_types().await?)
    }

    /// GA: a new user document type. Names compare case-insensitively on every backend.
    pub async fn create_user_doc_type(
        &self,
        ctx: &Ctx,
        new: &NewDocType,
    ) -> Result<(DocTypeRecord, Touched), AppError> {
        require_global_admin(ctx)?;
        let mut errors = ValidationErrors::new();
        let doc_type = errors.check("doc_type", required_line(&new.doc_type, DOC_TYPE_MAX));
        let prefix = errors
            .check("doc_prefix", optional_line(new.doc_prefix.as_deref().unwrap_or(""), DOC_PREFIX_MAX));
        let (doc_type, doc_prefix) = done(errors, doc_type.zip(prefix))?;
        let record = DocTypeRecord { doc_type, doc_prefix };
        let mut tx = self.store.begin().await?;
        let key = Value::String(record.doc_type.clone());
        let folded = record.doc_type.to_lowercase();
        if tx.doc_types().await?.iter().any(|d| d.doc_type.to_lowercase() == folded) {
            return Err(already_exists("doc_type", key));
        }
        tx.insert_doc_type(&record).await.map_err(|e| on_duplicate(e, "doc_type", key))?;
        tx.commit().await?;
        let touched = Touched::new("admin.user_doc_type_create", "user_doc_type", record.doc_type.clone());
        Ok((record, touched))
    }
}
