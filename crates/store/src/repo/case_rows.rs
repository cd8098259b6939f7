//! The stored shape of `cases`, `case_procedure_codes` and `case_documents`, and its
//! translation from and to the port's records. Patient columns go through the PHI codec.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types::{BigInt, Bool, Date, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_cases::PatientNameKey;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_ports::records::*;

use super::R;
use super::decode::{self, opt_ts, ts};
use crate::phi::{PhiCodec, StoredPatient};
use crate::sql::Row;
use crate::stmt::{Positional, Value};

/// A row struct decoded by position, and its select list, from one list of fields: field `i`
/// is select expression `i` (the field's name unless `=> "expression"` is given), so the
/// struct and the statements that load it cannot drift apart.
macro_rules! positional_row {
    (@col $f:ident) => { stringify!($f) };
    (@col $f:ident $c:expr) => { $c };
    ($(#[$m:meta])* $vis:vis struct $name:ident {
        $( $fvis:vis $field:ident : $rust:ty = $sql:ty $(=> $col:expr)? ),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(diesel::Queryable)]
        $vis struct $name {
            $( $fvis $field: $rust, )*
        }

        impl $name {
            /// The select expressions, in field order.
            pub const COLUMNS: &'static [&'static str] = &[$( positional_row!(@col $field $($col)?) ),*];
            /// The field names, in order.
            #[cfg(test)]
            pub const FIELDS: &'static [&'static str] = &[$( stringify!($field) ),*];
        }

        impl Positional for $name {
            type Sql = ($( $sql, )*);

            fn select_exprs(prefix: &str, out: &mut Vec<String>) {
                out.extend(Self::COLUMNS.iter().map(|c| format!("{prefix}{c}")));
            }
        }
    };
}

/// A row struct decoded by position made of positional groups, each selected with its own
/// prefix (`""` unless `=> "prefix"` is given): field order, SQL types and select list come
/// from this one list.
macro_rules! positional_groups {
    (@prefix) => { "" };
    (@prefix $p:literal) => { $p };
    ($(#[$m:meta])* $vis:vis struct $name:ident {
        $( $fvis:vis $field:ident : $group:ty $(=> $prefix:literal)? ),* $(,)?
    }) => {
        $(#[$m])*
        #[derive(diesel::Queryable)]
        $vis struct $name {
            $( $fvis $field: $group, )*
        }

        impl Positional for $name {
            type Sql = ($( <$group as Positional>::Sql, )*);

            fn select_exprs(prefix: &str, out: &mut Vec<String>) {
                $( <$group as Positional>::select_exprs(
                    &format!("{prefix}{}", positional_groups!(@prefix $($prefix)?)),
                    out,
                ); )*
            }
        }
    };
}

positional_row! {
    /// The `cases` columns reads select, in this order (`patient_name_bidx` is only ever
    /// compared, never read).
    pub(crate) struct CaseDb {
        human_case_id: i64 = BigInt,
        pub case_id: String = Text,
        user_id: String = Text,
        case_date: NaiveDate = Date,
        patient_first: String = Text,
        patient_last: String = Text,
        ins_provider: String = Text,
        patient_dob: Option<String> = Nullable<Text>,
        phi_encrypted: bool = Bool,
        surgeon_id: Option<i64> = Nullable<BigInt>,
        facility_id: Option<i64> = Nullable<BigInt>,
        case_status: i64 = BigInt,
        demo_file: Option<String> = Nullable<Text>,
        note_file: Option<String> = Nullable<Text>,
        misc_file: Option<String> = Nullable<Text>,
        admin_file: Option<String> = Nullable<Text>,
        pay_amount_cents: i64 = BigInt,
        pay_category: Option<String> = Nullable<Text>,
        biller_status: i64 = BigInt,
        dupe_flag: bool = Bool,
        active: bool = Bool,
        deleted_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        deleted_by: Option<String> = Nullable<Text>,
        archive_state: Option<String> = Nullable<Text>,
        case_create_ts: NaiveDateTime = SqlTimestamp,
        case_updated_ts: NaiveDateTime = SqlTimestamp,
        provider_submitted_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        billable_flag_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        docs_needed_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        submitted_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        pending_payment_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        paid_to_provider_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        sent_to_biller_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        received_pmnt_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        sent_to_negotiation_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        settled_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        sent_to_idr_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        idr_decision_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        rejected_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
        closed_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
    }
}

/// The `cases` columns, each prefixed with `alias.`.
pub(crate) fn case_columns(alias: &str) -> String {
    CaseDb::select_list(&format!("{alias}."))
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
    pub fn into_record(self, codec: &PhiCodec) -> R<Case> {
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
            archive_state: decode::archive_state(self.archive_state.as_deref(), "cases.archive_state")?,
            case_create_ts: ts(self.case_create_ts),
            case_updated_ts: ts(self.case_updated_ts),
            status_timestamps,
            case_id,
        };
        Ok(Case {
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
        ("archive_state", Value::from(row.archive_state)),
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

positional_row! {
    /// One row of `case_procedure_codes`.
    pub(crate) struct CodeDb {
        pub case_id: String = Text,
        procedure_code: String = Text,
        procedure_desc: String = Text,
        asst_surg: Option<i64> = Nullable<BigInt>,
    }
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
    let seq = i16::try_from(seq).map_err(|_| surgicase_ports::StoreError::backend("too many codes"))?;
    Ok(vec![
        ("case_id", Value::from(case_id)),
        ("procedure_code", Value::from(&code.procedure_code)),
        ("seq", Value::from(seq)),
        ("procedure_desc", Value::from(&code.procedure_desc)),
        ("asst_surg", Value::from(code.asst_surg)),
    ])
}

positional_row! {
    /// The codes joined to a case view (all NULL for a case without codes).
    pub(crate) struct CodeJoinDb {
        code_procedure_code: Option<String> = Nullable<Text> => "p.procedure_code AS code_procedure_code",
        code_procedure_desc: Option<String> = Nullable<Text> => "p.procedure_desc AS code_procedure_desc",
        code_asst_surg: Option<i64> = Nullable<BigInt> => "p.asst_surg AS code_asst_surg",
    }
}

impl CodeJoinDb {
    pub fn into_record(self) -> R<Option<CaseCodeRecord>> {
        let Some(procedure_code) = self.code_procedure_code else { return Ok(None) };
        Ok(Some(CaseCodeRecord {
            procedure_code,
            procedure_desc: self.code_procedure_desc.unwrap_or_default(),
            asst_surg: decode::opt_int(self.code_asst_surg, "case_procedure_codes.asst_surg")?,
        }))
    }
}

positional_row! {
    /// One row of `case_documents`.
    pub(crate) struct DocDb {
        pub case_id: String = Text,
        document_type: String = Text,
        document_name: String = Text,
        object_key: String = Text,
        location: String = Text,
        size_bytes: Option<i64> = Nullable<BigInt>,
        sha256: Option<String> = Nullable<Text>,
        content_type: Option<String> = Nullable<Text>,
        uploaded_by: Option<String> = Nullable<Text>,
        uploaded_ts: Option<NaiveDateTime> = Nullable<SqlTimestamp>,
    }
}

impl DocDb {
    pub fn into_record(self) -> R<CaseDocumentRecord> {
        Ok(CaseDocumentRecord {
            document_type: decode::document_field(&self.document_type, "case_documents.document_type")?,
            document_name: self.document_name,
            object_key: self.object_key,
            location: decode::location(&self.location, "case_documents.location")?,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            content_type: self.content_type,
            uploaded_by: self.uploaded_by,
            uploaded_ts: opt_ts(self.uploaded_ts),
        })
    }
}

pub(crate) fn doc_row(case_id: &surgicase_kernel::CaseId, d: &CaseDocumentRecord) -> Row {
    vec![
        ("case_id", Value::from(case_id)),
        ("document_type", Value::from(d.document_type)),
        ("document_name", Value::from(&d.document_name)),
        ("object_key", Value::from(&d.object_key)),
        ("location", Value::from(d.location)),
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
        positional_row! {
            pub(crate) struct $name {
                $n: Option<String> = Nullable<Text> => concat!($alias, ".document_name AS ", stringify!($n)),
                $k: Option<String> = Nullable<Text> => concat!($alias, ".object_key AS ", stringify!($k)),
                $l: Option<String> = Nullable<Text> => concat!($alias, ".location AS ", stringify!($l)),
                $s: Option<i64> = Nullable<BigInt> => concat!($alias, ".size_bytes AS ", stringify!($s)),
                $h: Option<String> = Nullable<Text> => concat!($alias, ".sha256 AS ", stringify!($h)),
                $ct: Option<String> = Nullable<Text> => concat!($alias, ".content_type AS ", stringify!($ct)),
                $by: Option<String> = Nullable<Text> => concat!($alias, ".uploaded_by AS ", stringify!($by)),
                $ts: Option<NaiveDateTime> = Nullable<SqlTimestamp> => concat!($alias, ".uploaded_ts AS ", stringify!($ts)),
            }
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
            pub fn into_record(self) -> R<Option<CaseDocumentRecord>> {
                // document_name is NOT NULL: a NULL means no row of this type.
                let Some(document_name) = self.$n else { return Ok(None) };
                Ok(Some(CaseDocumentRecord {
                    document_type: decode::document_field($doc_type, "case_documents.document_type")?,
                    document_name,
                    object_key: self.$k.unwrap_or_default(),
                    location: decode::location(self.$l.as_deref().unwrap_or_default(), "case_documents.location")?,
                    size_bytes: self.$s,
                    sha256: self.$h,
                    content_type: self.$ct,
                    uploaded_by: self.$by,
                    uploaded_ts: opt_ts(self.$ts),
                }))
            }
        }
    };
}

doc_join!(AdminDocDb, "admin_file", "da", da_name, da_key, da_loc, da_size, da_sha, da_ctype, da_by, da_ts);
doc_join!(DemoDocDb, "demo_file", "dd", dd_name, dd_key, dd_loc, dd_size, dd_sha, dd_ctype, dd_by, dd_ts);
doc_join!(MiscDocDb, "misc_file", "dm", dm_name, dm_key, dm_loc, dm_size, dm_sha, dm_ctype, dm_by, dm_ts);
doc_join!(NoteDocDb, "note_file", "dn", dn_name, dn_key, dn_loc, dn_size, dn_sha, dn_ctype, dn_by, dn_ts);

positional_row! {
    /// The display joins of a case.
    pub(crate) struct JoinsDb {
        surgeon_first: Option<String> = Nullable<Text> => "s.first_name AS surgeon_first",
        surgeon_last: Option<String> = Nullable<Text> => "s.last_name AS surgeon_last",
        surgeon_npi: Option<i64> = Nullable<BigInt> => "s.surgeon_npi AS surgeon_npi",
        facility_name: Option<String> = Nullable<Text> => "f.facility_name AS facility_name",
        facility_state: Option<String> = Nullable<Text> => "f.facility_state AS facility_state",
        facility_npi: Option<i64> = Nullable<BigInt> => "f.facility_npi AS facility_npi",
        owner_first: Option<String> = Nullable<Text> => "o.first_name AS owner_first",
        owner_last: Option<String> = Nullable<Text> => "o.last_name AS owner_last",
        status_desc: Option<String> = Nullable<Text> => "sl.case_status_desc AS status_desc",
        described_status_desc: Option<String> = Nullable<Text> => "dl.case_status_desc AS described_status_desc",
    }
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

positional_groups! {
    /// A case with its display joins and its four documents: one row per case.
    pub(crate) struct CaseFullDb {
        pub case: CaseDb => "c.",
        joins: JoinsDb,
        admin: AdminDocDb,
        demo: DemoDocDb,
        misc: MiscDocDb,
        note: NoteDocDb,
    }
}

impl CaseFullDb {
    /// `SELECT …` of the columns, in field order; [`CaseFullDb::from_joins`] follows.
    pub fn select_from() -> String {
        format!("SELECT {}", Self::select_list(""))
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
            self.admin.into_record()?,
            self.demo.into_record()?,
            self.misc.into_record()?,
            self.note.into_record()?,
        ]
        .into_iter()
        .flatten()
        .collect();
        Ok(CaseView { case, joins: self.joins.into_joins() })
    }
}

positional_groups! {
    /// A case view row with one of its codes (`get_case_view`: one row per code).
    pub(crate) struct CaseViewCodeDb {
        pub full: CaseFullDb,
        pub code: CodeJoinDb,
    }
}

impl CaseViewCodeDb {
    /// `SELECT …` of the columns, in field order; [`CaseFullDb::from_joins`] follows.
    pub fn select_from() -> String {
        format!("SELECT {}", Self::select_list(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Field `i` of a positional row is select expression `i`: the expression is the field's
    /// column itself or ends in `AS field`.
    fn assert_paired(columns: &[&str], fields: &[&str]) {
        assert_eq!(columns.len(), fields.len());
        for (col, field) in columns.iter().zip(fields) {
            assert!(col == field || col.ends_with(&format!(" AS {field}")), "{col} / {field}");
        }
    }

    #[test]
    fn select_expressions_pair_with_fields() {
        assert_paired(CaseDb::COLUMNS, CaseDb::FIELDS);
        assert_paired(CodeDb::COLUMNS, CodeDb::FIELDS);
        assert_paired(CodeJoinDb::COLUMNS, CodeJoinDb::FIELDS);
        assert_paired(DocDb::COLUMNS, DocDb::FIELDS);
        assert_paired(JoinsDb::COLUMNS, JoinsDb::FIELDS);
        assert_paired(AdminDocDb::COLUMNS, AdminDocDb::FIELDS);
        assert_paired(DemoDocDb::COLUMNS, DemoDocDb::FIELDS);
        assert_paired(MiscDocDb::COLUMNS, MiscDocDb::FIELDS);
        assert_paired(NoteDocDb::COLUMNS, NoteDocDb::FIELDS);
        // The doc joins read their own alias, and the columns of `case_documents` in order.
        for (group, alias) in [
            (AdminDocDb::COLUMNS, "da."),
            (DemoDocDb::COLUMNS, "dd."),
            (MiscDocDb::COLUMNS, "dm."),
            (NoteDocDb::COLUMNS, "dn."),
        ] {
            let read: Vec<&str> =
                group.iter().map(|c| c.strip_prefix(alias).unwrap().split(' ').next().unwrap()).collect();
            assert_eq!(read, DocDb::COLUMNS[2..], "{alias}");
        }
        // Every field of a full case view is one expression, no name twice.
        let full = CaseViewCodeDb::select_from();
        let n = CaseDb::COLUMNS.len()
            + JoinsDb::COLUMNS.len()
            + 4 * AdminDocDb::COLUMNS.len()
            + CodeJoinDb::COLUMNS.len();
        assert_eq!(full.matches(", ").count() + 1, n, "{full}");
        let names: std::collections::BTreeSet<&str> = full
            .trim_start_matches("SELECT ")
            .split(", ")
            .map(|e| e.rsplit(['.', ' ']).next().unwrap())
            .collect();
        assert_eq!(names.len(), n);
    }
}
