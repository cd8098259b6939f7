//! `DirectoryRepo`: each user's surgeons and facilities, and the NPI search tables.

use async_trait::async_trait;
use chrono::NaiveDateTime;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamp as SqlTimestamp};
use surgicase_kernel::{FacilityId, SurgeonId, UserId};
use surgicase_ports::records::*;
use surgicase_ports::{DirectoryRepo, StoreError};

use super::R;
use super::decode::{self, ts};
use crate::session::Session;
use crate::sql::{self, Row};
use crate::stmt::{LIKE_ESCAPE, Stmt, Value, like_escape};

#[derive(QueryableByName)]
struct IdDb {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

#[derive(QueryableByName)]
struct CountDb {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

const SURGEON_COLUMNS: &str = "surgeon_id, user_id, first_name, last_name, surgeon_npi, surgeon_addr, \
                               surgeon_city, surgeon_state, surgeon_zip, created_ts";

#[derive(QueryableByName)]
struct SurgeonDb {
    #[diesel(sql_type = BigInt)]
    surgeon_id: i64,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    first_name: String,
    #[diesel(sql_type = Text)]
    last_name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    surgeon_npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_addr: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    surgeon_zip: Option<String>,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
}

impl SurgeonDb {
    fn into_record(self) -> R<SurgeonRecord> {
        Ok(SurgeonRecord {
            surgeon_id: decode::surgeon_id(self.surgeon_id, "surgeon_list.surgeon_id")?,
            user_id: decode::user_id(&self.user_id, "surgeon_list.user_id")?,
            first_name: self.first_name,
            last_name: self.last_name,
            surgeon_npi: self.surgeon_npi,
            surgeon_addr: self.surgeon_addr,
            surgeon_city: self.surgeon_city,
            surgeon_state: self.surgeon_state,
            surgeon_zip: self.surgeon_zip,
            created_ts: ts(self.created_ts),
        })
    }
}

const FACILITY_COLUMNS: &str = "facility_id, user_id, facility_name, facility_npi, facility_addr, \
                                facility_city, facility_state, facility_zip, created_ts";

#[derive(QueryableByName)]
struct FacilityDb {
    #[diesel(sql_type = BigInt)]
    facility_id: i64,
    #[diesel(sql_type = Text)]
    user_id: String,
    #[diesel(sql_type = Text)]
    facility_name: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    facility_npi: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_addr: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    facility_zip: Option<String>,
    #[diesel(sql_type = SqlTimestamp)]
    created_ts: NaiveDateTime,
}

impl FacilityDb {
    fn into_record(self) -> R<FacilityRecord> {
        Ok(FacilityRecord {
            facility_id: decode::facility_id(self.facility_id, "facility_list.facility_id")?,
            user_id: decode::user_id(&self.user_id, "facility_list.user_id")?,
            facility_name: self.facility_name,
            facility_npi: self.facility_npi,
            facility_addr: self.facility_addr,
            facility_city: self.facility_city,
            facility_state: self.facility_state,
            facility_zip: self.facility_zip,
            created_ts: ts(self.created_ts),
        })
    }
}

#[derive(QueryableByName)]
struct PersonDb {
    #[diesel(sql_type = BigInt)]
    npi: i64,
    #[diesel(sql_type = Nullable<Text>)]
    first_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    address: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    zip: Option<String>,
}

#[derive(QueryableByName)]
struct OrganizationDb {
    #[diesel(sql_type = BigInt)]
    npi: i64,
    #[diesel(sql_type = Nullable<Text>)]
    facility_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    address: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    city: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    state: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    zip: Option<String>,
}

impl Session {
    async fn last_insert_id(&mut self) -> R<i64> {
        let stmt = Stmt::new(self.dialect().last_insert_id());
        self.first::<IdDb>(stmt).await?.map(|r| r.id).ok_or_else(|| StoreError::backend("no insert id"))
    }

    async fn count(&mut self, stmt: Stmt) -> R<i64> {
        Ok(self.first::<CountDb>(stmt).await?.map_or(0, |c| c.n))
    }
}

/// A `LIKE` prefix pattern of the upper-cased input (the NPI tables are stored upper-case).
fn upper_prefix(text: &str) -> String {
    format!("{}%", like_escape(&text.to_uppercase()))
}

#[async_trait]
impl DirectoryRepo for Session {
    async fn insert_surgeon(&mut self, s: &NewSurgeonRecord) -> R<SurgeonRecord> {
        let row: Row = vec![
            ("user_id", Value::from(&s.user_id)),
            ("first_name", Value::from(&s.first_name)),
            ("last_name", Value::from(&s.last_name)),
            ("surgeon_npi", Value::from(s.surgeon_npi)),
            ("surgeon_addr", Value::from(&s.surgeon_addr)),
            ("surgeon_city", Value::from(&s.surgeon_city)),
            ("surgeon_state", Value::from(&s.surgeon_state)),
            ("surgeon_zip", Value::from(&s.surgeon_zip)),
            ("created_ts", Value::from(s.created_ts)),
        ];
        self.exec(sql::insert("surgeon_list", row)).await?;
        let id = self.last_insert_id().await?;
        Ok(SurgeonRecord {
            surgeon_id: decode::surgeon_id(id, "surgeon_list.surgeon_id")?,
            user_id: s.user_id.clone(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            surgeon_npi: s.surgeon_npi,
            surgeon_addr: s.surgeon_addr.clone(),
            surgeon_city: s.surgeon_city.clone(),
            surgeon_state: s.surgeon_state.clone(),
            surgeon_zip: s.surgeon_zip.clone(),
            created_ts: surgicase_kernel::time::truncate_to_micros(s.created_ts),
        })
    }

    async fn get_surgeon(&mut self, id: SurgeonId) -> R<Option<SurgeonRecord>> {
        let stmt = Stmt::new(format!("SELECT {SURGEON_COLUMNS} FROM surgeon_list WHERE surgeon_id = ?"))
            .bind(id.get());
        self.first::<SurgeonDb>(stmt).await?.map(SurgeonDb::into_record).transpose()
    }

    async fn list_surgeons(&mut self, owner: &UserId) -> R<Vec<SurgeonRecord>> {
        let d = self.dialect();
        let stmt = Stmt::new(format!(
            "SELECT {SURGEON_COLUMNS} FROM surgeon_list WHERE user_id = ? ORDER BY {}, {}, surgeon_id",
            d.ci("last_name"),
            d.ci("first_name")
        ))
        .bind(owner);
        self.load::<SurgeonDb>(stmt).await?.into_iter().map(SurgeonDb::into_record).collect()
    }

    async fn find_surgeon_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<SurgeonRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT {SURGEON_COLUMNS} FROM surgeon_list WHERE user_id = ? AND surgeon_npi = ? \
             ORDER BY surgeon_id LIMIT 1"
        ))
        .bind(owner)
        .bind(npi);
        self.first::<SurgeonDb>(stmt).await?.map(SurgeonDb::into_record).transpose()
    }

    async fn delete_surgeon(&mut self, id: SurgeonId) -> R<bool> {
        let stmt = Stmt::new("DELETE FROM surgeon_list WHERE surgeon_id = ?").bind(id.get());
        Ok(self.exec(stmt).await? > 0)
    }

    async fn count_cases_with_surgeon(&mut self, id: SurgeonId) -> R<i64> {
        self.count(Stmt::new("SELECT COUNT(*) AS n FROM cases WHERE surgeon_id = ?").bind(id.get())).await
    }

    async fn insert_facility(&mut self, f: &NewFacilityRecord) -> R<FacilityRecord> {
        let row: Row = vec![
            ("user_id", Value::from(&f.user_id)),
            ("facility_name", Value::from(&f.facility_name)),
            ("facility_npi", Value::from(f.facility_npi)),
            ("facility_addr", Value::from(&f.facility_addr)),
            ("facility_city", Value::from(&f.facility_city)),
            ("facility_state", Value::from(&f.facility_state)),
            ("facility_zip", Value::from(&f.facility_zip)),
            ("created_ts", Value::from(f.created_ts)),
        ];
        self.exec(sql::insert("facility_list", row)).await?;
        let id = self.last_insert_id().await?;
        Ok(FacilityRecord {
            facility_id: decode::facility_id(id, "facility_list.facility_id")?,
            user_id: f.user_id.clone(),
            facility_name: f.facility_name.clone(),
            facility_npi: f.facility_npi,
            facility_addr: f.facility_addr.clone(),
            facility_city: f.facility_city.clone(),
            facility_state: f.facility_state.clone(),
            facility_zip: f.facility_zip.clone(),
            created_ts: surgicase_kernel::time::truncate_to_micros(f.created_ts),
        })
    }

    async fn get_facility(&mut self, id: FacilityId) -> R<Option<FacilityRecord>> {
        let stmt = Stmt::new(format!("SELECT {FACILITY_COLUMNS} FROM facility_list WHERE facility_id = ?"))
            .bind(id.get());
        self.first::<FacilityDb>(stmt).await?.map(FacilityDb::into_record).transpose()
    }

    async fn list_facilities(&mut self, owner: &UserId) -> R<Vec<FacilityRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT {FACILITY_COLUMNS} FROM facility_list WHERE user_id = ? ORDER BY {}, facility_id",
            self.dialect().ci("facility_name")
        ))
        .bind(owner);
        self.load::<FacilityDb>(stmt).await?.into_iter().map(FacilityDb::into_record).collect()
    }

    async fn find_facility_by_npi(&mut self, owner: &UserId, npi: i64) -> R<Option<FacilityRecord>> {
        let stmt = Stmt::new(format!(
            "SELECT {FACILITY_COLUMNS} FROM facility_list WHERE user_id = ? AND facility_npi = ? \
             ORDER BY facility_id LIMIT 1"
        ))
        .bind(owner)
        .bind(npi);
        self.first::<FacilityDb>(stmt).await?.map(FacilityDb::into_record).transpose()
    }

    async fn delete_facility(&mut self, id: FacilityId) -> R<bool> {
        let stmt = Stmt::new("DELETE FROM facility_list WHERE facility_id = ?").bind(id.get());
        Ok(self.exec(stmt).await? > 0)
    }

    async fn count_cases_with_facility(&mut self, id: FacilityId) -> R<i64> {
        self.count(Stmt::new("SELECT COUNT(*) AS n FROM cases WHERE facility_id = ?").bind(id.get())).await
    }

    async fn search_people(&mut self, search: &PersonSearch, limit: i64) -> R<Vec<NpiPersonRecord>> {
        let d = self.dialect();
        let mut stmt =
            Stmt::new("SELECT npi, first_name, last_name, address, city, state, zip FROM search_surgeon_all");
        match search {
            PersonSearch::ByNpi(npi) => {
                stmt.sql(" WHERE npi = ?").arg(*npi);
            }
            PersonSearch::ByName { first_prefix, last_prefix } => {
                // An empty prefix matches every name but NULL.
                stmt.sql(&format!(" WHERE last_name LIKE ?{LIKE_ESCAPE} AND first_name LIKE ?{LIKE_ESCAPE}"))
                    .arg(upper_prefix(last_prefix))
                    .arg(upper_prefix(first_prefix));
            }
        }
        stmt.sql(&format!(
            " ORDER BY {}, {}, {}, {}, npi LIMIT ?",
            d.ci("state"),
            d.ci("city"),
            d.ci("last_name"),
            d.ci("first_name")
        ))
        .arg(limit.max(0));
        Ok(self
            .load::<PersonDb>(stmt)
            .await?
            .into_iter()
            .map(|p| NpiPersonRecord {
                npi: p.npi,
                first_name: p.first_name,
                last_name: p.last_name,
                address: p.address,
                city: p.city,
                state: p.state,
                zip: p.zip,
            })
            .collect())
    }

    async fn search_organizations(
        &mut self,
        search: &OrganizationSearch,
        limit: i64,
    ) -> R<Vec<NpiOrganizationRecord>> {
        let d = self.dialect();
        let mut stmt =
            Stmt::new("SELECT npi, facility_name, address, city, state, zip FROM search_facility_all");
        match search {
            OrganizationSearch::ByNpi(npi) => {
                stmt.sql(" WHERE npi = ?").arg(*npi);
            }
            OrganizationSearch::ByName(needle) => {
                let pattern = format!("%{}%", like_escape(&needle.to_uppercase()));
                stmt.sql(&format!(" WHERE facility_name LIKE ?{LIKE_ESCAPE}")).arg(pattern);
            }
        }
        stmt.sql(&format!(
            " ORDER BY {}, {}, {}, npi LIMIT ?",
            d.ci("state"),
            d.ci("city"),
            d.ci("facility_name")
        ))
        .arg(limit.max(0));
        Ok(self
            .load::<OrganizationDb>(stmt)
            .await?
            .into_iter()
            .map(|o| NpiOrganizationRecord {
                npi: o.npi,
                facility_name: o.facility_name,
                address: o.address,
                city: o.city,
                state: o.state,
                zip: o.zip,
            })
            .collect())
    }

    async fn upsert_npi_people(&mut self, rows: &[NpiPersonRecord]) -> R<()> {
        self.upsert_records(rows).await
    }

    async fn upsert_npi_organizations(&mut self, rows: &[NpiOrganizationRecord]) -> R<()> {
        self.upsert_records(rows).await
    }
}
