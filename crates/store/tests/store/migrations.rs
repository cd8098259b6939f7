//! The migrations are reversible and refuse unknown databases.

use surgicase_ports::StoreError;
use surgicase_store::DbStore;
use surgicase_store::testing::{
    empty_mysql_store, empty_sqlite_store, exec_raw, recorded_versions, schema_dump, user_tables,
};

async fn empty_stores() -> Vec<DbStore> {
    let mut out = vec![empty_sqlite_store().await];
    if let Some(mysql) = empty_mysql_store().await {
        out.push(mysql);
    }
    out
}

/// Every table the migrations leave behind, sorted; both backends must end up with exactly these.
const ALL_TABLES: [&str; 27] = [
    "bugs",
    "case_day_deltas",
    "case_day_totals",
    "case_documents",
    "case_procedure_codes",
    "case_status_history",
    "case_status_list",
    "cases",
    "document_moves",
    "document_uploads",
    "facility_list",
    "faq_list",
    "job_runs",
    "procedure_code_auto_fix",
    "procedure_code_buckets2",
    "procedure_codes",
    "request_logs",
    "search_facility_all",
    "search_surgeon_all",
    "status_rule_sets",
    "surgeon_list",
    "user_doc_type_list",
    "user_documents",
    "user_profile",
    "user_timezones",
    "user_type_list",
    "users_and_tiers",
];

/// The version folder names of migrations/<backend>, sorted.
fn version_folders(backend: &str) -> Vec<String> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../migrations").join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn both_backends_have_the_same_migration_versions() {
    let mysql = version_folders("mysql");
    let sqlite = version_folders("sqlite");
    assert!(!mysql.is_empty());
    assert_eq!(mysql, sqlite, "migrations/mysql and migrations/sqlite must hold the same version folders");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrations_apply_revert_and_reapply_to_the_same_schema() {
    let expected_tables: Vec<String> = ALL_TABLES.iter().map(|t| (*t).to_owned()).collect();
    let mut sorted = expected_tables.clone();
    sorted.sort();
    assert_eq!(sorted, expected_tables, "ALL_TABLES is kept sorted");
    for store in empty_stores().await {
        let backend = store.backend();
        let first = store.migrate().await.unwrap();
        // One version per folder of migrations/<backend>, in folder-name order.
        let folders = version_folders(match backend {
            surgicase_store::Backend::Sqlite => "sqlite",
            surgicase_store::Backend::Mysql => "mysql",
        });
        let folder_versions: Vec<String> = folders
            .iter()
            .map(|f| f.split('_').next().unwrap().chars().filter(char::is_ascii_digit).collect())
            .collect();
        assert_eq!(first.ran, folder_versions, "{backend:?}: versions run vs {folders:?}");
        assert_eq!(first.applied, first.ran);
        let mut tables = user_tables(&store).await;
        tables.sort();
        assert_eq!(tables, expected_tables, "{backend:?}: table set after migrating");
        let applied = schema_dump(&store).await;
        assert!(applied.len() > 40, "{backend:?}: {} schema lines", applied.len());

        // Applying again is a no-op.
        assert!(store.migrate().await.unwrap().ran.is_empty());

        let reverted = store.revert_all().await.unwrap();
        // Newest first.
        assert_eq!(reverted.ran, first.ran.iter().rev().cloned().collect::<Vec<_>>());
        assert!(reverted.applied.is_empty());
        assert!(user_tables(&store).await.is_empty(), "{backend:?}: tables left after revert");
        assert!(recorded_versions(&store).await.is_empty());

        store.migrate().await.unwrap();
        assert_eq!(schema_dump(&store).await, applied, "{backend:?}: schema differs after re-apply");
        let mut again = user_tables(&store).await;
        again.sort();
        assert_eq!(again, expected_tables, "{backend:?}: table set after re-apply");
    }
}

/// Back to an older build's schema: only the newer migrations are reverted, newest first, and
/// applying again restores the whole schema; an unknown version is refused, changing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverting_to_a_version_keeps_it_and_everything_older() {
    for store in empty_stores().await {
        let backend = store.backend();
        let all = store.migrate().await.unwrap().applied;
        assert!(all.len() >= 3, "{backend:?}: {all:?}");
        let whole = schema_dump(&store).await;
        let keep = &all[all.len() - 3];
        let reverted = store.revert_newer_than(keep).await.unwrap();
        let newer: Vec<String> = all[all.len() - 2..].iter().rev().cloned().collect();
        assert_eq!(reverted.ran, newer, "{backend:?}");
        assert_eq!(reverted.applied, all[..all.len() - 2].to_vec(), "{backend:?}");
        assert!(store.revert_newer_than(keep).await.unwrap().ran.is_empty(), "{backend:?}: again");
        assert!(store.revert_newer_than("19990101000000").await.is_err(), "{backend:?}: unknown");
        assert_eq!(recorded_versions(&store).await.len(), all.len() - 2, "{backend:?}");
        assert_eq!(store.migrate().await.unwrap().ran, newer.into_iter().rev().collect::<Vec<_>>());
        assert_eq!(schema_dump(&store).await, whole, "{backend:?}: schema differs after re-apply");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_values_and_collations_are_as_specified() {
    for store in empty_stores().await {
        store.migrate().await.unwrap();
        let dump = schema_dump(&store).await;
        let has = |needle: &str| dump.iter().any(|l| l.contains(needle));
        match store.backend() {
            surgicase_store::Backend::Sqlite => {
                assert!(has("sequence surgeon_list 99999"), "{dump:#?}");
                assert!(has("sequence facility_list 999999"));
            }
            surgicase_store::Backend::Mysql => {
                assert!(has("table surgeon_list InnoDB utf8mb4_unicode_ci 100000"), "{dump:#?}");
                assert!(has("table facility_list InnoDB utf8mb4_unicode_ci 1000000"));
                assert!(has("column cases 2 case_id varchar(100) NO - utf8mb4_bin"));
                assert!(has("column cases 4 case_date date NO"));
                assert!(has("column user_profile 23 create_ts datetime(6) NO"));
                assert!(has("index facility_list idx_facility_owner_name 1 2 facility_name 191"));
                assert!(has("reference cases fk_cases_user user_id user_profile user_id"));
            }
        }
    }
}

async fn assert_refused(result: Result<surgicase_store::MigrationReport, StoreError>) {
    match result {
        Err(StoreError::Schema { message, .. }) => assert_eq!(
            message,
            "database has migration 99990101000000 that this build does not know; refusing to modify it"
        ),
        other => panic!("expected a schema refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_applied_version_is_refused_and_nothing_changes() {
    for store in empty_stores().await {
        let backend = store.backend();
        // A database written by a newer build: only its migrations table exists so far.
        exec_raw(
            &store,
            "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, \
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        )
        .await
        .unwrap();
        exec_raw(&store, "INSERT INTO __diesel_schema_migrations (version) VALUES ('99990101000000')")
            .await
            .unwrap();
        assert_refused(store.migrate().await).await;
        assert!(user_tables(&store).await.is_empty(), "{backend:?}: a refused migration created tables");
        assert_eq!(recorded_versions(&store).await, vec!["99990101000000".to_owned()]);
        assert_refused(store.revert_all().await).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_migrated_database_with_an_unknown_version_is_left_alone() {
    for store in empty_stores().await {
        store.migrate().await.unwrap();
        let before = schema_dump(&store).await;
        let versions = recorded_versions(&store).await;
        exec_raw(&store, "INSERT INTO __diesel_schema_migrations (version) VALUES ('99990101000000')")
            .await
            .unwrap();
        assert_refused(store.migrate().await).await;
        assert_refused(store.revert_all().await).await;
        assert_eq!(schema_dump(&store).await, before);
        let mut expected = versions.clone();
        expected.push("99990101000000".into());
        assert_eq!(recorded_versions(&store).await, expected);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_runs_has_its_keys_and_the_history_refers_to_it() {
    for store in empty_stores().await {
        store.migrate().await.unwrap();
        let dump = schema_dump(&store).await;
        let has = |needle: &str| dump.iter().any(|l| l.contains(needle));
        match store.backend() {
            surgicase_store::Backend::Sqlite => {
                assert!(has("uq_job_runs_occurrence UNIQUE (job_name, scheduled_for)"), "{dump:#?}");
                assert!(has("index idx_job_runs_outcome job_runs"));
                assert!(has("FOREIGN KEY (job_run_id) REFERENCES job_runs (id)"));
                assert!(has("index idx_history_case case_status_history"));
            }
            surgicase_store::Backend::Mysql => {
                assert!(has("index job_runs uq_job_runs_occurrence 0 2 scheduled_for"), "{dump:#?}");
                assert!(has("index job_runs idx_job_runs_outcome 1 2 outcome"));
                assert!(has("column job_runs 2 job_name varchar(64) NO - utf8mb4_bin"));
                assert!(has("column job_runs 14 error_text varchar(2000) YES"));
                assert!(has("reference case_status_history fk_history_job_run job_run_id job_runs id"));
            }
        }
    }
}
