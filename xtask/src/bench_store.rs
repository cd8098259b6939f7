//! `cargo xtask bench-store`: cases written and read per second through the storage port
//! (no HTTP, no use-case logic), on SQLite and, when a URL is given, on MariaDB.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use surgicase_config::Config;
use surgicase_kernel::{CaseId, CaseStatus, Clock, Money, SystemClock, UserId, UserType};
use surgicase_ports::Store;
use surgicase_ports::records::{
    ActorType, CaseCodeRecord, CaseRow, ChangeSource, DocumentNames, HistoryRecord, NewFacilityRecord,
    NewSurgeonRecord, PatientData, PersonName, PostalAddress, UserRecord,
};
use surgicase_runtime::open_store;
use surgicase_users::{Mode, Profile, ProfileChanges, ProfileField, ProfileInput, RoleDefaults};

fn user(id: &UserId, now: surgicase_kernel::Timestamp) -> Result<UserRecord, String> {
    let body = ProfileInput::new(id.as_str())
        .with(ProfileField::UserEmail, format!("{id}@example.com"))
        .with(ProfileField::FirstName, "Bench")
        .with(ProfileField::LastName, "Store");
    let changes = ProfileChanges::parse(&body, Mode::Create).map_err(|e| format!("{e:?}"))?;
    let roles =
        RoleDefaults { user_type: UserType::PROVIDER, user_tier: 1, max_case_status: CaseStatus::PAID };
    Ok(Profile::new(&changes, roles, now))
}

async fn run_one(label: &str, config: &Config, cases: usize, concurrency: usize) -> Result<(), String> {
    let db = open_store(config).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let clock = SystemClock;
    surgicase_app::seed::seed_reference(db.as_ref(), &clock).await.map_err(|e| e.to_string())?;
    let store: Arc<dyn Store> = db.clone();
    let owner = UserId::parse(&format!("store-bench-{}", std::process::id())).map_err(|e| e.message)?;
    let now = clock.now();
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    tx.insert_user(&user(&owner, now)?).await.map_err(|e| e.to_string())?;
    let surgeon = tx
        .surgeons()
        .insert(&NewSurgeonRecord {
            user_id: owner.clone(),
            name: PersonName { first_name: "S".into(), last_name: "S".into() },
            npi: None,
            address: PostalAddress::default(),
            created_ts: now,
        })
        .await
        .map_err(|e| e.to_string())?;
    let facility = tx
        .facilities()
        .insert(&NewFacilityRecord {
            user_id: owner.clone(),
            name: "F".into(),
            npi: None,
            address: PostalAddress::default(),
            created_ts: now,
        })
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;

    let codes: Vec<CaseCodeRecord> = ["27447", "29881", "58150"]
        .iter()
        .map(|c| CaseCodeRecord {
            procedure_code: (*c).into(),
            procedure_desc: "x".into(),
            asst_surg: Some(2),
        })
        .collect();
    let ids: Vec<CaseId> = (0..cases).filter_map(|i| CaseId::parse(&format!("{owner}_{i}")).ok()).collect();
    let write = |chunk: Vec<CaseId>| {
        let (store, owner, codes) = (store.clone(), owner.clone(), codes.clone());
        let (surgeon, facility) = (surgeon.id, facility.id);
        tokio::spawn(async move {
            for id in chunk {
                let now = SystemClock.now();
                let row = CaseRow {
                    case_id: id.clone(),
                    user_id: owner.clone(),
                    case_date: now.date_naive(),
                    patient: PatientData {
                        first: "Pat".into(),
                        last: id.to_string(),
                        ins_provider: "Aetna".into(),
                        dob: None,
                    },
                    patient_name_key: format!("v1|pat|{id}"),
                    surgeon_id: Some(surgeon),
                    facility_id: Some(facility),
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
                    case_create_ts: now,
                    case_updated_ts: now,
                    status_timestamps: BTreeMap::new(),
                };
                let history = HistoryRecord {
                    case_id: id.clone(),
                    from_status: None,
                    to_status: CaseStatus::DRAFT,
                    changed_ts: now,
                    actor_type: ActorType::System,
                    actor_id: "bench".into(),
                    source: ChangeSource::Create,
                    rule_name: None,
                    rule_set_id: None,
                    reason: None,
                    request_id: None,
                    job_run_id: None,
                };
                let mut tx = store.begin().await?;
                tx.insert_case(&row).await?;
                tx.replace_case_codes(&id, &codes).await?;
                tx.append_history(&[history]).await?;
                tx.commit().await?;
            }
            Ok::<(), surgicase_ports::StoreError>(())
        })
    };
    let per = cases.div_ceil(concurrency);
    let started = Instant::now();
    let tasks: Vec<_> = ids.chunks(per).map(|c| write(c.to_vec())).collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
    }
    let write_rate = cases as f64 / started.elapsed().as_secs_f64();

    let read = |chunk: Vec<CaseId>| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut conn = store.conn().await?;
            for id in chunk {
                conn.get_case_view(&id, Some(CaseStatus::PAID), None).await?;
            }
            Ok::<(), surgicase_ports::StoreError>(())
        })
    };
    let started = Instant::now();
    let tasks: Vec<_> = ids.chunks(per).map(|c| read(c.to_vec())).collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())?;
    }
    let read_rate = cases as f64 / started.elapsed().as_secs_f64();
    println!(
        "  {label:<8} {cases} cases, {concurrency} tasks: {write_rate:>8.0} cases written/s (case + 3 codes + history, one \
         transaction each), {read_rate:>8.0} cases read/s (get_case_view)"
    );
    Ok(())
}

pub(crate) async fn run(cases: usize, concurrency: usize, mysql: Option<String>) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("surgicase-store-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let sqlite = Config {
        database_url: format!("sqlite://{}", dir.join("bench.db").display()).into(),
        data_dir: dir.clone(),
        ..Config::default()
    };
    println!(
        "store throughput (release build recommended: cargo xtask bench-store runs in the xtask profile)"
    );
    let outcome = run_one("sqlite", &sqlite, cases, concurrency).await;
    if let (Ok(()), Some(url)) = (&outcome, mysql) {
        let config = Config { database_url: url.into(), data_dir: dir.clone(), ..Config::default() };
        run_one("mariadb", &config, cases, concurrency).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}
