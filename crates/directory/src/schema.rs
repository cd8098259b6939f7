//! Schemas of the surgeon and facility request fields (feature `openapi`), from the validators'
//! own limits.

use surgicase_kernel::schema::{
    Presence, SPACE, VISIBLE, WHITE, identifier, line, npi_number, npi_pattern, state_code, zip_code,
};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};

use crate::fields::{ADDR_MAX, CITY_MAX};
use crate::search::{FACILITY_TERM_MIN, SearchLimit, TERM_MAX};

/// `user_id`: the owner, the caller when absent or blank.
pub fn owner() -> Schema {
    identifier(Presence::Clearable)
}

pub fn surgeon_name() -> Schema {
    line(crate::surgeon::NAME_MAX, Presence::Required)
}

pub fn facility_name() -> Schema {
    line(crate::facility::NAME_MAX, Presence::Required)
}

/// An NPI as a JSON integer or a digit string; `0`, zeros or blank mean none.
pub fn npi() -> Schema {
    let none = ObjectBuilder::new().schema_type(SchemaType::new(Type::Integer)).enum_values(Some([0]));
    let text = ObjectBuilder::new()
        .schema_type([Type::String, Type::Null].into_iter().collect::<SchemaType>())
        .pattern(Some(format!("{}|^{WHITE}*0*{WHITE}*$", npi_pattern())));
    OneOfBuilder::new().item(npi_number()).item(none).item(text).into()
}

pub fn addr() -> Schema {
    line(ADDR_MAX, Presence::Clearable)
}

pub fn city() -> Schema {
    line(CITY_MAX, Presence::Clearable)
}

pub fn state() -> Schema {
    state_code(Presence::Clearable)
}

pub fn zip() -> Schema {
    zip_code(Presence::Clearable)
}

/// A search term of `/search_surgeon`: one line, not blank (ten digits are an NPI lookup).
pub fn search_term() -> Schema {
    line(TERM_MAX, Presence::Required)
}

/// `/search_facility`'s term: one line with at least [`FACILITY_TERM_MIN`] characters once
/// trimmed, i.e. a first and a last character that are not blank (ten digits are an NPI lookup).
pub fn facility_term() -> Schema {
    let any = r"[^\x00-\x1F\x7F-\x9F]";
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .min_length(Some(FACILITY_TERM_MIN))
        .max_length(Some(TERM_MAX))
        .pattern(Some(format!(r"^{SPACE}*{VISIBLE}{any}*{VISIBLE}{SPACE}*$")))
        .into()
}

/// `limit` of the searches: 1–200, default 50.
pub fn search_limit() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(SearchLimit::MAX))
        .default(Some(SearchLimit::DEFAULT.get().into()))
        .into()
}
