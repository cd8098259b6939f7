//! Records with fixed, valid values and the stores to run each scenario on.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::time::parse_date;
use surgicase_kernel::{CaseId, CaseStatus, Date, Money, UserId, UserType};
use surgicase_ports::records::*;
use surgicase_ports::{Store, Tx};
use surgicase_store::DbStore;
use surgicase_store::testing::{mysql_db_store, sqlite_db_store};

/// A migrated SQLite store, and a MySQL one when the test server is configured.
pub async fn stores() -> Vec<DbStore> {
    let mut out = vec![sqlite_db_store().await];
    if let Some(mysql) = mysql_db_store().await {
        out.push(mysql);
    }
    out
}

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

pub fn t0() -> DateTime<Utc> {
    at("2025-03-03T10:15:30.123456Z")
}

pub fn date(s: &str) -> Date {
    parse_date(s).unwrap()
}

pub fn uid(s: &str) -> UserId {
    UserId::parse(s).unwrap()
}

pub fn cid(s: &str) -> CaseId {
    CaseId::parse(s).unwrap()
}

pub fn status(code: i64) -> CaseStatus {
    CaseStatus::new(code).unwrap()
}

pub fn name_key(first: &str, last: &str) -> String {
    surgicase_cases::PatientNameKey::new(first, last).as_str().to_owned()
}

pub fn user(id: &str) -> UserRecord {
    UserRecord {
        user_id: uid(id),
        user_email: format!("{id}@example.com"),
        first_name: Some("Jane".into()),
        last_name: Some("Doe".into()),
        addr1: Some("1 Main St".into()),
        addr2: None,
        city: Some("Austin".into()),
        state: Some("TX".into()),
        zipcode: Some("78701".into()),
        telephone: Some(5_125_550_100),
        user_npi: Some(1_234_567_893),
        referred_by_user: None,
        user_type: UserType::PROVIDER,
        message_pref: 1,
        states_licensed: Some("TX,OK".into()),
        user_tier: 2,
        max_case_status: CaseStatus::PAID,
        timezone: Some("America/Chicago".into()),
        credentials: Some("MD".into()),
        ins_exp_date: Some(date("2026-01-31")),
        default_pagination_cases: Some(25),
        active: true,
        create_ts: t0(),
        last_updated_ts: t0(),
        last_login_dt: None,
        deleted_ts: None,
        deleted_by: None,
    }
}

pub fn case_row(id: &str, owner: &str) -> CaseRow {
    let patient = PatientData {
        first: "Mary-Ann".into(),
        last: "O'Neil".into(),
        ins_provider: "Acme Health".into(),
        dob: Some(date("1960-03-15")),
    };
    CaseRow {
        case_id: cid(id),
        user_id: uid(owner),
        case_date: date("2025-03-03"),
        patient_name_key: name_key(&patient.first, &patient.last),
        patient,
        surgeon_id: None,
        facility_id: None,
        case_status: CaseStatus::DRAFT,
        documents: DocumentNames::default(),
        pay_amount: Money::from_cents(45_000),
        pay_category: Some("Orthopedic".into()),
        biller_status: 0,
        dupe_flag: false,
        active: true,
        deleted_ts: None,
        deleted_by: None,
        archive_state: None,
        case_create_ts: t0(),
        case_updated_ts: t0(),
        status_timestamps: BTreeMap::new(),
    }
}

pub fn codes(n: usize) -> Vec<CaseCodeRecord> {
    (0..n)
        .map(|i| CaseCodeRecord {
            procedure_code: format!("{:05}", 10_000 + i),
            procedure_desc: format!("Code {i}"),
            asst_surg: if i % 2 == 0 { Some(2) } else { None },
        })
        .collect()
}

pub fn history(id: &str, from: Option<i64>, to: i64) -> HistoryRecord {
    HistoryRecord {
        case_id: cid(id),
        from_status: from.map(status),
        to_status: status(to),
        changed_ts: t0(),
        actor_type: ActorType::User,
        actor_id: "u-1".into(),
        source: ChangeSource::Create,
        rule_name: None,
        rule_set_id: None,
        reason: None,
        request_id: Some("req-1".into()),
        job_run_id: None,
    }
}

const STATUSES: [(i64, &str); 15] = [
    (0, "Draft"),
    (1, "Submitted"),
    (7, "Needs review"),
    (8, "Documents needed"),
    (10, "Ready for billing"),
    (15, "Pending payment"),
    (20, "Paid"),
    (30, "Sent to biller"),
    (40, "Payment received"),
    (50, "Sent to negotiation"),
    (60, "Settled"),
    (70, "Sent to IDR"),
    (80, "IDR decision"),
    (400, "Rejected"),
    (500, "Closed"),
];

/// The reference data every scenario needs, written through the port.
pub async fn seed(store: &dyn Store) {
    let mut tx = store.begin().await.unwrap();
    let statuses: Vec<StatusRecord> = STATUSES
        .iter()
        .map(|(c, d)| StatusRecord { case_status: status(*c), case_status_desc: (*d).into() })
        .collect();
    tx.upsert_statuses(&statuses).await.unwrap();
    let types: Vec<UserTypeRecord> =
        [(1, "Provider", 20), (10, "Case Admin", 500), (999, "System Admin", 500)]
            .iter()
            .map(|(t, d, cap)| UserTypeRecord {
                user_type: UserType::new(*t).unwrap(),
                user_type_desc: (*d).into(),
                user_max_case_status: Some(status(*cap)),
            })
            .collect();
    tx.upsert_user_types(&types).await.unwrap();
    tx.upsert_doc_types(&[
        DocTypeRecord { doc_type: "W9".into(), doc_prefix: Some("w9".into()) },
        DocTypeRecord { doc_type: "Driver License".into(), doc_prefix: None },
    ])
    .await
    .unwrap();
    let master: Vec<ProcedureCodeRecord> = (0..25)
        .map(|i| ProcedureCodeRecord {
            procedure_code: format!("{:05}", 10_000 + i),
            procedure_desc: format!("Master code {i}"),
            code_category: Some(if i % 2 == 0 { "Orthopedic" } else { "General" }.into()),
            code_status: None,
            asst_surg: Some(2),
        })
        .collect();
    tx.upsert_procedure_codes(&master).await.unwrap();
    tx.upsert_pay_tiers(&[
        PayTierRecord { code_bucket: "Orthopedic".into(), tier: 2, pay_amount: Money::from_cents(45_000) },
        PayTierRecord { code_bucket: "General".into(), tier: 2, pay_amount: Money::from_cents(30_000) },
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// Seeds reference data and inserts the listed users.
pub async fn seed_with_users(store: &dyn Store, ids: &[&str]) {
    seed(store).await;
    let mut conn = store.conn().await.unwrap();
    for id in ids {
        conn.insert_user(&user(id)).await.unwrap();
    }
}

/// Inserts a case with codes and its creation history row, in one transaction.
pub async fn create_case(tx: &mut Box<dyn Tx>, row: &CaseRow, n_codes: usize) {
    tx.insert_case(row).await.unwrap();
    tx.replace_case_codes(&row.case_id, &codes(n_codes)).await.unwrap();
    tx.append_history(&[history(row.case_id.as_str(), None, 0)]).await.unwrap();
}

pub fn full_case_row(id: &str, owner: &str) -> CaseRow {
    let mut row = case_row(id, owner);
    row.case_status = CaseStatus::READY_FOR_BILLING;
    row.documents = DocumentNames {
        demo_file: Some("demo.pdf".into()),
        note_file: None,
        misc_file: Some("misc.png".into()),
        admin_file: None,
    };
    row.dupe_flag = true;
    row.biller_status = 3;
    row.archive_state = Some(surgicase_kernel::ArchiveState::Done);
    row.status_timestamps.insert(StatusTimestamp::Submitted, at("2025-03-04T08:00:00.000001Z"));
    row.status_timestamps.insert(StatusTimestamp::ProviderSubmitted, at("2025-03-03T11:00:00Z"));
    row.case_updated_ts = at("2025-03-04T08:00:00.000001Z");
    row
}
