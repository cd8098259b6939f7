//! `cases`, `case_procedure_codes` and `case_documents`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use surgicase_kernel::{CaseId, CaseStatus, Date, Timestamp, UserId};
use surgicase_ports::CaseRepo;
use surgicase_ports::records::*;
use surgicase_ports::store::PayUpdate;

use super::state::{State, StoredCase, duplicate, fold_opt, page, reference};
use super::{R, Session};
use surgicase_kernel::ArchiveState;
use surgicase_kernel::DocumentField;

fn query_matches(q: &CaseQuery, row: &CaseRow) -> bool {
    row.active
        && q.owner.as_ref().is_none_or(|owner| row.user_id == *owner)
        && q.status.as_ref().is_none_or(|m| m.matches(row.case_status))
        && q.date_from.is_none_or(|from| row.case_date >= from)
        && q.date_to.is_none_or(|to| row.case_date <= to)
}

fn list_order(s: &State, order: CaseOrder, a: &StoredCase, b: &StoredCase) -> Ordering {
    match order {
        CaseOrder::NewestFirst => {
            b.row.case_create_ts.cmp(&a.row.case_create_ts).then_with(|| b.row.case_id.cmp(&a.row.case_id))
        }
        CaseOrder::CaseDateDesc => {
            let owner_name = |c: &StoredCase| {
                let owner = s.users.get(&c.row.user_id);
                (owner.and_then(|u| fold_opt(&u.first_name)), owner.and_then(|u| fold_opt(&u.last_name)))
            };
            b.row
                .case_date
                .cmp(&a.row.case_date)
                .then_with(|| owner_name(a).cmp(&owner_name(b)))
                .then_with(|| b.row.case_id.cmp(&a.row.case_id))
        }
    }
}

fn insert_case(s: &mut State, row: &CaseRow) -> R<i64> {
    if s.case_ids.contains_key(&row.case_id) {
        return Err(duplicate("cases.case_id"));
    }
    s.check_case_references(row)?;
    let human_case_id = s.next_case;
    s.next_case += 1;
    let stored =
        StoredCase { human_case_id, row: row.clone(), codes: Vec::new(), documents: BTreeMap::new() };
    s.cases.insert(human_case_id, stored);
    s.case_ids.insert(row.case_id.clone(), human_case_id);
    Ok(human_case_id)
}

fn update_case(s: &mut State, row: &CaseRow) -> R<()> {
    // An UPDATE that matches no row checks nothing and writes nothing.
    if !s.case_ids.contains_key(&row.case_id) {
        return Ok(());
    }
    s.check_case_references(row)?;
    if let Some(stored) = s.case_mut(&row.case_id) {
        let case_create_ts = stored.row.case_create_ts;
        stored.row = CaseRow { case_create_ts, ..row.clone() };
    }
    Ok(())
}

fn replace_codes(s: &mut State, id: &CaseId, codes: &[CaseCodeRecord]) -> R<()> {
    let mut seen = BTreeSet::new();
    if !codes.iter().all(|c| seen.insert(c.procedure_code.as_str())) {
        return Err(duplicate("case_procedure_codes.PRIMARY (case_id, procedure_code)"));
    }
    match s.case_mut(id) {
        Some(stored) => stored.codes = codes.to_vec(),
        None if codes.is_empty() => {}
        None => return Err(reference("case_procedure_codes.case_id -> cases")),
    }
    Ok(())
}

fn put_documents(s: &mut State, id: &CaseId, docs: &[CaseDocumentRecord]) -> R<()> {
    if docs.is_empty() {
        return Ok(());
    }
    let stored = s.case_mut(id).ok_or_else(|| reference("case_documents.case_id -> cases"))?;
    for doc in docs {
        stored.documents.insert(doc.document_type, doc.clone());
    }
    Ok(())
}

fn owner_active_below<'a>(
    s: &'a State,
    owner: &'a UserId,
    below: CaseStatus,
) -> impl Iterator<Item = &'a StoredCase> + 'a {
    s.cases.values().filter(move |c| c.row.active && c.row.user_id == *owner && c.row.case_status < below)
}

#[async_trait]
impl CaseRepo for Session {
    async fn case_id_taken(&mut self, id: &CaseId) -> R<bool> {
        Ok(self.read(|s| s.case_ids.contains_key(id)))
    }

    async fn get_case_view(
        &mut self,
        id: &CaseId,
        describe: Option<CaseStatus>,
        owner: Option<&UserId>,
    ) -> R<Option<CaseView>> {
        Ok(self.read(|s| {
            s.case(id).filter(|c| owner.is_none_or(|o| c.row.user_id == *o)).map(|c| s.case_view(c, describe))
        }))
    }

    async fn lock_case(&mut self, id: &CaseId) -> R<Option<Case>> {
        Ok(self.read(|s| s.case(id).map(|c| s.case_record(c))))
    }

    async fn get_cases(&mut self, ids: &[CaseId]) -> R<Vec<Case>> {
        let wanted: BTreeSet<&CaseId> = ids.iter().collect();
        Ok(self.read(|s| wanted.iter().filter_map(|id| s.case(id).map(|c| s.case_record(c))).collect()))
    }

    async fn insert_case(&mut self, row: &CaseRow) -> R<i64> {
        self.write(|s| insert_case(s, row)).await
    }

    async fn update_case(&mut self, row: &CaseRow) -> R<()> {
        self.write(|s| update_case(s, row)).await
    }

    async fn replace_case_codes(&mut self, id: &CaseId, codes: &[CaseCodeRecord]) -> R<()> {
        self.write(|s| replace_codes(s, id, codes)).await
    }

    async fn put_case_documents(&mut self, id: &CaseId, docs: &[CaseDocumentRecord]) -> R<()> {
        self.write(|s| put_documents(s, id, docs)).await
    }

    async fn remove_case_documents(&mut self, id: &CaseId, document_types: &[DocumentField]) -> R<()> {
        self.write(|s| {
            if let Some(stored) = s.case_mut(id) {
                for doc_type in document_types {
                    stored.documents.remove(doc_type);
                }
            }
            Ok(())
        })
        .await
    }

    async fn find_duplicate(
        &mut self,
        owner: &UserId,
        date: Date,
        name_key: &str,
        exclude: Option<&CaseId>,
    ) -> R<Option<DuplicateCase>> {
        Ok(self.read(|s| {
            s.cases
                .values()
                .find(|c| {
                    c.row.active
                        && c.row.user_id == *owner
                        && c.row.case_date == date
                        && c.row.patient_name_key == name_key
                        && exclude.is_none_or(|e| c.row.case_id != *e)
                })
                .map(|c| DuplicateCase {
                    case_id: c.row.case_id.clone(),
                    user_id: c.row.user_id.clone(),
                    case_date: c.row.case_date,
                    patient_first: c.row.patient.first.clone(),
                    patient_last: c.row.patient.last.clone(),
                })
        }))
    }

    async fn list_cases(&mut self, query: &CaseQuery) -> R<CasePage> {
        Ok(self.read(|s| {
            let mut matches: Vec<&StoredCase> =
                s.cases.values().filter(|c| query_matches(query, &c.row)).collect();
            matches.sort_by(|a, b| list_order(s, query.order, a, b));
            let total = matches.len() as i64;
            let items = page(matches, query.limit, query.offset)
                .into_iter()
                .map(|c| s.case_view(c, query.describe))
                .collect();
            CasePage { items, total }
        }))
    }

    async fn count_owner_cases_at(&mut self, owner: &UserId, status: CaseStatus) -> R<i64> {
        Ok(self.read(|s| {
            s.cases
                .values()
                .filter(|c| c.row.active && c.row.user_id == *owner && c.row.case_status == status)
                .count() as i64
        }))
    }

    async fn owner_cases_below(&mut self, owner: &UserId, below: CaseStatus) -> R<Vec<Case>> {
        Ok(self.read(|s| owner_active_below(s, owner, below).map(|c| s.case_record(c)).collect()))
    }

    async fn tier_cases_below(&mut self, tier: i32, below: CaseStatus) -> R<Vec<Case>> {
        Ok(self.read(|s| {
            s.cases
                .values()
                .filter(|c| c.row.active && c.row.case_status < below)
                .filter(|c| s.users.get(&c.row.user_id).is_some_and(|u| u.user_tier == tier))
                .map(|c| s.case_record(c))
                .collect()
        }))
    }

    async fn update_pay(&mut self, updates: &[PayUpdate]) -> R<()> {
        self.write(|s| {
            for update in updates {
                if let Some(stored) = s.case_mut(&update.case_id) {
                    stored.row.pay_amount = update.pay_amount;
                    stored.row.pay_category = update.pay_category.clone();
                    stored.row.case_updated_ts = update.updated_ts;
                }
            }
            Ok(())
        })
        .await
    }

    async fn deactivate_owner_cases(
        &mut self,
        owner: &UserId,
        below: CaseStatus,
        at: Timestamp,
        by: &str,
    ) -> R<Vec<CaseId>> {
        self.write(|s| {
            let ids: Vec<CaseId> =
                owner_active_below(s, owner, below).map(|c| c.row.case_id.clone()).collect();
            for id in &ids {
                if let Some(stored) = s.case_mut(id) {
                    let row = &mut stored.row;
                    row.active = false;
                    row.deleted_ts = Some(at);
                    row.deleted_by = Some(by.to_owned());
                    row.archive_state = Some(ArchiveState::Pending);
                    row.case_updated_ts = at;
                }
            }
            Ok(ids)
        })
        .await
    }
}
