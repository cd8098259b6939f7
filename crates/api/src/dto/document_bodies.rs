//! The bodies of the document routes (api.md §5): read, documented and checked by one type
//! each (see [`crate::valid`]). What the values mean (document types, file names, the size
//! limit, the content type) is the use case's to judge.

use serde::{Deserialize, Serialize};
use surgicase_app::{MAX_BUNDLE_CASES, UploadRequest};
use surgicase_cases::documents::{DocumentKind, NAME_MAX as FILE_NAME_MAX};
use surgicase_kernel::ids::IDENTIFIER_MAX;
use surgicase_kernel::input::de;
use surgicase_kernel::schema::{NOT_WHITE, WHITE, any_case};
use surgicase_kernel::{DocumentField, Raw, RequestBody, UnknownFields};
use utoipa::ToSchema;
use utoipa::openapi::schema::{
    AllOfBuilder, AnyOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr, SchemaFormat};
use validator::Validate;

use crate::valid::StringItem;

/// `POST /case/document/upload_url`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct CaseUploadUrlBody {
    #[schema(schema_with = surgicase_cases::schema::case_id, required = true)]
    #[validate(required, length(max = IDENTIFIER_MAX))]
    pub case_id: Raw<String>,
    /// `admin_file`: case admins only.
    #[schema(schema_with = case_document_type, required = true)]
    #[validate(required)]
    pub document_type: Raw<String>,
    #[schema(schema_with = surgicase_cases::schema::file_name, required = true)]
    #[validate(required, length(max = FILE_NAME_MAX))]
    pub file_name: Raw<String>,
    #[schema(schema_with = content_type, required = true)]
    #[validate(required)]
    pub content_type: Raw<String>,
    #[schema(schema_with = size_bytes, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required)]
    pub size_bytes: Raw<i64>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

/// `POST /user/document/upload_url`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct UserUploadUrlBody {
    /// The document owner; absent or blank means the caller (another user: UA).
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    /// A type of `/doctypes`.
    #[schema(schema_with = user_document_type, required = true)]
    #[validate(required)]
    pub document_type: Raw<String>,
    #[schema(schema_with = surgicase_cases::schema::file_name, required = true)]
    #[validate(required, length(max = FILE_NAME_MAX))]
    pub file_name: Raw<String>,
    #[schema(schema_with = content_type, required = true)]
    #[validate(required)]
    pub content_type: Raw<String>,
    #[schema(schema_with = size_bytes, required = true)]
    #[serde(deserialize_with = "de::integer")]
    #[validate(required)]
    pub size_bytes: Raw<i64>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

/// The upload as the use case takes it; values of a wrong type were refused before.
fn upload_request(
    document_type: &Raw<String>,
    file_name: &Raw<String>,
    content_type: &Raw<String>,
    size: &Raw<i64>,
) -> UploadRequest {
    let text = |raw: &Raw<String>| raw.value().cloned().unwrap_or_default();
    UploadRequest {
        document_type: text(document_type),
        file_name: text(file_name),
        content_type: text(content_type),
        size_bytes: size.value().copied(),
    }
}

impl CaseUploadUrlBody {
    pub fn request(&self) -> UploadRequest {
        upload_request(&self.document_type, &self.file_name, &self.content_type, &self.size_bytes)
    }
}

impl UserUploadUrlBody {
    pub fn request(&self) -> UploadRequest {
        upload_request(&self.document_type, &self.file_name, &self.content_type, &self.size_bytes)
    }
}

/// `POST /case/document/confirm`, `POST /user/document/confirm`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct ConfirmBody {
    /// As answered by the upload URL route.
    #[schema(schema_with = upload_id, required = true)]
    #[validate(required, custom(function = crate::valid::not_blank))]
    pub upload_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

/// `POST /get_case_images`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(default)]
pub struct CaseImagesBody {
    /// Duplicates are ignored; ids of no active case are skipped.
    #[schema(schema_with = case_ids, required = true)]
    #[validate(required, length(min = 1, max = MAX_BUNDLE_CASES), nested)]
    pub case_ids: Raw<Vec<StringItem>>,
    /// The caller, as legacy clients send it (another user's id: 403 `identity_mismatch`).
    #[schema(schema_with = crate::schema::subject)]
    pub user_id: Raw<String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub unknown: UnknownFields,
}

impl CaseImagesBody {
    /// The listed ids; items of a wrong type were refused before.
    pub fn case_ids(&self) -> Vec<String> {
        self.case_ids.value().into_iter().flatten().filter_map(|item| item.0.clone()).collect()
    }
}

macro_rules! request_body {
    ($($name:ty),*) => {$(
        impl RequestBody for $name {
            fn unknown_fields(&mut self) -> &mut UnknownFields {
                &mut self.unknown
            }
        }
    )*};
}

request_body!(CaseUploadUrlBody, UserUploadUrlBody, ConfirmBody, CaseImagesBody);

/// The body of an upload URL route as documented: its fields, and the rule no field states alone
/// (the content type agrees with the file name's extension, else 415).
macro_rules! upload_url_request {
    ($(#[$doc:meta])* $name:ident = $body:ty) => {
        $(#[$doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                AllOfBuilder::new().item(Ref::from_schema_name(<$body as ToSchema>::name())).item(kinds_agree()).into()
            }
        }

        impl ToSchema for $name {
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                schemas.push((<$body as ToSchema>::name().into_owned(), <$body as utoipa::PartialSchema>::schema()));
                <$body as ToSchema>::schemas(schemas);
            }
        }
    };
}

upload_url_request!(
    /// `POST /case/document/upload_url`.
    CaseUploadUrlRequest = CaseUploadUrlBody
);
upload_url_request!(
    /// `POST /user/document/upload_url`.
    UserUploadUrlRequest = UserUploadUrlBody
);

/// `content_type` and the extension of `file_name` name the same kind of document.
fn kinds_agree() -> Schema {
    let mut any = AnyOfBuilder::new();
    for kind in [DocumentKind::Pdf, DocumentKind::Jpeg, DocumentKind::Png] {
        let extensions: Vec<String> = ["pdf", "jpg", "jpeg", "png"]
            .into_iter()
            .filter(|ext| DocumentKind::from_extension(ext) == Some(kind))
            .map(any_case)
            .collect();
        let name = ObjectBuilder::new()
            .schema_type(SchemaType::AnyValue)
            .pattern(Some(format!(r"\.({})$", extensions.join("|"))));
        any = any.item(
            ObjectBuilder::new()
                .property("content_type", content_type_of(&[kind.content_type()]))
                .property("file_name", name),
        );
    }
    any.into()
}

/// One of the case document fields, exactly.
pub fn case_document_type() -> Schema {
    let names: Vec<&str> = DocumentField::ALL.iter().map(|f| f.as_str()).collect();
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).enum_values(Some(names)).into()
}

/// A user document type: not blank (which types exist is stored data, `/doctypes`).
pub fn user_document_type() -> Schema {
    ObjectBuilder::new().schema_type(SchemaType::new(Type::String)).pattern(Some(NOT_WHITE)).into()
}

/// `application/pdf`, `image/jpeg` or `image/png`, any case, parameters allowed; it must agree
/// with the file name's extension (else 415).
pub fn content_type() -> Schema {
    let kinds = [DocumentKind::Pdf, DocumentKind::Jpeg, DocumentKind::Png].map(DocumentKind::content_type);
    content_type_of(&kinds).schema_type(SchemaType::new(Type::String)).into()
}

/// One of `types`, as `DocumentKind::from_content_type` reads it.
fn content_type_of(types: &[&str]) -> ObjectBuilder {
    let types: Vec<String> = types.iter().map(|t| any_case(t)).collect();
    ObjectBuilder::new()
        .schema_type(SchemaType::AnyValue)
        .pattern(Some(format!(r"^{WHITE}*({}){WHITE}*(;[\s\S]*)?$", types.join("|"))))
}

/// 1 byte to `documents.max_bytes` (the default here; above the configured limit: 413).
pub fn size_bytes() -> Schema {
    let max = surgicase_app::DocumentSettings::default().max_bytes;
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Integer))
        .minimum(Some(1))
        .maximum(Some(max))
        .into()
}

/// An upload id (a UUID).
pub fn upload_id() -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .format(Some(SchemaFormat::Custom("uuid".to_owned())))
        .into()
}

/// 1 to [`MAX_BUNDLE_CASES`] strings.
pub fn case_ids() -> Schema {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(SchemaType::new(Type::String)))
        .min_items(Some(1))
        .max_items(Some(MAX_BUNDLE_CASES))
        .into()
}
