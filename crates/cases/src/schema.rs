//! Schemas of the case request fields (feature `openapi`), from the validators' own limits.

use surgicase_kernel::schema::{Presence, date, flag, identifier, line, list, positive_id};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};

use crate::codes::MAX_ENTRIES;
use crate::documents::NAME_MAX as FILE_NAME_MAX;
use crate::patient::{INS_PROVIDER_MAX, NAME_MAX};

pub fn case_id() -> Schema {
    identifier(Presence::Required)
}

/// `POST /case` `user_id`: the owner, the caller when absent or blank.
pub fn owner() -> Schema {
    identifier(Presence::Clearable)
}

/// `PATCH /case` `user_id`: a new owner.
pub fn new_owner() -> Schema {
    identifier(Presence::Optional)
}

pub fn case_date() -> Schema {
    date(Presence::Required)
}

pub fn case_date_change() -> Schema {
    date(Presence::Optional)
}

/// `patient_dob`: `""` means none (POST) or clears it (PATCH).
pub fn patient_dob() -> Schema {
    date(Presence::Clearable)
}

pub fn address_book_id() -> Schema {
    positive_id(Presence::Required)
}

pub fn address_book_id_change() -> Schema {
    positive_id(Presence::Optional)
}

pub fn patient_name() -> Schema {
    line(NAME_MAX, Presence::Required)
}

pub fn patient_name_change() -> Schema {
    line(NAME_MAX, Presence::Optional)
}

pub fn ins_provider() -> Schema {
    line(INS_PROVIDER_MAX, Presence::Required)
}

pub fn ins_provider_change() -> Schema {
    line(INS_PROVIDER_MAX, Presence::Optional)
}

/// One entry of `procedure_codes`: a CPT or HCPCS shape, any case, surrounding blanks ignored
/// (entries the auto-fix map corrects are accepted too, domain §9.3).
fn code_entry() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(r"^\s*([0-9]{5}|[0-9]{4}[FfTt]|[ABCDEGHJKLMPQRSTUVabcdeghjklmpqrstuv][0-9]{4})\s*$"))
}

/// At most [`MAX_ENTRIES`] entries; at most 50 distinct codes remain after de-duplication,
/// which a schema cannot state (domain §9.2).
pub fn procedure_codes() -> Schema {
    list(code_entry(), MAX_ENTRIES, Presence::Optional)
}

/// A document file name (domain §14.2). Letters are any Unicode letters; digits are ASCII.
const FILE_NAME_PATTERN: &str =
    r"^([^\W\d_]|[0-9_()+,'&#-])([^\W\d_]|[0-9 ._()+,'&#-])*\.([Pp][Dd][Ff]|[Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg])$";

/// The file name of an upload (domain §14.2).
pub fn file_name() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .max_length(Some(FILE_NAME_MAX))
        .pattern(Some(FILE_NAME_PATTERN))
        .into()
}

/// A document attached by file name (legacy flow); `""` removes it (PATCH) or attaches
/// nothing (POST).
pub fn document_name() -> Schema {
    let name = ObjectBuilder::new()
        .schema_type([Type::String, Type::Null].into_iter().collect::<SchemaType>())
        .max_length(Some(FILE_NAME_MAX))
        .pattern(Some(FILE_NAME_PATTERN));
    let blank = ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).pattern(Some(r"^\s*$"));
    OneOfBuilder::new().item(name).item(blank).into()
}

pub fn force_duplicate() -> Schema {
    flag()
}
