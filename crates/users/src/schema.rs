//! The schema of the profile body (feature `openapi`), from the field table and each kind's
//! limits: `ProfileInput` as `PATCH /user` reads it, and `NewProfileBody` for `POST /user`,
//! which also requires the e-mail and the names.

use std::borrow::Cow;

use surgicase_kernel::schema::{Presence, date, identifier, line};
use utoipa::openapi::schema::{
    AllOfBuilder, ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::documents::{DOCUMENT_NAME_MAX, DOCUMENT_TYPE_MAX, DOCUMENTS_MAX};
use crate::field::ProfileField;
use crate::input::ProfileInput;
use crate::kind::{
    ADDRESS_MAX, CREDENTIALS_MAX, FieldKind, NAME_MAX, PAGINATION_MAX, REFERRED_BY_MAX, TIMEZONE_MAX,
};

fn string(pattern: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).pattern(Some(pattern))
}

fn nullable(ty: Type) -> SchemaType {
    [ty, Type::Null].into_iter().collect()
}

/// A JSON integer in `min..=max`, or `null`.
fn integer(min: i64, max: i64) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(nullable(Type::Integer)).minimum(Some(min)).maximum(Some(max))
}

/// An integer or its digits as a string (with blanks for a clearable field).
fn digits(min: i64, max: i64, pattern: &str) -> Schema {
    OneOfBuilder::new().item(integer(min, max)).item(string(pattern)).into()
}

/// The schema of one field as `PATCH /user` reads it (`null` leaves it unchanged).
fn field_schema(kind: FieldKind) -> Schema {
    let blank = r"^\s*$";
    match kind {
        FieldKind::Email => ObjectBuilder::new()
            .schema_type(nullable(Type::String))
            .min_length(Some(3))
            .max_length(Some(250))
            // The reader's rule: no space or control character, one `@`, a dotted domain
            // without empty labels.
            .pattern(Some(r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f]+(\.[^@\s.\x00-\x1f\x7f-\x9f]+)+\s*$"))
            .into(),
        FieldKind::Name => line(NAME_MAX, Presence::Optional),
        FieldKind::Address => line(ADDRESS_MAX, Presence::Clearable),
        FieldKind::ReferredBy => line(REFERRED_BY_MAX, Presence::Clearable),
        FieldKind::Timezone => line(TIMEZONE_MAX, Presence::Clearable),
        FieldKind::Credentials => line(CREDENTIALS_MAX, Presence::Clearable),
        FieldKind::State => OneOfBuilder::new()
            .item(string(r"^\s*[A-Za-z]{2}\s*$").schema_type(nullable(Type::String)))
            .item(string(blank))
            .into(),
        FieldKind::StatesLicensed => string(r"^[\sA-Za-z,]*$").schema_type(nullable(Type::String)).into(),
        // A ZIP sent as a number has five digits: 1234 is not 01234.
        FieldKind::Zip => digits(10_000, 99_999, r"^\s*([0-9]{5}(-[0-9]{4})?)?\s*$"),
        FieldKind::Telephone => digits(1_000_000_000, 19_999_999_999, r"^[\s()+.0-9-]*$"),
        FieldKind::Npi => digits(1_000_000_000, 2_999_999_999, r"^\s*([12][0-9]{9})?\s*$"),
        FieldKind::MessagePref => digits(0, 3, r"^\s*0*[0-3]\s*$"),
        FieldKind::Date => date(Presence::Clearable),
        FieldKind::Pagination => {
            OneOfBuilder::new().item(integer(1, PAGINATION_MAX)).item(string(blank)).into()
        }
        FieldKind::Documents => documents(),
        FieldKind::UserType => integer(1, 9999).into(),
        FieldKind::Tier => integer(1, i64::from(crate::tier::TIER_MAX)).into(),
        FieldKind::Cap => integer(0, 999).into(),
        FieldKind::Active => OneOfBuilder::new()
            // `null` leaves it unchanged, so the enum lists it beside 1.
            .item(ObjectBuilder::new().schema_type(nullable(Type::Integer)).enum_values(Some([Some(1), None])))
            .item(ObjectBuilder::new().schema_type(SchemaType::new(Type::Boolean)).enum_values(Some([true])))
            .into(),
    }
}

fn documents() -> Schema {
    let item = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Object))
        .property("document_type", line(DOCUMENT_TYPE_MAX, Presence::Required))
        .property("document_name", line(DOCUMENT_NAME_MAX, Presence::Clearable))
        .required("document_type");
    ArrayBuilder::new().schema_type(nullable(Type::Array)).items(item).max_items(Some(DOCUMENTS_MAX)).into()
}

impl PartialSchema for ProfileInput {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Object))
            .description(Some(
                "A profile: `user_id` names it; `null` leaves a field unchanged, `\"\"` clears an \
                 optional one. Role fields (`user_type`, `user_tier`, `max_case_status`, `active`) \
                 need a user admin.",
            ))
            .property("user_id", identifier(Presence::Required))
            .required("user_id");
        for field in ProfileField::ALL {
            object = object.property(field.as_str(), field_schema(field.kind()));
        }
        object.into()
    }
}

impl ToSchema for ProfileInput {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ProfileBody")
    }
}

/// `POST /user`: a [`ProfileInput`] with the e-mail and names required (not `null`, not blank).
pub struct NewProfileBody;

impl PartialSchema for NewProfileBody {
    fn schema() -> RefOr<Schema> {
        let mut required = ObjectBuilder::new().schema_type(SchemaType::new(Type::Object));
        for field in ProfileField::ALL.iter().filter(|f| f.kind().is_required()) {
            let schema = match field.kind() {
                FieldKind::Name => line(NAME_MAX, Presence::Required),
                _ => ObjectBuilder::new()
                    .schema_type(SchemaType::new(Type::String))
                    // The reader's rule: no space or control character, one `@`, a dotted domain
            // without empty labels.
            .pattern(Some(r"^\s*[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s.\x00-\x1f\x7f-\x9f]+(\.[^@\s.\x00-\x1f\x7f-\x9f]+)+\s*$"))
                    .into(),
            };
            required = required.property(field.as_str(), schema).required(field.as_str());
        }
        // A new user is active: `active` is not part of a creation.
        required = required.property("active", ObjectBuilder::new().schema_type(SchemaType::new(Type::Null)));
        AllOfBuilder::new().item(Ref::from_schema_name(ProfileInput::name())).item(required).into()
    }
}

impl ToSchema for NewProfileBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NewProfileBody")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((ProfileInput::name().into_owned(), ProfileInput::schema()));
    }
}
