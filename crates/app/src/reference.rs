//! Public reference lists: procedure codes, document types, time zones (api.md §4).

use surgicase_ports::records::{DocTypeRecord, ProcedureCodeRecord, TimezoneRecord};

use crate::App;
use crate::error::AppError;

impl App {
    /// Codes by code; `q` matches a code prefix or a description substring.
    pub async fn procedure_codes(
        &self,
        q: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ProcedureCodeRecord>, AppError> {
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        Ok(self.store.conn().await?.procedure_codes(q, limit).await?)
    }

    pub async fn doc_types(&self) -> Result<Vec<DocTypeRecord>, AppError> {
        Ok(self.store.conn().await?.doc_types().await?)
    }

    pub async fn timezones(&self) -> Result<Vec<TimezoneRecord>, AppError> {
        Ok(self.store.conn().await?.timezones().await?)
    }
}
