//! `GET /search_surgeon`, `GET /search_facility`: the local NPI tables, display-normalised
//! (domain §12.2, §12.3).

use surgicase_directory::{
    FacilityQuery, FacilitySearch, SurgeonQuery, SurgeonSearch, display_address, display_city,
    display_facility_name, display_person_name, display_state,
};
use surgicase_ports::records::{NpiOrganizationRecord, NpiPersonRecord, OrganizationSearch, PersonSearch};

use crate::App;
use crate::error::AppError;

/// Individual providers found, display-normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurgeonHits {
    pub hits: Vec<NpiPersonRecord>,
    /// More rows matched than the limit.
    pub truncated: bool,
}

/// Organisations found, display-normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityHits {
    pub hits: Vec<NpiOrganizationRecord>,
    pub truncated: bool,
}

fn npi_i64(npi: surgicase_kernel::Npi) -> i64 {
    i64::try_from(npi.get()).unwrap_or_default()
}

fn show(value: Option<String>, f: fn(&str) -> String) -> Option<String> {
    value.map(|v| f(&v))
}

impl App {
    pub async fn search_surgeons(
        &self,
        first_name: Option<&str>,
        last_name: Option<&str>,
        limit: Option<&str>,
    ) -> Result<SurgeonHits, AppError> {
        let query = SurgeonQuery::parse(first_name, last_name, limit)?;
        let search = match query.search {
            SurgeonSearch::ByNpi(npi) => PersonSearch::ByNpi(npi_i64(npi)),
            SurgeonSearch::ByName { first_prefix, last_prefix } => {
                PersonSearch::ByName { first_prefix, last_prefix }
            }
        };
        let limit = i64::from(query.limit.get());
        let mut conn = self.store.conn().await?;
        // One row more than asked tells whether the list was cut.
        let mut hits = conn.search_people(&search, limit + 1).await?;
        let truncated = hits.len() as i64 > limit;
        hits.truncate(usize::try_from(limit).unwrap_or(0));
        let hits = hits
            .into_iter()
            .map(|h| NpiPersonRecord {
                npi: h.npi,
                first_name: show(h.first_name, display_person_name),
                last_name: show(h.last_name, display_person_name),
                address: show(h.address, display_address),
                city: show(h.city, display_city),
                state: show(h.state, display_state),
                zip: h.zip,
            })
            .collect();
        Ok(SurgeonHits { hits, truncated })
    }

    pub async fn search_facilities(
        &self,
        facility_name: Option<&str>,
        limit: Option<&str>,
    ) -> Result<FacilityHits, AppError> {
        let query = FacilityQuery::parse(facility_name, limit)?;
        let search = match query.search {
            FacilitySearch::ByNpi(npi) => OrganizationSearch::ByNpi(npi_i64(npi)),
            FacilitySearch::ByName(term) => OrganizationSearch::ByName(term),
        };
        let limit = i64::from(query.limit.get());
        let mut conn = self.store.conn().await?;
        let mut hits = conn.search_organizations(&search, limit + 1).await?;
        let truncated = hits.len() as i64 > limit;
        hits.truncate(usize::try_from(limit).unwrap_or(0));
        let hits = hits
            .into_iter()
            .map(|h| NpiOrganizationRecord {
                npi: h.npi,
                facility_name: show(h.facility_name, display_facility_name),
                address: show(h.address, display_address),
                city: show(h.city, display_city),
                state: show(h.state, display_state),
                zip: h.zip,
            })
            .collect();
        Ok(FacilityHits { hits, truncated })
    }
}
