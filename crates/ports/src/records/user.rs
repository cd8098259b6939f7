//! `user_profile` and `users_and_tiers`.

use surgicase_kernel::{CaseStatus, Date, Timestamp, UserId, UserType};

/// One row of `user_profile`. Written whole on insert and update (the store sets every
/// column but `user_id` and `create_ts` on update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub user_id: UserId,
    pub user_email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub addr1: Option<String>,
    pub addr2: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zipcode: Option<String>,
    /// Legacy rows may hold values that fail today's validation; they are kept as stored.
    pub telephone: Option<i64>,
    pub user_npi: Option<i64>,
    pub referred_by_user: Option<String>,
    pub user_type: UserType,
    pub message_pref: i16,
    pub states_licensed: Option<String>,
    pub user_tier: i32,
    pub max_case_status: CaseStatus,
    pub timezone: Option<String>,
    pub credentials: Option<String>,
    pub ins_exp_date: Option<Date>,
    pub default_pagination_cases: Option<i32>,
    pub active: bool,
    pub create_ts: Timestamp,
    pub last_updated_ts: Timestamp,
    pub last_login_dt: Option<Timestamp>,
    pub deleted_ts: Option<Timestamp>,
    pub deleted_by: Option<String>,
}

/// A user with the description of their type, as profile reads return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub user: UserRecord,
    pub user_type_desc: Option<String>,
    pub documents: Vec<UserDocumentRecord>,
}

/// One row of `user_documents`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDocumentRecord {
    pub user_id: UserId,
    pub document_type: String,
    pub document_name: String,
    pub object_key: String,
    /// `live`, `deleted` or `missing`.
    pub location: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_ts: Option<Timestamp>,
}

/// Which users a list returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery {
    /// Only users whose `user_type` is at most this (users above the caller are invisible).
    pub max_user_type: UserType,
    pub include_inactive: bool,
    pub limit: i64,
    pub offset: i64,
}

/// A page of users, ordered by user type, first name, last name, user id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPage {
    pub users: Vec<UserView>,
    pub total: i64,
}
