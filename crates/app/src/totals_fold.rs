//! The back office's day totals: writes queue their changes (on MySQL/MariaDB, so that no two
//! writers share a totals row), reads add the queue, and every API and scheduler process folds
//! the queue into the totals in the background so that reads stay cheap.

use std::time::Duration;

use surgicase_ports::Chain;
use tokio::time::MissedTickBehavior;

use crate::App;
use crate::error::AppError;

/// How often each process folds. Reads are exact whatever the interval: it bounds only how
/// many queued changes a read adds up (a few per write of the last interval).
pub const FOLD_EVERY: Duration = Duration::from_secs(1);

impl App {
    /// Moves the queued changes into the totals in one transaction; returns how many. With
    /// nothing queued (always so on SQLite) no transaction is opened: a plain read decides.
    pub async fn fold_case_totals(&self) -> Result<i64, AppError> {
        if !self.store.conn().await?.case_totals_pending().await? {
            return Ok(0);
        }
        let mut tx = self.store.begin().await?;
        let moved = tx.fold_case_totals().await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Folds every [`FOLD_EVERY`], for ever (the caller stops it with its process or by
    /// dropping the future). A failed fold is logged and tried again at the next tick.
    pub async fn fold_case_totals_forever(&self) {
        let mut tick = tokio::time::interval(FOLD_EVERY);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match self.fold_case_totals().await {
                Ok(moved) if moved > 0 => tracing::debug!(moved, "folded the day totals"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %Chain(&e), "could not fold the day totals"),
            }
        }
    }
}
