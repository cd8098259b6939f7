//! `surgeon_list`, `facility_list`, `search_surgeon_all` and `search_facility_all`.

use std::cmp::Ordering;

use async_trait::async_trait;
use surgicase_kernel::{FacilityId, SurgeonId, UserId};
use surgicase_ports::records::*;
use surgicase_ports::{DirectoryRepo, StoreError};

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

fn insert_surgeon(s: &mut State, new: &NewSurgeonRecord) -> R<SurgeonRecord> {
    s.require_user(&new.user_id, "surgeon_list.user_id -> user_profile")?;
    let surgeon_id = SurgeonId::new(s.next_surgeon).map_err(|e| StoreError::backend(e.to_string()))?;
    s.next_surgeon += 1;
    let record = SurgeonRecord {
        surgeon_id,
        user_id: new.user_id.clone(),
        first_name: new.first_name.clone(),
        last_name: new.last_name.clone(),
        surgeon_npi: new.surgeon_npi,
        surgeon_addr: new.surgeon_addr.clone(),
        surgeon_city: new.surgeon_city.clone(),
        surgeon_state: new.surgeon_state.clone(),
        surgeon_zip: new.surgeon_zip.clone(),
        created_ts: new.created_ts,
    };
    s.surgeons.insert(surgeon_id, record.clone());
    Ok(record)
}

fn insert_facility(s: &mut State, new: &NewFacilityRecord) -> R<FacilityRecord> {
    s.require_user(&new.user_id, "facility_list.user_id -> user_profile")?;
    let facility_id = FacilityId::new(s.next_facility).map_err(|e| StoreError::backend(e.to_string()))?;
    s.next_facility += 1;
    let record = FacilityRecord {
        facility_id,
        user_id: new.user_id.clone(),
        facility_name: new.facility_name.clone(),
        facility_npi: new.facility_npi,
        facility_addr: new.facility_addr.clone(),
        facility_city: new.facility_city.clone(),
        facility_state: new.facility_state.clone(),
        facility_zip: new.facility_zip.clone(),
        created_ts: new.created_ts,
    };
    s.facilities.insert(facility_id, record.clone());
    Ok(record)
}

#[async_trait]
impl DirectoryRepo for Session {
    async fn insert_surgeon(&mut self, surgeon: &NewSurgeonRecord) -> R<SurgeonRecord> {
        self.write(|s| insert_surgeon(s, surgeon)).await
    }

    async fn get_surgeon(&mut self, id: SurgeonId) -> R<Option<SurgeonRecord>> {
        Ok(self.read(|s| s.surgeons.get(&id).cloned()))
    }

    async fn list_surgeons(&mut self, owner: &UserId) -> R<Vec<SurgeonRecord>> {
        Ok(self.read(|s| {
            let mut list: Vec<SurgeonRecord> =
                s.surgeons.values().filter(|r| r.user_id == *owner).cloned().collect();
            list.sort_by_key(|r| (fold(&r.last_name), fold(&r.first_name), r.surgeon_id));
            list
        }))
    }

    async fn find_surgeon_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<SurgeonRecord>> {
        Ok(self.read(|s| {
            s.surgeons.values().find(|r| r.user_id == *owner && r.surgeon_npi == Some(npi)).cloned()
        }))
    }

    async fn delete_surgeon(&mut self, id: SurgeonId) -> R<bool> {
        self.write(|s| {
            if !s.surgeons.contains_key(&id) {
                return Ok(false);
            }
            if s.cases.values().any(|c| c.row.surgeon_id == Some(id)) {
                return Err(reference("cases.surgeon_id -> surgeon_list"));
            }
            s.surgeons.remove(&id);
            Ok(true)
        })
        .await
    }

    async fn count_cases_with_surgeon(&mut self, id: SurgeonId) -> R<i64> {
        Ok(self.read(|s| s.cases.values().filter(|c| c.row.surgeon_id == Some(id)).count() as i64))
    }

    async fn insert_facility(&mut self, facility: &NewFacilityRecord) -> R<FacilityRecord> {
        self.write(|s| insert_facility(s, facility)).await
    }

    async fn get_facility(&mut self, id: FacilityId) -> R<Option<FacilityRecord>> {
        Ok(self.read(|s| s.facilities.get(&id).cloned()))
    }

    async fn list_facilities(&mut self, owner: &UserId) -> R<Vec<FacilityRecord>> {
        Ok(self.read(|s| {
            let mut list: Vec<FacilityRecord> =
                s.facilities.values().filter(|r| r.user_id == *owner).cloned().collect();
            list.sort_by_key(|r| (fold(&r.facility_name), r.facility_id));
            list
        }))
    }

    async fn find_facility_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<FacilityRecord>> {
        Ok(self.read(|s| {
            s.facilities.values().find(|r| r.user_id == *owner && r.facility_npi == Some(npi)).cloned()
        }))
    }

    async fn delete_facility(&mut self, id: FacilityId) -> R<bool> {
        self.write(|s| {
            if !s.facilities.contains_key(&id) {
                return Ok(false);
            }
            if s.cases.values().any(|c| c.row.facility_id == Some(id)) {
                return Err(reference("cases.facility_id -> facility_list"));
            }
            s.facilities.remove(&id);
            Ok(true)
        })
        .await
    }

    async fn count_cases_with_facility(&mut self, id: FacilityId) -> R<i64> {
        Ok(self.read(|s| s.cases.values().filter(|c| c.row.facility_id == Some(id)).count() as i64))
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
