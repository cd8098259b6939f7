//! Whole transactions run again when the database gave them up for another's sake: a
//! deadlock victim (MySQL/MariaDB 1213) or, on a Galera cluster, a write set that lost
//! certification at commit. Both roll the transaction back whole, so running the use case's
//! transaction again from its first read is safe; the attempts are bounded and spaced with
//! jitter, and an answer still refused after the last one is 503 `database_unavailable`.

use std::time::Duration;

use surgicase_ports::StoreError;

use crate::error::AppError;

/// Attempts in all, the first included.
pub const ATTEMPTS: u32 = 4;
/// Counter of transactions run again, labelled by use case.
pub const TX_RETRIES: &str = "surgicase_transaction_retries_total";

impl AppError {
    /// Whether the database gave the transaction up for another's sake (see the module).
    pub fn is_write_conflict(&self) -> bool {
        match self {
            Self::DatabaseUnavailable(source) => {
                source.downcast_ref::<StoreError>().is_some_and(StoreError::is_retryable)
            }
            _ => false,
        }
    }
}

/// Runs `attempt` (one whole transaction and what it decides) until it ends in anything but a
/// write conflict, at most [`ATTEMPTS`] times.
/// (A closure returning a future rather than an async closure: the futures of async closures
/// that borrow are not provably `Send` today, and the jobs' futures must be.)
pub(crate) async fn retrying<T, F, Fut>(use_case: &'static str, mut attempt: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let mut tried = 1;
    loop {
        match attempt().await {
            Err(e) if e.is_write_conflict() && tried < ATTEMPTS => {
                metrics::counter!(TX_RETRIES, "use_case" => use_case).increment(1);
                tracing::debug!(use_case, attempt = tried, "write conflict; running the transaction again");
                tokio::time::sleep(pause(tried)).await;
                tried += 1;
            }
            other => return other,
        }
    }
}

/// 10, 20, 40 ms … doubled per attempt, plus up to as much again at random, so that the
/// transactions that collided do not collide again in step.
fn pause(tried: u32) -> Duration {
    let base_ms = 10u64 << (tried - 1).min(6);
    let jitter_ms = (uuid::Uuid::new_v4().as_u128() % u128::from(base_ms)) as u64;
    Duration::from_millis(base_ms + jitter_ms)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn conflict() -> AppError {
        StoreError::Deadlock { message: "deadlock".into(), source: None }.into()
    }

    #[tokio::test]
    async fn runs_again_on_conflicts_only_and_gives_up_after_the_last_attempt() {
        // (failures before success, the error, attempts expected, succeeds)
        type Case = (u32, fn() -> AppError, u32, bool);
        let cases: [Case; 5] = [
            (0, conflict, 1, true),
            (1, conflict, 2, true),
            (ATTEMPTS - 1, conflict, ATTEMPTS, true),
            (ATTEMPTS, conflict, ATTEMPTS, false),
            (1, || StoreError::unavailable("down").into(), 1, false),
        ];
        for (failures, error, expected, succeeds) in cases {
            let calls = Cell::new(0);
            let result = retrying("test", || async {
                calls.set(calls.get() + 1);
                if calls.get() <= failures { Err(error()) } else { Ok(calls.get()) }
            })
            .await;
            assert_eq!(calls.get(), expected, "{failures} failures");
            assert_eq!(result.is_ok(), succeeds, "{failures} failures: {result:?}");
        }
    }

    #[test]
    fn a_conflict_left_after_the_last_attempt_is_the_database_being_unavailable() {
        assert!(matches!(conflict(), AppError::DatabaseUnavailable(_)));
        assert!(conflict().is_write_conflict());
        let down: AppError = StoreError::unavailable("down").into();
        assert!(!down.is_write_conflict());
        let broken: AppError = StoreError::backend("refused").into();
        assert!(!broken.is_write_conflict());
    }

    #[test]
    fn pauses_grow_and_stay_bounded() {
        for tried in 1..10 {
            let base = 10u64 << (tried - 1).min(6);
            let p = pause(tried).as_millis() as u64;
            assert!((base..2 * base).contains(&p), "attempt {tried}: {p} ms");
        }
    }
}
