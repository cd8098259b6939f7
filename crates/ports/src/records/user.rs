//! `user_profile` and `users_and_tiers`.

use surgicase_kernel::{DocumentLocation, Timestamp, UserId, UserType};

/// One row of `user_profile`: the domain's profile.
pub use surgicase_users::Profile as UserRecord;

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
    pub location: DocumentLocation,
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
