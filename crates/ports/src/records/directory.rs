//! `surgeon_list`, `facility_list` and the NPI search tables.

use surgicase_kernel::{FacilityId, SurgeonId, Timestamp, UserId};

/// A surgeon of a user's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurgeonRecord {
    pub surgeon_id: SurgeonId,
    pub user_id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub surgeon_npi: Option<i64>,
    pub surgeon_addr: Option<String>,
    pub surgeon_city: Option<String>,
    pub surgeon_state: Option<String>,
    pub surgeon_zip: Option<String>,
    pub created_ts: Timestamp,
}

/// A surgeon to insert (the id is assigned by the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurgeonRecord {
    pub user_id: UserId,
    pub first_name: String,
    pub last_name: String,
    pub surgeon_npi: Option<i64>,
    pub surgeon_addr: Option<String>,
    pub surgeon_city: Option<String>,
    pub surgeon_state: Option<String>,
    pub surgeon_zip: Option<String>,
    pub created_ts: Timestamp,
}

/// A facility of a user's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacilityRecord {
    pub facility_id: FacilityId,
    pub user_id: UserId,
    pub facility_name: String,
    pub facility_npi: Option<i64>,
    pub facility_addr: Option<String>,
    pub facility_city: Option<String>,
    pub facility_state: Option<String>,
    pub facility_zip: Option<String>,
    pub created_ts: Timestamp,
}

/// A facility to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFacilityRecord {
    pub user_id: UserId,
    pub facility_name: String,
    pub facility_npi: Option<i64>,
    pub facility_addr: Option<String>,
    pub facility_city: Option<String>,
    pub facility_state: Option<String>,
    pub facility_zip: Option<String>,
    pub created_ts: Timestamp,
}

/// One individual provider of the NPPES file (`search_surgeon_all`), stored upper-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpiPersonRecord {
    pub npi: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// One organisation of the NPPES file (`search_facility_all`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpiOrganizationRecord {
    pub npi: i64,
    pub facility_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// A search of the local NPI tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonSearch {
    ByNpi(i64),
    /// Case-insensitive prefixes of first and last name; ordered by state, city, last, first.
    ByName {
        first_prefix: String,
        last_prefix: String,
    },
}

/// A search of the local organisation table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrganizationSearch {
    ByNpi(i64),
    /// Case-insensitive substring of the name; ordered by state, city, name.
    ByName(String),
}
