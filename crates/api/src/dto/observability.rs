//! `POST /bugs`, `GET /bugs` (api.md §10) and `POST /log_request` (§11): the bodies, read,
//! documented and checked by one type each (see [`crate::valid`]), and the answers. The use
//! cases read what the values mean (blank and one-line text, the priority, the timestamp) with
//! the same limits.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use surgicase_app::bugs::report::{MAX_BUG_DATE, MAX_CALLING_PAGE, MAX_DESCRIPTION, MAX_NAME, MAX_TITLE};
use surgicase_app::request_log::{
    MAX_ENDPOINT, MAX_ERROR_MESSAGE, MAX_EXECUTION_TIME_MS, MAX_METHOD, STATUS_MAX, STATUS_MIN,
};
use surgicase_kernel::input::de;
use surgicase_kernel::schema::{Presence, RFC3339, WHITE, any_case, line};
use surgicase_kernel::{Raw, RequestBody, UnknownFields};
use surgicase_ports::bugs::{BugPriority, BugRecord};

use super::format;
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{KnownFormat, SchemaFormat};
use validator::Validate;

/// `POST /bugs` (at most 256 KiB). The whole body is stored, so any other key is kept too.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct BugBody {
    #[schema(schema_with = bug_date)]
    #[validate(length(max = MAX_BUG_DATE))]
    pub bug_date: Raw<String>,
    #[schema(schema_with = calling_page)]
    #[validate(length(max = MAX_CALLING_PAGE))]
    pub calling_page: Raw<String>,
    /// Default `medium`.
    #[schema(schema_with = priority)]
    pub priority: Raw<String>,
    #[schema(value_type = Option<BugText>)]
    #[validate(nested)]
    pub bug: Raw<BugText>,
    /// The reporter (default: the caller's name).
    #[schema(value_type = Option<Reporter>)]
    #[validate(nested)]
    pub user_profile: Raw<Reporter>,
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub case_statuses: Raw<Vec<Value>>,
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub surgeons: Raw<Vec<Value>>,
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub facilities: Raw<Vec<Value>>,
    #[schema(value_type = Option<Vec<serde_json::Value>>)]
    pub user_types: Raw<Vec<Value>>,
    #[schema(value_type = Option<Object>)]
    pub permissions: Raw<Map<String, Value>>,
    #[schema(value_type = Option<Object>)]
    pub environment_info: Raw<Map<String, Value>>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

/// `bug` of a report; an absent or blank title is "Untitled Bug".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct BugText {
    #[schema(schema_with = title)]
    #[validate(length(max = MAX_TITLE))]
    pub title: Raw<String>,
    /// Any text, line breaks included.
    #[schema(schema_with = description)]
    #[validate(length(max = MAX_DESCRIPTION))]
    pub description: Raw<String>,
}

/// `user_profile` of a report: the names make `reported_by`; other keys are kept as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct Reporter {
    #[schema(schema_with = reporter_name)]
    #[validate(length(max = MAX_NAME))]
    pub first_name: Raw<String>,
    #[schema(schema_with = reporter_name)]
    #[validate(length(max = MAX_NAME))]
    pub last_name: Raw<String>,
}

/// `POST /log_request`: a client's measurement of one of its requests. The payload fields are
/// accepted and discarded, never stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct ClientLogBody {
    /// The path; a query string is dropped.
    #[schema(schema_with = endpoint, required = true)]
    #[validate(required, length(max = MAX_ENDPOINT))]
    pub endpoint: Raw<String>,
    #[schema(schema_with = method, required = true)]
    #[validate(required, length(max = MAX_METHOD))]
    pub method: Raw<String>,
    #[schema(schema_with = response_status, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required, range(min = STATUS_MIN, max = STATUS_MAX))]
    pub response_status: Raw<i64>,
    /// Rounded to whole milliseconds.
    #[schema(schema_with = execution_time_ms, required = true)]
    #[validate(required, range(min = 0.0, max = MAX_EXECUTION_TIME_MS))]
    pub execution_time_ms: Raw<f64>,
    /// When the request was made (default: now).
    #[schema(schema_with = timestamp)]
    pub timestamp: Raw<String>,
    #[schema(schema_with = error_message)]
    #[validate(length(max = MAX_ERROR_MESSAGE))]
    pub error_message: Raw<String>,
    #[schema(value_type = Option<serde_json::Value>)]
    pub request_payload: Raw<Value>,
    #[schema(value_type = Option<serde_json::Value>)]
    pub query_params: Raw<Value>,
    #[schema(value_type = Option<serde_json::Value>)]
    pub response_payload: Raw<Value>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl RequestBody for BugBody {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

impl RequestBody for ClientLogBody {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

fn bug_date() -> Schema {
    line(MAX_BUG_DATE, Presence::Clearable)
}

fn calling_page() -> Schema {
    line(MAX_CALLING_PAGE, Presence::Clearable)
}

/// `urgent`, `high`, `medium`, `normal` or `low`, any case; blank means `medium`.
fn priority() -> Schema {
    let names = BugPriority::ALL.map(|p| any_case(p.as_str())).join("|");
    ObjectBuilder::new()
        .schema_type([Type::String, Type::Null].into_iter().collect::<SchemaType>())
        .pattern(Some(format!(r"^{WHITE}*({names})?{WHITE}*$")))
        .into()
}

fn title() -> Schema {
    line(MAX_TITLE, Presence::Clearable)
}

fn description() -> Schema {
    ObjectBuilder::new()
        .schema_type([Type::String, Type::Null].into_iter().collect::<SchemaType>())
        .max_length(Some(MAX_DESCRIPTION))
        .into()
}

fn reporter_name() -> Schema {
    line(MAX_NAME, Presence::Clearable)
}

fn endpoint() -> Schema {
    line(MAX_ENDPOINT, Presence::Required)
}

fn method() -> Schema {
    line(MAX_METHOD, Presence::Required)
}

fn response_status() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(STATUS_MIN))
        .maximum(Some(STATUS_MAX))
        .into()
}

fn execution_time_ms() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Number))
        .minimum(Some(0))
        .maximum(Some(MAX_EXECUTION_TIME_MS))
        .into()
}

/// RFC 3339.
fn timestamp() -> Schema {
    ObjectBuilder::new()
        .schema_type([Type::String, Type::Null].into_iter().collect::<SchemaType>())
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
        .pattern(Some(format!("^{RFC3339}$")))
        .into()
}

fn error_message() -> Schema {
    line(MAX_ERROR_MESSAGE, Presence::Clearable)
}

/// `POST /bugs` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct BugCreatedAnswer {
    #[schema(example = "Bug report created successfully")]
    pub message: &'static str,
    pub bug_id: i64,
    /// The status the report was stored with (`Open`).
    pub status: &'static str,
    /// `pending` (a tracker is configured) or `disabled`.
    pub sync_state: &'static str,
}

/// A bug report of `GET /bugs`.
#[derive(Debug, Serialize, ToSchema)]
pub struct BugItem {
    pub bug_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub calling_page: Option<String>,
    pub status: String,
    pub priority: &'static str,
    pub created_ts: String,
    pub sync_state: &'static str,
    pub tracker_task_id: Option<String>,
}

impl From<&BugRecord> for BugItem {
    fn from(b: &BugRecord) -> Self {
        Self {
            bug_id: b.bug_id,
            title: b.title.clone(),
            description: b.description.clone(),
            calling_page: b.calling_page.clone(),
            status: b.status.clone(),
            priority: b.priority.as_str(),
            created_ts: format::timestamp(b.created_ts),
            sync_state: b.sync_state.as_str(),
            tracker_task_id: b.tracker_task_id.clone(),
        }
    }
}

/// `GET /bugs`, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct BugListAnswer {
    pub bugs: Vec<BugItem>,
    pub count: usize,
}

/// `POST /log_request` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct LogRecordedAnswer {
    /// Always `true`.
    pub success: bool,
}
