//! Embedded migrations, one folder per backend (`migrations/mysql`, `migrations/sqlite`, same
//! versions in both). A database that carries a version this build does not embed is refused
//! and left untouched (domain §2).
//!
//! Migrations run on a dedicated connection inside `spawn_blocking` (diesel's migration
//! harness is synchronous), so callers may run them from any tokio runtime, including the
//! current-thread runtime of an actix system.

use std::collections::BTreeSet;

use diesel::backend::Backend as DieselBackend;
use diesel::migration::{Migration, MigrationSource};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use surgicase_ports::{BoxError, StoreError};

pub(crate) const MYSQL_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/mysql");
pub(crate) const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");

/// What a migration run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Versions applied (or reverted) by this run, in the order they ran.
    pub ran: Vec<String>,
    /// Versions applied in the database after the run, oldest first.
    pub applied: Vec<String>,
}

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Apply every pending migration.
    Apply,
    /// Revert every applied migration (tests).
    RevertAll,
    /// Revert the applied migrations newer than this version, newest first (back to the
    /// schema of an older build).
    RevertNewerThan(String),
}

fn schema_error(what: &str, e: BoxError) -> StoreError {
    StoreError::schema(what).caused_by(e)
}

/// Runs `plan` on a synchronous connection.
pub(crate) fn run_plan<DB, C>(
    conn: &mut C,
    source: &EmbeddedMigrations,
    plan: Plan,
) -> Result<MigrationReport, StoreError>
where
    DB: DieselBackend,
    C: MigrationHarness<DB>,
    EmbeddedMigrations: MigrationSource<DB>,
{
    let mut known: Vec<Box<dyn Migration<DB>>> =
        source.migrations().map_err(|e| schema_error("cannot read the embedded migrations", e))?;
    known.sort_by_key(|m| m.name().version().to_string());
    let known_versions: BTreeSet<String> = known.iter().map(|m| m.name().version().to_string()).collect();

    let applied: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| schema_error("cannot read the applied migrations", e))?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    if let Some(unknown) = applied.iter().find(|v| !known_versions.contains(*v)) {
        return Err(StoreError::schema(format!(
            "database has migration {unknown} that this build does not know; refusing to modify it"
        )));
    }

    let mut ran = Vec::new();
    match plan {
        Plan::Apply => {
            for migration in &known {
                let version = migration.name().version().to_string();
                if applied.contains(&version) {
                    continue;
                }
                conn.run_migration(migration.as_ref())
                    .map_err(|e| schema_error(&format!("migration {version} failed"), e))?;
                ran.push(version);
            }
        }
        Plan::RevertAll | Plan::RevertNewerThan(_) => {
            let keep = match &plan {
                Plan::RevertNewerThan(v) if !known_versions.contains(v) => {
                    return Err(StoreError::schema(format!("no migration {v} in this build")));
                }
                Plan::RevertNewerThan(v) => Some(v.as_str()),
                _ => None,
            };
            for migration in known.iter().rev() {
                let version = migration.name().version().to_string();
                if !applied.contains(&version) || keep.is_some_and(|k| version.as_str() <= k) {
                    continue;
                }
                conn.revert_migration(migration.as_ref())
                    .map_err(|e| schema_error(&format!("reverting migration {version} failed"), e))?;
                ran.push(version);
            }
        }
    }

    let mut now: Vec<String> = conn
        .applied_migrations()
        .map_err(|e| schema_error("cannot read the applied migrations", e))?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    now.sort();
    Ok(MigrationReport { ran, applied: now })
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::mysql::Mysql;
    use diesel::sqlite::Sqlite;

    fn versions<DB: DieselBackend>(source: &EmbeddedMigrations) -> Vec<String>
    where
        EmbeddedMigrations: MigrationSource<DB>,
    {
        let mut v: Vec<String> = MigrationSource::<DB>::migrations(source)
            .unwrap()
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn both_backends_embed_the_same_versions() {
        let mysql = versions::<Mysql>(&MYSQL_MIGRATIONS);
        let sqlite = versions::<Sqlite>(&SQLITE_MIGRATIONS);
        assert!(!mysql.is_empty());
        assert_eq!(mysql, sqlite);
    }
}
