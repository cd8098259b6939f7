//! Port traits: what the use cases need from the world, and the records that cross them.
//!
//! Every port is an object-safe `async_trait` whose futures are `Send`, so adapters can be
//! chosen at run time (`Arc<dyn ObjectStore>`) and used from actix handlers and
//! `tokio::spawn` alike. No implementations live here: the in-memory ones are in
//! `surgicase-testkit`, the real ones in the adapter crates, and the contract suites in
//! `surgicase-testkit` check that they all agree.

pub mod bugs;
pub mod error;
pub mod jobs;
pub mod mail;
pub mod npi;
pub mod objects;
pub mod records;
pub mod reports;
pub mod request_logs;
pub mod secrets;
pub mod store;
pub mod uploads;

pub use bugs::{BugRecord, BugRepo, BugTracker, NewBugRecord, SyncState, TrackerError, TrackerTask};
pub use error::{BoxError, Chain, StoreError};
pub use jobs::{
    JobRunClaim, JobRunEnd, JobRunQuery, JobRunRecord, JobRunRepo, NewJobRun, RunOutcome,
    StatusTransitionRepo, TakeOver, TriggerKind,
};
pub use mail::{Attachment, MailError, MailMessage, Mailer};
pub use npi::{NpiKind, NpiRegistry, RegistryEntry, RegistryError};
pub use objects::{
    MoveOutcome, ObjectError, ObjectInfo, ObjectKey, ObjectMeta, ObjectStore, PresignedRequest, StoredObject,
    TransferMode,
};
pub use reports::{RenderError, ReportRenderer};
pub use request_logs::{RequestLogRecord, RequestLogRepo};
pub use secrets::{SecretError, SecretSource, SecretValue};
pub use store::{
    BookRepo, CaseRepo, Conn, DashboardRepo, DirectoryRepo, FaqRepo, HistoryRepo, ReferenceRepo, Store, Tx,
    UserRepo,
};
pub use surgicase_kernel::Clock;
pub use uploads::{PendingMove, UploadOwner, UploadRecord, UploadRepo, UploadState};
