//! What can stop the scheduler or one of its commands.

use surgicase_app::AppError;
use surgicase_app::jobs::JobLookupError;
use surgicase_ports::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SchedulerError {
    /// The configuration cannot be used (a bad cron expression, …); the text names the key.
    #[error("configuration: {0}")]
    Config(String),
    /// The job is unknown or not part of this build.
    #[error("{0}")]
    Job(#[from] JobLookupError),
    // Transparent: the inner error's text and causes, so a logged chain names each once.
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    App(#[from] AppError),
}
