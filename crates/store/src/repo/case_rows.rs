//! The stored shape of `cases`, `case_procedure_codes` and `case_documents`, and its
//! translation from and to the port's records. Patient columns go through the PHI codec.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_cases::PatientNameKey;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_ports::records::*;

use super::R;
use super::decode::{self, opt_ts, ts};
use crate::phi::{PhiCodec, StoredPatient};
use crate::sql::Row;
use crate::stmt::Value;

/// The `cases` columns reads select (`patient_name_bidx` is only ever compared, never read).
const CASE_READ_COLUMNS: [&str; 40] = [
    "human_case_id",
    "case_id",
    "user_id",
    "case_date",
    "patient_first",
    "patient_last",
    "ins_provider",
    "patient_dob",
    "phi_encrypted",
    "surgeon_id",
    "facility_id",
    "case_status",
    "demo_file",
    "note_file",
    "misc_file",
    "admin_file",
    "pay_amount_cents",
    "pay_category",
    "biller_status",
    "dupe_flag",
    "active",
    "deleted_ts",
    "deleted_by",
    "archive_state",
    "case_create_ts",
    "case_updated_ts",
    "provider_submitted_ts",
    "billable_flag_ts",
    "docs_needed_ts",
    "submitted_ts",
    "pending_payment_ts",
    "paid_to_provider_ts",
    "sent_to_biller_ts",
    "received_pmnt_ts",
    "sent_to_negotiation_ts",
    "settled_ts",
    "sent_to_idr_ts",
    "idr_decision_ts",
    "rejected_ts",
    "closed_ts",
];

/// The `cases` columns, each prefixed with `alias.`.
pub(crate) fn case_columns(alias: &str) -> String {
    CASE_READ_COLUMNS.iter().map(|c| format!("{alias}.{c}")).collect::<Vec<_>>().join(", ")
}

#[derive(QueryableByName)]
pub(crate) struct CaseDb {
    #[diesel(sql_type = BigInt)]
    human_case_id: i64,
    #[diesel(sql_type = Text)]
    pub case_id: String,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Date)]
    case_date: NaiveDate,
    #[diesel(sql_type = Text)]
    patient_first: String,
    #[diesel(sql_type = Text)]
    patient_last: String,
    #[diesel(sql_type = Text)]
    ins_provider: String,
    #[diesel(sql_type = Nullable<Text>)]
    patient_dob: Option<String>,
    #[diesel(sql_type = Bool)]
    phi_encrypted: bool,
    #[diesel(sql_type = Nullable<BigInt>)]
    surgeon_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    facility_id: Option<i64>,
    #[diesel(sql_type = BigInt)]
    case_status: i64,
    #[diesel(sql_type = Nullable<Text>)]
    demo_file: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    note_file: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    misc_file: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    admin_file: Option<String>,
    #[diesel(sql_type = BigInt)]
    pay_amount_cents: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pay_category: Option<String>,
    #[diesel(sql_type = BigInt)]
    biller_status: i64,
    #[diesel(sql_type = Bool)]
    dupe_flag: bool,
    #[diesel(sql_type = Bool)]
    active: bool,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    deleted_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Text>)]
    deleted_by: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    archive_state: Option<String>,
    #[diesel(sql_type = SqlTimestamp)]
    case_create_ts: NaiveDateTime,
    #[diesel(sql_type = SqlTimestamp)]
    case_updated_ts: NaiveDateTime,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    provider_submitted_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    billable_flag_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    docs_needed_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    submitted_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    pending_payment_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    paid_to_provider_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    sent_to_biller_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    received_pmnt_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    sent_to_negotiation_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    settled_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    sent_to_idr_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    idr_decision_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    rejected_ts: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    closed_ts: Option<NaiveDateTime>,
}

impl CaseDb {
    fn status_timestamps(&self) -> BTreeMap<StatusTimestamp, surgicase_kernel::Timestamp> {
        use StatusTimestamp as T;
        let columns = [
            (T::ProviderSubmitted, self.provider_submitted_ts),
            (T::BillableFlag, self.billable_flag_ts),
            (T::DocsNeeded, self.docs_needed_ts),
            (T::Submitted, self.submitted_ts),
            (T::PendingPayment, self.pending_payment_ts),
            (T::PaidToProvider, self.paid_to_provider_ts),
            (T::SentToBiller, self.sent_to_biller_ts),
            (T::ReceivedPayment, self.received_pmnt_ts),
            (T::SentToNegotiation, self.sent_to_negotiation_ts),
            (T::Settled, self.settled_ts),
            (T::SentToIdr, self.sent_to_idr_ts),
            (T::IdrDecision, self.idr_decision_ts),
            (T::Rejected, self.rejected_ts),
            (T::Closed, self.closed_ts),
        ];
        columns.into_iter().filter_map(|(col, at)| at.map(|at| (col, ts(at)))).collect()
    }

    /// The record, without codes and documents; the patient data decoded.
    pub fn into_record(self, codec: &PhiCodec) -> R<CaseRecord> {
        let case_id = decode::case_id(&self.case_id, "cases.case_id")?;
        let status_timestamps = self.status_timestamps();
        let stored = StoredPatient {
            first: self.patient_first,
            last: self.patient_last,
            ins_provider: self.ins_provider,
            dob: self.patient_dob,
            encrypted: self.phi_encrypted,
        };
        let patient = codec.decode(&case_id, stored)?;
        // The store keeps only the keyed hash of the name key; the key itself is the domain's
        // function of the names, so it is recomputed.
        let patient_name_key = PatientNameKey::new(&patient.first, &patient.last).as_str().to_owned();
        let row = CaseRow {
            user_id: decode::user_id(&self.user_id, "cases.user_id")?,
            case_date: self.case_date,
            patient,
            patient_name_key,
            surgeon_id: self.surgeon_id.map(|v| decode::surgeon_id(v, "cases.surgeon_id")).transpose()?,
            facility_id: self.facility_id.map(|v| decode::facility_id(v, "cases.facility_id")).transpose()?,
            case_status: decode::status(self.case_status, "cases.case_status")?,
            documents: DocumentNames {
                demo_file: self.demo_file,
                note_file: self.note_file,
                misc_file: self.misc_file,
                admin_file: self.admin_file,
            },
            pay_amount: decode::money(self.pay_amount_cents),
            pay_category: self.pay_category,
            biller_status: decode::int(self.biller_status, "cases.biller_status")?,
            dupe_flag: self.dupe_flag,
            active: self.active,
            deleted_ts: opt_ts(self.deleted_ts),
            deleted_by: self.deleted_by,
            archive_state: self.archive_state,
            case_create_ts: ts(self.case_create_ts),
            case_updated_ts: ts(self.case_updated_ts),
            status_timestamps,
            case_id,
        };
        Ok(CaseRecord {
            human_case_id: self.human_case_id,
            row,
            phi_encrypted: self.phi_encrypted,
            codes: Vec::new(),
            documents: Vec::new(),
        })
    }
}

/// Every column of a `cases` row but `human_case_id`, as written on insert.
pub(crate) fn case_row(row: &CaseRow, codec: &PhiCodec) -> R<Row> {
    let patient = codec.encode(&row.case_id, &row.patient);
    let bidx = codec.blind_index(&row.patient_name_key)?;
    let stamp = |col: StatusTimestamp| Value::from(row.status_timestamps.get(&col).copied());
    use StatusTimestamp as T;
    Ok(vec![
        ("case_id", Value::from(&row.case_id)),
        ("user_id", Value::from(&row.user_id)),
        ("case_date", Value::from(row.case_date)),
        ("patient_first", Value::from(patient.first)),
        ("patient_last", Value::from(patient.last)),
        ("ins_provider", Value::from(patient.ins_provider)),
        ("patient_dob", Value::from(patient.dob)),
        ("patient_name_bidx", Value::from(bidx)),
        ("phi_encrypted", Value::from(patient.encrypted)),
        ("surgeon_id", Value::from(row.surgeon_id.map(|s| s.get()))),
        ("facility_id", Value::from(row.facility_id.map(|f| f.get()))),
        ("case_status", Value::from(row.case_status)),
        ("demo_file", Value::from(&row.documents.demo_file)),
        ("note_file", Value::from(&row.documents.note_file)),
        ("misc_file", Value::from(&row.documents.misc_file)),
        ("admin_file", Value::from(&row.documents.admin_file)),
        ("pay_amount_cents", Value::from(row.pay_amount)),
        ("pay_category", Value::from(&row.pay_category)),
        ("biller_status", Value::from(row.biller_status)),
        ("dupe_flag", Value::from(row.dupe_flag)),
        ("active", Value::from(row.active)),
        ("deleted_ts", Value::from(row.deleted_ts)),
        ("deleted_by", Value::from(&row.deleted_by)),
        ("archive_state", Value::from(&row.archive_state)),
        ("case_create_ts", Value::from(row.case_create_ts)),
        ("case_updated_ts", Value::from(row.case_updated_ts)),
        ("provider_submitted_ts", stamp(T::ProviderSubmitted)),
        ("billable_flag_ts", stamp(T::BillableFlag)),
        ("docs_needed_ts", stamp(T::DocsNeeded)),
        ("submitted_ts", stamp(T::Submitted)),
        ("pending_payment_ts", stamp(T::PendingPayment)),
        ("paid_to_provider_ts", stamp(T::PaidToProvider)),
        ("sent_to_biller_ts", stamp(T::SentToBiller)),
        ("received_pmnt_ts", stamp(T::ReceivedPayment)),
        ("sent_to_negotiation_ts", stamp(T::SentToNegotiation)),
        ("settled_ts", stamp(T::Settled)),
        ("sent_to_idr_ts", stamp(T::SentToIdr)),
        ("idr_decision_ts", stamp(T::IdrDecision)),
        ("rejected_ts", stamp(T::Rejected)),
        ("closed_ts", stamp(T::Closed)),
    ])
}

/// One row of `case_procedure_codes`.
#[derive(QueryableByName)]
pub(crate) struct CodeDb {
    #[diesel(sql_type = Text)]
    pub case_id: String,
    #[diesel(sql_type = Text)]
    procedure_code: String,
    #[diesel(sql_type = Text)]
    procedure_desc: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    asst_surg: Option<i64>,
}

impl CodeDb {
    pub fn into_record(self) -> R<CaseCodeRecord> {
        Ok(CaseCodeRecord {
            procedure_code: self.procedure_code,
            procedure_desc: self.procedure_desc,
            asst_surg: decode::opt_int(self.asst_surg, "case_procedure_codes.asst_surg")?,
        })
    }
}

pub(crate) fn code_row(case_id: &surgicase_kernel::CaseId, seq: usize, code: &CaseCodeRecord) -> R<Row> {
    let seq =
        i16::try_from(seq).map_err(|_| surgicase_ports::StoreError::Backend("too many codes".into()))?;
    Ok(vec![
        ("case_id", Value::from(case_id)),
        ("procedure_code", Value::from(&code.procedure_code)),
        ("seq", Value::from(seq)),
        ("procedure_desc", Value::from(&code.procedure_desc)),
        ("asst_surg", Value::from(code.asst_surg)),
    ])
}

/// The codes joined to a case view (all NULL for a case without codes).
#[derive(QueryableByName)]
pub(crate) struct CodeJoinDb {
    #[diesel(sql_type = Nullable<Text>)]
    code_procedure_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    code_procedure_desc: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    code_asst_surg: Option<i64>,
}

impl CodeJoinDb {
    pub const SELECT: &'static str = "p.procedure_code AS code_procedure_code, \
         p.procedure_desc AS code_procedure_desc, p.asst_surg AS code_asst_surg";

    pub fn into_record(self) -> R<Option<CaseCodeRecord>> {
        let Some(procedure_code) = self.code_procedure_code else { return Ok(None) };
        Ok(Some(CaseCodeRecord {
            procedure_code,
            procedure_desc: self.code_procedure_desc.unwrap_or_default(),
            asst_surg: decode::opt_int(self.code_asst_surg, "case_procedure_codes.asst_surg")?,
        }))
    }
}

/// One row of `case_documents`.
#[derive(QueryableByName)]
pub(crate) struct DocDb {
    #[diesel(sql_type = Text)]
    pub case_id: String,
    #[diesel(sql_type = Text)]
    document_type: String,
    #[diesel(sql_type = Text)]
    document_name: String,
    #[diesel(sql_type = Text)]
    object_key: String,
    #[diesel(sql_type = Text)]
    location: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    size_bytes: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    sha256: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    content_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    uploaded_by: Option<String>,
    #[diesel(sql_type = Nullable<SqlTimestamp>)]
    uploaded_ts: Option<NaiveDateTime>,
}

impl DocDb {
    pub const COLUMNS: &'static str = "case_id, document_type, document_name, object_key, location, size_bytes, \
                                       sha256, content_type, uploaded_by, uploaded_ts";

    pub fn into_record(self) -> CaseDocumentRecord {
        CaseDocumentRecord {
            document_type: self.document_type,
            document_name: self.document_name,
            object_key: self.object_key,
            location: self.location,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            content_type: self.content_type,
            uploaded_by: self.uploaded_by,
            uploaded_ts: opt_ts(self.uploaded_ts),
        }
    }
}

pub(crate) fn doc_row(case_id: &surgicase_kernel::CaseId, d: &CaseDocumentRecord) -> Row {
    vec![
        ("case_id", Value::from(case_id)),
        ("document_type", Value::from(&d.document_type)),
        ("document_name", Value::from(&d.document_name)),
        ("object_key", Value::from(&d.object_key)),
        ("location", Value::from(&d.location)),
        ("size_bytes", Value::from(d.size_bytes)),
        ("sha256", Value::from(&d.sha256)),
        ("content_type", Value::from(&d.content_type)),
        ("uploaded_by", Value::from(&d.uploaded_by)),
        ("uploaded_ts", Value::from(d.uploaded_ts)),
    ]
}

/// The `case_documents` row of one type, joined under an alias whose columns carry a prefix.
macro_rules! doc_join {
    ($name:ident, $doc_type:literal, $alias:literal,
     $n:ident, $k:ident, $l:ident, $s:ident, $h:ident, $ct:ident, $by:ident, $ts:ident) => {
        #[derive(QueryableByName)]
        pub(crate) struct $name {
            #[diesel(sql_type = Nullable<Text>)]
            $n: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            $k: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            $l: Option<String>,
            #[diesel(sql_type = Nullable<BigInt>)]
            $s: Option<i64>,
            #[diesel(sql_type = Nullable<Text>)]
            $h: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            $ct: Option<String>,
            #[diesel(sql_type = Nullable<Text>)]
            $by: Option<String>,
            #[diesel(sql_type = Nullable<SqlTimestamp>)]
            $ts: Option<NaiveDateTime>,
        }

        impl $name {
            pub const JOIN: &'static str = concat!(
                " LEFT JOIN case_documents ",
                $alias,
                " ON ",
                $alias,
                ".case_id = c.case_id AND ",
                $alias,
                ".document_type = '",
                $doc_type,
                "'"
            );
            pub const SELECT: &'static str = concat!(
                $alias,
                ".document_name AS ",
                stringify!($n),
                ", ",
                $alias,
                ".object_key AS ",
                stringify!($k),
                ", ",
                $alias,
                ".location AS ",
                stringify!($l),
                ", ",
                $alias,
                ".size_bytes AS ",
                stringify!($s),
                ", ",
                $alias,
                ".sha256 AS ",
                stringify!($h),
                ", ",
                $alias,
                ".content_type AS ",
                stringify!($ct),
                ", ",
                $alias,
                ".uploaded_by AS ",
                stringify!($by),
                ", ",
                $alias,
                ".uploaded_ts AS ",
                stringify!($ts)
            );

            pub fn into_record(self) -> Option<CaseDocumentRecord> {
                // document_name is NOT NULL: a NULL means no row of this type.
                let document_name = self.$n?;
                Some(CaseDocumentRecord {
                    document_type: $doc_type.to_owned(),
                    document_name,
                    object_key: self.$k.unwrap_or_default(),
                    location: self.$l.unwrap_or_default(),
                    size_bytes: self.$s,
                    sha256: self.$h,
                    content_type: self.$ct,
                    uploaded_by: self.$by,
                    uploaded_ts: opt_ts(self.$ts),
                })
            }
        }
    };
}

doc_join!(AdminDocDb, "admin_file", "da", da_name, da_key, da_loc, da_size, da_sha, da_ctype, da_by, da_ts);
doc_join!(DemoDocDb, "demo_file", "dd", dd_name, dd_key, dd_loc, dd_size, dd_sha, dd_ctype, dd_by, dd_ts);
doc_join!(MiscDocDb, "misc_file", "dm", dm_name, dm_key, dm_loc, dm_size, dm_sha, dm_ctype, dm_by, dm_ts);
doc_join!(NoteDocDb, "note_file", "dn", dn_name, dn_key, dn_loc, dn_size, dn_sha, dn_ctype, dn_by, dn_ts);

/// The display joins of a case.
#[derive(QueryableByName)]
pub(crate) struct JoinsDb {
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_first: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_last: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    surgeon_npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_state: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    facility_npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    owner_first: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    owner_last: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    status_desc: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    described_status_desc: Option<String>,
}

impl JoinsDb {
    pub fn into_joins(self) -> CaseJoins {
        CaseJoins {
            surgeon_first: self.surgeon_first,
            surgeon_last: self.surgeon_last,
            surgeon_npi: self.surgeon_npi,
            facility_name: self.facility_name,
            facility_state: self.facility_state,
            facility_npi: self.facility_npi,
            owner_first: self.owner_first,
            owner_last: self.owner_last,
            status_desc: self.status_desc,
            described_status_desc: self.described_status_desc,
        }
    }
}

/// A case with its display joins and its four documents: one row per case.
#[derive(QueryableByName)]
pub(crate) struct CaseFullDb {
    #[diesel(embed)]
    pub case: CaseDb,
    #[diesel(embed)]
    joins: JoinsDb,
    #[diesel(embed)]
    admin: AdminDocDb,
    #[diesel(embed)]
    demo: DemoDocDb,
    #[diesel(embed)]
    misc: MiscDocDb,
    #[diesel(embed)]
    note: NoteDocDb,
}

impl CaseFullDb {
    /// `SELECT … FROM cases c LEFT JOIN …`; the one placeholder is the status to describe.
    pub fn select_from() -> String {
        format!(
            "SELECT {}, s.first_name AS surgeon_first, s.last_name AS surgeon_last, \
             s.surgeon_npi AS surgeon_npi, f.facility_name AS facility_name, \
             f.facility_state AS facility_state, f.facility_npi AS facility_npi, \
             o.first_name AS owner_first, o.last_name AS owner_last, \
             sl.case_status_desc AS status_desc, dl.case_status_desc AS described_status_desc, \
             {}, {}, {}, {}",
            case_columns("c"),
            AdminDocDb::SELECT,
            DemoDocDb::SELECT,
            MiscDocDb::SELECT,
            NoteDocDb::SELECT,
        )
    }

    pub fn from_joins() -> String {
        format!(
            " FROM cases c \
             LEFT JOIN surgeon_list s ON s.surgeon_id = c.surgeon_id \
             LEFT JOIN facility_list f ON f.facility_id = c.facility_id \
             LEFT JOIN user_profile o ON o.user_id = c.user_id \
             LEFT JOIN case_status_list sl ON sl.case_status = c.case_status \
             LEFT JOIN case_status_list dl ON dl.case_status = ?{}{}{}{}",
            AdminDocDb::JOIN,
            DemoDocDb::JOIN,
            MiscDocDb::JOIN,
            NoteDocDb::JOIN,
        )
    }

    /// The view, without codes; documents by type.
    pub fn into_view(self, codec: &PhiCodec) -> R<CaseView> {
        let mut case = self.case.into_record(codec)?;
        case.documents = [
            self.admin.into_record(),
            self.demo.into_record(),
            self.misc.into_record(),
            self.note.into_record(),
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(CaseView { case, joins: self.joins.into_joins() })
    }
}

/// A case view row with one of its codes (`get_case_view`: one row per code).
#[derive(QueryableByName)]
pub(crate) struct CaseViewCodeDb {
    #[diesel(embed)]
    pub full: CaseFullDb,
    #[diesel(embed)]
    pub code: CodeJoinDb,
}
