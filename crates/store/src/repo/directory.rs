//! `DirectoryRepo`: each user's surgeons and facilities (`address_book.rs`), and the NPI search
//! tables.

use async_trait::async_trait;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Nullable, Text};
use surgicase_ports::records::*;
use surgicase_ports::{BookRepo, DirectoryRepo};

use super::R;
use crate::session::Session;
use crate::stmt::{LIKE_ESCAPE, Stmt, like_escape};

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

/// A `LIKE` prefix pattern of the upper-cased input (the NPI tables are stored upper-case).
fn upper_prefix(text: &str) -> String {
    format!("{}%", like_escape(&text.to_uppercase()))
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
