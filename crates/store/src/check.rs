//! The statement check (tests, feature `testing`): every statement the store can issue,
//! prepared against the connected, migrated database.
//!
//! [`prepare_every_statement`] seeds an owner with a case, codes and documents, then calls every
//! repository method on a session in check mode. In that mode each statement is first prepared
//! and recorded — SQLite: `EXPLAIN`, which compiles the statement (every table and column
//! resolved) without running it; MySQL/MariaDB: `PREPARE` — then reads run for real, so the
//! statements that depend on what a read found are reached too, while writes do not run. List
//! arguments come with one and with three items, so statements whose placeholders vary (IN
//! lists, multi-row inserts) are prepared in two shapes.
//!
//! `tests/store/schema_sql.rs` fails on a statement that does not prepare, and on any SQL text or
//! repository method of this crate that this check does not reach: a new statement cannot escape
//! it. Adding a repository method means calling it below.
use diesel_async::SimpleAsyncConnection;
use futures::FutureExt;
use surgicase_kernel::status::StatusTimestamp;
use surgicase_kernel::{CaseId, CaseStatus, DocumentField, Money, UserType};
use surgicase_ports::bugs::{BugPriority, BugQuery, NewBugRecord, SyncState};
use surgicase_ports::records::*;
use surgicase_ports::request_logs::{LogSource, RequestLogRecord};
use surgicase_ports::store::PayUpdate;
use surgicase_ports::{
    BugRepo, CaseRepo, DashboardRepo, DirectoryRepo, FaqRepo, HistoryRepo, JobRunClaim, JobRunEnd,
    JobRunQuery, JobRunRepo, NewJobRun, PendingMove, ReferenceRepo, RequestLogRepo, RunOutcome,
    StatusTransitionRepo, Store, StoreError, TriggerKind, UploadOwner, UploadRecord, UploadRepo, UploadState,
    UserRepo,
};
use surgicase_testkit::fixtures as fx;

use crate::session::Session;
use crate::settings::Backend;
use crate::stmt::Stmt;
use crate::store::DbStore;

/// One statement as the check prepared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub sql: String,
    /// The database's refusal, if it refused.
    pub error: Option<String>,
}

/// Every distinct statement the repository methods issued, each prepared once.
pub async fn prepare_every_statement(store: &DbStore) -> Result<Vec<Prepared>, StoreError> {
    let seeded = seed(store).await?;
    let mut session = store.session().await?;
    session.check = Some(Vec::new());
    call_everything(&mut session, &seeded).await;
    let mut out: Vec<Prepared> = Vec::new();
    for p in session.check.take().unwrap_or_default() {
        if !out.iter().any(|q| q.sql == p.sql) {
            out.push(p);
        }
    }
    Ok(out)
}

/// Prepares one statement text on the store's database: `Err` is the database's refusal.
pub async fn prepare_sql(store: &DbStore, sql: &str) -> Result<(), String> {
    let mut session = store.session().await.map_err(|e| e.to_string())?;
    session.check = Some(Vec::new());
    let _ = session.prepare_only(&Stmt::new(sql)).await;
    match session.check.take().unwrap_or_default().pop() {
        Some(Prepared { error: Some(error), .. }) => Err(error),
        Some(Prepared { error: None, .. }) => Ok(()),
        None => Err("nothing was prepared".to_owned()),
    }
}

/// The statements that did not prepare, each with the database's answer: what a failing test
/// prints.
pub fn refusals(prepared: &[Prepared]) -> String {
    prepared
        .iter()
        .filter_map(|p| p.error.as_ref().map(|e| format!("statement: {}\n  refused: {e}", p.sql)))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Session {
    /// Check mode: prepares `stmt` without running it, and records the outcome.
    pub(crate) async fn prepare_only(&mut self, stmt: &Stmt) -> Result<(), StoreError> {
        let sql = stmt.text().to_owned();
        let outcome = match self.backend() {
            Backend::Sqlite => {
                let explain = format!("EXPLAIN {sql}");
                self.on_sqlite(move |c| async move { c.batch_execute(&explain).await }.boxed()).await?
            }
            Backend::Mysql => {
                // A quoted string: `\` and `'` doubled (the store's SQL uses neither in literals
                // but `'` in `document_type = 'demo_file'` and `ESCAPE '!'`).
                let prepare = format!(
                    "PREPARE surgicase_check FROM '{}'",
                    sql.replace('\\', "\\\\").replace('\'', "''")
                );
                self.on_mysql(move |c| {
                    async move {
                        c.batch_execute(&prepare).await?;
                        c.batch_execute("DEALLOCATE PREPARE surgicase_check").await
                    }
                    .boxed()
                })
                .await?
            }
        };
        let error = outcome.err().map(|e| e.to_string());
        let refused = error.is_some();
        if let Some(list) = &mut self.check {
            list.push(Prepared { sql, error });
        }
        if refused { Err(StoreError::backend("the statement does not prepare")) } else { Ok(()) }
    }
}

/// What the reads of the check find.
struct Seeded {
    owner: fx::OwnerFixture,
    case: CaseRow,
}

async fn seed(store: &DbStore) -> Result<Seeded, StoreError> {
    fx::seed_reference(store).await?;
    let owner = fx::seed_owner(store, "check-owner").await?;
    let case = owner.case_row("check-case-1");
    let mut conn = store.conn().await?;
    conn.insert_case(&case).await?;
    conn.replace_case_codes(&case.case_id, &codes(2)).await?;
    conn.put_case_documents(&case.case_id, &[fx::case_document("demo_file", "demo.pdf")]).await?;
    conn.put_user_documents(&[fx::user_document(owner.id(), "W9", "w9.pdf")]).await?;
    Ok(Seeded { owner, case })
}

fn codes(n: usize) -> Vec<CaseCodeRecord> {
    (0..n).map(|i| fx::case_code(&format!("6363{i}"), "Code", Some(1))).collect()
}

fn case_ids(n: usize) -> Vec<CaseId> {
    (1..=n).map(|i| fx::case_id(&format!("check-case-{i}"))).collect()
}

fn texts(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

/// The shapes of every list argument.
const SIZES: [usize; 2] = [1, 3];

async fn call_everything(s: &mut Session, seeded: &Seeded) {
    let _ = s.ping().await;
    users(s, seeded).await;
    cases(s, seeded).await;
    directory(s, seeded).await;
    reference(s).await;
    history(s, seeded).await;
    jobs(s, seeded).await;
    uploads(s, seeded).await;
    bugs(s, seeded).await;
    dashboards(s).await;
    let _ = s.faqs(UserType::PROVIDER).await;
    let _ = s
        .insert_faq(&NewFaqRecord {
            user_type: UserType::PROVIDER,
            faq_header: "How?".into(),
            faq_text: "So.".into(),
            display_order: 0,
        })
        .await;
}

async fn dashboards(s: &mut Session) {
    let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 4);
    for range in [CaseDateRange::default(), CaseDateRange { from: day, to: day }] {
        let _ = s.case_totals_by_status(range).await;
        let _ = s.case_totals_by_category(range).await;
    }
    let _ = s.user_counts_by_type(UserType::FIRST_SERVICE_ACCOUNT).await;
    let _ = s.case_totals_pending().await;
    let _ = s.fold_case_totals().await;
}

async fn users(s: &mut Session, seeded: &Seeded) {
    let id = seeded.owner.id();
    let _ = s.get_user(id).await;
    let _ = s.lock_user(id).await;
    let _ = s.get_user_view(id).await;
    for include_inactive in [false, true] {
        let query =
            UserQuery { max_user_type: UserType::SYSTEM_ADMIN, include_inactive, limit: 10, offset: 0 };
        let _ = s.list_users(&query).await;
    }
    let _ = s.insert_user(&fx::user("check-new")).await;
    let _ = s.update_user(&seeded.owner.user).await;
    let _ = s.touch_last_login(id, fx::t0(), 60).await;
    for n in SIZES {
        let _ = s.preset_tiers(&texts("check@", n)).await;
        let tiers: Vec<PresetTierRecord> = texts("check@", n)
            .into_iter()
            .map(|user_email| PresetTierRecord { user_email, tier: 2, first_name: None })
            .collect();
        let _ = s.upsert_preset_tiers(&tiers).await;
        let docs: Vec<UserDocumentRecord> =
            texts("type", n).iter().map(|t| fx::user_document(id, t, "doc.pdf")).collect();
        let _ = s.put_user_documents(&docs).await;
        let _ = s.remove_user_documents(id, &texts("type", n)).await;
    }
}

async fn cases(s: &mut Session, seeded: &Seeded) {
    let owner = seeded.owner.id();
    let case = &seeded.case;
    let id = &case.case_id;
    let _ = s.case_id_taken(id).await;
    let _ = s.get_case_view(id, None, None).await;
    let _ = s.get_case_view(id, Some(CaseStatus::PAID), Some(owner)).await;
    let _ = s.lock_case(id).await;
    let _ = s.insert_case(case).await;
    let _ = s.update_case(case).await;
    let _ = s.find_duplicate(owner, case.case_date, &case.patient_name_key, None).await;
    let _ = s.find_duplicate(owner, case.case_date, &case.patient_name_key, Some(id)).await;
    for n in SIZES {
        let _ = s.get_cases(&case_ids(n)).await;
        let _ = s.replace_case_codes(id, &codes(n)).await;
        // Document types are a closed set; cycle it to reach every list length.
        let fields: Vec<DocumentField> = DocumentField::ALL.into_iter().cycle().take(n).collect();
        let docs: Vec<CaseDocumentRecord> =
            fields.iter().map(|f| fx::case_document(f.as_str(), "doc.pdf")).collect();
        let _ = s.put_case_documents(id, &docs).await;
        let _ = s.remove_case_documents(id, &fields).await;
        let pay: Vec<PayUpdate> = case_ids(n)
            .into_iter()
            .map(|case_id| PayUpdate {
                case_id,
                pay_amount: Money::from_cents(100),
                pay_category: None,
                updated_ts: fx::t0(),
            })
            .collect();
        let _ = s.update_pay(&pay).await;
    }
    for query in case_queries(seeded) {
        let _ = s.list_cases(&query).await;
    }
    let _ = s.count_owner_cases_at(owner, case.case_status).await;
    let _ = s.owner_cases_below(owner, CaseStatus::PAID).await;
    let _ = s.tier_cases_below(1, CaseStatus::PENDING_PAYMENT).await;
    let _ = s.deactivate_owner_cases(owner, CaseStatus::REJECTED, fx::t0(), "check").await;
}

/// Every branch of the list filter: no filter; owner, dates and one exact status; exact
/// statuses and the range; an empty match; the range alone; both orders, and a case-date page
/// with and without a last row.
fn case_queries(seeded: &Seeded) -> Vec<CaseQuery> {
    let base = CaseQuery {
        owner: None,
        status: None,
        date_from: None,
        date_to: None,
        describe: None,
        order: CaseOrder::NewestFirst,
        limit: 10,
        offset: 0,
    };
    let statuses = |n: usize| [CaseStatus::DRAFT, CaseStatus::PAID, CaseStatus::REJECTED][..n].to_vec();
    vec![
        base.clone(),
        CaseQuery {
            owner: Some(seeded.owner.id().clone()),
            status: Some(StoredStatusMatch { exact: statuses(1), shown_as_cap: None }),
            date_from: Some(seeded.case.case_date),
            date_to: Some(seeded.case.case_date),
            describe: Some(CaseStatus::PAID),
            order: CaseOrder::CaseDateDesc,
            ..base.clone()
        },
        CaseQuery {
            status: Some(StoredStatusMatch { exact: statuses(3), shown_as_cap: Some(CaseStatus::PAID) }),
            ..base.clone()
        },
        CaseQuery { status: Some(StoredStatusMatch::default()), ..base.clone() },
        // Pages by case date: one that runs past the last row, one that ends on a row.
        CaseQuery { order: CaseOrder::CaseDateDesc, ..base.clone() },
        CaseQuery { order: CaseOrder::CaseDateDesc, limit: 1, ..base.clone() },
        CaseQuery {
            status: Some(StoredStatusMatch { exact: Vec::new(), shown_as_cap: Some(CaseStatus::PAID) }),
            ..base
        },
    ]
}

async fn directory(s: &mut Session, seeded: &Seeded) {
    let owner = seeded.owner.id();
    let surgeon = seeded.owner.surgeon_id();
    let facility = seeded.owner.facility_id();
    let _ = s.surgeons().insert(&fx::surgeon(owner)).await;
    let _ = s.surgeons().get(surgeon).await;
    let _ = s.surgeons().list(owner).await;
    let _ = s.surgeons().find_by_npi(owner, seeded.owner.surgeon.npi.unwrap_or(1_234_567_893)).await;
    let _ = s.surgeons().delete(surgeon).await;
    let _ = s.surgeons().count_cases_with(surgeon).await;
    let _ = s.facilities().insert(&fx::facility(owner)).await;
    let _ = s.facilities().get(facility).await;
    let _ = s.facilities().list(owner).await;
    let _ = s.facilities().find_by_npi(owner, seeded.owner.facility.npi.unwrap_or(1_234_567_893)).await;
    let _ = s.facilities().delete(facility).await;
    let _ = s.facilities().count_cases_with(facility).await;
    let _ = s.search_people(&PersonSearch::ByNpi(1_234_567_893), 10).await;
    let by_name = PersonSearch::ByName { first_prefix: "jo".into(), last_prefix: "sm".into() };
    let _ = s.search_people(&by_name, 10).await;
    let _ = s.search_organizations(&OrganizationSearch::ByNpi(1_234_567_893), 10).await;
    let _ = s.search_organizations(&OrganizationSearch::ByName("clinic".into()), 10).await;
    for n in SIZES {
        let people: Vec<NpiPersonRecord> =
            (0..n).map(|i| fx::npi_person(1_000_000_000 + i as i64, "Jo", "Smith", "Austin", "TX")).collect();
        let _ = s.upsert_npi_people(&people).await;
        let orgs: Vec<NpiOrganizationRecord> = (0..n)
            .map(|i| fx::npi_organization(1_000_000_000 + i as i64, "Clinic", "Austin", "TX"))
            .collect();
        let _ = s.upsert_npi_organizations(&orgs).await;
    }
}

async fn reference(s: &mut Session) {
    let _ = s.case_statuses().await;
    let _ = s.user_types().await;
    let _ = s.doc_types().await;
    let _ = s.timezones().await;
    let _ = s.procedure_codes(None, 10).await;
    let _ = s.procedure_codes(Some("99"), 10).await;
    let _ = s.active_rule_set().await;
    let _ = s.insert_rule_set(&fx::new_rule_set("check", "")).await;
    let _ = s.rule_set_history().await;
    let _ = s.pay_tiers().await;
    for include_inactive in [false, true] {
        let _ = s.auto_fixes(include_inactive).await;
    }
    let _ = s.deactivate_auto_fix("59510").await;
    let _ = s.insert_status(&fx::statuses()[0]).await;
    let _ = s.insert_user_type(&fx::user_types()[0]).await;
    let _ = s.insert_doc_type(&fx::doc_types()[0]).await;
    for n in SIZES {
        let _ = s.code_info(&texts("6363", n), 2).await;
        let _ = s.active_auto_fixes(&texts("6363", n)).await;
        let _ = s.upsert_statuses(&first(fx::statuses(), n)).await;
        let _ = s.upsert_user_types(&first(fx::user_types(), n)).await;
        let _ = s.upsert_doc_types(&first(fx::doc_types(), n)).await;
        let _ = s.upsert_timezones(&first(fx::timezones(), n)).await;
        let _ = s.upsert_procedure_codes(&first(fx::procedure_codes(), n)).await;
        let _ = s.upsert_pay_tiers(&first(fx::pay_tiers(), n)).await;
        let _ = s.insert_pay_tiers(&first(fx::pay_tiers(), n)).await;
        let _ = s.upsert_auto_fixes(&first(fx::auto_fixes(), n)).await;
    }
}

/// `n` rows of a fixture, repeated when it has fewer (writes are only prepared, so a repeated
/// key does no harm).
fn first<T: Clone>(all: Vec<T>, n: usize) -> Vec<T> {
    all.iter().cycle().take(n).cloned().collect()
}

async fn history(s: &mut Session, seeded: &Seeded) {
    let id = &seeded.case.case_id;
    for n in SIZES {
        let rows: Vec<HistoryRecord> = (0..n).map(|_| fx::history(id, None, CaseStatus::DRAFT)).collect();
        let _ = s.append_history(&rows).await;
    }
    let _ = s.case_history(id).await;
}

fn new_run(job: &str) -> NewJobRun {
    NewJobRun {
        job_name: job.to_owned(),
        scheduled_for: fx::t0(),
        trigger_kind: TriggerKind::Schedule,
        claimed_by: "check".to_owned(),
        claimed_ts: fx::t0(),
        lease_expires_ts: fx::t0(),
    }
}

async fn jobs(s: &mut Session, seeded: &Seeded) {
    let now = fx::t0();
    let claim = JobRunClaim { id: 1, claimed_by: "check".into(), attempt: 1 };
    let end = JobRunEnd {
        outcome: RunOutcome::Succeeded,
        finished_ts: now,
        items_processed: 1,
        items_failed: 0,
        error_text: None,
        details: None,
    };
    let _ = s.claim_job_run(&new_run("check")).await;
    let _ = s.get_job_run(1).await;
    let _ = s.take_over_job_run(1, "check", now, now, 3).await;
    let _ = s.renew_job_run(&claim, now).await;
    let _ = s.finish_job_run(&claim, &end).await;
    let _ = s.release_job_run(&claim, now).await;
    let _ = s.latest_job_runs(true).await;
    let _ = s.latest_job_runs(false).await;
    let _ = s.list_job_runs(&JobRunQuery::default()).await;
    let every_filter = JobRunQuery {
        job_name: Some("check".into()),
        outcome: Some(RunOutcome::Failed),
        from: Some(now),
        to: Some(now),
        before_id: Some(10),
        limit: 10,
    };
    let _ = s.list_job_runs(&every_filter).await;
    for n in SIZES {
        let runs: Vec<NewJobRun> = texts("check-", n).iter().map(|j| new_run(j)).collect();
        let _ = s.skip_job_runs(&runs).await;
        let _ = s.expired_job_runs(&texts("check-", n), now, 10).await;
    }
    let from = seeded.case.case_status;
    let _ = s.move_cases_at_status(from, CaseStatus::PAID, Some(StatusTimestamp::PaidToProvider), now).await;
    let _ = s.move_cases_at_status(from, CaseStatus::PAID, None, now).await;
    for n in SIZES {
        let statuses = vec![from; n];
        let _ = s.cases_at_statuses_after(&statuses, 0, 10).await;
        let ids: Vec<CaseId> = std::iter::repeat_n(seeded.case.case_id.clone(), n).collect();
        let _ = s.lock_case_statuses(&ids).await;
        let _ = s.set_case_statuses(&ids, CaseStatus::PAID, Some(StatusTimestamp::PaidToProvider), now).await;
        let _ = s.set_case_statuses(&ids, CaseStatus::PAID, None, now).await;
    }
}

async fn uploads(s: &mut Session, seeded: &Seeded) {
    let now = fx::t0();
    let upload = UploadRecord {
        upload_id: "00000000-0000-0000-0000-000000000001".into(),
        owner_kind: UploadOwner::Case,
        case_id: Some(seeded.case.case_id.clone()),
        user_id: seeded.owner.id().clone(),
        document_type: "demo_file".into(),
        file_name: "demo.pdf".into(),
        object_key: "private/check/demo.pdf".into(),
        declared_size: 10,
        declared_content_type: "application/pdf".into(),
        created_by: seeded.owner.id().clone(),
        created_ts: now,
        expires_ts: now,
        state: UploadState::Pending,
    };
    let _ = s.insert_upload(&upload).await;
    let _ = s.get_upload(&upload.upload_id).await;
    let _ = s.transition_upload(&upload.upload_id, UploadState::Pending, UploadState::Received).await;
    let _ = s.expired_uploads(now, 10).await;
    let _ = s.pending_moves(10).await;
    let _ = s.cases_pending_archive(10).await;
    let _ = s.users_pending_archive(10).await;
    for n in SIZES {
        let moves: Vec<PendingMove> = (0..n)
            .map(|i| PendingMove {
                id: 0,
                source_key: format!("a/{i}"),
                target_key: format!("b/{i}"),
                created_ts: now,
            })
            .collect();
        let _ = s.enqueue_moves(&moves).await;
        let ids: Vec<i64> = (1..=n as i64).collect();
        let _ = s.remove_moves(&ids).await;
    }
}

async fn bugs(s: &mut Session, seeded: &Seeded) {
    let now = fx::t0();
    let bug = NewBugRecord {
        title: "check".into(),
        description: None,
        calling_page: None,
        bug_date: None,
        priority: BugPriority::Normal,
        reported_by: None,
        reported_by_user_id: seeded.owner.id().clone(),
        full_json: "{}".into(),
        created_ts: now,
        status: "Open".into(),
        sync_state: SyncState::Pending,
        next_sync_ts: None,
    };
    let _ = s.insert_bug(&bug).await;
    let _ = s.get_bug(1).await;
    for (reporter, open_only) in [(None, false), (Some(seeded.owner.id().clone()), true)] {
        let _ = s.list_bugs(&BugQuery { reporter, open_only, limit: 10 }).await;
    }
    let _ = s.due_bugs(now, 10).await;
    let _ = s.claim_bug_sync(1, 0, now, "check").await;
    let _ = s.mark_bug_synced(1, "task").await;
    let _ = s.note_bug_sync_error(1, "check").await;
    for n in SIZES {
        let logs: Vec<RequestLogRecord> = (0..n)
            .map(|i| RequestLogRecord {
                timestamp: now,
                request_id: format!("check-{i}"),
                user_id: None,
                endpoint: "/check".into(),
                method: "GET".into(),
                response_status: 200,
                execution_time_ms: 1,
                error_message: None,
                client_ip: "127.0.0.1".into(),
                source: LogSource::Server,
            })
            .collect();
        let _ = s.insert_request_logs(&logs).await;
    }
    let _ = s.recent_request_logs(10).await;
}
