//! Users: `UserProfile` and the answers of api.md §3.

use serde::Serialize;
use surgicase_app::users as app_users;
use surgicase_ports::records::{UserDocumentRecord, UserRecord, UserView};
use utoipa::ToSchema;

use super::format::{npi, timestamp};

/// A document of a user's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDocument {
    pub document_type: String,
    pub document_name: String,
    pub size_bytes: Option<i64>,
    /// Timestamp.
    pub uploaded_at: Option<String>,
}

impl From<&UserDocumentRecord> for UserDocument {
    fn from(d: &UserDocumentRecord) -> Self {
        Self {
            document_type: d.document_type.clone(),
            document_name: d.document_name.clone(),
            size_bytes: d.size_bytes,
            uploaded_at: d.uploaded_ts.map(timestamp),
        }
    }
}

/// A user's profile (api.md §1.9 `UserProfile`).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserProfile {
    #[serde(flatten)]
    pub user: UserRecord,
    pub user_type_desc: Option<String>,
    pub documents: Vec<UserDocument>,
}

impl From<&UserView> for UserProfile {
    fn from(view: &UserView) -> Self {
        Self {
            user: view.user.clone(),
            user_type_desc: view.user_type_desc.clone(),
            documents: view.documents.iter().map(UserDocument::from).collect(),
        }
    }
}

/// `GET /user`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserAnswer {
    pub user: UserProfile,
    pub user_id: String,
}

impl From<&app_users::UserDetails> for UserAnswer {
    fn from(d: &app_users::UserDetails) -> Self {
        Self { user: UserProfile::from(&d.view), user_id: d.view.user.user_id.to_string() }
    }
}

/// `POST /user` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserCreatedAnswer {
    #[schema(example = "User created successfully")]
    pub message: &'static str,
    pub user_id: String,
    pub user_type: i32,
    pub user_tier: i32,
    pub max_case_status: i16,
}

impl From<&app_users::UserCreated> for UserCreatedAnswer {
    fn from(c: &app_users::UserCreated) -> Self {
        Self {
            message: "User created successfully",
            user_id: c.user_id.to_string(),
            user_type: c.user_type.get(),
            user_tier: c.user_tier,
            max_case_status: c.max_case_status.code(),
        }
    }
}

/// `PATCH /user`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserUpdatedAnswer {
    #[schema(example = "User updated successfully")]
    pub message: &'static str,
    pub user_id: String,
    /// Fields whose value changed.
    pub updated_fields: Vec<String>,
    /// Present when the tier changed: the pre-payment cases re-priced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases_repriced: Option<usize>,
}

impl From<&app_users::UserUpdated> for UserUpdatedAnswer {
    fn from(u: &app_users::UserUpdated) -> Self {
        Self {
            message: "User updated successfully",
            user_id: u.user_id.clone(),
            updated_fields: u.updated_fields.clone(),
            cases_repriced: u.cases_repriced,
        }
    }
}

/// `DELETE /user`. Only `message`, `user_id` and `active` when the user was already inactive.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDeletedAnswer {
    #[schema(example = "User deactivated successfully")]
    pub message: &'static str,
    pub user_id: String,
    /// Always 0.
    pub active: u8,
    /// Timestamp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deactivated_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases_deactivated: Option<usize>,
    /// `done` or `pending`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archive_state: Option<String>,
}

impl From<&app_users::UserDeleted> for UserDeletedAnswer {
    fn from(d: &app_users::UserDeleted) -> Self {
        if d.already_inactive {
            return Self {
                message: "User already inactive",
                user_id: d.user_id.clone(),
                active: 0,
                deactivated_at: None,
                cases_deactivated: None,
                archive_state: None,
            };
        }
        Self {
            message: "User deactivated successfully",
            user_id: d.user_id.clone(),
            active: 0,
            deactivated_at: d.deactivated_at.map(timestamp),
            cases_deactivated: Some(d.cases_deactivated),
            archive_state: Some(d.archive_state.to_string()),
        }
    }
}

/// A status of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusItem {
    pub case_status: i16,
    pub case_status_desc: String,
}

/// A surgeon of `/user_environment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentSurgeon {
    pub surgeon_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub surgeon_npi: Option<i64>,
}

/// A facility of `/user_environment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentFacility {
    pub facility_id: i64,
    pub facility_name: String,
    pub facility_npi: Option<i64>,
}

/// A user type.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserTypeItem {
    pub user_type: i32,
    pub user_type_desc: String,
}

/// What the user may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentPermissions {
    pub user_type: i32,
    pub user_type_desc: Option<String>,
    /// `limited` or `full`.
    pub case_status_access_level: &'static str,
    pub max_case_status: i16,
    pub max_case_status_desc: Option<String>,
    pub can_access_all_cases: bool,
    pub can_access_backoffice: bool,
    pub can_manage_users: bool,
    pub can_manage_lists: bool,
}

/// Counts of `/user_environment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentInfo {
    pub user_id: String,
    pub case_statuses_count: usize,
    pub has_documents: bool,
    pub document_count: usize,
    pub surgeon_count: usize,
    pub facility_count: usize,
    pub user_types_count: usize,
    pub last_login_updated: bool,
}

/// `GET /user_environment`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnvironmentAnswer {
    pub user_profile: UserProfile,
    pub case_statuses: Vec<StatusItem>,
    pub surgeons: Vec<EnvironmentSurgeon>,
    pub facilities: Vec<EnvironmentFacility>,
    pub user_types: Vec<UserTypeItem>,
    pub permissions: EnvironmentPermissions,
    pub environment_info: EnvironmentInfo,
}

impl From<&app_users::UserEnvironment> for EnvironmentAnswer {
    fn from(env: &app_users::UserEnvironment) -> Self {
        let user = &env.profile.user;
        let p = &env.permissions;
        Self {
            user_profile: UserProfile::from(&env.profile),
            case_statuses: env
                .case_statuses
                .iter()
                .map(|s| StatusItem {
                    case_status: s.case_status.code(),
                    case_status_desc: s.case_status_desc.clone(),
                })
                .collect(),
            surgeons: env
                .surgeons
                .iter()
                .map(|s| EnvironmentSurgeon {
                    surgeon_id: s.id.get(),
                    first_name: s.name.first_name.clone(),
                    last_name: s.name.last_name.clone(),
                    surgeon_npi: npi(s.npi),
                })
                .collect(),
            facilities: env
                .facilities
                .iter()
                .map(|f| EnvironmentFacility {
                    facility_id: f.id.get(),
                    facility_name: f.name.clone(),
                    facility_npi: npi(f.npi),
                })
                .collect(),
            user_types: env
                .user_types
                .iter()
                .map(|t| UserTypeItem {
                    user_type: t.user_type.get(),
                    user_type_desc: t.user_type_desc.clone(),
                })
                .collect(),
            permissions: EnvironmentPermissions {
                user_type: user.user_type.get(),
                user_type_desc: env.profile.user_type_desc.clone(),
                case_status_access_level: p.case_status_access_level.as_str(),
                max_case_status: user.max_case_status.code(),
                max_case_status_desc: env.max_case_status_desc.clone(),
                can_access_all_cases: p.can_access_all_cases,
                can_access_backoffice: p.can_access_backoffice,
                can_manage_users: p.can_manage_users,
                can_manage_lists: p.can_manage_lists,
            },
            environment_info: EnvironmentInfo {
                user_id: user.user_id.to_string(),
                case_statuses_count: env.case_statuses.len(),
                has_documents: !env.profile.documents.is_empty(),
                document_count: env.profile.documents.len(),
                surgeon_count: env.surgeons.len(),
                facility_count: env.facilities.len(),
                user_types_count: env.user_types.len(),
                last_login_updated: env.last_login_updated,
            },
        }
    }
}

// ----- request bodies (documentation) -----

/// A document attached by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentBody {
    pub document_type: String,
    /// `""` removes the document of that type (PATCH).
    pub document_name: String,
}
