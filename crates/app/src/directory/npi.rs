//! `GET /check_npi`: check digit first, then the registry (domain §11).

use surgicase_directory::{display_facility_name, display_person_name};
use surgicase_kernel::{FieldCode, FieldError, Npi};
use surgicase_ports::NpiKind;

use crate::App;
use crate::error::{AppError, Missing};

/// The registry's answer, names display-normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NpiCheck {
    pub npi: Npi,
    /// The person's first name, or the organisation's name.
    pub first_name: String,
    /// The person's last name; `""` for organisations.
    pub last_name: String,
}

impl App {
    pub async fn check_npi(&self, raw: &str, facility: bool) -> Result<NpiCheck, AppError> {
        let npi = Npi::parse(raw).map_err(|e| {
            let code = if raw.trim().is_empty() { FieldCode::Required } else { FieldCode::InvalidNpi };
            AppError::invalid(FieldError::new("npi", code, e.message))
        })?;
        let entry =
            self.npi.lookup(npi).await?.ok_or_else(|| AppError::not_found(Missing::Npi, npi.to_string()))?;
        match (entry.kind, facility) {
            (NpiKind::Organization, true) => Ok(NpiCheck {
                npi,
                first_name: entry.organization_name.as_deref().map(display_facility_name).unwrap_or_default(),
                last_name: String::new(),
            }),
            (NpiKind::Individual, false) => Ok(NpiCheck {
                npi,
                first_name: entry.first_name.as_deref().map(display_person_name).unwrap_or_default(),
                last_name: entry.last_name.as_deref().map(display_person_name).unwrap_or_default(),
            }),
            (NpiKind::Organization, false) => {
                Err(AppError::NpiWrongEntityType { npi: npi.to_string(), expected: "an individual" })
            }
            (NpiKind::Individual, true) => {
                Err(AppError::NpiWrongEntityType { npi: npi.to_string(), expected: "an organisation" })
            }
        }
    }
}
