//! `CaseRepo`: cases with their codes and documents.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use chrono::NaiveDate;
use diesel::QueryableByName;
use diesel::sql_types::{Bool, Date, Text};
use surgicase_kernel::{CaseId, CaseStatus, Date as KDate, Timestamp, UserId};
use surgicase_ports::CaseRepo;
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;

use super::R;
use super::case_rows::{
    CaseDb, CaseFullDb, CaseViewCodeDb, CodeDb, DocDb, case_columns, case_row, code_row, doc_row,
};
use super::decode;
use super::scalar::IdDb;
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{Positional, Stmt, Value, rows_per_statement};
use surgicase_kernel::DocumentField;

#[derive(QueryableByName)]
struct CaseIdDb {
    #[diesel(sql_type = Text)]
    case_id: String,
}

#[derive(QueryableByName)]
struct DuplicateDb {
    #[diesel(sql_type = Text)]
    case_id: String,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Date)]
    case_date: NaiveDate,
    #[diesel(sql_type = Text)]
    patient_first: String,
    #[diesel(sql_type = Text)]
    patient_last: String,
    #[diesel(sql_type = Bool)]
    phi_encrypted: bool,
}

/// Appends the WHERE clause of a case list (without the word WHERE).
fn list_filter(stmt: &mut Stmt, q: &CaseQuery) {
    stmt.sql("c.active = ?").arg(true);
    if let Some(owner) = &q.owner {
        stmt.sql(" AND c.user_id = ?").arg(owner);
    }
    status_and_dates(stmt, "c", q);
}

/// The status match and the date range of a list on table alias `t` (`c` for cases, `d` for
/// the day totals), each as ` AND …`.
fn status_and_dates(stmt: &mut Stmt, t: &str, q: &CaseQuery) {
    if let Some(m) = &q.status {
        if m.exact.is_empty() && m.shown_as_cap.is_none() {
            // Matches no status at all.
            stmt.sql(" AND 1 = 0");
        } else {
            stmt.sql(" AND (");
            if !m.exact.is_empty() {
                stmt.sql(&format!("{t}.case_status IN "));
                stmt.in_list(m.exact.iter().copied());
            }
            if let Some(cap) = m.shown_as_cap {
                if !m.exact.is_empty() {
                    stmt.sql(" OR ");
                }
                stmt.sql(&format!("({t}.case_status > ? AND {t}.case_status < ?)"))
                    .arg(cap)
                    .arg(CaseStatus::REJECTED);
            }
            stmt.sql(")");
        }
    }
    if let Some(from) = q.date_from {
        stmt.sql(&format!(" AND {t}.case_date >= ?")).arg(from);
    }
    if let Some(to) = q.date_to {
        stmt.sql(&format!(" AND {t}.case_date <= ?")).arg(to);
    }
}

impl Session {
    /// The ids of a `CaseDateDesc` page (case date, owner's first and last name, case id
    /// descending) in one statement: the owner's names are copied onto each case (migration
    /// `case_owner_order`), so an index walk gives the page in order and stops at its end
    /// instead of joining and sorting every case of the page's dates.
    async fn case_date_page(&mut self, query: &CaseQuery) -> R<Vec<String>> {
        let d = self.dialect();
        let mut page = Stmt::new("SELECT c.case_id FROM cases c WHERE ");
        list_filter(&mut page, query);
        page.sql(&format!(
            " ORDER BY c.case_date DESC, {}, {}, c.case_id DESC LIMIT ? OFFSET ?",
            d.ci("c.owner_sort_first"),
            d.ci("c.owner_sort_last")
        ))
        .arg(query.limit.max(0))
        .arg(query.offset.max(0));
        Ok(self.load::<CaseIdDb>(page).await?.into_iter().map(|r| r.case_id).collect())
    }

    /// The listed cases with their joins, in the order of `ids` (one statement).
    async fn full_rows_in_order(
        &mut self,
        ids: &[String],
        describe: Option<CaseStatus>,
    ) -> R<Vec<CaseFullDb>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = Stmt::new(CaseFullDb::select_from());
        stmt.sql(&CaseFullDb::from_joins()).arg(describe);
        stmt.sql(" WHERE c.case_id IN ");
        stmt.in_list(ids.iter());
        let mut by_id: BTreeMap<String, CaseFullDb> =
            self.rows::<CaseFullDb>(stmt).await?.into_iter().map(|r| (r.case.case_id.clone(), r)).collect();
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// The codes of the listed cases, by case, each in entry order.
    async fn codes_of(&mut self, ids: &[String]) -> R<BTreeMap<String, Vec<CaseCodeRecord>>> {
        let mut out: BTreeMap<String, Vec<CaseCodeRecord>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut stmt = Stmt::new(format!(
            "SELECT {} FROM case_procedure_codes WHERE case_id IN ",
            CodeDb::select_list("")
        ));
        stmt.in_list(ids.iter());
        stmt.sql(" ORDER BY case_id, seq");
        for row in self.rows::<CodeDb>(stmt).await? {
            let case_id = row.case_id.clone();
            out.entry(case_id).or_default().push(row.into_record()?);
        }
        Ok(out)
    }

    /// The documents of the listed cases, by case, each by document type.
    async fn documents_of(&mut self, ids: &[String]) -> R<BTreeMap<String, Vec<CaseDocumentRecord>>> {
        let mut out: BTreeMap<String, Vec<CaseDocumentRecord>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let mut stmt =
            Stmt::new(format!("SELECT {} FROM case_documents WHERE case_id IN ", DocDb::select_list("")));
        stmt.in_list(ids.iter());
        stmt.sql(" ORDER BY case_id, document_type");
        for row in self.rows::<DocDb>(stmt).await? {
            let case_id = row.case_id.clone();
            out.entry(case_id).or_default().push(row.into_record()?);
        }
        Ok(out)
    }

    /// Whole records (codes and documents included) of the cases a `cases c` query selects.
    async fn case_records(&mut self, stmt: Stmt) -> R<Vec<Case>> {
        let rows = self.rows::<CaseDb>(stmt).await?;
        let ids: Vec<String> = rows.iter().map(|r| r.case_id.clone()).collect();
        let mut codes = self.codes_of(&ids).await?;
        let mut docs = self.documents_of(&ids).await?;
        let codec = self.codec().clone();
        rows.into_iter()
            .map(|row| {
                let id = row.case_id.clone();
                let mut record = row.into_record(&codec)?;
                record.codes = codes.remove(&id).unwrap_or_default();
                record.documents = docs.remove(&id).unwrap_or_default();
                Ok(record)
            })
            .collect()
    }
}

/// The last update of each case, in order of first appearance.
fn dedupe_pay(updates: &[PayUpdate]) -> Vec<&PayUpdate> {
    let mut last: BTreeMap<&CaseId, usize> = BTreeMap::new();
    for (i, u) in updates.iter().enumerate() {
        last.insert(&u.case_id, i);
    }
    let mut seen = BTreeSet::new();
    updates
        .iter()
        .filter(|u| seen.insert(&u.case_id))
        .filter_map(|u| last.get(&u.case_id).and_then(|i| updates.get(*i)))
        .collect()
}

#[async_trait]
impl CaseRepo for Session {
    async fn case_id_taken(&mut self, id: &CaseId) -> R<bool> {
        let stmt = Stmt::new("SELECT human_case_id AS id FROM cases WHERE case_id = ?").bind(id);
        Ok(self.first::<IdDb>(stmt).await?.is_some())
    }

    async fn get_case_view(
        &mut self,
        id: &CaseId,
        describe: Option<CaseStatus>,
        owner: Option<&UserId>,
    ) -> R<Option<CaseView>> {
        let mut stmt = Stmt::new(CaseViewCodeDb::select_from());
        stmt.sql(&CaseFullDb::from_joins()).arg(describe);
        stmt.sql(" LEFT JOIN case_procedure_codes p ON p.case_id = c.case_id WHERE c.case_id = ?").arg(id);
        if let Some(owner) = owner {
            stmt.sql(" AND c.user_id = ?").arg(owner);
        }
        stmt.sql(" ORDER BY p.seq");
        let rows = self.rows::<CaseViewCodeDb>(stmt).await?;
        let mut codes = Vec::with_capacity(rows.len());
        let mut first = None;
        for row in rows {
            if let Some(code) = row.code.into_record()? {
                codes.push(code);
            }
            if first.is_none() {
                first = Some(row.full);
            }
        }
        let Some(full) = first else { return Ok(None) };
        let mut view = full.into_view(self.codec())?;
        view.case.codes = codes;
        Ok(Some(view))
    }

    async fn lock_case(&mut self, id: &CaseId) -> R<Option<Case>> {
        let stmt = Stmt::new(format!(
            "SELECT {} FROM cases c WHERE c.case_id = ?{}",
            case_columns("c"),
            self.dialect().for_update()
        ))
        .bind(id);
        Ok(self.case_records(stmt).await?.into_iter().next())
    }

    async fn get_cases(&mut self, ids: &[CaseId]) -> R<Vec<Case>> {
        let unique: BTreeSet<&CaseId> = ids.iter().collect();
        let unique: Vec<&CaseId> = unique.into_iter().collect();
        let mut out = Vec::with_capacity(unique.len());
        // Three statements per chunk (cases, codes, documents), each well under the bind limits.
        for chunk in unique.chunks(rows_per_statement(1)) {
            let mut stmt =
                Stmt::new(format!("SELECT {} FROM cases c WHERE c.case_id IN ", case_columns("c")));
            stmt.in_list(chunk.iter().copied());
            out.extend(self.case_records(stmt).await?);
        }
        Ok(out)
    }

    async fn insert_case(&mut self, row: &CaseRow) -> R<i64> {
        let cols = case_row(row, self.codec())?;
        // The owner's names, copied for the list order (migration case_owner_order), in the same
        // statement: a trigger would write the row twice on SQLite.
        let owner_names = [
            ("owner_sort_first", "(SELECT first_name FROM user_profile WHERE user_id = ?)"),
            ("owner_sort_last", "(SELECT last_name FROM user_profile WHERE user_id = ?)"),
        ];
        let owner = Value::from(&row.user_id);
        self.exec(sql::insert_with("cases", cols, &owner_names, vec![owner.clone(), owner])).await?;
        let stmt = Stmt::new("SELECT human_case_id AS id FROM cases WHERE case_id = ?").bind(&row.case_id);
        self.first::<IdDb>(stmt)
            .await?
            .map(|r| r.id)
            .ok_or_else(|| surgicase_ports::StoreError::backend("inserted case not found"))
    }

    async fn update_case(&mut self, row: &CaseRow) -> R<()> {
        let cols: Row = case_row(row, self.codec())?
            .into_iter()
            .filter(|(c, _)| !matches!(*c, "case_id" | "case_create_ts"))
            .collect();
        self.exec(sql::update("cases", cols, "case_id = ?", vec![Value::from(&row.case_id)]))
            .await
            .map(|_| ())
    }

    async fn replace_case_codes(&mut self, id: &CaseId, codes: &[CaseCodeRecord]) -> R<()> {
        let rows: Vec<Row> = codes.iter().enumerate().map(|(i, c)| code_row(id, i, c)).collect::<R<_>>()?;
        let mut stmts = vec![Stmt::new("DELETE FROM case_procedure_codes WHERE case_id = ?").bind(id)];
        stmts.extend(sql::insert_rows("case_procedure_codes", rows));
        self.exec_all(stmts).await
    }

    async fn put_case_documents(&mut self, id: &CaseId, docs: &[CaseDocumentRecord]) -> R<()> {
        let rows: Vec<Row> = docs.iter().map(|d| doc_row(id, d)).collect();
        self.exec_all(sql::upsert_rows(self.dialect(), "case_documents", &["case_id", "document_type"], rows))
            .await
    }

    async fn remove_case_documents(&mut self, id: &CaseId, document_types: &[DocumentField]) -> R<()> {
        if document_types.is_empty() {
            return Ok(());
        }
        let mut stmt =
            Stmt::new("DELETE FROM case_documents WHERE case_id = ? AND document_type IN ").bind(id);
        stmt.in_list(document_types.iter().copied());
        self.exec(stmt).await.map(|_| ())
    }

    async fn find_duplicate(
        &mut self,
        owner: &UserId,
        date: KDate,
        name_key: &str,
        exclude: Option<&CaseId>,
    ) -> R<Option<DuplicateCase>> {
        let bidx = self.codec().blind_index(name_key)?;
        let mut stmt = Stmt::new(
            "SELECT case_id, user_id, case_date, patient_first, patient_last, phi_encrypted FROM cases \
             WHERE user_id = ? AND case_date = ? AND patient_name_bidx = ? AND active = ?",
        )
        .bind(owner)
        .bind(date)
        .bind(bidx)
        .bind(true);
        match exclude {
            Some(id) => stmt.sql(" AND case_id <> ? ORDER BY human_case_id LIMIT 1").arg(id),
            None => stmt.sql(" ORDER BY human_case_id LIMIT 1"),
        };
        let Some(row) = self.first::<DuplicateDb>(stmt).await? else { return Ok(None) };
        let case_id = decode::case_id(&row.case_id, "cases.case_id")?;
        let codec = self.codec();
        let patient_first =
            codec.decode_text(&case_id, "patient_first", row.patient_first, row.phi_encrypted)?;
        let patient_last =
            codec.decode_text(&case_id, "patient_last", row.patient_last, row.phi_encrypted)?;
        Ok(Some(DuplicateCase {
            user_id: decode::user_id(&row.user_id, "cases.user_id")?,
            case_date: row.case_date,
            patient_first,
            patient_last,
            case_id,
        }))
    }

    async fn list_cases(&mut self, query: &CaseQuery) -> R<CasePage> {
        let count = if query.owner.is_none() {
            // Every owner's cases: from the day totals (a few rows per day), not every case.
            let mut count = Stmt::new(format!("SELECT COALESCE({}, 0) AS n FROM ", self.sum_int("d.cases")));
            super::dashboards::day_rows(&mut count, |s| status_and_dates(s, "d", query));
            count
        } else {
            let mut count = Stmt::new("SELECT COUNT(*) AS n FROM cases c WHERE ");
            list_filter(&mut count, query);
            count
        };
        let total = self.count(count).await?;

        let rows = match query.order {
            CaseOrder::NewestFirst => {
                let mut page = Stmt::new(CaseFullDb::select_from());
                page.sql(&CaseFullDb::from_joins()).arg(query.describe);
                page.sql(" WHERE ");
                list_filter(&mut page, query);
                page.sql(" ORDER BY c.case_create_ts DESC, c.case_id DESC LIMIT ? OFFSET ?")
                    .arg(query.limit.max(0))
                    .arg(query.offset.max(0));
                self.rows::<CaseFullDb>(page).await?
            }
            CaseOrder::CaseDateDesc => {
                let ids = self.case_date_page(query).await?;
                self.full_rows_in_order(&ids, query.describe).await?
            }
        };

        let ids: Vec<String> = rows.iter().map(|r| r.case.case_id.clone()).collect();
        let mut codes = self.codes_of(&ids).await?;
        let codec = self.codec().clone();
        let items = rows
            .into_iter()
            .map(|row| {
                let id = row.case.case_id.clone();
                let mut view = row.into_view(&codec)?;
                view.case.codes = codes.remove(&id).unwrap_or_default();
                Ok(view)
            })
            .collect::<R<Vec<_>>>()?;
        Ok(CasePage { items, total })
    }

    async fn count_owner_cases_at(&mut self, owner: &UserId, status: CaseStatus) -> R<i64> {
        let stmt =
            Stmt::new("SELECT COUNT(*) AS n FROM cases WHERE user_id = ? AND active = ? AND case_status = ?")
                .bind(owner)
                .bind(true)
                .bind(status);
        self.count(stmt).await
    }

    async fn owner_cases_below(&mut self, owner: &UserId, below: CaseStatus) -> R<Vec<Case>> {
        let stmt = Stmt::new(format!(
            "SELECT {} FROM cases c WHERE c.user_id = ? AND c.active = ? AND c.case_status < ? \
             ORDER BY c.human_case_id",
            case_columns("c")
        ))
        .bind(owner)
        .bind(true)
        .bind(below);
        self.case_records(stmt).await
    }

    async fn tier_cases_below(&mut self, tier: i32, below: CaseStatus) -> R<Vec<Case>> {
        let stmt = Stmt::new(format!(
            "SELECT {} FROM cases c JOIN user_profile u ON u.user_id = c.user_id \
             WHERE u.user_tier = ? AND c.active = ? AND c.case_status < ? ORDER BY c.human_case_id",
            case_columns("c")
        ))
        .bind(tier)
        .bind(true)
        .bind(below);
        self.case_records(stmt).await
    }

    async fn update_pay(&mut self, updates: &[PayUpdate]) -> R<()> {
        let updates = dedupe_pay(updates);
        let mut stmts = Vec::new();
        for chunk in updates.chunks(rows_per_statement(7)) {
            let mut amount = String::from("pay_amount_cents = CASE case_id");
            let mut category = String::from("pay_category = CASE case_id");
            let mut stamp = String::from("case_updated_ts = CASE case_id");
            for _ in chunk {
                amount.push_str(" WHEN ? THEN ?");
                category.push_str(" WHEN ? THEN ?");
                stamp.push_str(" WHEN ? THEN ?");
            }
            let mut stmt = Stmt::new(format!(
                "UPDATE cases SET {amount} ELSE pay_amount_cents END, {category} ELSE pay_category END, \
                 {stamp} ELSE case_updated_ts END WHERE case_id IN "
            ));
            for u in chunk {
                stmt.arg(&u.case_id).arg(u.pay_amount);
            }
            for u in chunk {
                stmt.arg(&u.case_id).arg(&u.pay_category);
            }
            for u in chunk {
                stmt.arg(&u.case_id).arg(u.updated_ts);
            }
            stmt.in_list(chunk.iter().map(|u| &u.case_id));
            stmts.push(stmt);
        }
        self.exec_all(stmts).await
    }

    async fn deactivate_owner_cases(
        &mut self,
        owner: &UserId,
        below: CaseStatus,
        at: Timestamp,
        by: &str,
    ) -> R<Vec<CaseId>> {
        let select = Stmt::new(format!(
            "SELECT case_id FROM cases WHERE user_id = ? AND active = ? AND case_status < ? \
             ORDER BY human_case_id{}",
            self.dialect().for_update()
        ))
        .bind(owner)
        .bind(true)
        .bind(below);
        let ids: Vec<String> = self.load::<CaseIdDb>(select).await?.into_iter().map(|r| r.case_id).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmts = Vec::new();
        for chunk in ids.chunks(rows_per_statement(1)) {
            let mut stmt = Stmt::new(
                "UPDATE cases SET active = ?, deleted_ts = ?, deleted_by = ?, archive_state = ?, \
                 case_updated_ts = ? WHERE active = ? AND case_id IN ",
            )
            .bind(false)
            .bind(at)
            .bind(by)
            .bind("pending")
            .bind(at)
            .bind(true);
            stmt.in_list(chunk.iter());
            stmts.push(stmt);
        }
        self.exec_all(stmts).await?;
        ids.iter().map(|id| decode::case_id(id, "cases.case_id")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use surgicase_kernel::Money;

    fn pay(id: &str, cents: i64) -> PayUpdate {
        PayUpdate {
            case_id: CaseId::parse(id).unwrap(),
            pay_amount: Money::from_cents(cents),
            pay_category: None,
            updated_ts: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_last_pay_update_of_a_case_wins() {
        let updates = [pay("a", 1), pay("b", 2), pay("a", 3)];
        let kept: Vec<(String, i64)> =
            dedupe_pay(&updates).iter().map(|u| (u.case_id.to_string(), u.pay_amount.cents())).collect();
        assert_eq!(kept, vec![("a".to_owned(), 3), ("b".to_owned(), 2)]);
    }

    #[test]
    fn status_filters_translate_the_match() {
        let query = |status| CaseQuery {
            owner: None,
            status,
            date_from: None,
            date_to: None,
            describe: None,
            order: CaseOrder::NewestFirst,
            limit: 10,
            offset: 0,
        };
        let text = |q: &CaseQuery| {
            let mut s = Stmt::new("");
            list_filter(&mut s, q);
            s.text().to_owned()
        };
        let both = StoredStatusMatch {
            exact: vec![CaseStatus::DRAFT, CaseStatus::REJECTED],
            shown_as_cap: Some(CaseStatus::PAID),
        };
        assert_eq!(
            text(&query(Some(both))),
            "c.active = ? AND (c.case_status IN (?, ?) OR (c.case_status > ? AND c.case_status < ?))"
        );
        assert_eq!(text(&query(Some(StoredStatusMatch::default()))), "c.active = ? AND 1 = 0");
        assert_eq!(text(&query(None)), "c.active = ?");
    }
}
