//! Surgeons, facilities, the NPI searches and `/check_npi` (api.md §4).

use serde::Serialize;
use surgicase_app::directory::{FacilityHits, NpiCheck, SurgeonHits};
use surgicase_ports::records::{FacilityRecord, SurgeonRecord};
use utoipa::ToSchema;

use super::format::npi;

/// A surgeon of a user's address book.
#[derive(Debug, Serialize, ToSchema)]
pub struct Surgeon {
    pub surgeon_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub surgeon_npi: Option<i64>,
    pub surgeon_addr: Option<String>,
    pub surgeon_city: Option<String>,
    pub surgeon_state: Option<String>,
    pub surgeon_zip: Option<String>,
}

impl From<&SurgeonRecord> for Surgeon {
    fn from(s: &SurgeonRecord) -> Self {
        Self {
            surgeon_id: s.id.get(),
            first_name: s.name.first_name.clone(),
            last_name: s.name.last_name.clone(),
            surgeon_npi: npi(s.npi),
            surgeon_addr: s.address.addr.clone(),
            surgeon_city: s.address.city.clone(),
            surgeon_state: s.address.state.clone(),
            surgeon_zip: s.address.zip.clone(),
        }
    }
}

/// `POST /surgeon` (201): the stored surgeon with its owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonCreatedAnswer {
    #[schema(example = "Surgeon created successfully")]
    pub message: &'static str,
    pub user_id: String,
    #[serde(flatten)]
    pub surgeon: Surgeon,
}

impl From<&SurgeonRecord> for SurgeonCreatedAnswer {
    fn from(s: &SurgeonRecord) -> Self {
        Self {
            message: "Surgeon created successfully",
            user_id: s.user_id.to_string(),
            surgeon: Surgeon::from(s),
        }
    }
}

/// `GET /surgeons`, by last, first name.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonsAnswer {
    pub user_id: String,
    pub surgeons: Vec<Surgeon>,
}

/// `DELETE /surgeon`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonDeletedAnswer {
    #[schema(example = "Surgeon deleted successfully")]
    pub message: &'static str,
    pub surgeon_id: i64,
}

/// A facility of a user's address book.
#[derive(Debug, Serialize, ToSchema)]
pub struct Facility {
    pub facility_id: i64,
    pub facility_name: String,
    pub facility_npi: Option<i64>,
    pub facility_addr: Option<String>,
    pub facility_city: Option<String>,
    pub facility_state: Option<String>,
    pub facility_zip: Option<String>,
}

impl From<&FacilityRecord> for Facility {
    fn from(f: &FacilityRecord) -> Self {
        Self {
            facility_id: f.id.get(),
            facility_name: f.name.clone(),
            facility_npi: npi(f.npi),
            facility_addr: f.address.addr.clone(),
            facility_city: f.address.city.clone(),
            facility_state: f.address.state.clone(),
            facility_zip: f.address.zip.clone(),
        }
    }
}

/// `POST /facility` (201): the stored facility with its owner.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityCreatedAnswer {
    #[schema(example = "Facility created successfully")]
    pub message: &'static str,
    pub user_id: String,
    #[serde(flatten)]
    pub facility: Facility,
}

impl From<&FacilityRecord> for FacilityCreatedAnswer {
    fn from(f: &FacilityRecord) -> Self {
        Self {
            message: "Facility created successfully",
            user_id: f.user_id.to_string(),
            facility: Facility::from(f),
        }
    }
}

/// `GET /facilities`, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitiesAnswer {
    pub user_id: String,
    pub facilities: Vec<Facility>,
}

/// `DELETE /facility`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityDeletedAnswer {
    #[schema(example = "Facility deleted successfully")]
    pub message: &'static str,
    pub facility_id: i64,
}

/// What `/search_surgeon` searched for.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonCriteria {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// An individual provider of the NPI tables, display-normalised.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonHit {
    pub npi: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// `GET /search_surgeon`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurgeonSearchAnswer {
    #[schema(example = "Found 2 matching surgeon(s)")]
    pub message: String,
    pub search_criteria: SurgeonCriteria,
    pub surgeons: Vec<SurgeonHit>,
    /// More rows matched than `limit`.
    pub truncated: bool,
}

impl SurgeonSearchAnswer {
    pub fn new(found: &SurgeonHits, criteria: SurgeonCriteria) -> Self {
        Self {
            message: format!("Found {} matching surgeon(s)", found.hits.len()),
            search_criteria: criteria,
            surgeons: found
                .hits
                .iter()
                .map(|h| SurgeonHit {
                    npi: h.npi,
                    first_name: h.first_name.clone(),
                    last_name: h.last_name.clone(),
                    address: h.address.clone(),
                    city: h.city.clone(),
                    state: h.state.clone(),
                    zip: h.zip.clone(),
                })
                .collect(),
            truncated: found.truncated,
        }
    }
}

/// What `/search_facility` searched for.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityCriteria {
    pub facility_name: Option<String>,
}

/// An organisation of the NPI tables, display-normalised.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilityHit {
    pub npi: i64,
    pub facility_name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// `GET /search_facility`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacilitySearchAnswer {
    #[schema(example = "Found 1 matching facility(ies)")]
    pub message: String,
    pub search_criteria: FacilityCriteria,
    pub facilities: Vec<FacilityHit>,
    /// More rows matched than `limit`.
    pub truncated: bool,
}

impl FacilitySearchAnswer {
    pub fn new(found: &FacilityHits, criteria: FacilityCriteria) -> Self {
        Self {
            message: format!("Found {} matching facility(ies)", found.hits.len()),
            search_criteria: criteria,
            facilities: found
                .hits
                .iter()
                .map(|h| FacilityHit {
                    npi: h.npi,
                    facility_name: h.facility_name.clone(),
                    address: h.address.clone(),
                    city: h.city.clone(),
                    state: h.state.clone(),
                    zip: h.zip.clone(),
                })
                .collect(),
            truncated: found.truncated,
        }
    }
}

/// `GET /check_npi`: the registry's names (an organisation's name in `first_name`).
#[derive(Debug, Serialize, ToSchema)]
pub struct NpiAnswer {
    /// Echoed as a string.
    #[schema(example = "1234567893")]
    pub npi: String,
    pub first_name: String,
    /// `""` for organisations.
    pub last_name: String,
}

impl From<&NpiCheck> for NpiAnswer {
    fn from(c: &NpiCheck) -> Self {
        Self { npi: c.npi.to_string(), first_name: c.first_name.clone(), last_name: c.last_name.clone() }
    }
}
