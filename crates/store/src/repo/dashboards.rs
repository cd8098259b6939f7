//! `DashboardRepo`: grouped counts and sums over `cases` and `user_profile`, one statement each.

use async_trait::async_trait;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use surgicase_kernel::UserType;
use surgicase_ports::DashboardRepo;
use surgicase_ports::records::*;

use super::R;
use super::decode;
use crate::session::Session;
use crate::settings::Backend;
use crate::stmt::Stmt;

#[derive(QueryableByName)]
struct StatusTotalDb {
    #[diesel(sql_type = BigInt)]
    case_status: i64,
    #[diesel(sql_type = Nullable<Text>)]
    case_status_desc: Option<String>,
    #[diesel(sql_type = BigInt)]
    cases: i64,
    #[diesel(sql_type = BigInt)]
    total_cents: i64,
}

#[derive(QueryableByName)]
struct CategoryTotalDb {
    #[diesel(sql_type = Nullable<Text>)]
    pay_category: Option<String>,
    #[diesel(sql_type = BigInt)]
    cases: i64,
    #[diesel(sql_type = BigInt)]
    total_cents: i64,
}

#[derive(QueryableByName)]
struct UserTypeCountDb {
    #[diesel(sql_type = BigInt)]
    user_type: i64,
    #[diesel(sql_type = Nullable<Text>)]
    user_type_desc: Option<String>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Session {
    /// `SUM` of a BIGINT column as BIGINT: MySQL's SUM is DECIMAL.
    pub(super) fn sum_int(&self, column: &str) -> String {
        match self.dialect().0 {
            Backend::Mysql => format!("CAST(SUM({column}) AS SIGNED)"),
            Backend::Sqlite => format!("SUM({column})"),
        }
    }
}

/// The day rows of the back office's totals as table `d`: the folded totals and the deltas
/// not folded yet (MySQL's triggers append deltas, migration 000008), each branch filtered by
/// `filter` (conditions on `d.`, each ` AND …`), so both are read through their indexes.
pub(super) fn day_rows(stmt: &mut Stmt, filter: impl Fn(&mut Stmt)) {
    const COLUMNS: &str = "d.case_date, d.case_status, d.pay_category, d.cases, d.pay_amount_cents";
    stmt.sql(&format!("(SELECT {COLUMNS} FROM case_day_totals d WHERE 1 = 1"));
    filter(stmt);
    stmt.sql(&format!(" UNION ALL SELECT {COLUMNS} FROM case_day_deltas d WHERE 1 = 1"));
    filter(stmt);
    stmt.sql(") d");
}

/// ` AND …` over `d.case_date` in the range (inclusive).
fn day_range(stmt: &mut Stmt, range: CaseDateRange) {
    if let Some(from) = range.from {
        stmt.sql(" AND d.case_date >= ?").arg(from);
    }
    if let Some(to) = range.to {
        stmt.sql(" AND d.case_date <= ?").arg(to);
    }
}

#[async_trait]
impl DashboardRepo for Session {
    // Both totals read the day totals (one row per day, status and category) instead of every
    // case: on 100,000 cases a few thousand rows.
    async fn case_totals_by_status(&mut self, range: CaseDateRange) -> R<Vec<StatusTotal>> {
        let mut stmt = Stmt::new(format!(
            "SELECT t.case_status, s.case_status_desc, t.cases, t.total_cents FROM \
             (SELECT d.case_status, {} AS cases, {} AS total_cents FROM ",
            self.sum_int("d.cases"),
            self.sum_int("d.pay_amount_cents")
        ));
        day_rows(&mut stmt, |s| day_range(s, range));
        // Grouped first, joined after: one lookup of a status's description per status.
        stmt.sql(
            " GROUP BY d.case_status HAVING SUM(d.cases) > 0) t \
             LEFT JOIN case_status_list s ON s.case_status = t.case_status ORDER BY t.case_status",
        );
        self.load::<StatusTotalDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(StatusTotal {
                    case_status: decode::status(r.case_status, "cases.case_status")?,
                    case_status_desc: r.case_status_desc,
                    cases: r.cases,
                    total: decode::money(r.total_cents),
                })
            })
            .collect()
    }

    async fn case_totals_by_category(&mut self, range: CaseDateRange) -> R<Vec<CategoryTotal>> {
        let d = self.dialect();
        // '' is "no category" in the day totals.
        let mut stmt = Stmt::new(format!(
            "SELECT NULLIF(MIN(d.pay_category), '') AS pay_category, {} AS cases, {} AS total_cents \
             FROM ",
            self.sum_int("d.cases"),
            self.sum_int("d.pay_amount_cents")
        ));
        day_rows(&mut stmt, |s| day_range(s, range));
        // Grouped as the column compares (MySQL's collation is case-insensitive already).
        let key = d.ci("d.pay_category");
        stmt.sql(&format!(" GROUP BY {key} HAVING SUM(d.cases) > 0 ORDER BY {key}"));
        Ok(self
            .load::<CategoryTotalDb>(stmt)
            .await?
            .into_iter()
            .map(|r| CategoryTotal {
                pay_category: r.pay_category,
                cases: r.cases,
                total: decode::money(r.total_cents),
            })
            .collect())
    }

    async fn fold_case_totals(&mut self) -> R<i64> {
        // MySQL's triggers append deltas (SQLite's update the totals, so there it moves none).
        // The deltas up to the newest id are locked in id order first: a second fold waits
        // here, and a writer never waits for a fold that waits for it (a writer's new deltas
        // come after every id the fold locks).
        let through =
            self.count(Stmt::new("SELECT COALESCE(MAX(d.id), 0) AS n FROM case_day_deltas d")).await?;
        let locking = format!(
            "SELECT COUNT(*) AS n FROM case_day_deltas d WHERE d.id <= ?{}",
            self.dialect().for_update()
        );
        let moved = self.count(Stmt::new(locking).bind(through)).await?;
        let add = match self.dialect().0 {
            Backend::Mysql => {
                " ON DUPLICATE KEY UPDATE cases = case_day_totals.cases + VALUES(cases), \
                 pay_amount_cents = case_day_totals.pay_amount_cents + VALUES(pay_amount_cents)"
            }
            Backend::Sqlite => {
                " ON CONFLICT (case_date, case_status, pay_category) DO UPDATE SET \
                 cases = case_day_totals.cases + excluded.cases, \
                 pay_amount_cents = case_day_totals.pay_amount_cents + excluded.pay_amount_cents"
            }
        };
        let mut upsert = Stmt::new(
            "INSERT INTO case_day_totals (case_date, case_status, pay_category, cases, pay_amount_cents) \
             SELECT d.case_date, d.case_status, d.pay_category, SUM(d.cases), SUM(d.pay_amount_cents) \
             FROM case_day_deltas d WHERE d.id <= ? GROUP BY d.case_date, d.case_status, d.pay_category",
        )
        .bind(through);
        upsert.sql(add);
        self.exec(upsert).await?;
        self.exec(Stmt::new("DELETE FROM case_day_deltas WHERE id <= ?").bind(through)).await?;
        Ok(moved)
    }

    async fn case_totals_pending(&mut self) -> R<bool> {
        let stmt = Stmt::new("SELECT COUNT(*) AS n FROM (SELECT d.id FROM case_day_deltas d LIMIT 1) p");
        Ok(self.count(stmt).await? > 0)
    }

    async fn user_counts_by_type(&mut self, below: UserType) -> R<Vec<UserTypeCount>> {
        let stmt = Stmt::new(
            "SELECT u.user_type, MAX(t.user_type_desc) AS user_type_desc, COUNT(*) AS n FROM user_profile u \
             LEFT JOIN user_type_list t ON t.user_type = u.user_type WHERE u.active = ? AND u.user_type < ? \
             GROUP BY u.user_type ORDER BY u.user_type",
        )
        .bind(true)
        .bind(below.get());
        self.load::<UserTypeCountDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(UserTypeCount {
                    user_type: decode::user_type(r.user_type, "user_profile.user_type")?,
                    user_type_desc: r.user_type_desc,
                    count: r.n,
                })
            })
            .collect()
    }
}
