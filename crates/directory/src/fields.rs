//! Field rules shared by surgeons and facilities.

use surgicase_kernel::text::{optional_line, state, zip};
use surgicase_kernel::{Npi, ValidationErrors, ValueError};

use crate::input::{Raw, optional, present};

/// Longest street address.
pub const ADDR_MAX: usize = 100;
/// Longest city.
pub const CITY_MAX: usize = 50;

/// An optional NPI given as a number or digit string: blank or `0` means none.
pub fn optional_npi(raw: &str) -> Result<Option<Npi>, ValueError> {
    let s = raw.trim();
    if s.is_empty() || (s.bytes().all(|b| b == b'0')) {
        return Ok(None);
    }
    Npi::parse(s).map(Some)
}

/// The optional contact fields of a surgeon or facility, validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub npi: Option<Npi>,
    pub addr: Option<String>,
    pub city: Option<String>,
    /// Upper-case USPS code.
    pub state: Option<String>,
    pub zip: Option<String>,
}

/// The raw optional fields and the API names they came from (`<prefix>_npi`, …).
pub(crate) struct LocationInput<'a> {
    pub prefix: &'a str,
    pub npi: &'a Raw<String>,
    pub addr: &'a Raw<String>,
    pub city: &'a Raw<String>,
    pub state: &'a Raw<String>,
    pub zip: &'a Raw<String>,
}

/// Validates the optional fields; `None` means an error was recorded.
pub(crate) fn location(errors: &mut ValidationErrors, input: &LocationInput<'_>) -> Option<Location> {
    let name = |suffix: &str| format!("{}_{suffix}", input.prefix);
    let npi = present(errors, &name("npi"), input.npi, optional_npi);
    // A blank line still counts against the limit, as the schema's `maxLength` says.
    let addr = present(errors, &name("addr"), input.addr, |s| optional_line(s, ADDR_MAX));
    let city = present(errors, &name("city"), input.city, |s| optional_line(s, CITY_MAX));
    let state = optional(errors, &name("state"), input.state, state);
    let zip = optional(errors, &name("zip"), input.zip, zip);
    Some(Location { npi: npi?, addr: addr?, city: city?, state: state?, zip: zip? })
}

#[cfg(test)]
mod tests {
    use surgicase_kernel::FieldCode;

    use super::*;

    #[test]
    fn optional_npis() {
        let table: &[(&str, Result<Option<u64>, FieldCode>)] = &[
            ("", Ok(None)),
            ("0", Ok(None)),
            (" 1234567893 ", Ok(Some(1_234_567_893))),
            ("1234567890", Err(FieldCode::InvalidNpi)),
            ("123", Err(FieldCode::InvalidNpi)),
            ("abc", Err(FieldCode::InvalidNpi)),
        ];
        for (raw, expected) in table {
            assert_eq!(optional_npi(raw).map(|n| n.map(Npi::get)).map_err(|e| e.code), *expected, "{raw:?}");
        }
    }
}
