//! Cases: `Case`, `CaseListItem`, `StatusUpdate`, `PayUpdate` and the answers of api.md §2.

use serde::Serialize;
use surgicase_app::cases as app_cases;
use surgicase_kernel::DocumentField;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_ports::records::{CaseDocumentRecord, CaseView};
use utoipa::ToSchema;

use super::format::{Amount, date, flag, full_name, npi, timestamp};

/// The automatic-rule outcome of a case write, statuses displayed through the caller's cap.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusUpdate {
    /// Always `true` (kept for legacy clients).
    pub success: bool,
    pub changed: bool,
    pub previous_status: i16,
    pub case_status: i16,
    /// The matching rule, or `null`.
    pub rule: Option<String>,
    pub rule_set: String,
    #[schema(example = "Status changed from 0 to 1 (rule complete)")]
    pub message: String,
}

impl From<&app_cases::StatusUpdate> for StatusUpdate {
    fn from(s: &app_cases::StatusUpdate) -> Self {
        Self {
            success: true,
            changed: s.changed,
            previous_status: s.previous_status.code(),
            case_status: s.case_status.code(),
            rule: s.rule.clone(),
            rule_set: s.rule_set.clone(),
            message: s.message.clone(),
        }
    }
}

/// The pay recomputation of a case write.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayUpdate {
    /// Always `true` (kept for legacy clients).
    pub success: bool,
    pub changed: bool,
    #[schema(value_type = f64, example = 450.00)]
    pub pay_amount: Amount,
    pub pay_category: Option<String>,
    /// The case's codes known to the code master.
    pub procedure_codes_found: usize,
    pub priced_code: Option<String>,
    #[schema(example = "Pay amount set to 450.00 (Orthopedic)")]
    pub message: String,
}

impl From<&app_cases::PayUpdate> for PayUpdate {
    fn from(p: &app_cases::PayUpdate) -> Self {
        Self {
            success: true,
            changed: p.changed,
            pay_amount: Amount(p.pay_amount),
            pay_category: p.pay_category.clone(),
            procedure_codes_found: p.procedure_codes_found,
            priced_code: p.priced_code.clone(),
            message: p.message.clone(),
        }
    }
}

/// A stored document of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocument {
    pub file_name: String,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    pub content_type: Option<String>,
    /// Timestamp.
    pub uploaded_at: Option<String>,
}

/// The four document slots of a case (`null` when empty).
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocuments {
    pub demo_file: Option<CaseDocument>,
    pub note_file: Option<CaseDocument>,
    pub misc_file: Option<CaseDocument>,
    pub admin_file: Option<CaseDocument>,
}

impl CaseDocuments {
    fn of(records: &[CaseDocumentRecord]) -> Self {
        let slot = |field: DocumentField| {
            records.iter().find(|d| d.document_type == field).map(|d| CaseDocument {
                file_name: d.document_name.clone(),
                size_bytes: d.size_bytes,
                sha256: d.sha256.clone(),
                content_type: d.content_type.clone(),
                uploaded_at: d.uploaded_ts.map(timestamp),
            })
        };
        Self {
            demo_file: slot(DocumentField::DemoFile),
            note_file: slot(DocumentField::NoteFile),
            misc_file: slot(DocumentField::MiscFile),
            admin_file: slot(DocumentField::AdminFile),
        }
    }
}

/// A procedure code of a case, in entry order.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseCode {
    pub procedure_code: String,
    pub procedure_desc: String,
    pub asst_surg: Option<i16>,
}

/// A full case (`GET /case`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Case {
    pub user_id: String,
    pub case_id: String,
    /// Date.
    pub case_date: String,
    pub patient_first: String,
    pub patient_last: String,
    pub ins_provider: String,
    /// Date.
    pub patient_dob: Option<String>,
    pub surgeon_id: Option<i64>,
    pub facility_id: Option<i64>,
    /// The displayed status (domain §4.3).
    pub case_status: i16,
    pub case_status_desc: Option<String>,
    pub demo_file: Option<String>,
    pub note_file: Option<String>,
    pub misc_file: Option<String>,
    pub admin_file: Option<String>,
    pub documents: CaseDocuments,
    #[schema(value_type = f64, example = 450.00)]
    pub pay_amount: Amount,
    pub pay_category: Option<String>,
    /// 0/1.
    pub phi_encrypted: u8,
    /// 0/1.
    pub dupe_flag: u8,
    /// "First Last".
    pub surgeon_name: Option<String>,
    pub surgeon_npi: Option<i64>,
    pub facility_name: Option<String>,
    pub facility_state: Option<String>,
    pub facility_npi: Option<i64>,
    /// The owner, "First Last".
    pub user_name: Option<String>,
    pub procedure_codes: Vec<CaseCode>,
    /// Timestamp.
    pub case_create_ts: String,
    /// Timestamp.
    pub case_updated_ts: String,
}

impl Case {
    /// A case with the status the caller is shown.
    pub fn new(view: &CaseView, case_status: i16, case_status_desc: Option<String>) -> Self {
        let (record, joins) = (&view.case, &view.joins);
        let row = &record.row;
        let docs = &row.documents;
        Self {
            user_id: row.user_id.to_string(),
            case_id: row.case_id.to_string(),
            case_date: date(row.case_date),
            patient_first: row.patient.first.clone(),
            patient_last: row.patient.last.clone(),
            ins_provider: row.patient.ins_provider.clone(),
            patient_dob: row.patient.dob.map(date),
            surgeon_id: row.surgeon_id.map(|s| s.get()),
            facility_id: row.facility_id.map(|f| f.get()),
            case_status,
            case_status_desc,
            demo_file: docs.demo_file.clone(),
            note_file: docs.note_file.clone(),
            misc_file: docs.misc_file.clone(),
            admin_file: docs.admin_file.clone(),
            documents: CaseDocuments::of(&record.documents),
            pay_amount: Amount(row.pay_amount),
            pay_category: row.pay_category.clone(),
            phi_encrypted: flag(record.phi_encrypted),
            dupe_flag: flag(row.dupe_flag),
            surgeon_name: full_name(joins.surgeon_first.as_deref(), joins.surgeon_last.as_deref()),
            surgeon_npi: npi(joins.surgeon_npi),
            facility_name: joins.facility_name.clone(),
            facility_state: joins.facility_state.clone(),
            facility_npi: npi(joins.facility_npi),
            user_name: full_name(joins.owner_first.as_deref(), joins.owner_last.as_deref()),
            procedure_codes: record
                .codes
                .iter()
                .map(|c| CaseCode {
                    procedure_code: c.procedure_code.clone(),
                    procedure_desc: c.procedure_desc.clone(),
                    asst_surg: c.asst_surg,
                })
                .collect(),
            case_create_ts: timestamp(row.case_create_ts),
            case_updated_ts: timestamp(row.case_updated_ts),
        }
    }
}

/// `GET /case`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseAnswer {
    pub case: Case,
    /// The owner.
    pub user_id: String,
    pub case_id: String,
    /// Present when `calling_user_id` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calling_user_id_used: Option<String>,
}

impl CaseAnswer {
    pub fn new(details: &app_cases::CaseDetails, calling_user_id: Option<String>) -> Self {
        let row = &details.view.case.row;
        Self {
            case: Case::new(&details.view, details.case_status.code(), details.case_status_desc.clone()),
            user_id: row.user_id.to_string(),
            case_id: row.case_id.to_string(),
            calling_user_id_used: calling_user_id,
        }
    }
}

/// A procedure code in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListedCode {
    pub procedure_code: String,
    pub procedure_desc: String,
}

/// A case in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseListItem {
    pub user_id: String,
    pub case_id: String,
    /// Date.
    pub case_date: String,
    pub patient_first: String,
    pub patient_last: String,
    pub ins_provider: String,
    pub surgeon_id: Option<i64>,
    pub facility_id: Option<i64>,
    /// The displayed status (domain §4.3).
    pub case_status: i16,
    pub case_status_desc: Option<String>,
    pub demo_file: Option<String>,
    pub note_file: Option<String>,
    pub misc_file: Option<String>,
    pub admin_file: Option<String>,
    #[schema(value_type = f64, example = 450.00)]
    pub pay_amount: Amount,
    pub pay_category: Option<String>,
    /// Timestamp.
    pub paid_to_provider_ts: Option<String>,
    /// 0/1.
    pub phi_encrypted: u8,
    pub surgeon_name: Option<String>,
    pub facility_name: Option<String>,
    pub procedure_codes: Vec<ListedCode>,
}

impl From<&app_cases::ListedCase> for CaseListItem {
    fn from(listed: &app_cases::ListedCase) -> Self {
        let (record, joins) = (&listed.view.case, &listed.view.joins);
        let row = &record.row;
        let docs = &row.documents;
        Self {
            user_id: row.user_id.to_string(),
            case_id: row.case_id.to_string(),
            case_date: date(row.case_date),
            patient_first: row.patient.first.clone(),
            patient_last: row.patient.last.clone(),
            ins_provider: row.patient.ins_provider.clone(),
            surgeon_id: row.surgeon_id.map(|s| s.get()),
            facility_id: row.facility_id.map(|f| f.get()),
            case_status: listed.case_status.code(),
            case_status_desc: listed.case_status_desc.clone(),
            demo_file: docs.demo_file.clone(),
            note_file: docs.note_file.clone(),
            misc_file: docs.misc_file.clone(),
            admin_file: docs.admin_file.clone(),
            pay_amount: Amount(row.pay_amount),
            pay_category: row.pay_category.clone(),
            paid_to_provider_ts: row
                .status_timestamps
                .get(&StatusTimestamp::PaidToProvider)
                .copied()
                .map(timestamp),
            phi_encrypted: flag(record.phi_encrypted),
            surgeon_name: full_name(joins.surgeon_first.as_deref(), joins.surgeon_last.as_deref()),
            facility_name: joins.facility_name.clone(),
            procedure_codes: record
                .codes
                .iter()
                .map(|c| ListedCode {
                    procedure_code: c.procedure_code.clone(),
                    procedure_desc: c.procedure_desc.clone(),
                })
                .collect(),
        }
    }
}

/// The `filter` echoed by `GET /case_filter`: `[10, 15]`, `[]` or `["all"]`.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum FilterEcho {
    Statuses(Vec<i16>),
    All(Vec<String>),
}

/// One array whose items are status codes or `"all"`: the two variants as `oneOf` would both
/// match `[]`, and a validator rejects a value that matches two branches of a `oneOf`.
impl utoipa::PartialSchema for FilterEcho {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, SchemaType, Type};
        let status = ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int32)));
        let all = ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some(["all"]));
        ArrayBuilder::new()
            .items(OneOfBuilder::new().item(status).item(all))
            .description(Some("The status filter applied: `[10, 15]`, `[]` or `[\"all\"]`."))
            .into()
    }
}

impl ToSchema for FilterEcho {}

impl From<&app_cases::StatusFilter> for FilterEcho {
    fn from(filter: &app_cases::StatusFilter) -> Self {
        match filter {
            app_cases::StatusFilter::None => Self::Statuses(Vec::new()),
            app_cases::StatusFilter::All => Self::All(vec!["all".to_owned()]),
            app_cases::StatusFilter::Statuses(list) => {
                Self::Statuses(list.iter().map(|s| s.code()).collect())
            }
        }
    }
}

/// `GET /case_filter`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseListAnswer {
    pub cases: Vec<CaseListItem>,
    pub user_id: String,
    pub filter: FilterEcho,
    /// Every match.
    pub total: i64,
    pub limit: i64,
    pub offset: i64,
}

impl From<&app_cases::CaseList> for CaseListAnswer {
    fn from(list: &app_cases::CaseList) -> Self {
        Self {
            cases: list.cases.iter().map(CaseListItem::from).collect(),
            user_id: list.user_id.to_string(),
            filter: FilterEcho::from(&list.filter),
            total: list.total,
            limit: list.limit,
            offset: list.offset,
        }
    }
}

/// `POST /case` (201).
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseCreatedAnswer {
    #[schema(example = "Case and procedure codes created successfully")]
    pub message: &'static str,
    pub user_id: String,
    pub case_id: String,
    /// The displayed status.
    pub case_status: i16,
    /// The stored list.
    pub procedure_codes: Vec<String>,
    pub original_procedure_codes: Vec<String>,
    pub corrected_procedure_codes: Vec<String>,
    pub procedure_code_corrections: Vec<String>,
    pub unknown_procedure_codes: Vec<String>,
    pub status_update: StatusUpdate,
    pub pay_amount_update: PayUpdate,
    pub forced_duplicate: bool,
    /// 0/1.
    pub dupe_flag: u8,
}

impl From<&app_cases::CaseCreated> for CaseCreatedAnswer {
    fn from(c: &app_cases::CaseCreated) -> Self {
        Self {
            message: if c.codes.original.is_empty() {
                "Case created successfully"
            } else {
                "Case and procedure codes created successfully"
            },
            user_id: c.owner.to_string(),
            case_id: c.case_id.to_string(),
            case_status: c.case_status.code(),
            procedure_codes: c.codes.corrected.clone(),
            original_procedure_codes: c.codes.original.clone(),
            corrected_procedure_codes: c.codes.corrected.clone(),
            procedure_code_corrections: c.codes.corrections.clone(),
            unknown_procedure_codes: c.codes.unknown.clone(),
            status_update: StatusUpdate::from(&c.status_update),
            pay_amount_update: PayUpdate::from(&c.pay_update),
            forced_duplicate: c.forced_duplicate,
            dupe_flag: flag(c.dupe_flag),
        }
    }
}

/// `PATCH /case`. The four code fields appear only when `procedure_codes` was sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseUpdatedAnswer {
    #[schema(example = "Case updated successfully")]
    pub message: &'static str,
    pub case_id: String,
    /// Fields whose stored value changed (plus `pay_amount` when the pay changed).
    pub updated_fields: Vec<String>,
    pub status_update: StatusUpdate,
    /// `null` when pay was not recomputed.
    #[schema(required = true)]
    pub pay_amount_update: Option<PayUpdate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub procedure_code_corrections: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_procedure_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_procedure_codes: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unknown_procedure_codes: Option<Vec<String>>,
}

impl From<&app_cases::CaseUpdated> for CaseUpdatedAnswer {
    fn from(u: &app_cases::CaseUpdated) -> Self {
        let codes = u.codes.as_ref();
        Self {
            message: "Case updated successfully",
            case_id: u.case_id.clone(),
            updated_fields: u.updated_fields.clone(),
            status_update: StatusUpdate::from(&u.status_update),
            pay_amount_update: u.pay_update.as_ref().map(PayUpdate::from),
            procedure_code_corrections: codes.map(|c| c.corrections.clone()),
            original_procedure_codes: codes.map(|c| c.original.clone()),
            corrected_procedure_codes: codes.map(|c| c.corrected.clone()),
            unknown_procedure_codes: codes.map(|c| c.unknown.clone()),
        }
    }
}

/// One document's fate in the archive step.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArchivedDocument {
    pub document_type: String,
    /// `deleted`, `missing` or `pending`.
    pub outcome: &'static str,
}

/// `DELETE /case`. `deactivated_at` and `documents` are absent when the case was already
/// inactive.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDeletedAnswer {
    #[schema(example = "Case deactivated successfully")]
    pub message: &'static str,
    pub case_id: String,
    /// Always 0.
    pub active: u8,
    /// Timestamp.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deactivated_at: Option<String>,
    /// `done` or `pending`.
    pub archive_state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<Vec<ArchivedDocument>>,
}

impl From<&app_cases::CaseDeleted> for CaseDeletedAnswer {
    fn from(d: &app_cases::CaseDeleted) -> Self {
        let documents = || {
            d.documents
                .iter()
                .map(|doc| ArchivedDocument {
                    document_type: doc.document_type.clone(),
                    outcome: doc.outcome.as_str(),
                })
                .collect()
        };
        Self {
            message: if d.already_inactive {
                "Case already inactive"
            } else {
                "Case deactivated successfully"
            },
            case_id: d.case_id.clone(),
            active: 0,
            deactivated_at: if d.already_inactive { None } else { d.deactivated_at.map(timestamp) },
            archive_state: d.archive_state.to_string(),
            documents: (!d.already_inactive).then(documents),
        }
    }
}

/// `POST /case/restore`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseRestoredAnswer {
    #[schema(example = "Case restored")]
    pub message: &'static str,
    pub case_id: String,
    /// Always 1.
    pub active: u8,
    /// The displayed status.
    pub case_status: i16,
    pub status_update: StatusUpdate,
    /// `null` when pay was kept (cases at 15 and above).
    #[schema(required = true)]
    pub pay_amount_update: Option<PayUpdate>,
    /// `done` or `pending`.
    pub archive_state: String,
}

impl From<&app_cases::CaseRestored> for CaseRestoredAnswer {
    fn from(r: &app_cases::CaseRestored) -> Self {
        Self {
            message: "Case restored",
            case_id: r.case_id.clone(),
            active: 1,
            case_status: r.case_status.code(),
            status_update: StatusUpdate::from(&r.status_update),
            pay_amount_update: r.pay_update.as_ref().map(PayUpdate::from),
            archive_state: r.archive_state.to_string(),
        }
    }
}

/// One status change, through the reader's cap.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryItem {
    /// `null` for the creation.
    pub from_status: Option<i16>,
    pub from_status_desc: Option<String>,
    pub to_status: i16,
    pub to_status_desc: Option<String>,
    /// Timestamp.
    pub changed_at: String,
    /// `create`, `rule`, `bulk` or `job`.
    pub source: &'static str,
    pub rule: Option<String>,
    pub reason: Option<String>,
    /// `user`, `job` or `system`.
    pub actor_type: &'static str,
    /// `null` unless the reader is a case admin or the actor.
    pub actor_id: Option<String>,
}

/// `GET /case/status_history`, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryAnswer {
    pub case_id: String,
    pub history: Vec<HistoryItem>,
}

impl From<&app_cases::CaseHistory> for HistoryAnswer {
    fn from(h: &app_cases::CaseHistory) -> Self {
        Self {
            case_id: h.case_id.clone(),
            history: h
                .history
                .iter()
                .map(|e| HistoryItem {
                    from_status: e.from_status.map(|s| s.code()),
                    from_status_desc: e.from_status_desc.clone(),
                    to_status: e.to_status.code(),
                    to_status_desc: e.to_status_desc.clone(),
                    changed_at: timestamp(e.changed_at),
                    source: e.source,
                    rule: e.rule.clone(),
                    reason: e.reason.clone(),
                    actor_type: e.actor_type,
                    actor_id: e.actor_id.clone(),
                })
                .collect(),
        }
    }
}

// ----- request bodies (documentation) -----
