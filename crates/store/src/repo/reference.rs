//! `ReferenceRepo`: statuses, user types, document types, time zones, the code master, pay
//! tiers, the auto-fix map and status rule sets.

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_ports::ReferenceRepo;
use surgicase_ports::records::*;

use super::R;
use super::decode::{self, ts};
use super::table_row::TableRow;
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{LIKE_ESCAPE, Stmt, Value, like_escape};

#[derive(QueryableByName)]
struct StatusDb {
    #[diesel(sql_type = BigInt)]
    case_status: i64,
    #[diesel(sql_type = Text)]
    case_status_desc: String,
}

#[derive(QueryableByName)]
struct UserTypeDb {
    #[diesel(sql_type = BigInt)]
    user_type: i64,
    #[diesel(sql_type = Text)]
    user_type_desc: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    user_max_case_status: Option<i64>,
}

#[derive(QueryableByName)]
struct DocTypeDb {
    #[diesel(sql_type = Text)]
    doc_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    doc_prefix: Option<String>,
}

#[derive(QueryableByName)]
struct TimezoneDb {
    #[diesel(sql_type = Text)]
    tz_identifier: String,
    #[diesel(sql_type = Text)]
    utc_offset: String,
}

#[derive(QueryableByName)]
struct CodeDb {
    #[diesel(sql_type = Text)]
    procedure_code: String,
    #[diesel(sql_type = Text)]
    procedure_desc: String,
    #[diesel(sql_type = Nullable<Text>)]
    code_category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    code_status: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    asst_surg: Option<i64>,
}

#[derive(QueryableByName)]
struct CodeInfoDb {
    #[diesel(sql_type = Text)]
    procedure_code: String,
    #[diesel(sql_type = Text)]
    procedure_desc: String,
    #[diesel(sql_type = Nullable<Text>)]
    code_category: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    asst_surg: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pay_amount_cents: Option<i64>,
}

#[derive(QueryableByName)]
struct AutoFixDb {
    #[diesel(sql_type = Text)]
    entered_code: String,
    #[diesel(sql_type = Text)]
    fixed_code: String,
    #[diesel(sql_type = Text)]
    reason: String,
    #[diesel(sql_type = Bool)]
    active: bool,
    #[diesel(sql_type = SqlTimestamp)]
    created_date: NaiveDateTime,
    #[diesel(sql_type = Nullable<Text>)]
    created_by: Option<String>,
}

#[derive(QueryableByName)]
struct RuleSetDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    format: i64,
    #[diesel(sql_type = Text)]
    source_toml: String,
    #[diesel(sql_type = Text)]
    sha256: String,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
    #[diesel(sql_type = Text)]
    created_by: String,
}

#[derive(QueryableByName)]
struct RuleSetSummaryDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    sha256: String,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
    #[diesel(sql_type = Text)]
    created_by: String,
}

#[derive(QueryableByName)]
struct PayTierDb {
    #[diesel(sql_type = Text)]
    code_bucket: String,
    #[diesel(sql_type = BigInt)]
    tier: i64,
    #[diesel(sql_type = BigInt)]
    pay_amount_cents: i64,
}

const CODE_COLUMNS: &str = "procedure_code, procedure_desc, code_category, code_status, asst_surg";

fn code_record(c: CodeDb) -> R<ProcedureCodeRecord> {
    Ok(ProcedureCodeRecord {
        procedure_code: c.procedure_code,
        procedure_desc: c.procedure_desc,
        code_category: c.code_category,
        code_status: c.code_status,
        asst_surg: decode::opt_int(c.asst_surg, "procedure_codes.asst_surg")?,
    })
}

fn auto_fix_record(f: AutoFixDb) -> AutoFixRecord {
    AutoFixRecord {
        entered_code: f.entered_code,
        fixed_code: f.fixed_code,
        reason: f.reason,
        active: f.active,
        created_date: ts(f.created_date),
        created_by: f.created_by,
    }
}

#[async_trait]
impl ReferenceRepo for Session {
    async fn case_statuses(&mut self) -> R<Vec<StatusRecord>> {
        let stmt =
            Stmt::new("SELECT case_status, case_status_desc FROM case_status_list ORDER BY case_status");
        self.load::<StatusDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(StatusRecord {
                    case_status: decode::status(r.case_status, "case_status_list.case_status")?,
                    case_status_desc: r.case_status_desc,
                })
            })
            .collect()
    }

    async fn user_types(&mut self) -> R<Vec<UserTypeRecord>> {
        let stmt = Stmt::new(
            "SELECT user_type, user_type_desc, user_max_case_status FROM user_type_list ORDER BY user_type",
        );
        self.load::<UserTypeDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(UserTypeRecord {
                    user_type: decode::user_type(r.user_type, "user_type_list.user_type")?,
                    user_type_desc: r.user_type_desc,
                    user_max_case_status: decode::opt_status(
                        r.user_max_case_status,
                        "user_type_list.user_max_case_status",
                    )?,
                })
            })
            .collect()
    }

    async fn doc_types(&mut self) -> R<Vec<DocTypeRecord>> {
        let stmt = Stmt::new("SELECT doc_type, doc_prefix FROM user_doc_type_list ORDER BY doc_type");
        Ok(self
            .load::<DocTypeDb>(stmt)
            .await?
            .into_iter()
            .map(|r| DocTypeRecord { doc_type: r.doc_type, doc_prefix: r.doc_prefix })
            .collect())
    }

    async fn timezones(&mut self) -> R<Vec<TimezoneRecord>> {
        let stmt = Stmt::new("SELECT tz_identifier, utc_offset FROM user_timezones ORDER BY tz_identifier");
        Ok(self
            .load::<TimezoneDb>(stmt)
            .await?
            .into_iter()
            .map(|r| TimezoneRecord { tz_identifier: r.tz_identifier, utc_offset: r.utc_offset })
            .collect())
    }

    async fn procedure_codes(&mut self, q: Option<&str>, limit: i64) -> R<Vec<ProcedureCodeRecord>> {
        let mut stmt = Stmt::new(format!("SELECT {CODE_COLUMNS} FROM procedure_codes"));
        if let Some(q) = q {
            let q = like_escape(&q.to_lowercase());
            stmt.sql(&format!(
                " WHERE LOWER(procedure_code) LIKE ?{LIKE_ESCAPE} OR LOWER(procedure_desc) LIKE ?{LIKE_ESCAPE}"
            ))
            .arg(format!("{q}%"))
            .arg(format!("%{q}%"));
        }
        stmt.sql(" ORDER BY procedure_code LIMIT ?").arg(limit.max(0));
        self.load::<CodeDb>(stmt).await?.into_iter().map(code_record).collect()
    }

    async fn code_info(&mut self, codes: &[String], tier: i32) -> R<Vec<CodeInfo>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = Stmt::new(
            "SELECT pc.procedure_code, pc.procedure_desc, pc.code_category, pc.asst_surg, b.pay_amount_cents \
             FROM procedure_codes pc \
             LEFT JOIN procedure_code_buckets2 b ON b.code_bucket = pc.code_category AND b.tier = ? \
             WHERE pc.procedure_code IN ",
        )
        .bind(tier);
        stmt.in_list(codes.iter());
        stmt.sql(" ORDER BY pc.procedure_code");
        self.load::<CodeInfoDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(CodeInfo {
                    procedure_code: r.procedure_code,
                    procedure_desc: r.procedure_desc,
                    code_category: r.code_category,
                    asst_surg: decode::opt_int(r.asst_surg, "procedure_codes.asst_surg")?,
                    price: r.pay_amount_cents.map(decode::money),
                })
            })
            .collect()
    }

    async fn active_auto_fixes(&mut self, entered: &[String]) -> R<Vec<AutoFixRecord>> {
        if entered.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = Stmt::new(
            "SELECT entered_code, fixed_code, reason, active, created_date, created_by FROM procedure_code_auto_fix \
             WHERE active = ? AND entered_code IN ",
        )
        .bind(true);
        stmt.in_list(entered.iter());
        stmt.sql(" ORDER BY entered_code");
        Ok(self.load::<AutoFixDb>(stmt).await?.into_iter().map(auto_fix_record).collect())
    }

    async fn active_rule_set(&mut self) -> R<Option<RuleSetRecord>> {
        let stmt = Stmt::new(
            "SELECT id, name, format, source_toml, sha256, created_ts, created_by FROM status_rule_sets \
             ORDER BY id DESC LIMIT 1",
        );
        let Some(r) = self.first::<RuleSetDb>(stmt).await? else { return Ok(None) };
        Ok(Some(RuleSetRecord {
            id: r.id,
            name: r.name,
            format: decode::int(r.format, "status_rule_sets.format")?,
            source_toml: r.source_toml,
            sha256: r.sha256,
            created_ts: ts(r.created_ts),
            created_by: r.created_by,
        }))
    }

    async fn insert_rule_set(&mut self, r: &NewRuleSetRecord) -> R<i64> {
        let row: Row = vec![
            ("name", Value::from(&r.name)),
            ("format", Value::from(r.format)),
            ("source_toml", Value::from(&r.source_toml)),
            ("sha256", Value::from(&r.sha256)),
            ("created_ts", Value::from(r.created_ts)),
            ("created_by", Value::from(&r.created_by)),
        ];
        self.exec(sql::insert("status_rule_sets", row)).await?;
        self.last_insert_id().await
    }

    async fn rule_set_history(&mut self) -> R<Vec<RuleSetSummaryRecord>> {
        let stmt = Stmt::new(
            "SELECT id, name, sha256, created_ts, created_by FROM status_rule_sets ORDER BY id DESC",
        );
        Ok(self
            .load::<RuleSetSummaryDb>(stmt)
            .await?
            .into_iter()
            .map(|r| RuleSetSummaryRecord {
                id: r.id,
                name: r.name,
                sha256: r.sha256,
                created_ts: ts(r.created_ts),
                created_by: r.created_by,
            })
            .collect())
    }

    async fn pay_tiers(&mut self) -> R<Vec<PayTierRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT code_bucket, tier, pay_amount_cents FROM procedure_code_buckets2 \
             ORDER BY tier, pay_amount_cents, {}",
            self.dialect().ci("code_bucket")
        ));
        self.load::<PayTierDb>(stmt)
            .await?
            .into_iter()
            .map(|r| {
                Ok(PayTierRecord {
                    code_bucket: r.code_bucket,
                    tier: decode::int(r.tier, "procedure_code_buckets2.tier")?,
                    pay_amount: decode::money(r.pay_amount_cents),
                })
            })
            .collect()
    }

    async fn auto_fixes(&mut self, include_inactive: bool) -> R<Vec<AutoFixRecord>> {
        let mut stmt = Stmt::new(
            "SELECT entered_code, fixed_code, reason, active, created_date, created_by FROM procedure_code_auto_fix",
        );
        if !include_inactive {
            stmt.sql(" WHERE active = ?").arg(true);
        }
        stmt.sql(" ORDER BY entered_code");
        Ok(self.load::<AutoFixDb>(stmt).await?.into_iter().map(auto_fix_record).collect())
    }

    async fn deactivate_auto_fix(&mut self, entered_code: &str) -> R<bool> {
        let stmt =
            Stmt::new("UPDATE procedure_code_auto_fix SET active = ? WHERE entered_code = ? AND active = ?")
                .bind(false)
                .bind(entered_code)
                .bind(true);
        Ok(self.exec(stmt).await? > 0)
    }

    async fn insert_status(&mut self, row: &StatusRecord) -> R<()> {
        self.insert_record(row).await
    }

    async fn insert_user_type(&mut self, row: &UserTypeRecord) -> R<()> {
        self.insert_record(row).await
    }

    async fn insert_doc_type(&mut self, row: &DocTypeRecord) -> R<()> {
        self.insert_record(row).await
    }

    async fn upsert_statuses(&mut self, rows: &[StatusRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_user_types(&mut self, rows: &[UserTypeRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_doc_types(&mut self, rows: &[DocTypeRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_timezones(&mut self, rows: &[TimezoneRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_procedure_codes(&mut self, rows: &[ProcedureCodeRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn insert_pay_tiers(&mut self, rows: &[PayTierRecord]) -> R<()> {
        let rows = rows.iter().map(TableRow::row).collect();
        self.exec_all(sql::insert_rows(<PayTierRecord as TableRow>::TABLE, rows)).await
    }

    async fn upsert_auto_fixes(&mut self, rows: &[AutoFixRecord]) -> R<()> {
        self.upsert_records(rows).await
    }
}
