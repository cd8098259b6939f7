//! Schemas of the shell's own parameters (paging, query flags), from the limits their readers
//! use (`query.rs`).

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};

use crate::query::MAX_LIMIT;

/// Parameter schemas as types, for `#[param(value_type = …, inline)]`: utoipa drops `required`
/// and the description of a parameter whose schema comes from `schema_with`.
macro_rules! param_schemas {
    ($($(#[$doc:meta])* $name:ident = $schema:path;)*) => {$(
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $schema().into()
            }
        }

        impl utoipa::ToSchema for $name {}
    )*};
}
pub(crate) use param_schemas;

param_schemas! {
    /// `limit` of a list.
    LimitParam = limit;
    /// `offset` of a list.
    OffsetParam = offset;
    /// A query flag.
    FlagParam = query_flag;
    /// A `user_id` naming the data subject.
    SubjectParam = subject;
    /// A status filter.
    StatusFilterParam = status_filter;
    /// A database id.
    IdParam = id;
    /// An NPI.
    NpiParam = npi;
    /// A required `user_id` naming a user.
    UserIdParam = user_id;
    /// A case id.
    CaseIdParam = surgicase_cases::schema::case_id;
    /// An optional date bound.
    DateParam = date_bound;
}

pub fn limit() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(MAX_LIMIT))
        .into()
}

pub fn offset() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(0))
        .maximum(Some(i64::MAX))
        .into()
}

/// A query flag: `true`, `false`, `1` or `0`, any case.
pub fn query_flag() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some("^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|1|0)$"))
        .into()
}

/// A `user_id` naming the data subject: absent or blank means the caller.
pub fn subject() -> Schema {
    surgicase_kernel::schema::identifier(surgicase_kernel::schema::Presence::Clearable)
}

/// A status filter: blank, `all` (any case), or comma-separated status codes (0–999).
pub fn status_filter() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(r"^\s*(|[Aa][Ll][Ll]|[0-9]{1,3}(\s*,\s*[0-9]{1,3})*)\s*$"))
        .into()
}

/// A required `user_id` naming a user.
pub fn user_id() -> Schema {
    surgicase_kernel::schema::identifier(surgicase_kernel::schema::Presence::Required)
}

/// A database id in the query (`surgeon_id`, `facility_id`).
pub fn id() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(surgicase_kernel::ids::ID_MAX))
        .into()
}

/// An NPI to check: ten digits starting with 1 or 2 (and a valid check digit).
pub fn npi() -> Schema {
    surgicase_kernel::schema::npi_text()
}

/// An optional date bound `YYYY-MM-DD` (blank: no bound); the day must exist.
pub fn date_bound() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .pattern(Some(format!("^({})?$", surgicase_kernel::schema::DATE)))
        .into()
}
