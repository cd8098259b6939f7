//! Case export rows (§18.3): a fixed column list, written one row at a time so a large export
//! can be streamed.

use std::collections::BTreeMap;
use std::io;

use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, FacilityId, Money, SurgeonId, Timestamp, UserId};

use crate::csv::write_record;
use crate::format::{iso_date, utc_seconds};

/// The columns, in order. The header is the same whether or not anything was found.
pub const CASE_EXPORT_COLUMNS: [&str; 29] = [
    "case_id",
    "user_id",
    "case_date",
    "patient_first",
    "patient_last",
    "ins_provider",
    "surgeon_id",
    "facility_id",
    "case_create_ts",
    "case_updated_ts",
    "case_status",
    "paid_to_provider_ts",
    "biller_status",
    "sent_to_biller_ts",
    "received_pmnt_ts",
    "sent_to_negotiation_ts",
    "settled_ts",
    "sent_to_idr_ts",
    "idr_decision_ts",
    "closed_ts",
    "pay_amount",
    "pay_category",
    "pending_payment_ts",
    "surgeon_npi",
    "facility_npi",
    "facility_state",
    "provider_first_name",
    "provider_last_name",
    "procedure_codes",
];

/// One exported case, PHI decrypted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseExportRow {
    pub case_id: CaseId,
    pub user_id: UserId,
    pub case_date: chrono::NaiveDate,
    pub patient_first: String,
    pub patient_last: String,
    pub ins_provider: String,
    pub surgeon_id: Option<SurgeonId>,
    pub facility_id: Option<FacilityId>,
    pub case_create_ts: Timestamp,
    pub case_updated_ts: Timestamp,
    pub case_status: CaseStatus,
    pub biller_status: i16,
    /// Last entry into each status that has a timestamp column (as `CaseRow` carries them).
    pub status_timestamps: BTreeMap<StatusTimestamp, Timestamp>,
    pub pay_amount: Money,
    pub pay_category: Option<String>,
    /// As stored (legacy values may fail today's check digit).
    pub surgeon_npi: Option<i64>,
    pub facility_npi: Option<i64>,
    pub facility_state: Option<String>,
    pub provider_first_name: Option<String>,
    pub provider_last_name: Option<String>,
    /// In entry order.
    pub procedure_codes: Vec<String>,
}

/// Writes the header record.
pub fn write_case_export_header(out: &mut impl io::Write) -> io::Result<()> {
    write_record(out, CASE_EXPORT_COLUMNS)
}

/// Writes one row: timestamps `YYYY-MM-DD HH:MM:SS` UTC, absent values empty, codes joined
/// by ", ".
pub fn write_case_export_row(out: &mut impl io::Write, row: &CaseExportRow) -> io::Result<()> {
    let ts = |column: StatusTimestamp| {
        row.status_timestamps.get(&column).map(|t| utc_seconds(*t)).unwrap_or_default()
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let cells: [String; 29] = [
        row.case_id.as_str().to_owned(),
        row.user_id.as_str().to_owned(),
        iso_date(row.case_date),
        row.patient_first.clone(),
        row.patient_last.clone(),
        row.ins_provider.clone(),
        num(row.surgeon_id.map(SurgeonId::get)),
        num(row.facility_id.map(FacilityId::get)),
        utc_seconds(row.case_create_ts),
        utc_seconds(row.case_updated_ts),
        row.case_status.to_string(),
        ts(StatusTimestamp::PaidToProvider),
        row.biller_status.to_string(),
        ts(StatusTimestamp::SentToBiller),
        ts(StatusTimestamp::ReceivedPayment),
        ts(StatusTimestamp::SentToNegotiation),
        ts(StatusTimestamp::Settled),
        ts(StatusTimestamp::SentToIdr),
        ts(StatusTimestamp::IdrDecision),
        ts(StatusTimestamp::Closed),
        row.pay_amount.to_string(),
        opt(&row.pay_category),
        ts(StatusTimestamp::PendingPayment),
        num(row.surgeon_npi),
        num(row.facility_npi),
        opt(&row.facility_state),
        opt(&row.provider_first_name),
        opt(&row.provider_last_name),
        row.procedure_codes.join(", "),
    ];
    write_record(out, cells.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{at, date};

    fn row() -> CaseExportRow {
        CaseExportRow {
            case_id: CaseId::parse("u-jane_1741000000000").unwrap(),
            user_id: UserId::parse("u-jane").unwrap(),
            case_date: date("2025-03-03"),
            patient_first: "Zoë".to_owned(),
            patient_last: "O'Connor, Jr.".to_owned(),
            ins_provider: "Aetna".to_owned(),
            surgeon_id: Some(SurgeonId::new(12).unwrap()),
            facility_id: None,
            case_create_ts: at("2025-03-01T10:00:00.123456Z"),
            case_updated_ts: at("2025-03-10T08:00:00Z"),
            case_status: CaseStatus::new(15).unwrap(),
            biller_status: 0,
            status_timestamps: [
                (StatusTimestamp::PendingPayment, at("2025-03-10T08:00:00Z")),
                (StatusTimestamp::Submitted, at("2025-03-05T08:00:00Z")),
            ]
            .into(),
            pay_amount: Money::from_cents(45_000),
            pay_category: Some("Orthopedic".to_owned()),
            surgeon_npi: Some(1_234_567_893),
            facility_npi: None,
            facility_state: Some("TX".to_owned()),
            provider_first_name: Some("Jane".to_owned()),
            provider_last_name: Some("Doe".to_owned()),
            procedure_codes: vec!["27447".to_owned(), "29881".to_owned()],
        }
    }

    #[test]
    fn header_then_rows() {
        let mut out = Vec::new();
        write_case_export_header(&mut out).unwrap();
        write_case_export_row(&mut out, &row()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "case_id,user_id,case_date,patient_first,patient_last,ins_provider,surgeon_id,facility_id,\
             case_create_ts,case_updated_ts,case_status,paid_to_provider_ts,biller_status,sent_to_biller_ts,\
             received_pmnt_ts,sent_to_negotiation_ts,settled_ts,sent_to_idr_ts,idr_decision_ts,closed_ts,\
             pay_amount,pay_category,pending_payment_ts,surgeon_npi,facility_npi,facility_state,\
             provider_first_name,provider_last_name,procedure_codes"
        );
        assert_eq!(
            lines[1],
            "u-jane_1741000000000,u-jane,2025-03-03,Zoë,\"O'Connor, Jr.\",Aetna,12,,2025-03-01 10:00:00,\
             2025-03-10 08:00:00,15,,0,,,,,,,,450.00,Orthopedic,2025-03-10 08:00:00,1234567893,,TX,Jane,Doe,\
             \"27447, 29881\""
        );
        assert_eq!(lines[2], "");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn the_header_alone_when_nothing_is_found() {
        let mut out = Vec::new();
        write_case_export_header(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches("\r\n").count(), 1);
        assert_eq!(text.trim_end().split(',').count(), CASE_EXPORT_COLUMNS.len());
    }
}
