//! The back office (api.md §6): the bulk status update's body and answer.

use serde::{Deserialize, Serialize};
use surgicase_app::cases::{BulkException, BulkStatusOutcome, BulkStatusRequest, BulkUpdated};
use surgicase_cases::{MAX_BULK_CASES, MAX_BULK_REASON};
use surgicase_kernel::input::de;
use surgicase_kernel::{Flag, Raw, RequestBody, UnknownFields};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use validator::Validate;

use crate::valid::StringItem;

/// `PATCH /bulk_update_case_status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct BulkStatusBody {
    /// Duplicates are ignored.
    #[schema(schema_with = bulk_case_ids, required = true)]
    #[validate(required, length(min = 1, max = MAX_BULK_CASES), nested)]
    pub case_ids: Raw<Vec<StringItem>>,
    /// A status of the catalogue (`GET /case_statuses`).
    #[schema(schema_with = new_status, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required, range(min = 0, max = 999))]
    pub new_status: Raw<i64>,
    /// Allows lowering a status; default false.
    #[schema(schema_with = surgicase_kernel::schema::flag)]
    pub force: Raw<Flag>,
    /// Kept in each history row.
    #[schema(schema_with = reason)]
    #[validate(length(max = MAX_BULK_REASON))]
    pub reason: Raw<String>,
    /// The caller, as legacy clients send it.
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl RequestBody for BulkStatusBody {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

impl BulkStatusBody {
    /// The request as the use case takes it; the checks above passed.
    pub fn request(&self) -> BulkStatusRequest {
        BulkStatusRequest {
            case_ids: self.case_ids.value().into_iter().flatten().filter_map(|item| item.0.clone()).collect(),
            new_status: self.new_status.value().copied().unwrap_or(-1),
            force: self.force.value().is_some_and(|f| f.0),
            reason: self.reason.value().cloned(),
        }
    }
}

fn bulk_case_ids() -> Schema {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(SchemaType::new(Type::String)))
        .min_items(Some(1))
        .max_items(Some(MAX_BULK_CASES))
        .into()
}

fn new_status() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(0))
        .maximum(Some(999))
        .into()
}

fn reason() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(MAX_BULK_REASON))
        .into()
}

/// The column a move stamped.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimestampUpdated {
    #[schema(example = "pending_payment_ts")]
    pub field: &'static str,
    #[schema(example = "10 → 15")]
    pub transition: String,
}

/// One case that moved.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkUpdatedCase {
    pub case_id: String,
    pub previous_status: i16,
    pub new_status: i16,
    pub forced: bool,
    /// `null` for a target without a timestamp column.
    pub timestamp_updated: Option<TimestampUpdated>,
}

impl From<&BulkUpdated> for BulkUpdatedCase {
    fn from(u: &BulkUpdated) -> Self {
        Self {
            case_id: u.case_id.to_string(),
            previous_status: u.previous_status.code(),
            new_status: u.new_status.code(),
            forced: u.forced,
            timestamp_updated: u.stamped.map(|column| TimestampUpdated {
                field: column.column_name(),
                transition: format!("{} → {}", u.previous_status.code(), u.new_status.code()),
            }),
        }
    }
}

/// One listed id that kept its status.
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkExceptionItem {
    pub case_id: String,
    #[schema(example = "Case status already at target value")]
    pub reason: &'static str,
    /// `null` when the case was not found.
    pub current_status: Option<i16>,
    pub attempted_status: i16,
}

impl From<&BulkException> for BulkExceptionItem {
    fn from(e: &BulkException) -> Self {
        Self {
            case_id: e.case_id.clone(),
            reason: e.skip.reason(),
            current_status: e.current_status.map(|s| s.code()),
            attempted_status: e.attempted_status.code(),
        }
    }
}

/// `PATCH /bulk_update_case_status` (200).
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkStatusAnswer {
    pub updated_cases: Vec<BulkUpdatedCase>,
    pub exceptions: Vec<BulkExceptionItem>,
    pub total_processed: usize,
    pub total_updated: usize,
    pub total_exceptions: usize,
}

impl From<&BulkStatusOutcome> for BulkStatusAnswer {
    fn from(o: &BulkStatusOutcome) -> Self {
        Self {
            updated_cases: o.updated.iter().map(BulkUpdatedCase::from).collect(),
            exceptions: o.exceptions.iter().map(BulkExceptionItem::from).collect(),
            total_processed: o.total_processed,
            total_updated: o.updated.len(),
            total_exceptions: o.exceptions.len(),
        }
    }
}
