//! The admin lists (api.md §9): request bodies and answers.

use serde::{Deserialize, Serialize};
use surgicase_app::lists::TiersSummary;
use surgicase_app::lists::{Faqs, NewAutoFix, NewCaseStatus, NewDocType, NewFaq, NewUserType};
use surgicase_kernel::input::de;
use surgicase_kernel::schema::{Presence, line};
use surgicase_kernel::{Raw, RequestBody, UnknownFields};
use surgicase_ports::records::{
    AutoFixRecord, DocTypeRecord, FaqRecord, PayTierRecord, StatusRecord, UserTypeRecord,
};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use validator::Validate;

use super::format::{Amount, flag, timestamp};

/// The body types' `RequestBody` impls: unknown keys are collected in `unknown`.
macro_rules! request_body {
    ($($t:ty),*) => {$(
        impl RequestBody for $t {
            fn unknown_fields(&mut self) -> &mut UnknownFields {
                &mut self.unknown
            }
        }
    )*};
}

fn integer(min: i64, max: i64, nullable: bool) -> Schema {
    let ty = if nullable {
        SchemaType::from_iter([Type::Integer, Type::Null])
    } else {
        SchemaType::new(Type::Integer)
    };
    ObjectBuilder::new().schema_type(ty).minimum(Some(min)).maximum(Some(max)).into()
}

fn user_type_number() -> Schema {
    integer(1, 9999, false)
}
fn status_number() -> Schema {
    integer(0, 999, false)
}
fn cap_number() -> Schema {
    integer(0, 999, true)
}
fn desc_100() -> Schema {
    line(100, Presence::Required)
}
fn desc_200() -> Schema {
    line(200, Presence::Required)
}
/// Blank or null for none.
fn doc_prefix() -> Schema {
    line(25, Presence::Clearable)
}
fn entered_code() -> Schema {
    line(20, Presence::Required)
}
fn reason_250() -> Schema {
    line(250, Presence::Required)
}
/// A CPT or HCPCS code, any case, surrounding blanks ignored.
fn fixed_code() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(r"^\s*([0-9]{5}|[0-9]{4}[FfTt]|[ABCDEGHJKLMPQRSTUVabcdeghjklmpqrstuv][0-9]{4})\s*$"))
        .into()
}

fn text(raw: &Raw<String>) -> String {
    raw.value().cloned().unwrap_or_default()
}

/// `POST /user_types`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct NewUserTypeBody {
    #[schema(schema_with = user_type_number, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required, range(min = 1, max = 9999))]
    pub user_type: Raw<i64>,
    #[schema(schema_with = desc_100, required = true)]
    #[validate(required)]
    pub user_type_desc: Raw<String>,
    /// A catalogue status, or null for no cap of its own.
    #[schema(schema_with = cap_number)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(range(min = 0, max = 999))]
    pub user_max_case_status: Raw<i64>,
    /// The caller, as legacy clients send it.
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl NewUserTypeBody {
    pub fn request(&self) -> NewUserType {
        NewUserType {
            user_type: self.user_type.value().copied().unwrap_or(0),
            user_type_desc: text(&self.user_type_desc),
            user_max_case_status: self.user_max_case_status.value().copied(),
        }
    }
}

/// `POST /case_statuses`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct NewCaseStatusBody {
    #[schema(schema_with = status_number, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required, range(min = 0, max = 999))]
    pub case_status: Raw<i64>,
    #[schema(schema_with = desc_200, required = true)]
    #[validate(required)]
    pub case_status_desc: Raw<String>,
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl NewCaseStatusBody {
    pub fn request(&self) -> NewCaseStatus {
        NewCaseStatus {
            case_status: self.case_status.value().copied().unwrap_or(-1),
            case_status_desc: text(&self.case_status_desc),
        }
    }
}

/// `POST /user_doc_types`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct NewDocTypeBody {
    #[schema(schema_with = desc_200, required = true)]
    #[validate(required)]
    pub doc_type: Raw<String>,
    /// The object-key prefix of such documents; null or blank for none.
    #[schema(schema_with = doc_prefix)]
    pub doc_prefix: Raw<String>,
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl NewDocTypeBody {
    pub fn request(&self) -> NewDocType {
        NewDocType { doc_type: text(&self.doc_type), doc_prefix: self.doc_prefix.value().cloned() }
    }
}

/// `POST /procedure_code_auto_fix`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct NewAutoFixBody {
    /// The entry as users type it (trimmed, upper-cased; it may be malformed).
    #[schema(schema_with = entered_code, required = true)]
    #[validate(required)]
    pub entered_code: Raw<String>,
    /// The code it becomes: a valid shape, not itself corrected by an active entry.
    #[schema(schema_with = fixed_code, required = true)]
    #[validate(required)]
    pub fixed_code: Raw<String>,
    #[schema(schema_with = reason_250, required = true)]
    #[validate(required)]
    pub reason: Raw<String>,
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl NewAutoFixBody {
    pub fn request(&self) -> NewAutoFix {
        NewAutoFix {
            entered_code: text(&self.entered_code),
            fixed_code: text(&self.fixed_code),
            reason: text(&self.reason),
        }
    }
}

request_body!(NewUserTypeBody, NewCaseStatusBody, NewDocTypeBody, NewAutoFixBody);

/// A user type.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserTypeEntry {
    pub user_type: i32,
    pub user_type_desc: String,
    pub user_max_case_status: Option<i16>,
}

impl From<&UserTypeRecord> for UserTypeEntry {
    fn from(r: &UserTypeRecord) -> Self {
        Self {
            user_type: r.user_type.get(),
            user_type_desc: r.user_type_desc.clone(),
            user_max_case_status: r.user_max_case_status.map(|s| s.code()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserTypesAnswer {
    pub user_types: Vec<UserTypeEntry>,
}

/// A status of the catalogue.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStatusItem {
    pub case_status: i16,
    pub case_status_desc: String,
}

impl From<&StatusRecord> for CaseStatusItem {
    fn from(r: &StatusRecord) -> Self {
        Self { case_status: r.case_status.code(), case_status_desc: r.case_status_desc.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseStatusesAnswer {
    pub case_statuses: Vec<CaseStatusItem>,
}

/// A user document type.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDocTypeItem {
    pub doc_type: String,
    pub doc_prefix: Option<String>,
}

impl From<&DocTypeRecord> for UserDocTypeItem {
    fn from(r: &DocTypeRecord) -> Self {
        Self { doc_type: r.doc_type.clone(), doc_prefix: r.doc_prefix.clone() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDocTypesAnswer {
    pub user_doc_types: Vec<UserDocTypeItem>,
}

/// The answers of the creations (201): the stored fields, `message` and `created_by`.
macro_rules! created {
    ($($name:ident($item:ty, $example:literal);)*) => {$(
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            #[schema(example = $example)]
            pub message: &'static str,
            #[serde(flatten)]
            pub item: $item,
            pub created_by: String,
        }
    )*};
}

created! {
    UserTypeCreated(UserTypeEntry, "User type created successfully");
    CaseStatusCreated(CaseStatusItem, "Case status created successfully");
    DocTypeCreated(UserDocTypeItem, "Document type created successfully");
}

/// `POST /procedure_code_auto_fix` (201): the stored entry, whose `created_by` is the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutoFixCreatedAnswer {
    #[schema(example = "Auto-fix created successfully")]
    pub message: &'static str,
    #[serde(flatten)]
    pub item: AutoFixItem,
}

/// A price row.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayTierItem {
    pub code_bucket: String,
    pub tier: i32,
    #[schema(value_type = f64, example = 450.00)]
    pub pay_amount: Amount,
}

impl From<&PayTierRecord> for PayTierItem {
    fn from(r: &PayTierRecord) -> Self {
        Self { code_bucket: r.code_bucket.clone(), tier: r.tier, pay_amount: Amount(r.pay_amount) }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayTiersAnswer {
    pub pay_tiers: Vec<PayTierItem>,
}

/// One tier of `/tiers_summary`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TierSummaryItem {
    /// The tier, as text.
    #[schema(example = "1")]
    pub tier: String,
    #[schema(example = "(400/250/450/300/600)")]
    pub amounts: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TiersSummaryAnswer {
    #[schema(example = "OB-Gyn/General/Orthopedic/Plastic/Spine")]
    pub buckets: String,
    pub tiers_summary: Vec<TierSummaryItem>,
}

impl From<&TiersSummary> for TiersSummaryAnswer {
    fn from(s: &TiersSummary) -> Self {
        Self {
            buckets: s.buckets.clone(),
            tiers_summary: s
                .tiers
                .iter()
                .map(|t| TierSummaryItem { tier: t.tier.to_string(), amounts: t.amounts.clone() })
                .collect(),
        }
    }
}

/// An entry of the auto-fix map.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutoFixItem {
    pub entered_code: String,
    pub fixed_code: String,
    pub reason: String,
    /// 0/1.
    pub active: u8,
    /// Timestamp.
    pub created_date: String,
    pub created_by: Option<String>,
}

impl From<&AutoFixRecord> for AutoFixItem {
    fn from(r: &AutoFixRecord) -> Self {
        Self {
            entered_code: r.entered_code.clone(),
            fixed_code: r.fixed_code.clone(),
            reason: r.reason.clone(),
            active: flag(r.active),
            created_date: timestamp(r.created_date),
            created_by: r.created_by.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AutoFixesAnswer {
    pub auto_fixes: Vec<AutoFixItem>,
}

/// `DELETE /procedure_code_auto_fix`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AutoFixDeactivatedAnswer {
    #[schema(example = "Auto-fix deactivated")]
    pub message: &'static str,
    pub entered_code: String,
    /// Always 0.
    pub active: u8,
}

/// `POST` and `PUT /pay_tiers` (documentation; read through [`crate::Fields`]).
#[derive(Debug, Serialize, ToSchema)]
pub struct PriceWriteBody {
    /// 1–1000.
    #[schema(minimum = 1, maximum = 1000)]
    pub tier: i64,
    /// 1–50 buckets, each named once.
    #[schema(min_items = 1, max_items = 50)]
    pub buckets: Vec<BucketBody>,
    /// The caller, as legacy clients send it.
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Option<String>,
}

/// One bucket of a price write.
#[derive(Debug, Serialize, ToSchema)]
pub struct BucketBody {
    /// The pay bucket (a procedure code category).
    #[schema(schema_with = bucket_name)]
    pub bucket: String,
    /// 0.00–100000.00, at most two decimals; a number or a decimal string.
    #[schema(value_type = f64, minimum = 0, maximum = 100000)]
    pub pay_amount: String,
}

fn bucket_name() -> Schema {
    line(50, Presence::Required)
}

/// A price row written.
#[derive(Debug, Serialize, ToSchema)]
pub struct BucketCreated {
    pub bucket: String,
    #[schema(value_type = f64, example = 450.00)]
    pub pay_amount: Amount,
}

/// `POST /pay_tiers` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct PricesCreatedAnswer {
    #[schema(example = "Pay tier created successfully")]
    pub message: &'static str,
    pub tier: i32,
    pub buckets_created: Vec<BucketCreated>,
    pub records_created: usize,
    pub created_by: String,
    /// Pre-payment cases of owners of this tier priced again.
    pub cases_repriced: usize,
}

/// `PUT /pay_tiers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PricesStoredAnswer {
    #[schema(example = "Pay tier saved successfully")]
    pub message: &'static str,
    pub tier: i32,
    pub records_created: usize,
    pub records_updated: usize,
    pub cases_repriced: usize,
}

fn faq_header() -> Schema {
    line(500, Presence::Required)
}

/// Text of several lines: at most 20000 characters, a visible one among them, no control
/// characters but line breaks and tabs.
fn faq_text() -> Schema {
    const CONTROLS: &str = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F";
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .max_length(Some(20_000))
        .pattern(Some(format!("^[^{CONTROLS}]*[^\\s\\x00-\\x1F\\x7F-\\x9F][^{CONTROLS}]*$")))
        .into()
}

fn display_order() -> Schema {
    let ty = SchemaType::from_iter([Type::Integer, Type::Null]);
    ObjectBuilder::new().schema_type(ty).minimum(Some(i32::MIN)).maximum(Some(i32::MAX)).into()
}

/// `POST /faqs`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct NewFaqBody {
    /// An existing user type.
    #[schema(schema_with = user_type_number, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required, range(min = 1, max = 9999))]
    pub user_type: Raw<i64>,
    #[schema(schema_with = faq_header, required = true)]
    #[validate(required)]
    pub faq_header: Raw<String>,
    #[schema(schema_with = faq_text, required = true)]
    #[validate(required)]
    pub faq_text: Raw<String>,
    /// Default 0; lower first.
    #[schema(schema_with = display_order)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(range(min = -2147483648, max = 2147483647))]
    pub display_order: Raw<i64>,
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl NewFaqBody {
    pub fn request(&self) -> NewFaq {
        NewFaq {
            user_type: self.user_type.value().copied().unwrap_or(0),
            faq_header: text(&self.faq_header),
            faq_text: text(&self.faq_text),
            display_order: self.display_order.value().copied(),
        }
    }
}

request_body!(NewFaqBody);

/// A FAQ as users read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqItem {
    pub faq_header: String,
    pub faq_text: String,
}

/// `GET /faqs`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqsAnswer {
    pub faqs: Vec<FaqItem>,
    /// The caller's type, whose FAQs these are.
    pub user_type: i32,
}

impl From<&Faqs> for FaqsAnswer {
    fn from(f: &Faqs) -> Self {
        Self {
            faqs: f
                .faqs
                .iter()
                .map(|r| FaqItem { faq_header: r.faq_header.clone(), faq_text: r.faq_text.clone() })
                .collect(),
            user_type: f.user_type.get(),
        }
    }
}

/// `POST /faqs` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct FaqCreatedAnswer {
    #[schema(example = "FAQ created successfully")]
    pub message: &'static str,
    pub faq_id: i64,
    pub user_type: i32,
    pub faq_header: String,
    pub faq_text: String,
    pub display_order: i32,
    pub created_by: String,
}

impl FaqCreatedAnswer {
    pub fn new(r: &FaqRecord, created_by: String) -> Self {
        Self {
            message: "FAQ created successfully",
            faq_id: r.id,
            user_type: r.user_type.get(),
            faq_header: r.faq_header.clone(),
            faq_text: r.faq_text.clone(),
            display_order: r.display_order,
            created_by,
        }
    }
}
