//! [`Stmt`]: one SQL statement with its bind values, written once and run on either backend.
//!
//! The SQL uses `?` placeholders (both MySQL and SQLite use them), so one text serves both
//! engines; the few places where the dialects differ ask [`Dialect`] for their piece. A
//! statement is a diesel query fragment of its own, so diesel's prepared-statement cache keys it
//! by its text: statements of a fixed shape are prepared once per connection, statements whose
//! shape depends on the input (IN lists, batch inserts) opt out of the cache with
//! [`Stmt::uncached`] so the cache stays bounded.
//!
//! Rule: a `?` in the SQL text is always a placeholder; never write one inside a literal.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::mysql::Mysql;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, SmallInt, Text, Timestamp, Untyped};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, result::Error as DieselError};
use surgicase_kernel::time::truncate_to_micros;
use surgicase_kernel::{ArchiveState, CaseId, CaseStatus, DocumentField, DocumentLocation, Money, UserId};

use crate::settings::Backend;

/// One bind value, typed as the column it goes to.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(Option<String>),
    BigInt(Option<i64>),
    Int(Option<i32>),
    SmallInt(Option<i16>),
    Bool(Option<bool>),
    Date(Option<NaiveDate>),
    Timestamp(Option<NaiveDateTime>),
}

macro_rules! value_from {
    ($variant:ident, $t:ty) => {
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant(Some(v))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self {
                Value::$variant(v)
            }
        }
    };
}

value_from!(Text, String);
value_from!(BigInt, i64);
value_from!(Int, i32);
value_from!(SmallInt, i16);
value_from!(Bool, bool);
value_from!(Date, NaiveDate);

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_owned()))
    }
}

impl From<Option<&str>> for Value {
    fn from(v: Option<&str>) -> Self {
        Value::Text(v.map(str::to_owned))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(Some(v.clone()))
    }
}

impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::Text(v.clone())
    }
}

impl From<&UserId> for Value {
    fn from(v: &UserId) -> Self {
        Value::Text(Some(v.as_str().to_owned()))
    }
}

impl From<&CaseId> for Value {
    fn from(v: &CaseId) -> Self {
        Value::Text(Some(v.as_str().to_owned()))
    }
}

impl From<CaseStatus> for Value {
    fn from(v: CaseStatus) -> Self {
        Value::SmallInt(Some(v.code()))
    }
}

impl From<Option<CaseStatus>> for Value {
    fn from(v: Option<CaseStatus>) -> Self {
        Value::SmallInt(v.map(CaseStatus::code))
    }
}

/// Enums stored as their word.
macro_rules! value_from_word {
    ($($t:ty),+) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::Text(Some(v.as_str().to_owned()))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self {
                Value::Text(v.map(|v| v.as_str().to_owned()))
            }
        }
    )+};
}

value_from_word!(DocumentField, DocumentLocation, ArchiveState);

impl From<Money> for Value {
    fn from(v: Money) -> Self {
        Value::BigInt(Some(v.cents()))
    }
}

/// Timestamps are stored as UTC with microsecond precision on both engines.
impl From<chrono::DateTime<chrono::Utc>> for Value {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Self {
        Value::Timestamp(Some(truncate_to_micros(v).naive_utc()))
    }
}

impl From<Option<chrono::DateTime<chrono::Utc>>> for Value {
    fn from(v: Option<chrono::DateTime<chrono::Utc>>) -> Self {
        Value::Timestamp(v.map(|t| truncate_to_micros(t).naive_utc()))
    }
}

/// A statement: SQL text with `?` placeholders and one value per placeholder.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    sql: String,
    binds: Vec<Value>,
    cacheable: bool,
}

impl Stmt {
    pub fn new(sql: impl Into<String>) -> Self {
        Self { sql: sql.into(), binds: Vec::new(), cacheable: true }
    }

    /// Appends a bind value (builder style).
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.binds.push(value.into());
        self
    }

    /// Appends SQL text.
    pub fn sql(&mut self, text: &str) -> &mut Self {
        self.sql.push_str(text);
        self
    }

    /// Appends a bind value.
    pub fn arg(&mut self, value: impl Into<Value>) -> &mut Self {
        self.binds.push(value.into());
        self
    }

    /// Appends `(?, ?, …)` with one placeholder per value. The statement's shape now depends
    /// on the input, so it is not cached.
    pub fn in_list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.cacheable = false;
        self.sql.push('(');
        for (i, v) in values.into_iter().enumerate() {
            self.sql.push_str(if i == 0 { "?" } else { ", ?" });
            self.binds.push(v.into());
        }
        self.sql.push(')');
        self
    }

    /// Marks the statement as one whose text varies with the input (kept out of the cache).
    pub fn uncached(mut self) -> Self {
        self.cacheable = false;
        self
    }

    #[cfg(any(test, feature = "testing"))]
    pub fn text(&self) -> &str {
        &self.sql
    }

    #[cfg(test)]
    pub fn binds(&self) -> &[Value] {
        &self.binds
    }
}

/// `?, ?, …` with `n` placeholders.
pub(crate) fn placeholders(n: usize) -> String {
    let mut s = String::with_capacity(n * 3);
    for i in 0..n {
        s.push_str(if i == 0 { "?" } else { ", ?" });
    }
    s
}

/// `(?, ?), (?, ?)`: `rows` tuples of `cols` placeholders.
pub(crate) fn value_rows(rows: usize, cols: usize) -> String {
    let one = format!("({})", placeholders(cols));
    let mut s = String::with_capacity(rows * (one.len() + 2));
    for i in 0..rows {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&one);
    }
    s
}

/// The escape character of every `LIKE` pattern this crate builds (`ESCAPE '!'`): a
/// backslash would need different quoting on the two engines.
pub(crate) const LIKE_ESCAPE: &str = " ESCAPE '!'";

/// `text` with the `LIKE` wildcards and the escape character escaped.
pub(crate) fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if matches!(c, '!' | '%' | '_') {
            out.push('!');
        }
        out.push(c);
    }
    out
}

/// The pieces of SQL that differ between the engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect(pub Backend);

impl Dialect {
    /// Suffix of a locking read. SQLite has one writer at a time (the store serialises write
    /// transactions), so a plain read is already a locking read there.
    pub fn for_update(self) -> &'static str {
        match self.0 {
            Backend::Mysql => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }

    /// A text column in an ORDER BY, compared case-insensitively on both engines (MySQL's
    /// `utf8mb4_unicode_ci` columns already are).
    pub fn ci(self, column: &str) -> String {
        match self.0 {
            Backend::Mysql => column.to_owned(),
            Backend::Sqlite => format!("{column} COLLATE NOCASE"),
        }
    }

    /// The id the last INSERT on this connection assigned.
    pub fn last_insert_id(self) -> &'static str {
        match self.0 {
            Backend::Mysql => "SELECT LAST_INSERT_ID() AS id",
            Backend::Sqlite => "SELECT last_insert_rowid() AS id",
        }
    }

    /// `INSERT … VALUES … ON DUPLICATE KEY UPDATE` / `ON CONFLICT (…) DO UPDATE`: inserts
    /// `rows` rows of `columns`, and on a clash of the `key` updates the `update` columns.
    /// (Never `REPLACE INTO`: it deletes the old row and breaks foreign keys.)
    pub fn upsert(self, table: &str, columns: &[&str], key: &[&str], update: &[&str], rows: usize) -> String {
        let mut sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            value_rows(rows, columns.len())
        );
        match self.0 {
            Backend::Mysql => {
                sql.push_str(" ON DUPLICATE KEY UPDATE ");
                let sets: Vec<String> = if update.is_empty() {
                    key.iter().map(|c| format!("{c} = {c}")).collect()
                } else {
                    update.iter().map(|c| format!("{c} = VALUES({c})")).collect()
                };
                sql.push_str(&sets.join(", "));
            }
            Backend::Sqlite => {
                sql.push_str(&format!(" ON CONFLICT ({}) ", key.join(", ")));
                if update.is_empty() {
                    sql.push_str("DO NOTHING");
                } else {
                    let sets: Vec<String> = update.iter().map(|c| format!("{c} = excluded.{c}")).collect();
                    sql.push_str("DO UPDATE SET ");
                    sql.push_str(&sets.join(", "));
                }
            }
        }
        sql
    }
}

/// Most rows one multi-row statement carries: keeps every statement well under both engines'
/// bind-parameter limits (SQLite 32766, MySQL 65535).
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (30_000 / columns.max(1)).max(1)
}

/// A row type decoded by position: its fields, in order, are the columns of the statements
/// that load it, and `Sql` their SQL types. Decoding by position costs O(columns) per row;
/// by name (`QueryableByName`) MySQL looks each column up by a linear search over the
/// column names, O(columns²) per row.
pub(crate) trait Positional: Send + 'static {
    /// The SQL types of the columns, as a (possibly nested) tuple.
    type Sql: Send + 'static;

    /// Appends the select expressions, in field order, each prefixed with `prefix`.
    fn select_exprs(prefix: &str, out: &mut Vec<String>);

    /// The select list: the expressions, in field order, each prefixed with `prefix`.
    fn select_list(prefix: &str) -> String {
        let mut out = Vec::new();
        Self::select_exprs(prefix, &mut out);
        out.join(", ")
    }
}

/// A [`Stmt`] whose result rows have the SQL types `ST`, so they decode by position.
#[derive(Debug)]
pub(crate) struct Typed<ST>(pub Stmt, std::marker::PhantomData<ST>);

impl<ST> Typed<ST> {
    pub fn new(stmt: Stmt) -> Self {
        Self(stmt, std::marker::PhantomData)
    }
}

impl<ST> QueryId for Typed<ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> Query for Typed<ST> {
    type SqlType = ST;
}

macro_rules! typed_fragment {
    ($db:ty) => {
        impl<ST> QueryFragment<$db> for Typed<ST> {
            fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                <Stmt as QueryFragment<$db>>::walk_ast(&self.0, out)
            }
        }
    };
}

typed_fragment!(Mysql);
typed_fragment!(Sqlite);

impl QueryId for Stmt {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Stmt {
    type SqlType = Untyped;
}

macro_rules! stmt_fragment {
    ($db:ty) => {
        impl QueryFragment<$db> for Stmt {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $db>) -> QueryResult<()> {
                if !self.cacheable {
                    out.unsafe_to_cache_prepared();
                }
                let mut parts = self.sql.split('?');
                if let Some(first) = parts.next() {
                    out.push_sql(first);
                }
                let mut values = self.binds.iter();
                for part in parts {
                    let Some(value) = values.next() else {
                        return Err(DieselError::QueryBuilderError(
                            "more placeholders than bind values".into(),
                        ));
                    };
                    match value {
                        Value::Text(v) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                        Value::BigInt(v) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                        Value::Int(v) => out.push_bind_param::<Nullable<Integer>, _>(v)?,
                        Value::SmallInt(v) => out.push_bind_param::<Nullable<SmallInt>, _>(v)?,
                        Value::Bool(v) => out.push_bind_param::<Nullable<Bool>, _>(v)?,
                        Value::Date(v) => out.push_bind_param::<Nullable<Date>, _>(v)?,
                        Value::Timestamp(v) => out.push_bind_param::<Nullable<Timestamp>, _>(v)?,
                    }
                    out.push_sql(part);
                }
                if values.next().is_some() {
                    return Err(DieselError::QueryBuilderError("more bind values than placeholders".into()));
                }
                Ok(())
            }
        }
    };
}

stmt_fragment!(Mysql);
stmt_fragment!(Sqlite);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        let table = [("abc", "abc"), ("50%", "50!%"), ("a_b", "a!_b"), ("wow!", "wow!!"), ("", "")];
        for (raw, escaped) in table {
            assert_eq!(like_escape(raw), escaped, "{raw}");
        }
    }

    #[test]
    fn placeholder_lists() {
        assert_eq!(placeholders(0), "");
        assert_eq!(placeholders(3), "?, ?, ?");
        assert_eq!(value_rows(2, 2), "(?, ?), (?, ?)");
    }

    #[test]
    fn in_lists_bind_each_value_and_are_not_cached() {
        let mut s = Stmt::new("SELECT 1 FROM t WHERE a IN ");
        s.in_list(["x", "y"]);
        assert_eq!(s.text(), "SELECT 1 FROM t WHERE a IN (?, ?)");
        assert_eq!(s.binds().len(), 2);
        assert!(!s.cacheable);
    }

    #[test]
    fn upserts_per_dialect() {
        let my = Dialect(Backend::Mysql).upsert("t", &["k", "v"], &["k"], &["v"], 2);
        assert_eq!(my, "INSERT INTO t (k, v) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE v = VALUES(v)");
        let lite = Dialect(Backend::Sqlite).upsert("t", &["k", "v"], &["k"], &["v"], 1);
        assert_eq!(lite, "INSERT INTO t (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v");
        assert!(!my.contains("REPLACE") && !lite.contains("REPLACE"));
    }

    #[test]
    fn timestamps_are_truncated_to_microseconds() {
        let ts = chrono::DateTime::parse_from_rfc3339("2025-01-15T09:30:00.123456789Z").unwrap().to_utc();
        let Value::Timestamp(Some(naive)) = Value::from(ts) else { panic!("timestamp") };
        assert_eq!(naive.and_utc().timestamp_subsec_nanos(), 123_456_000);
    }

    #[test]
    fn batches_stay_under_bind_limits() {
        assert!(rows_per_statement(41) * 41 <= 30_000);
        assert_eq!(rows_per_statement(0), 30_000);
    }
}
