//! [`Session`]: a pooled connection, outside a transaction (`Store::conn`) or inside one
//! (`Store::begin`). Both implement every repository trait with the same code; the only
//! difference is how the session ends.
//!
//! Cancellation: a caller's future may be dropped at any await (actix drops a handler's future
//! when the client goes away). Dropping a diesel-async statement mid-flight is not safe: the
//! MySQL connection is left half-way through the protocol, and SQLite's blocking-thread future
//! waits in `block_in_place`, which panics on a current-thread runtime. So every statement
//! runs in a task of its own that owns the connection while it works: a caller that goes away
//! only stops waiting, and the task, once the statement is done, closes the connection if it
//! is still inside a transaction (and only then releases SQLite's writer slot).

use std::sync::Arc;

use diesel::QueryResult;
use diesel::QueryableByName;
use diesel::connection::AnsiTransactionManager;
use diesel::mysql::Mysql;
use diesel::sqlite::Sqlite;
use diesel_async::pooled_connection::deadpool::Object;
use diesel_async::{AsyncConnection, AsyncMysqlConnection, RunQueryDsl, TransactionManager};
use futures::FutureExt;
use futures::future::BoxFuture;
use surgicase_ports::{Chain, StoreError};
use tokio::sync::OwnedMutexGuard;

use crate::error::from_diesel;
use crate::phi::PhiCodec;
use crate::pool::{PooledConn, SqliteConn};
use crate::settings::Backend;
use crate::stmt::{Dialect, Positional, Stmt, Typed};

/// Runs `$body` (a future using the connection `$c`) on the session's connection, in a task:
/// written once, compiled once per backend.
macro_rules! db_run {
    ($session:expr, move |$c:ident| $body:expr) => {{
        let session: &mut Session = $session;
        let outcome = match session.backend() {
            Backend::Mysql => session.on_mysql(move |$c| $body.boxed()).await,
            Backend::Sqlite => session.on_sqlite(move |$c| $body.boxed()).await,
        };
        outcome.and_then(|r| r.map_err(from_diesel))
    }};
}

/// `on_mysql` / `on_sqlite`: run `op` on the connection in a task of its own (module docs).
macro_rules! on_task {
    ($name:ident, $variant:ident, $conn:ty) => {
        pub(crate) async fn $name<T, F>(&mut self, op: F) -> Result<QueryResult<T>, StoreError>
        where
            T: Send + 'static,
            F: for<'c> FnOnce(&'c mut $conn) -> BoxFuture<'c, QueryResult<T>> + Send + 'static,
        {
            let Some(PooledConn::$variant(mut obj)) = self.conn.take() else { return Err(ended()) };
            let writer = self.writer.take();
            let (reply, answer) = tokio::sync::oneshot::channel();
            tokio::spawn(async move {
                let result = op(&mut obj).await;
                if let Err((mut obj, writer, _)) = reply.send((obj, writer, result)) {
                    // Nobody waits any more: never pool a connection left inside a transaction.
                    if in_transaction(&mut *obj) {
                        drop(Object::take(obj));
                    }
                    drop(writer);
                }
            });
            let (obj, writer, result) =
                answer.await.map_err(|_| StoreError::backend("the database task ended unexpectedly"))?;
            self.conn = Some(PooledConn::$variant(obj));
            self.writer = writer;
            Ok(result)
        }
    };
}

/// What every session of one store shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub codec: PhiCodec,
    pub dialect: Dialect,
}

pub(crate) struct Session {
    /// `None` once a transaction has ended (or while a statement's task holds it).
    conn: Option<PooledConn>,
    shared: Arc<Shared>,
    in_tx: bool,
    /// SQLite only: the single writer slot, held for the whole transaction. Released after
    /// the connection of an abandoned transaction is closed.
    writer: Option<OwnedMutexGuard<()>>,
    /// Check mode (tests, `crate::check`): every statement is prepared and recorded here;
    /// writes do not run.
    #[cfg(any(test, feature = "testing"))]
    pub(crate) check: Option<Vec<crate::check::Prepared>>,
}

fn ended() -> StoreError {
    StoreError::backend("the transaction has already ended")
}

/// Whether the connection is inside a transaction (or its transaction state is broken).
fn in_transaction<C: AsyncConnection>(conn: &mut C) -> bool {
    C::TransactionManager::transaction_manager_status_mut(conn)
        .transaction_depth()
        .map_or(true, |d| d.is_some())
}

impl Session {
    /// A connection in autocommit mode.
    pub fn autocommit(conn: PooledConn, shared: Arc<Shared>) -> Self {
        Self {
            conn: Some(conn),
            shared,
            in_tx: false,
            writer: None,
            #[cfg(any(test, feature = "testing"))]
            check: None,
        }
    }

    /// Opens a transaction on `conn` (`BEGIN IMMEDIATE` on SQLite: the write lock is taken up
    /// front, so the transaction can never fail to upgrade a read lock later).
    pub async fn begin(
        conn: PooledConn,
        shared: Arc<Shared>,
        writer: Option<OwnedMutexGuard<()>>,
    ) -> Result<Self, StoreError> {
        let mut session = Self {
            conn: Some(conn),
            shared,
            in_tx: false,
            writer,
            #[cfg(any(test, feature = "testing"))]
            check: None,
        };
        session.start(false).await?;
        session.in_tx = true;
        Ok(session)
    }

    pub fn backend(&self) -> Backend {
        self.shared.dialect.0
    }

    pub fn dialect(&self) -> Dialect {
        self.shared.dialect
    }

    pub fn codec(&self) -> &PhiCodec {
        &self.shared.codec
    }

    on_task!(on_mysql, Mysql, AsyncMysqlConnection);
    on_task!(on_sqlite, Sqlite, SqliteConn);

    /// Runs a statement; returns the number of affected rows.
    pub async fn exec(&mut self, stmt: Stmt) -> Result<usize, StoreError> {
        #[cfg(any(test, feature = "testing"))]
        if self.check.is_some() {
            return self.prepare_only(&stmt).await.map(|()| 0);
        }
        db_run!(self, move |c| stmt.execute(c))
    }

    /// Runs a query; returns its rows.
    pub async fn load<T>(&mut self, stmt: Stmt) -> Result<Vec<T>, StoreError>
    where
        T: QueryableByName<Mysql> + QueryableByName<Sqlite> + Send + 'static,
    {
        #[cfg(any(test, feature = "testing"))]
        if self.check.is_some() {
            self.prepare_only(&stmt).await?;
        }
        db_run!(self, move |c| stmt.load::<T>(c))
    }

    /// Runs a query whose rows decode by position (see [`Positional`]): the statement must
    /// select exactly the row type's columns, in field order.
    pub async fn rows<T>(&mut self, stmt: Stmt) -> Result<Vec<T>, StoreError>
    where
        T: Positional,
        Typed<T::Sql>: diesel_async::methods::LoadQuery<'static, AsyncMysqlConnection, T>
            + diesel_async::methods::LoadQuery<'static, SqliteConn, T>,
    {
        #[cfg(any(test, feature = "testing"))]
        if self.check.is_some() {
            self.prepare_only(&stmt).await?;
        }
        let typed = Typed::<T::Sql>::new(stmt);
        db_run!(self, move |c| typed.load::<T>(c))
    }

    /// The first row of a query, if any.
    pub async fn first<T>(&mut self, stmt: Stmt) -> Result<Option<T>, StoreError>
    where
        T: QueryableByName<Mysql> + QueryableByName<Sqlite> + Send + 'static,
    {
        Ok(self.load::<T>(stmt).await?.into_iter().next())
    }

    /// Opens a transaction, or a savepoint when `nested`. A SQLite transaction starts with
    /// `BEGIN IMMEDIATE`.
    async fn start(&mut self, nested: bool) -> Result<(), StoreError> {
        match (self.backend(), nested) {
            (Backend::Sqlite, false) => self
                .on_sqlite(|c| {
                    c.spawn_blocking(|inner| {
                        AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")
                    })
                })
                .await
                .and_then(|r| r.map_err(from_diesel)),
            _ => db_run!(self, move |c| begin_transaction(c)),
        }
    }

    /// Ends the innermost transaction or savepoint.
    async fn end(&mut self, commit: bool) -> Result<(), StoreError> {
        db_run!(self, move |c| end_transaction(c, commit))
    }

    /// Runs write statements as one unit: all or nothing. Several statements run inside a
    /// savepoint (in a transaction) or their own transaction, so a refused statement leaves
    /// nothing of the others behind; a single statement is atomic on its own.
    pub async fn exec_all(&mut self, stmts: Vec<Stmt>) -> Result<(), StoreError> {
        if stmts.len() <= 1 {
            for stmt in stmts {
                self.exec(stmt).await?;
            }
            return Ok(());
        }
        self.start(self.in_tx).await?;
        let mut outcome = Ok(());
        for stmt in stmts {
            if let Err(e) = self.exec(stmt).await {
                outcome = Err(e);
                break;
            }
        }
        let ended = self.end(outcome.is_ok()).await;
        match (outcome, ended) {
            (Err(e), Err(undo)) => {
                // The pool's open-transaction check refuses the connection if it is still open.
                tracing::warn!(error = %Chain(&undo), "could not undo a refused group of statements");
                Err(e)
            }
            (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// Ends the transaction with COMMIT (`commit = true`) or ROLLBACK. A connection whose
    /// transaction could not be ended cleanly is closed rather than pooled.
    pub async fn finish(&mut self, commit: bool) -> Result<(), StoreError> {
        let outcome = self.end(commit).await;
        self.in_tx = false;
        let conn = self.conn.take();
        if outcome.is_err()
            && let Some(conn) = conn
        {
            conn.discard();
        }
        outcome
    }
}

fn begin_transaction<C: AsyncConnection>(conn: &mut C) -> BoxFuture<'_, QueryResult<()>> {
    C::TransactionManager::begin_transaction(conn).boxed()
}

fn end_transaction<C: AsyncConnection>(conn: &mut C, commit: bool) -> BoxFuture<'_, QueryResult<()>> {
    if commit {
        C::TransactionManager::commit_transaction(conn).boxed()
    } else {
        C::TransactionManager::rollback_transaction(conn).boxed()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // A transaction dropped without commit or rollback: never hand its connection back to
        // the pool; closing it rolls the transaction back. (A task still working on it does
        // the same when it finishes.)
        if self.in_tx
            && let Some(conn) = self.conn.take()
        {
            tracing::debug!("transaction dropped without commit or rollback; closing its connection");
            conn.discard();
        }
        // Only now is the writer slot released.
        self.writer.take();
    }
}
