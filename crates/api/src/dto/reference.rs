//! Public reference lists (api.md §4).

use serde::Serialize;
use surgicase_ports::records::{DocTypeRecord, ProcedureCodeRecord, TimezoneRecord};
use utoipa::ToSchema;

/// A procedure code of the master.
#[derive(Debug, Serialize, ToSchema)]
pub struct CptCode {
    #[schema(example = "27447")]
    pub cpt_code: String,
    pub cpt_description: String,
}

/// `GET /cpt_codes`, by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CptCodesAnswer {
    pub cpt_codes: Vec<CptCode>,
}

impl CptCodesAnswer {
    pub fn new(codes: &[ProcedureCodeRecord]) -> Self {
        Self {
            cpt_codes: codes
                .iter()
                .map(|c| CptCode {
                    cpt_code: c.procedure_code.clone(),
                    cpt_description: c.procedure_desc.clone(),
                })
                .collect(),
        }
    }
}

/// A user document type.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocType {
    pub doc_type: String,
}

/// `GET /doctypes`, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocTypesAnswer {
    pub document_types: Vec<DocType>,
}

impl DocTypesAnswer {
    pub fn new(types: &[DocTypeRecord]) -> Self {
        Self { document_types: types.iter().map(|t| DocType { doc_type: t.doc_type.clone() }).collect() }
    }
}

/// A time zone offered to users.
#[derive(Debug, Serialize, ToSchema)]
pub struct Timezone {
    #[schema(example = "America/New_York")]
    pub tz_identifier: String,
    #[schema(example = "UTC-05:00")]
    pub utc_offset: String,
}

/// `GET /timezones`, by identifier.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimezonesAnswer {
    pub timezones: Vec<Timezone>,
}

impl TimezonesAnswer {
    pub fn new(zones: &[TimezoneRecord]) -> Self {
        Self {
            timezones: zones
                .iter()
                .map(|z| Timezone {
                    tz_identifier: z.tz_identifier.clone(),
                    utc_offset: z.utc_offset.clone(),
                })
                .collect(),
        }
    }
}
