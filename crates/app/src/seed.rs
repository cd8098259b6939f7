//! Reference data every database starts with (domain §3.7), written idempotently by
//! `cargo xtask seed` and by the embedded default at first start.
//!
//! Procedure-code descriptions are the service's own short wording, never AMA text; the CPT
//! master proper is loaded with `cargo xtask import-cpt`.

use surgicase_billing::SEEDED_STATUSES;
use surgicase_kernel::{CaseStatus, Clock, Money, UserType};
use surgicase_ports::records::{
    AutoFixRecord, DocTypeRecord, PayTierRecord, ProcedureCodeRecord, StatusRecord, TimezoneRecord,
    UserTypeRecord,
};
use surgicase_ports::{Store, StoreError};

/// `(user_type, description, cap given on a type change)` — domain §4.1.
pub const USER_TYPES: [(i32, &str, i16); 6] = [
    (1, "Provider", 20),
    (7, "Group Admin", 20),
    (10, "Case Admin", 500),
    (20, "User Admin", 500),
    (100, "Global Admin", 500),
    (999, "System Admin", 500),
];

/// User document types with their key prefixes.
pub const DOC_TYPES: [(&str, &str); 6] = [
    ("Board Certification", "board"),
    ("Curriculum Vitae", "cv"),
    ("Driver License", "license"),
    ("Malpractice Insurance", "malpractice"),
    ("Medical License", "medlicense"),
    ("W-9", "w9"),
];

/// Time zones offered to users, with the display offset (standard time).
pub const TIMEZONES: [(&str, &str); 10] = [
    ("America/Anchorage", "UTC-09:00"),
    ("America/Chicago", "UTC-06:00"),
    ("America/Denver", "UTC-07:00"),
    ("America/Los_Angeles", "UTC-08:00"),
    ("America/New_York", "UTC-05:00"),
    ("America/Phoenix", "UTC-07:00"),
    ("America/Puerto_Rico", "UTC-04:00"),
    ("Pacific/Guam", "UTC+10:00"),
    ("Pacific/Honolulu", "UTC-10:00"),
    ("UTC", "UTC+00:00"),
];

/// A sample of the code master: `(code, our short description, pay bucket, asst_surg)`.
pub const PROCEDURE_CODES: [(&str, &str, Option<&str>, Option<i16>); 16] = [
    ("11042", "Debridement, subcutaneous tissue", Some("General"), Some(1)),
    ("11043", "Debridement, muscle or fascia", Some("General"), Some(1)),
    ("15830", "Excision of excess abdominal skin", Some("Plastic"), Some(2)),
    ("19357", "Breast reconstruction with expander", Some("Plastic"), Some(2)),
    ("22612", "Lumbar spinal fusion, posterior", Some("Spine"), Some(2)),
    ("27130", "Hip replacement, total", Some("Orthopedic"), Some(2)),
    ("27447", "Knee replacement, total", Some("Orthopedic"), Some(2)),
    ("29880", "Knee arthroscopy, both menisci", Some("Orthopedic"), Some(1)),
    ("29881", "Knee arthroscopy, one meniscus", Some("Orthopedic"), Some(1)),
    ("47562", "Gallbladder removal, laparoscopic", Some("General"), Some(2)),
    ("49505", "Inguinal hernia repair", Some("General"), Some(1)),
    ("58150", "Hysterectomy, abdominal", Some("OB-Gyn"), Some(2)),
    ("59514", "Cesarean delivery only", Some("OB-Gyn"), Some(2)),
    ("63047", "Lumbar laminectomy", Some("Spine"), Some(2)),
    ("99213", "Office visit, established patient", None, Some(9)),
    ("J1100", "Injection, dexamethasone", None, Some(9)),
];

/// Example pay tiers in cents: tier 1 as the legacy summary shows it, tiers 2 and 3 as in
/// domain §8's worked example.
pub const PAY_TIERS: [(&str, i32, i64); 15] = [
    ("OB-Gyn", 1, 40_000),
    ("General", 1, 25_000),
    ("Orthopedic", 1, 45_000),
    ("Plastic", 1, 30_000),
    ("Spine", 1, 60_000),
    ("OB-Gyn", 2, 30_000),
    ("General", 2, 30_000),
    ("Orthopedic", 2, 45_000),
    ("Plastic", 2, 0),
    ("Spine", 2, 60_000),
    ("OB-Gyn", 3, 35_000),
    ("General", 3, 32_500),
    ("Orthopedic", 3, 50_000),
    ("Plastic", 3, 20_000),
    ("Spine", 3, 65_000),
];

/// What one seeding run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeedReport {
    pub statuses: usize,
    pub user_types: usize,
    pub doc_types: usize,
    pub timezones: usize,
    pub procedure_codes: usize,
    pub pay_tiers: usize,
    pub auto_fixes: usize,
}

/// Writes the reference data in one transaction. Safe to run again: rows are upserted.
pub async fn seed_reference(store: &dyn Store, clock: &dyn Clock) -> Result<SeedReport, StoreError> {
    let statuses: Vec<StatusRecord> = SEEDED_STATUSES
        .iter()
        .filter_map(|(code, desc)| {
            let case_status = CaseStatus::new(i64::from(*code)).ok()?;
            Some(StatusRecord { case_status, case_status_desc: (*desc).to_owned() })
        })
        .collect();
    let user_types: Vec<UserTypeRecord> = USER_TYPES
        .iter()
        .filter_map(|(t, desc, cap)| {
            Some(UserTypeRecord {
                user_type: UserType::new(i64::from(*t)).ok()?,
                user_type_desc: (*desc).to_owned(),
                user_max_case_status: CaseStatus::new(i64::from(*cap)).ok(),
            })
        })
        .collect();
    let doc_types: Vec<DocTypeRecord> = DOC_TYPES
        .iter()
        .map(|(t, p)| DocTypeRecord { doc_type: (*t).to_owned(), doc_prefix: Some((*p).to_owned()) })
        .collect();
    let timezones: Vec<TimezoneRecord> = TIMEZONES
        .iter()
        .map(|(id, off)| TimezoneRecord { tz_identifier: (*id).to_owned(), utc_offset: (*off).to_owned() })
        .collect();
    let codes: Vec<ProcedureCodeRecord> = PROCEDURE_CODES
        .iter()
        .map(|(code, desc, cat, asst)| ProcedureCodeRecord {
            procedure_code: (*code).to_owned(),
            procedure_desc: (*desc).to_owned(),
            code_category: cat.map(str::to_owned),
            code_status: Some("active".to_owned()),
            asst_surg: *asst,
        })
        .collect();
    let tiers: Vec<PayTierRecord> = PAY_TIERS
        .iter()
        .map(|(bucket, tier, cents)| PayTierRecord {
            code_bucket: (*bucket).to_owned(),
            tier: *tier,
            pay_amount: Money::from_cents(*cents),
        })
        .collect();
    let auto_fixes = vec![AutoFixRecord {
        entered_code: "59510".to_owned(),
        fixed_code: "59514".to_owned(),
        reason: "Global obstetric code; use delivery-only code".to_owned(),
        active: true,
        created_date: clock.now(),
        created_by: Some("seed".to_owned()),
    }];

    let mut tx = store.begin().await?;
    tx.upsert_statuses(&statuses).await?;
    tx.upsert_user_types(&user_types).await?;
    tx.upsert_doc_types(&doc_types).await?;
    tx.upsert_timezones(&timezones).await?;
    tx.upsert_procedure_codes(&codes).await?;
    tx.upsert_pay_tiers(&tiers).await?;
    tx.upsert_auto_fixes(&auto_fixes).await?;
    tx.commit().await?;
    Ok(SeedReport {
        statuses: statuses.len(),
        user_types: user_types.len(),
        doc_types: doc_types.len(),
        timezones: timezones.len(),
        procedure_codes: codes.len(),
        pay_tiers: tiers.len(),
        auto_fixes: auto_fixes.len(),
    })
}

/// Whether the reference data is missing (a fresh database): the status catalogue is empty.
pub async fn needs_seed(store: &dyn Store) -> Result<bool, StoreError> {
    let mut conn = store.conn().await?;
    Ok(conn.case_statuses().await?.is_empty())
}
