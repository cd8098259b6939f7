//! `surgeon_list`, `facility_list` and the NPI search tables.

use surgicase_kernel::{FacilityId, SurgeonId, Timestamp, UserId};

/// One of the two lists of a user's address book: what identifies an entry and what names it.
/// The lists share everything else ([`BookEntry`]).
pub trait BookKind: std::fmt::Debug + Clone + PartialEq + Eq + Send + Sync + 'static {
    type Id: std::fmt::Debug + Copy + Ord + std::hash::Hash + Send + Sync + std::fmt::Display;
    type Name: std::fmt::Debug + Clone + PartialEq + Eq + Send + Sync;
}

/// `surgeon_list`: surgeons, named by first and last name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surgeons;

impl BookKind for Surgeons {
    type Id = SurgeonId;
    type Name = PersonName;
}

/// `facility_list`: facilities, named by one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facilities;

impl BookKind for Facilities {
    type Id = FacilityId;
    type Name = String;
}

/// A surgeon's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    pub first_name: String,
    pub last_name: String,
}

/// The postal address of an address-book entry (each part optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostalAddress {
    pub addr: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// An entry of a user's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookEntry<K: BookKind> {
    pub id: K::Id,
    pub user_id: UserId,
    pub name: K::Name,
    pub npi: Option<i64>,
    pub address: PostalAddress,
    pub created_ts: Timestamp,
}

/// An entry to insert (the id is assigned by the database).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBookEntry<K: BookKind> {
    pub user_id: UserId,
    pub name: K::Name,
    pub npi: Option<i64>,
    pub address: PostalAddress,
    pub created_ts: Timestamp,
}

impl<K: BookKind> NewBookEntry<K> {
    /// The entry as stored under `id`, its time as the store keeps it.
    pub fn stored(&self, id: K::Id, created_ts: Timestamp) -> BookEntry<K> {
        BookEntry {
            id,
            user_id: self.user_id.clone(),
            name: self.name.clone(),
            npi: self.npi,
            address: self.address.clone(),
            created_ts,
        }
    }
}

/// A surgeon of a user's address book.
pub type SurgeonRecord = BookEntry<Surgeons>;
/// A surgeon to insert.
pub type NewSurgeonRecord = NewBookEntry<Surgeons>;
/// A facility of a user's address book.
pub type FacilityRecord = BookEntry<Facilities>;
/// A facility to insert.
pub type NewFacilityRecord = NewBookEntry<Facilities>;

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
