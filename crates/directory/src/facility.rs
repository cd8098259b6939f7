//! Validation of `POST /facility` (api.md §4, domain §3.3).

use serde::{Deserialize, Serialize};
use surgicase_kernel::input::de;
use surgicase_kernel::text::required_line;
use surgicase_kernel::{Npi, RequestBody, UnknownFields, UserId, ValidationErrors};

use crate::fields::{Location, LocationInput, location};
use crate::input::{Raw, optional, required};

/// Longest facility name.
pub const NAME_MAX: usize = 1000;

/// The body of `POST /facility` as received: every field as sent, read without failing (wrong
/// JSON types are reported by [`NewFacility::validate`] with every other problem).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = FacilityBody))]
#[serde(default)]
pub struct FacilityInput {
    /// The owner; absent or blank means the caller (acting on another user needs CA).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::owner))]
    pub user_id: Raw<String>,
    /// Stored as entered: trimmed and collapsed (domain §12.2).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::facility_name, required = true))]
    pub facility_name: Raw<String>,
    /// Decimal text of a JSON number or a digit string; `0` or blank means none.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::npi))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub facility_npi: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::addr))]
    pub facility_addr: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::city))]
    pub facility_city: Raw<String>,
    /// A USPS state code, stored upper-case.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::state))]
    pub facility_state: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::zip))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub facility_zip: Raw<String>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: UnknownFields,
}

impl RequestBody for FacilityInput {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

/// A validated new facility (the owner's uniqueness by NPI is the use case's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFacility {
    /// `None`: the actor.
    pub owner: Option<UserId>,
    /// Stored as entered: trimmed and collapsed (domain §12.2).
    pub name: String,
    pub npi: Option<Npi>,
    pub addr: Option<String>,
    pub city: Option<String>,
    /// Upper-case USPS code.
    pub state: Option<String>,
    pub zip: Option<String>,
}

impl NewFacility {
    /// Validates every field and reports all problems together, under the API field names.
    pub fn validate(input: &FacilityInput) -> Result<NewFacility, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        input.unknown.report(&mut errors);
        let owner = optional(&mut errors, "user_id", &input.user_id, UserId::parse);
        let name =
            required(&mut errors, "facility_name", &input.facility_name, |s| required_line(s, NAME_MAX));
        let place = location(
            &mut errors,
            &LocationInput {
                prefix: "facility",
                npi: &input.facility_npi,
                addr: &input.facility_addr,
                city: &input.facility_city,
                state: &input.facility_state,
                zip: &input.facility_zip,
            },
        );
        match (owner, name, place) {
            (Some(owner), Some(name), Some(Location { npi, addr, city, state, zip }))
                if errors.is_empty() =>
            {
                Ok(NewFacility { owner, name, npi, addr, city, state, zip })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    fn errors_of(input: &FacilityInput) -> Vec<(String, FieldCode)> {
        match NewFacility::validate(input) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| (e.field.clone(), e.code)).collect(),
        }
    }

    #[test]
    fn names_are_stored_as_entered() {
        let input = FacilityInput {
            facility_name: "  ST. MARY'S   hospital (NORTH) ".into(),
            facility_npi: "1003000126".into(),
            facility_state: "ny".into(),
            ..FacilityInput::default()
        };
        let f = NewFacility::validate(&input).unwrap();
        assert_eq!(f.name, "ST. MARY'S hospital (NORTH)");
        assert_eq!(f.npi.map(Npi::get), Some(1_003_000_126));
        assert_eq!(f.state.as_deref(), Some("NY"));
    }

    #[test]
    fn field_rules() {
        let long_name = "n".repeat(1001);
        let ok_name = "n".repeat(1000);
        let table: &[(FacilityInput, &[(&str, FieldCode)])] = &[
            (FacilityInput { facility_name: ok_name.as_str().into(), ..FacilityInput::default() }, &[]),
            (
                FacilityInput { facility_name: long_name.as_str().into(), ..FacilityInput::default() },
                &[("facility_name", FieldCode::TooLong)],
            ),
            (FacilityInput::default(), &[("facility_name", FieldCode::Required)]),
            (
                FacilityInput { facility_name: "  ".into(), ..FacilityInput::default() },
                &[("facility_name", FieldCode::Required)],
            ),
            (
                FacilityInput {
                    facility_name: "A".into(),
                    facility_npi: "2234567890".into(),
                    facility_addr: "a".repeat(101).as_str().into(),
                    facility_city: "c".repeat(51).as_str().into(),
                    facility_state: "ZZ".into(),
                    facility_zip: "ABCDE".into(),
                    ..FacilityInput::default()
                },
                &[
                    ("facility_npi", FieldCode::InvalidNpi),
                    ("facility_addr", FieldCode::TooLong),
                    ("facility_city", FieldCode::TooLong),
                    ("facility_state", FieldCode::InvalidFormat),
                    ("facility_zip", FieldCode::InvalidFormat),
                ],
            ),
            (
                FacilityInput {
                    facility_name: Raw::WrongType,
                    facility_npi: Raw::WrongType,
                    ..FacilityInput::default()
                },
                &[("facility_name", FieldCode::InvalidType), ("facility_npi", FieldCode::InvalidType)],
            ),
        ];
        for (i, (input, expected)) in table.iter().enumerate() {
            let expected: Vec<_> = expected.iter().map(|(f, c)| ((*f).to_owned(), *c)).collect();
            assert_eq!(errors_of(input), expected, "row {i}");
        }
    }
}
