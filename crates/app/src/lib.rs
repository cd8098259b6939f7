//! Use cases shared by the API, the scheduler and xtask.
//!
//! Each use case takes a [`Ctx`] (the authenticated actor and the request id), validates
//! through the domain types, calls the ports, and returns domain results together with what
//! it touched (the seam for the audit trail). No rule lives in a binary.

pub mod audit;
pub mod bugs;
pub mod cases;
pub mod catalogue;
pub mod counters;
pub mod cpt_import;
pub mod dashboards;
pub mod demo;
pub mod directory;
pub mod error;
pub mod health;
pub mod identities;
pub mod jobs;
pub mod lists;
pub mod reference;
pub mod request_log;
pub mod retry;
pub mod seed;
pub mod status_rules;
pub mod totals_fold;
pub mod users;

mod access;
mod codes;
mod context;
mod date_range;
mod documents;
mod ops;
pub use ops::SecretsProbe;
mod pricing;
mod read_only;
pub use read_only::ReadOnlySent;

mod rules;

use std::sync::Arc;

use surgicase_kernel::Clock;
use surgicase_ports::{NpiRegistry, ObjectStore, Store};

pub use context::{Ctx, authenticate};
pub use documents::{
    ArchiveOutcome, ArchiveReport, BUNDLE_ERRORS_FILE, BundleCase, BundleDocument, BundleReadFailure,
    CaseBundle, DocumentAttached, DocumentBody, DocumentDownload, DocumentInfo, DocumentRemoved,
    MAX_BUNDLE_CASES, UploadCleanupReport, UploadReceived, UploadRequest, UploadTicket, safe_segment,
};
pub use error::{AppError, Conflict, DuplicateCaseInfo, Missing};
pub use surgicase_permissions::Actor;

/// Where documents live in the object store and how large they may be (domain §14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSettings {
    pub max_bytes: u64,
    pub case_prefix: String,
    pub deleted_case_prefix: String,
    pub user_prefix: String,
    pub deleted_user_prefix: String,
    /// How long an upload URL (and the upload it names) stays valid.
    pub upload_ttl_s: i64,
    /// How long a presigned download URL stays valid.
    pub download_ttl_s: i64,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            max_bytes: 25 * 1024 * 1024,
            case_prefix: "private/case-documents/".to_owned(),
            deleted_case_prefix: "private/deleted-case-documents/".to_owned(),
            user_prefix: "private/user-documents/".to_owned(),
            deleted_user_prefix: "private/deleted-user-documents/".to_owned(),
            upload_ttl_s: 15 * 60,
            download_ttl_s: 5 * 60,
        }
    }
}

/// The default of `auth.identity_cache_ms`.
pub const IDENTITY_TTL_MS: u64 = 900;

/// Behaviour switches of the use cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSettings {
    pub documents: DocumentSettings,
    /// Whether a caller may create their own profile (`POST /user` with their own id).
    pub allow_self_registration: bool,
    /// `last_login_dt` is written at most this often.
    pub login_touch_interval_s: i64,
    /// The scheduler's jobs (`[scheduler.jobs]`), for the admin views.
    pub jobs: Vec<jobs::JobSetting>,
    /// The bucket order of `/tiers_summary` (`pay.bucket_order`).
    pub bucket_order: Vec<String>,
    /// How long an active caller is remembered (`auth.identity_cache_ms`; see `identities`).
    pub identity_ttl: std::time::Duration,
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            documents: DocumentSettings::default(),
            allow_self_registration: true,
            login_touch_interval_s: 60,
            jobs: Vec::new(),
            bucket_order: surgicase_billing::DEFAULT_BUCKET_ORDER.map(String::from).to_vec(),
            identity_ttl: std::time::Duration::from_millis(IDENTITY_TTL_MS),
        }
    }
}

/// The ports the use cases run on.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    objects: Arc<dyn ObjectStore>,
    npi: Arc<dyn NpiRegistry>,
    clock: Arc<dyn Clock>,
    settings: AppSettings,
    rule_sets: rules::RuleSetCache,
    identities: Arc<identities::IdentityCache>,
    /// The case status catalogue, remembered as long as a caller (`catalogue`).
    catalogue: Arc<catalogue::CatalogueCache>,
    /// Bug tracker, extra health probes, request-log switch (`ops.rs`).
    ops: ops::Ops,
}

impl App {
    pub fn new(
        store: Arc<dyn Store>,
        objects: Arc<dyn ObjectStore>,
        npi: Arc<dyn NpiRegistry>,
        clock: Arc<dyn Clock>,
        settings: AppSettings,
    ) -> Self {
        Self {
            store,
            objects,
            npi,
            clock,
            identities: Arc::new(identities::IdentityCache::new(settings.identity_ttl)),
            catalogue: Arc::new(catalogue::CatalogueCache::new(settings.identity_ttl)),
            settings,
            rule_sets: rules::RuleSetCache::default(),
            ops: ops::Ops::default(),
        }
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn objects(&self) -> &Arc<dyn ObjectStore> {
        &self.objects
    }

    pub fn npi(&self) -> &Arc<dyn NpiRegistry> {
        &self.npi
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn settings(&self) -> &AppSettings {
        &self.settings
    }
}
