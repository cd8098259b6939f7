//! Validation of `POST /surgeon` (api.md §4, domain §3.3).

use serde::{Deserialize, Serialize};
use surgicase_kernel::input::de;
use surgicase_kernel::text::person_name;
use surgicase_kernel::{Npi, RequestBody, UnknownFields, UserId, ValidationErrors};

use crate::fields::{Location, LocationInput, location};
use crate::input::{Raw, optional, required};

/// Longest surgeon first or last name, after normalisation.
pub const NAME_MAX: usize = 100;

/// The body of `POST /surgeon` as received: every field as sent, read without failing (wrong
/// JSON types are reported by [`NewSurgeon::validate`] with every other problem).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = SurgeonBody))]
#[serde(default)]
pub struct SurgeonInput {
    /// The owner; absent or blank means the caller (acting on another user needs CA).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::owner))]
    pub user_id: Raw<String>,
    /// Normalised per domain §12.1.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::surgeon_name, required = true))]
    pub first_name: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::surgeon_name, required = true))]
    pub last_name: Raw<String>,
    /// Decimal text of a JSON number or a digit string; `0` or blank means none.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::npi))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub surgeon_npi: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::addr))]
    pub surgeon_addr: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::city))]
    pub surgeon_city: Raw<String>,
    /// A USPS state code, stored upper-case.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::state))]
    pub surgeon_state: Raw<String>,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::zip))]
    #[serde(deserialize_with = "de::text_or_number")]
    pub surgeon_zip: Raw<String>,
    #[serde(skip)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub unknown: UnknownFields,
}

impl RequestBody for SurgeonInput {
    fn unknown_fields(&mut self) -> &mut UnknownFields {
        &mut self.unknown
    }
}

/// A validated new surgeon (the owner's uniqueness by NPI is the use case's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSurgeon {
    /// `None`: the actor.
    pub owner: Option<UserId>,
    /// Normalised per domain §12.1.
    pub first_name: String,
    pub last_name: String,
    pub npi: Option<Npi>,
    /// Trimmed and collapsed.
    pub addr: Option<String>,
    pub city: Option<String>,
    /// Upper-case USPS code.
    pub state: Option<String>,
    pub zip: Option<String>,
}

impl NewSurgeon {
    /// Validates every field and reports all problems together, under the API field names.
    pub fn validate(input: &SurgeonInput) -> Result<NewSurgeon, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        input.unknown.report(&mut errors);
        let owner = optional(&mut errors, "user_id", &input.user_id, UserId::parse);
        let first = required(&mut errors, "first_name", &input.first_name, |s| person_name(s, NAME_MAX));
        let last = required(&mut errors, "last_name", &input.last_name, |s| person_name(s, NAME_MAX));
        let place = location(
            &mut errors,
            &LocationInput {
                prefix: "surgeon",
                npi: &input.surgeon_npi,
                addr: &input.surgeon_addr,
                city: &input.surgeon_city,
                state: &input.surgeon_state,
                zip: &input.surgeon_zip,
            },
        );
        match (owner, first, last, place) {
            (
                Some(owner),
                Some(first_name),
                Some(last_name),
                Some(Location { npi, addr, city, state, zip }),
            ) if errors.is_empty() => {
                Ok(NewSurgeon { owner, first_name, last_name, npi, addr, city, state, zip })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    fn errors_of(input: &SurgeonInput) -> Vec<(String, FieldCode)> {
        match NewSurgeon::validate(input) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|e| (e.field.clone(), e.code)).collect(),
        }
    }

    #[test]
    fn a_full_surgeon() {
        let input = SurgeonInput {
            first_name: " JOHN ".into(),
            last_name: "mcdonald".into(),
            surgeon_npi: "1234567893".into(),
            surgeon_addr: " 12  Main St ".into(),
            surgeon_city: "Springfield".into(),
            surgeon_state: "il".into(),
            surgeon_zip: "62701-1234".into(),
            ..SurgeonInput::default()
        };
        let s = NewSurgeon::validate(&input).unwrap();
        assert_eq!(s.owner, None);
        assert_eq!((s.first_name.as_str(), s.last_name.as_str()), ("John", "McDonald"));
        assert_eq!(s.npi.map(Npi::get), Some(1_234_567_893));
        assert_eq!(s.addr.as_deref(), Some("12 Main St"));
        assert_eq!(s.city.as_deref(), Some("Springfield"));
        assert_eq!(s.state.as_deref(), Some("IL"));
        assert_eq!(s.zip.as_deref(), Some("62701-1234"));
    }

    #[test]
    fn optional_fields_may_be_absent_blank_or_zero() {
        let input = SurgeonInput {
            user_id: "u-jane".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            surgeon_npi: "0".into(),
            surgeon_addr: "".into(),
            surgeon_state: " ".into(),
            ..SurgeonInput::default()
        };
        let s = NewSurgeon::validate(&input).unwrap();
        assert_eq!(s.owner.as_ref().map(UserId::as_str), Some("u-jane"));
        assert_eq!((s.npi, s.addr, s.city, s.state, s.zip), (None, None, None, None, None));
    }

    #[test]
    fn all_errors_are_collected() {
        let input = SurgeonInput {
            user_id: "bad id".into(),
            first_name: Raw::Absent,
            last_name: "x".repeat(101).as_str().into(),
            surgeon_npi: "1234567890".into(),
            surgeon_addr: "a".repeat(101).as_str().into(),
            surgeon_city: "c".repeat(51).as_str().into(),
            surgeon_state: "XX".into(),
            surgeon_zip: Raw::WrongType,
            unknown: UnknownFields::new(vec!["extra".to_owned()]),
        };
        let s = |f: &str, c| (f.to_owned(), c);
        assert_eq!(
            errors_of(&input),
            vec![
                s("extra", FieldCode::UnknownField),
                s("user_id", FieldCode::InvalidCharacters),
                s("first_name", FieldCode::Required),
                s("last_name", FieldCode::TooLong),
                s("surgeon_npi", FieldCode::InvalidNpi),
                s("surgeon_addr", FieldCode::TooLong),
                s("surgeon_city", FieldCode::TooLong),
                s("surgeon_state", FieldCode::InvalidFormat),
                s("surgeon_zip", FieldCode::InvalidType),
            ]
        );
        let blank_names =
            SurgeonInput { first_name: " ".into(), last_name: "a\u{7}".into(), ..SurgeonInput::default() };
        assert_eq!(
            errors_of(&blank_names),
            vec![s("first_name", FieldCode::Required), s("last_name", FieldCode::InvalidCharacters)]
        );
        let bad_zip = SurgeonInput {
            first_name: "A".into(),
            last_name: "B".into(),
            surgeon_zip: "1234".into(),
            ..SurgeonInput::default()
        };
        assert_eq!(errors_of(&bad_zip), vec![s("surgeon_zip", FieldCode::InvalidFormat)]);
    }
}
