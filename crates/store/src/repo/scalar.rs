//! Rows of one number: a generated id, a count.

use diesel::QueryableByName;
use diesel::sql_types::BigInt;
use surgicase_ports::StoreError;

use super::R;
use crate::session::Session;
use crate::stmt::Stmt;

/// A row of one `id` column.
#[derive(QueryableByName)]
pub(super) struct IdDb {
    #[diesel(sql_type = BigInt)]
    pub(super) id: i64,
}

/// A row of one `n` column.
#[derive(QueryableByName)]
struct CountDb {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Session {
    /// The id the last `INSERT` on this connection generated.
    pub(super) async fn last_insert_id(&mut self) -> R<i64> {
        let stmt = Stmt::new(self.dialect().last_insert_id());
        self.first::<IdDb>(stmt).await?.map(|r| r.id).ok_or_else(|| StoreError::backend("no insert id"))
    }

    /// The `n` of a `SELECT COUNT(*) AS n …` (0 without a row).
    pub(super) async fn count(&mut self, stmt: Stmt) -> R<i64> {
        Ok(self.first::<CountDb>(stmt).await?.map_or(0, |c| c.n))
    }
}
