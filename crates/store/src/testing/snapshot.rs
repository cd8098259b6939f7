//! [`MysqlSnapshot`]: a test database's rows saved once and put back between tests that each
//! need the same starting state (the permission matrix sends hundreds of writes; a new, migrated
//! database per request would take minutes, a restore of the few fixture rows takes
//! milliseconds).
use std::collections::{BTreeMap, BTreeSet};

use crate::stmt::Stmt;
use crate::store::DbStore;

/// A copy of every table of one MySQL/MariaDB test database, kept in a database of its own
/// (dropped with the snapshot).
pub struct MysqlSnapshot {
    /// The tables, in an order that lets each be restored after every table whose triggers
    /// write it (so that what those triggers add is overwritten).
    tables: Vec<String>,
    copy: String,
    _guard: super::DropDatabase,
}

impl MysqlSnapshot {
    /// Saves the rows of every table of `store`'s database.
    pub async fn take(store: &DbStore) -> MysqlSnapshot {
        let server = surgicase_testkit::env::mysql_url().expect("a MySQL test server");
        let db = super::lines(store, "SELECT DATABASE() AS line").await.expect("database name").remove(0);
        let copy = format!("{db}_snap");
        let guard = super::DropDatabase { server, name: copy.clone() };
        let tables = super::lines(
            store,
            "SELECT TABLE_NAME AS line FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() \
             AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
        )
        .await
        .expect("list tables");
        let triggers = trigger_writes(store, &tables).await;
        let mut script = vec![format!("CREATE DATABASE `{copy}`")];
        for t in &tables {
            script.push(format!("CREATE TABLE `{copy}`.`{t}` LIKE `{t}`"));
            script.push(format!("INSERT INTO `{copy}`.`{t}` SELECT * FROM `{t}`"));
        }
        run(store, &script).await;
        MysqlSnapshot { tables: restore_order(tables, &triggers), copy, _guard: guard }
    }

    /// Puts every table back as it was when the snapshot was taken.
    pub async fn restore(&self, store: &DbStore) {
        let mut script = vec!["SET FOREIGN_KEY_CHECKS = 0".to_owned()];
        for t in &self.tables {
            script.push(format!("DELETE FROM `{t}`"));
            script.push(format!("INSERT INTO `{t}` SELECT * FROM `{}`.`{t}`", self.copy));
        }
        script.push("SET FOREIGN_KEY_CHECKS = 1".to_owned());
        run(store, &script).await;
    }
}

/// Runs the statements in order on one connection (session settings carry over).
async fn run(store: &DbStore, script: &[String]) {
    let mut session = store.session().await.expect("a connection");
    for sql in script {
        session.exec(Stmt::new(sql.as_str()).uncached()).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// For each table, the tables whose triggers write it (`INSERT INTO t`, `UPDATE t`).
async fn trigger_writes(store: &DbStore, tables: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let rows = super::lines(
        store,
        "SELECT CONCAT(EVENT_OBJECT_TABLE, ' ', ACTION_STATEMENT) AS line FROM information_schema.TRIGGERS \
         WHERE TRIGGER_SCHEMA = DATABASE()",
    )
    .await
    .expect("list triggers");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in rows {
        let words: Vec<String> = row
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let Some((on, body)) = words.split_first() else { continue };
        for pair in body.windows(2) {
            if matches!(pair[0].as_str(), "into" | "update") && &pair[1] != on && tables.contains(&pair[1]) {
                out.entry(pair[1].clone()).or_default().insert(on.clone());
            }
        }
    }
    out
}

/// `tables` ordered so that each comes after the tables whose triggers write it.
fn restore_order(mut tables: Vec<String>, writers: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let ready =
            tables.iter().position(|t| writers.get(t).is_none_or(|w| w.iter().all(|s| !tables.contains(s))));
        // A cycle of triggers: no order can help; keep the rest as listed.
        let next = ready.unwrap_or(0);
        out.push(tables.remove(next));
    }
    out
}
