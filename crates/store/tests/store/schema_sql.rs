//! Every statement the store can issue prepares against a freshly migrated database, on SQLite
//! and on MySQL/MariaDB (`surgicase_store::check`), and none escapes the check: every SQL text in
//! the store's source and every repository method is reached by it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use surgicase_store::DbStore;
use surgicase_store::check::{Prepared, prepare_every_statement, prepare_sql, refusals};

use crate::fixtures::stores;

/// Each backend's check stays well under this.
const BUDGET_S: f64 = 10.0;

async fn prepared(store: &DbStore) -> Vec<Prepared> {
    let started = Instant::now();
    let prepared = prepare_every_statement(store).await.unwrap();
    let took = started.elapsed().as_secs_f64();
    eprintln!("{:?}: {} statements prepared in {took:.2} s", store.backend(), prepared.len());
    assert!(took < BUDGET_S, "{:?}: the check took {took:.1} s", store.backend());
    prepared
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_statement_prepares_against_the_migrated_schema() {
    for store in stores().await {
        let prepared = prepared(&store).await;
        assert!(prepared.len() > 100, "{:?}: only {} statements", store.backend(), prepared.len());
        let refused = refusals(&prepared);
        assert!(refused.is_empty(), "{:?}: statements the schema refuses:\n{refused}", store.backend());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misspelt_column_is_refused_and_the_statement_named() {
    for store in stores().await {
        let sql = "SELECT case_idd FROM cases WHERE user_id = ?";
        let error = prepare_sql(&store, sql).await.expect_err("an unknown column");
        assert!(error.contains("case_idd"), "{:?}: {error}", store.backend());
        let report = refusals(&[Prepared { sql: sql.to_owned(), error: Some(error) }]);
        assert!(report.contains(sql), "{report}");
        assert!(prepare_sql(&store, "SELECT case_id FROM cases WHERE user_id = ?").await.is_ok());
    }
}

/// Needs both backends: some texts are one dialect's (`INSERT IGNORE`, `INSERT OR IGNORE`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_sql_text_of_the_store_escapes_the_check() {
    let stores = stores().await;
    if stores.len() < 2 {
        surgicase_testkit::env::skip("the SQL coverage check needs both backends");
        return;
    }
    let mut texts = BTreeSet::new();
    for store in &stores {
        texts.extend(prepared(store).await.into_iter().map(|p| p.sql));
    }
    let mut missing = Vec::new();
    for (file, line, literal) in sql_literals() {
        for piece in literal.split('{').map(|p| p.rsplit('}').next().unwrap_or(p)) {
            let piece = piece.trim();
            if is_sql(piece) && !texts.iter().any(|t| t.contains(piece)) {
                missing.push(format!("{file}:{line}: {piece:?}"));
            }
        }
    }
    for (file, line, table) in written_tables() {
        let ways = [format!("INTO {table} ("), format!("UPDATE {table} SET")];
        if !texts.iter().any(|t| ways.iter().any(|w| t.contains(w.as_str()))) {
            missing.push(format!("{file}:{line}: writes to {table}"));
        }
    }
    assert!(
        missing.is_empty(),
        "SQL that surgicase_store::check never prepared (call the method that issues it there):\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_repository_method_is_called_by_the_check() {
    let check = std::fs::read_to_string(src().join("check.rs")).unwrap();
    let mut uncalled = Vec::new();
    // The repositories; store.rs's `Tx` methods end transactions and issue none of our SQL.
    for (file, text) in repo_sources().into_iter().filter(|(file, _)| file.starts_with("repo")) {
        let mut in_port_impl = false;
        for line in text.lines() {
            if line.starts_with("impl ") || line.starts_with("impl<") {
                in_port_impl = line.contains(" for Session");
            }
            if !in_port_impl {
                continue;
            }
            if let Some(rest) = line.trim_start().strip_prefix("async fn ") {
                let name = rest.split(['(', '<']).next().unwrap_or(rest);
                if !check.contains(&format!(".{name}(")) {
                    uncalled.push(format!("{file}: {name}"));
                }
            }
        }
    }
    assert!(uncalled.is_empty(), "repository methods the check never calls:\n{}", uncalled.join("\n"));
}

#[test]
fn the_literal_reader_follows_rust_strings() {
    let source =
        "let a = \"SELECT x \\\n    FROM t\"; // \"not SQL\"\nlet b = r#\"say \"hi\"\"#; let c = '\"';";
    let found: Vec<String> = literals(source).into_iter().map(|(_, s)| s).collect();
    assert_eq!(found, vec!["SELECT x FROM t".to_owned(), "say \"hi\"".to_owned()]);
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The files that build the statements (the repositories and the health check), without their
/// unit tests.
fn repo_sources() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(src().join("repo")).unwrap().map(|e| e.unwrap().path()).collect();
    files.push(src().join("store.rs"));
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(&text).to_owned();
            (path.strip_prefix(src()).unwrap().display().to_string(), code)
        })
        .collect()
}

/// The string literals that hold SQL, with their file and line.
fn sql_literals() -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (file, text) in repo_sources() {
        for (line, literal) in literals(&text) {
            if is_sql(&literal) {
                out.push((file.clone(), line, literal));
            }
        }
    }
    assert!(out.len() > 50, "found only {} SQL texts", out.len());
    out
}

/// Tables written through the row builders (`sql::insert("t", …)`, upserts, updates).
fn written_tables() -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (file, text) in repo_sources() {
        for (line, literal) in literals(&text) {
            let Some(at) = nth_line_offset(&text, line) else { continue };
            let quoted = format!("\"{literal}\"");
            let Some(pos) = text[at..].find(&quoted).map(|p| p + at) else { continue };
            let before: String = text[..pos].chars().filter(|c| !c.is_whitespace()).collect();
            let is_table = literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            let builder = ["insert(", "update(", "insert_rows(", "self.upsert(", "self.dialect(),"];
            if is_table && builder.iter().any(|b| before.ends_with(b)) {
                out.push((file.clone(), line, literal));
            }
        }
    }
    assert!(out.len() > 10, "found only {} written tables", out.len());
    out
}

fn nth_line_offset(text: &str, line: usize) -> Option<usize> {
    if line == 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// Upper-case SQL words or a placeholder: text meant for the database.
fn is_sql(text: &str) -> bool {
    const WORDS: [&str; 24] = [
        "SELECT", "INSERT", "UPDATE", "DELETE", "FROM", "WHERE", "AND", "OR", "ORDER", "LIMIT", "JOIN",
        "SET", "VALUES", "IN", "CASE", "WHEN", "LIKE", "ON", "AS", "GROUP", "COUNT", "IGNORE", "NULL", "IS",
    ];
    text.contains('?')
        || text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').any(|word| WORDS.contains(&word))
}

/// The string literals of Rust source, each with its line: escapes resolved (a `\` at the end
/// of a line drops the next line's indentation), comments, chars and lifetimes skipped.
fn literals(source: &str) -> Vec<(usize, String)> {
    let c: Vec<char> = source.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < c.len() {
        match (at(i), at(i + 1)) {
            ('\n', _) => {
                line += 1;
                i += 1;
            }
            ('/', '/') => {
                while i < c.len() && at(i) != '\n' {
                    i += 1;
                }
            }
            ('/', '*') => {
                while i < c.len() && !(at(i) == '*' && at(i + 1) == '/') {
                    line += usize::from(at(i) == '\n');
                    i += 1;
                }
                i += 2;
            }
            ('\'', '\\') => {
                i += 2;
                while i < c.len() && at(i) != '\'' {
                    i += 1;
                }
                i += 1;
            }
            ('\'', _) if at(i + 2) == '\'' => i += 3,
            ('r', '"' | '#') if i == 0 || !(at(i - 1).is_alphanumeric() || at(i - 1) == '_') => {
                let start_line = line;
                let mut j = i + 1;
                let mut hashes = 0;
                while at(j) == '#' {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != '"' {
                    i += 1;
                    continue;
                }
                j += 1;
                let close: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
                let mut text = String::new();
                while j < c.len() && !c[j..].iter().take(close.len()).copied().eq(close.chars()) {
                    line += usize::from(at(j) == '\n');
                    text.push(at(j));
                    j += 1;
                }
                out.push((start_line, text));
                i = j + close.len();
            }
            ('"', _) => {
                let start_line = line;
                let mut text = String::new();
                let mut j = i + 1;
                while j < c.len() && at(j) != '"' {
                    if at(j) == '\\' {
                        match at(j + 1) {
                            '\n' => {
                                line += 1;
                                j += 2;
                                while at(j).is_whitespace() {
                                    line += usize::from(at(j) == '\n');
                                    j += 1;
                                }
                                continue;
                            }
                            'n' => text.push('\n'),
                            't' => text.push('\t'),
                            other => text.push(other),
                        }
                        j += 2;
                    } else {
                        line += usize::from(at(j) == '\n');
                        text.push(at(j));
                        j += 1;
                    }
                }
                out.push((start_line, text));
                i = j + 1;
            }
            _ => i += 1,
        }
    }
    out
}
