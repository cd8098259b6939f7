//! The storage port: a [`Store`] hands out connections and transactions; both implement the
//! repository traits, so a use case reads the same whether it runs in a transaction or not.
//!
//! A [`Tx`] that is dropped without `commit` is rolled back (adapters make sure the
//! connection never returns to a pool with an open transaction).

use async_trait::async_trait;
use surgicase_kernel::{CaseId, CaseStatus, Date, Timestamp, UserId};

use crate::error::StoreError;
use crate::records::*;
use surgicase_kernel::DocumentField;

type R<T> = Result<T, StoreError>;

#[async_trait]
pub trait Store: Send + Sync {
    /// A connection outside any transaction: each statement stands on its own.
    async fn conn(&self) -> R<Box<dyn Conn>>;
    /// A read-write transaction.
    async fn begin(&self) -> R<Box<dyn Tx>>;
    /// One round trip to the database (health checks).
    async fn ping(&self) -> R<()>;
}

/// Everything the use cases may ask of the database.
pub trait Conn:
    UserRepo
    + CaseRepo
    + DirectoryRepo
    + ReferenceRepo
    + HistoryRepo
    + DashboardRepo
    + FaqRepo
    + crate::bugs::BugRepo
    + crate::request_logs::RequestLogRepo
    + crate::jobs::JobRunRepo
    + crate::jobs::StatusTransitionRepo
    + crate::uploads::UploadRepo
    + Send
{
}

#[async_trait]
pub trait Tx: Conn {
    async fn commit(self: Box<Self>) -> R<()>;
    async fn rollback(self: Box<Self>) -> R<()>;
}

#[async_trait]
pub trait UserRepo: Send {
    async fn get_user(&mut self, id: &UserId) -> R<Option<UserRecord>>;
    /// The user, with the row locked until the transaction ends. Case writes lock their owner
    /// first, so concurrent writes for one owner serialise (duplicate detection relies on it).
    async fn lock_user(&mut self, id: &UserId) -> R<Option<UserRecord>>;
    /// The user with the type description and documents.
    async fn get_user_view(&mut self, id: &UserId) -> R<Option<UserView>>;
    async fn list_users(&mut self, query: &UserQuery) -> R<UserPage>;
    /// `StoreError::Duplicate` when the id exists (deleted users included).
    async fn insert_user(&mut self, user: &UserRecord) -> R<()>;
    /// Writes every column but `user_id` and `create_ts`.
    async fn update_user(&mut self, user: &UserRecord) -> R<()>;
    /// Sets `last_login_dt = at` unless it is already later than `at - min_interval_s`
    /// seconds; returns whether it was written.
    async fn touch_last_login(&mut self, id: &UserId, at: Timestamp, min_interval_s: i64) -> R<bool>;
    /// `users_and_tiers` rows whose e-mail equals one of `emails`, case-insensitively.
    async fn preset_tiers(&mut self, emails: &[String]) -> R<Vec<PresetTierRecord>>;
    async fn upsert_preset_tiers(&mut self, rows: &[PresetTierRecord]) -> R<()>;
    /// Inserts or replaces documents by `(user_id, document_type)`.
    async fn put_user_documents(&mut self, docs: &[UserDocumentRecord]) -> R<()>;
    async fn remove_user_documents(&mut self, id: &UserId, document_types: &[String]) -> R<()>;
}

#[async_trait]
pub trait CaseRepo: Send {
    /// Whether any case, active or deleted, has this id.
    async fn case_id_taken(&mut self, id: &CaseId) -> R<bool>;
    /// A case (active or not) with its codes, documents and display joins, in one statement.
    /// `describe` names an extra status whose description is returned too (the viewer's cap);
    /// with `owner`, a case of anyone else is not returned (the same work as a missing one).
    async fn get_case_view(
        &mut self,
        id: &CaseId,
        describe: Option<CaseStatus>,
        owner: Option<&UserId>,
    ) -> R<Option<CaseView>>;
    /// A case (active or not) with its codes and documents, locked until the transaction ends.
    async fn lock_case(&mut self, id: &CaseId) -> R<Option<Case>>;
    /// The cases (active or not) among `ids`, whole (codes in entry order, documents by type),
    /// in no particular order; unknown ids are simply absent, a repeated id counts once. A
    /// constant number of statements whatever the number of ids (up to thousands).
    async fn get_cases(&mut self, ids: &[CaseId]) -> R<Vec<Case>>;
    /// Returns the assigned `human_case_id`; `StoreError::Duplicate` when the id is taken.
    async fn insert_case(&mut self, row: &CaseRow) -> R<i64>;
    /// Writes every column of the row but `case_id` and `case_create_ts`.
    async fn update_case(&mut self, row: &CaseRow) -> R<()>;
    /// Replaces the case's codes, in the given order (`seq` = index). A constant number of
    /// statements whatever the number of codes.
    async fn replace_case_codes(&mut self, id: &CaseId, codes: &[CaseCodeRecord]) -> R<()>;
    /// Inserts or replaces documents by `(case_id, document_type)`.
    async fn put_case_documents(&mut self, id: &CaseId, docs: &[CaseDocumentRecord]) -> R<()>;
    async fn remove_case_documents(&mut self, id: &CaseId, document_types: &[DocumentField]) -> R<()>;
    /// An active case of `owner` on `date` with the same patient name key, other than `exclude`.
    async fn find_duplicate(
        &mut self,
        owner: &UserId,
        date: Date,
        name_key: &str,
        exclude: Option<&CaseId>,
    ) -> R<Option<DuplicateCase>>;
    /// Active cases matching the query, with codes and joins, and the number of all matches.
    async fn list_cases(&mut self, query: &CaseQuery) -> R<CasePage>;
    /// Number of `owner`'s active cases whose status is exactly `status`.
    async fn count_owner_cases_at(&mut self, owner: &UserId, status: CaseStatus) -> R<i64>;
    /// `owner`'s active cases whose status is below `below`, with their codes (re-pricing).
    async fn owner_cases_below(&mut self, owner: &UserId, below: CaseStatus) -> R<Vec<Case>>;
    /// Active cases below `below` whose owner has `user_tier = tier`, with their codes, by
    /// `human_case_id` (re-pricing after a price change).
    async fn tier_cases_below(&mut self, tier: i32, below: CaseStatus) -> R<Vec<Case>>;
    /// Sets pay amount and category of each listed case.
    async fn update_pay(&mut self, updates: &[PayUpdate]) -> R<()>;
    /// Soft-deletes `owner`'s active cases below `below`; returns their ids.
    async fn deactivate_owner_cases(
        &mut self,
        owner: &UserId,
        below: CaseStatus,
        at: Timestamp,
        by: &str,
    ) -> R<Vec<CaseId>>;
}

/// A re-priced case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayUpdate {
    pub case_id: CaseId,
    pub pay_amount: surgicase_kernel::Money,
    pub pay_category: Option<String>,
    pub updated_ts: Timestamp,
}

/// One list of a user's address book (surgeons or facilities): the same operations on both.
#[async_trait]
pub trait BookRepo<K: BookKind>: Send {
    async fn insert(&mut self, entry: &NewBookEntry<K>) -> R<BookEntry<K>>;
    async fn get(&mut self, id: K::Id) -> R<Option<BookEntry<K>>>;
    /// Surgeons by last name, first name, id; facilities by name, id.
    async fn list(&mut self, owner: &UserId) -> R<Vec<BookEntry<K>>>;
    /// The first of the owner's entries with that NPI, by id.
    async fn find_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<BookEntry<K>>>;
    /// Returns whether a row was deleted.
    async fn delete(&mut self, id: K::Id) -> R<bool>;
    /// Cases, active or not, that reference the entry.
    async fn count_cases_with(&mut self, id: K::Id) -> R<i64>;
}

#[async_trait]
pub trait DirectoryRepo: Send {
    fn surgeons(&mut self) -> &mut dyn BookRepo<Surgeons>;
    fn facilities(&mut self) -> &mut dyn BookRepo<Facilities>;

    /// At most `limit` rows of `search_surgeon_all`.
    async fn search_people(&mut self, search: &PersonSearch, limit: i64) -> R<Vec<NpiPersonRecord>>;
    /// At most `limit` rows of `search_facility_all`.
    async fn search_organizations(
        &mut self,
        search: &OrganizationSearch,
        limit: i64,
    ) -> R<Vec<NpiOrganizationRecord>>;
    /// Inserts or replaces rows by NPI.
    async fn upsert_npi_people(&mut self, rows: &[NpiPersonRecord]) -> R<()>;
    async fn upsert_npi_organizations(&mut self, rows: &[NpiOrganizationRecord]) -> R<()>;
}

#[async_trait]
pub trait ReferenceRepo: Send {
    /// The status catalogue, by code.
    async fn case_statuses(&mut self) -> R<Vec<StatusRecord>>;
    /// By type.
    async fn user_types(&mut self) -> R<Vec<UserTypeRecord>>;
    /// By name.
    async fn doc_types(&mut self) -> R<Vec<DocTypeRecord>>;
    /// By identifier.
    async fn timezones(&mut self) -> R<Vec<TimezoneRecord>>;
    /// Codes whose code starts with `q` or whose description contains it (case-insensitive),
    /// by code; all codes when `q` is `None`.
    async fn procedure_codes(&mut self, q: Option<&str>, limit: i64) -> R<Vec<ProcedureCodeRecord>>;
    /// Master data and the price for `tier` of each listed code known to the master, in one
    /// statement. Unknown codes are simply absent.
    async fn code_info(&mut self, codes: &[String], tier: i32) -> R<Vec<CodeInfo>>;
    /// Active auto-fix entries whose `entered_code` is listed.
    async fn active_auto_fixes(&mut self, entered: &[String]) -> R<Vec<AutoFixRecord>>;
    /// The rule set with the highest id, if any was stored.
    async fn active_rule_set(&mut self) -> R<Option<RuleSetRecord>>;
    async fn insert_rule_set(&mut self, rule_set: &NewRuleSetRecord) -> R<i64>;
    /// Every stored set without its text, newest (greatest id) first.
    async fn rule_set_history(&mut self) -> R<Vec<RuleSetSummaryRecord>>;
    /// By tier, then amount.
    async fn pay_tiers(&mut self) -> R<Vec<PayTierRecord>>;
    /// The auto-fix map by `entered_code`; inactive entries only when asked.
    async fn auto_fixes(&mut self, include_inactive: bool) -> R<Vec<AutoFixRecord>>;
    /// Deactivates the active entry of `entered_code`; whether there was one.
    async fn deactivate_auto_fix(&mut self, entered_code: &str) -> R<bool>;

    // The admin lists' creations: `StoreError::Duplicate` when the key exists.
    async fn insert_status(&mut self, row: &StatusRecord) -> R<()>;
    async fn insert_user_type(&mut self, row: &UserTypeRecord) -> R<()>;
    async fn insert_doc_type(&mut self, row: &DocTypeRecord) -> R<()>;

    // Idempotent writes used by seeding and imports: insert, or update the non-key columns.
    async fn upsert_statuses(&mut self, rows: &[StatusRecord]) -> R<()>;
    async fn upsert_user_types(&mut self, rows: &[UserTypeRecord]) -> R<()>;
    async fn upsert_doc_types(&mut self, rows: &[DocTypeRecord]) -> R<()>;
    async fn upsert_timezones(&mut self, rows: &[TimezoneRecord]) -> R<()>;
    /// A constant number of statements per call whatever the number of rows.
    async fn upsert_procedure_codes(&mut self, rows: &[ProcedureCodeRecord]) -> R<()>;
    async fn upsert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()>;
    /// Inserts price rows; `StoreError::Duplicate` (and nothing written) when a `(bucket, tier)`
    /// exists.
    async fn insert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()>;
    async fn upsert_auto_fixes(&mut self, rows: &[AutoFixRecord]) -> R<()>;
}

#[async_trait]
pub trait HistoryRepo: Send {
    /// One statement for all rows.
    async fn append_history(&mut self, rows: &[HistoryRecord]) -> R<()>;
    /// Oldest first.
    async fn case_history(&mut self, id: &CaseId) -> R<Vec<HistoryRecord>>;
}

/// The dashboards' aggregates: one grouped statement each, served by indexes.
#[async_trait]
pub trait DashboardRepo: Send {
    /// Active cases in the range, per stored status, by status.
    async fn case_totals_by_status(&mut self, range: CaseDateRange) -> R<Vec<StatusTotal>>;
    /// Active cases in the range, per pay category, unpriced first, then by category.
    async fn case_totals_by_category(&mut self, range: CaseDateRange) -> R<Vec<CategoryTotal>>;
    /// Active users whose type is below `below`, per type, by type.
    async fn user_counts_by_type(&mut self, below: surgicase_kernel::UserType) -> R<Vec<UserTypeCount>>;
    /// Moves the changes that writes queued for the day totals into the totals (call it in a
    /// transaction; concurrent folds wait for each other); returns how many it moved. The
    /// totals read the same before and after: only their cost changes.
    async fn fold_case_totals(&mut self) -> R<i64>;
    /// Whether any change waits to be folded (a plain read: callers skip the fold's
    /// transaction, and its locks, when none does).
    async fn case_totals_pending(&mut self) -> R<bool>;
}

/// `faq_list`: the FAQs of each user type.
#[async_trait]
pub trait FaqRepo: Send {
    /// The type's FAQs by `display_order`, then id.
    async fn faqs(&mut self, user_type: surgicase_kernel::UserType) -> R<Vec<FaqRecord>>;
    /// Returns the new id; `StoreError::Reference` for a user type that does not exist.
    async fn insert_faq(&mut self, faq: &NewFaqRecord) -> R<i64>;
}
