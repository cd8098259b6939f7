//! [`MemoryStore`]: the storage port in memory, behaving like a database with the schema of
//! domain §3.
//!
//! Concurrency model (what MySQL/InnoDB and SQLite in WAL mode with `BEGIN IMMEDIATE` do, made
//! coarse): one writer at a time. A [`Tx`] takes the global writer lock for its whole life and
//! works on a private copy of the committed state; `commit` publishes the copy, `rollback` or
//! drop discards it. A statement on a `conn()` reads the last committed state without waiting
//! (like a consistent read) and takes the writer lock only to write. Every statement is atomic:
//! it runs on a copy that replaces the state only when the statement succeeds, so a refused
//! statement leaves nothing written.
//!
//! Consequence to keep in mind: a task that holds a `Tx` and then writes through a `conn()`
//! waits for itself forever (a real database would block the same way on a locked row).

mod bugs;
mod cases;
mod dashboards;
mod directory;
mod faqs;
mod history;
mod jobs;
mod reference;
mod state;
mod uploads;
mod users;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use surgicase_ports::{Conn, Store, StoreError, Tx};
use tokio::sync::OwnedMutexGuard;

use state::State;

type R<T> = Result<T, StoreError>;

/// The storage port in memory. Cheap to clone: clones share the same data.
#[derive(Clone, Default)]
pub struct MemoryStore {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    committed: Mutex<Arc<State>>,
    writer: Arc<tokio::sync::Mutex<()>>,
    unavailable: AtomicBool,
    pings: std::sync::atomic::AtomicU64,
}

impl Shared {
    fn snapshot(&self) -> Arc<State> {
        // A poisoned lock still holds a consistent state: it is only ever replaced whole.
        match self.committed.lock() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn publish(&self, state: State) {
        match self.committed.lock() {
            Ok(mut guard) => *guard = Arc::new(state),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(state),
        }
    }
}

impl MemoryStore {
    /// An empty store: no reference data, no users (seed with [`crate::fixtures::seed_reference`]).
    pub fn new() -> Self {
        Self::default()
    }

    /// How many times `ping()` was called (health checks).
    pub fn pings(&self) -> u64 {
        self.shared.pings.load(Ordering::SeqCst)
    }

    /// While `true`, `conn()`, `begin()` and `ping()` fail with `StoreError::Unavailable`
    /// (to test the 503 paths).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.shared.unavailable.store(unavailable, Ordering::SeqCst);
    }

    fn check_available(&self) -> R<()> {
        if self.shared.unavailable.load(Ordering::SeqCst) {
            return Err(StoreError::unavailable("memory store switched off"));
        }
        Ok(())
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn conn(&self) -> R<Box<dyn Conn>> {
        self.check_available()?;
        Ok(Box::new(Session { shared: Arc::clone(&self.shared), tx: None }))
    }

    async fn begin(&self) -> R<Box<dyn Tx>> {
        self.check_available()?;
        let guard = Arc::clone(&self.shared.writer).lock_owned().await;
        let work = (*self.shared.snapshot()).clone();
        let tx = TxState { _writer: guard, work };
        Ok(Box::new(Session { shared: Arc::clone(&self.shared), tx: Some(tx) }))
    }

    async fn ping(&self) -> R<()> {
        self.shared.pings.fetch_add(1, Ordering::SeqCst);
        self.check_available()
    }
}

/// A connection (`tx == None`) or a transaction.
struct Session {
    shared: Arc<Shared>,
    tx: Option<TxState>,
}

struct TxState {
    /// Held until the transaction ends: dropping the session releases it.
    _writer: OwnedMutexGuard<()>,
    work: State,
}

impl Session {
    /// Runs a read on the state this session sees.
    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        match &self.tx {
            Some(tx) => f(&tx.work),
            None => f(&self.shared.snapshot()),
        }
    }

    /// Runs one statement atomically: on error nothing it did is kept.
    async fn write<T>(&mut self, f: impl FnOnce(&mut State) -> R<T>) -> R<T> {
        match &mut self.tx {
            Some(tx) => {
                let mut next = tx.work.clone();
                let out = f(&mut next)?;
                tx.work = next;
                Ok(out)
            }
            None => {
                let _writer = self.shared.writer.lock().await;
                let mut next = (*self.shared.snapshot()).clone();
                let out = f(&mut next)?;
                self.shared.publish(next);
                Ok(out)
            }
        }
    }
}

impl Conn for Session {}

#[async_trait]
impl Tx for Session {
    async fn commit(mut self: Box<Self>) -> R<()> {
        // The writer lock is released at the end of the block, after the new state is visible.
        if let Some(TxState { _writer, work }) = self.tx.take() {
            self.shared.publish(work);
        }
        Ok(())
    }

    async fn rollback(mut self: Box<Self>) -> R<()> {
        self.tx = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use surgicase_ports::StoreError;

    use super::*;
    use crate::fixtures::{seed_owner, seed_reference};

    #[tokio::test]
    async fn patient_data_is_stored_in_clear_text() {
        let store = MemoryStore::new();
        seed_reference(&store).await.expect("seed");
        let jane = seed_owner(&store, "u-jane").await.expect("owner");
        let mut c = store.conn().await.expect("conn");
        c.insert_case(&jane.case_row("c-1")).await.expect("insert");
        let view = c.get_case_view(&jane.case_row("c-1").case_id, None, None).await.expect("read");
        assert_eq!(view.map(|v| v.case.phi_encrypted), Some(false));
    }

    #[tokio::test]
    async fn can_be_switched_off() {
        let store = MemoryStore::new();
        store.set_unavailable(true);
        assert!(matches!(store.ping().await, Err(StoreError::Unavailable { .. })));
        assert!(matches!(store.conn().await.map(|_| ()), Err(StoreError::Unavailable { .. })));
        assert!(matches!(store.begin().await.map(|_| ()), Err(StoreError::Unavailable { .. })));
        store.set_unavailable(false);
        assert!(store.ping().await.is_ok());
    }

    #[tokio::test]
    async fn clones_share_the_data() {
        let store = MemoryStore::new();
        seed_reference(&store.clone()).await.expect("seed");
        let statuses = store.conn().await.expect("conn").case_statuses().await.expect("read");
        assert_eq!(statuses.len(), 15);
    }
}
