//! Statement builders for whole rows: INSERT, UPDATE, multi-row INSERT and upsert, from a
//! list of `(column, value)` pairs, so each table's columns are listed once.

use crate::stmt::{Dialect, Stmt, Value, rows_per_statement};

/// One row as `(column, value)` pairs, in column order.
pub(crate) type Row = Vec<(&'static str, Value)>;

fn names(row: &Row) -> Vec<&'static str> {
    row.iter().map(|(c, _)| *c).collect()
}

/// `INSERT INTO table (…) VALUES (…)`.
pub(crate) fn insert(table: &str, row: Row) -> Stmt {
    insert_with(table, row, &[], Vec::new())
}

/// [`insert`] with more columns whose values are SQL expressions (`(column, expression)`);
/// the expressions' placeholders are bound to `binds`, after the row's values.
pub(crate) fn insert_with(table: &str, row: Row, exprs: &[(&str, &str)], binds: Vec<Value>) -> Stmt {
    let mut cols: Vec<&str> = names(&row);
    cols.extend(exprs.iter().map(|(c, _)| *c));
    let mut values: Vec<&str> = vec!["?"; row.len()];
    values.extend(exprs.iter().map(|(_, e)| *e));
    let mut stmt =
        Stmt::new(format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), values.join(", ")));
    for (_, v) in row.into_iter().chain(binds.into_iter().map(|v| ("", v))) {
        stmt.arg(v);
    }
    stmt
}

/// `UPDATE table SET a = ?, … WHERE <where_sql>`; `where_sql` has its own placeholders.
pub(crate) fn update(table: &str, row: Row, where_sql: &str, where_binds: Vec<Value>) -> Stmt {
    let sets: Vec<String> = row.iter().map(|(c, _)| format!("{c} = ?")).collect();
    let mut stmt = Stmt::new(format!("UPDATE {table} SET {} WHERE {where_sql}", sets.join(", ")));
    for (_, v) in row {
        stmt.arg(v);
    }
    for v in where_binds {
        stmt.arg(v);
    }
    stmt
}

/// Multi-row statements for `rows` (all with the same columns), as few as the bind limits
/// allow: `head(n_rows)` gives the SQL for a chunk of `n_rows` rows.
fn batches(rows: Vec<Row>, head: impl Fn(&[&'static str], usize) -> String) -> Vec<Stmt> {
    let Some(first) = rows.first() else { return Vec::new() };
    let cols = names(first);
    let per = rows_per_statement(cols.len());
    let mut out = Vec::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Row> = rows.by_ref().take(per).collect();
        let mut stmt = Stmt::new(head(&cols, chunk.len())).uncached();
        for row in chunk {
            for (_, v) in row {
                stmt.arg(v);
            }
        }
        out.push(stmt);
    }
    out
}

/// Multi-row `INSERT`.
pub(crate) fn insert_rows(table: &str, rows: Vec<Row>) -> Vec<Stmt> {
    batches(rows, |cols, n| {
        format!("INSERT INTO {table} ({}) VALUES {}", cols.join(", "), crate::stmt::value_rows(n, cols.len()))
    })
}

/// Multi-row upsert: insert, or on a clash of `key` update every other column.
pub(crate) fn upsert_rows(dialect: Dialect, table: &str, key: &[&str], rows: Vec<Row>) -> Vec<Stmt> {
    batches(rows, |cols, n| {
        let update: Vec<&str> = cols.iter().copied().filter(|c| !key.contains(c)).collect();
        dialect.upsert(table, cols, key, &update, n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Backend;

    fn row(k: &str, v: i64) -> Row {
        vec![("k", Value::from(k)), ("v", Value::from(v))]
    }

    #[test]
    fn insert_and_update_list_columns_once() {
        assert_eq!(insert("t", row("a", 1)).text(), "INSERT INTO t (k, v) VALUES (?, ?)");
        let u = update("t", vec![("v", Value::from(2i64))], "k = ?", vec![Value::from("a")]);
        assert_eq!(u.text(), "UPDATE t SET v = ? WHERE k = ?");
        assert_eq!(u.binds(), &[Value::from(2i64), Value::from("a")]);
    }

    #[test]
    fn upserts_update_every_non_key_column() {
        let stmts = upsert_rows(Dialect(Backend::Sqlite), "t", &["k"], vec![row("a", 1), row("b", 2)]);
        assert_eq!(stmts.len(), 1);
        assert_eq!(
            stmts[0].text(),
            "INSERT INTO t (k, v) VALUES (?, ?), (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
        );
        assert_eq!(stmts[0].binds().len(), 4);
    }

    #[test]
    fn big_batches_are_split_and_empty_ones_vanish() {
        let rows: Vec<Row> = (0..20_000).map(|i| row("x", i)).collect();
        let stmts = insert_rows("t", rows);
        assert_eq!(stmts.len(), 2);
        assert_eq!(stmts.iter().map(|s| s.binds().len()).sum::<usize>(), 40_000);
        assert!(insert_rows("t", Vec::new()).is_empty());
    }
}
