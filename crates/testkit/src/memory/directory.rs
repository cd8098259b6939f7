//! `surgeon_list`, `facility_list`, `search_surgeon_all` and `search_facility_all`.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use async_trait::async_trait;
use surgicase_kernel::{FacilityId, SurgeonId, UserId};
use surgicase_ports::records::*;
use surgicase_ports::{BookRepo, DirectoryRepo, StoreError};

use super::state::{State, fold, fold_opt, page, reference};
use super::{R, Session};

fn starts_with_ci(value: &Option<String>, prefix: &str) -> bool {
    value.as_deref().is_some_and(|v| fold(v).starts_with(&fold(prefix)))
}

fn contains_ci(value: &Option<String>, needle: &str) -> bool {
    value.as_deref().is_some_and(|v| fold(v).contains(&fold(needle)))
}

fn person_order(a: &NpiPersonRecord, b: &NpiPersonRecord) -> Ordering {
    let key = |p: &NpiPersonRecord| {
        (fold_opt(&p.state), fold_opt(&p.city), fold_opt(&p.last_name), fold_opt(&p.first_name), p.npi)
    };
    key(a).cmp(&key(b))
}

fn organization_order(a: &NpiOrganizationRecord, b: &NpiOrganizationRecord) -> Ordering {
    let key = |o: &NpiOrganizationRecord| {
        (fold_opt(&o.state), fold_opt(&o.city), fold_opt(&o.facility_name), o.npi)
    };
    key(a).cmp(&key(b))
}

/// Where the in-memory state keeps one list of the address book, in the database's terms.
trait MemoryBook: BookKind {
    /// The table and the `cases` column that references it, for the foreign-key errors.
    const TABLE: &'static str;
    const CASE_COLUMN: &'static str;
    fn entries(s: &State) -> &BTreeMap<Self::Id, BookEntry<Self>>;
    fn entries_mut(s: &mut State) -> &mut BTreeMap<Self::Id, BookEntry<Self>>;
    /// Takes the next id of the list's sequence.
    fn next_id(s: &mut State) -> R<Self::Id>;
    fn used_by(case: &CaseRow, id: Self::Id) -> bool;
    /// The list's order (case-folded names), ending with the id.
    fn order_key(entry: &BookEntry<Self>) -> (Vec<String>, Self::Id);
}

impl MemoryBook for Surgeons {
    const TABLE: &'static str = "surgeon_list";
    const CASE_COLUMN: &'static str = "surgeon_id";
    fn entries(s: &State) -> &BTreeMap<SurgeonId, SurgeonRecord> {
        &s.surgeons
    }
    fn entries_mut(s: &mut State) -> &mut BTreeMap<SurgeonId, SurgeonRecord> {
        &mut s.surgeons
    }
    fn next_id(s: &mut State) -> R<SurgeonId> {
        let id = SurgeonId::new(s.next_surgeon).map_err(|e| StoreError::backend(e.to_string()))?;
        s.next_surgeon += 1;
        Ok(id)
    }
    fn used_by(case: &CaseRow, id: SurgeonId) -> bool {
        case.surgeon_id == Some(id)
    }
    fn order_key(e: &SurgeonRecord) -> (Vec<String>, SurgeonId) {
        (vec![fold(&e.name.last_name), fold(&e.name.first_name)], e.id)
    }
}

impl MemoryBook for Facilities {
    const TABLE: &'static str = "facility_list";
    const CASE_COLUMN: &'static str = "facility_id";
    fn entries(s: &State) -> &BTreeMap<FacilityId, FacilityRecord> {
        &s.facilities
    }
    fn entries_mut(s: &mut State) -> &mut BTreeMap<FacilityId, FacilityRecord> {
        &mut s.facilities
    }
    fn next_id(s: &mut State) -> R<FacilityId> {
        let id = FacilityId::new(s.next_facility).map_err(|e| StoreError::backend(e.to_string()))?;
        s.next_facility += 1;
        Ok(id)
    }
    fn used_by(case: &CaseRow, id: FacilityId) -> bool {
        case.facility_id == Some(id)
    }
    fn order_key(e: &FacilityRecord) -> (Vec<String>, FacilityId) {
        (vec![fold(&e.name)], e.id)
    }
}

#[async_trait]
impl<K: MemoryBook> BookRepo<K> for Session {
    async fn insert(&mut self, new: &NewBookEntry<K>) -> R<BookEntry<K>> {
        self.write(|s| {
            s.require_user(&new.user_id, &format!("{}.user_id -> user_profile", K::TABLE))?;
            let entry = new.stored(K::next_id(s)?, new.created_ts);
            K::entries_mut(s).insert(entry.id, entry.clone());
            Ok(entry)
        })
        .await
    }

    async fn get(&mut self, id: K::Id) -> R<Option<BookEntry<K>>> {
        Ok(self.read(|s| K::entries(s).get(&id).cloned()))
    }

    async fn list(&mut self, owner: &UserId) -> R<Vec<BookEntry<K>>> {
        Ok(self.read(|s| {
            let mut list: Vec<BookEntry<K>> =
                K::entries(s).values().filter(|e| e.user_id == *owner).cloned().collect();
            list.sort_by_key(K::order_key);
            list
        }))
    }

    async fn find_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<BookEntry<K>>> {
        Ok(self.read(|s| K::entries(s).values().find(|e| e.user_id == *owner && e.npi == Some(npi)).cloned()))
    }

    async fn delete(&mut self, id: K::Id) -> R<bool> {
        self.write(|s| {
            if !K::entries(s).contains_key(&id) {
                return Ok(false);
            }
            if s.cases.values().any(|c| K::used_by(&c.row, id)) {
                return Err(reference(&format!("cases.{} -> {}", K::CASE_COLUMN, K::TABLE)));
            }
            K::entries_mut(s).remove(&id);
            Ok(true)
        })
        .await
    }

    async fn count_cases_with(&mut self, id: K::Id) -> R<i64> {
        Ok(self.read(|s| s.cases.values().filter(|c| K::used_by(&c.row, id)).count() as i64))
    }
}

#[async_trait]
impl DirectoryRepo for Session {
    fn surgeons(&mut self) -> &mut dyn BookRepo<Surgeons> {
        self
    }

    fn facilities(&mut self) -> &mut dyn BookRepo<Facilities> {
        self
    }

    async fn search_people(&mut self, search: &PersonSearch, limit: i64) -> R<Vec<NpiPersonRecord>> {
        Ok(self.read(|s| {
            let mut found: Vec<NpiPersonRecord> = match search {
                PersonSearch::ByNpi(npi) => s.npi_people.get(npi).cloned().into_iter().collect(),
                PersonSearch::ByName { first_prefix, last_prefix } => s
                    .npi_people
                    .values()
                    .filter(|p| {
                        starts_with_ci(&p.first_name, first_prefix)
                            && starts_with_ci(&p.last_name, last_prefix)
                    })
                    .cloned()
                    .collect(),
            };
            found.sort_by(person_order);
            page(found, limit, 0)
        }))
    }

    async fn search_organizations(
        &mut self,
        search: &OrganizationSearch,
        limit: i64,
    ) -> R<Vec<NpiOrganizationRecord>> {
        Ok(self.read(|s| {
            let mut found: Vec<NpiOrganizationRecord> = match search {
                OrganizationSearch::ByNpi(npi) => s.npi_organizations.get(npi).cloned().into_iter().collect(),
                OrganizationSearch::ByName(needle) => s
                    .npi_organizations
                    .values()
                    .filter(|o| contains_ci(&o.facility_name, needle))
                    .cloned()
                    .collect(),
            };
            found.sort_by(organization_order);
            page(found, limit, 0)
        }))
    }

    async fn upsert_npi_people(&mut self, rows: &[NpiPersonRecord]) -> R<()> {
        self.write(|s| {
            for row in rows {
                s.npi_people.insert(row.npi, row.clone());
            }
            Ok(())
        })
        .await
    }

    async fn upsert_npi_organizations(&mut self, rows: &[NpiOrganizationRecord]) -> R<()> {
        self.write(|s| {
            for row in rows {
                s.npi_organizations.insert(row.npi, row.clone());
            }
            Ok(())
        })
        .await
    }
}
