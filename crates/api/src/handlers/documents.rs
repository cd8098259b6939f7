//! Documents (api.md §5): upload URLs, the direct upload, confirmation, download and removal of
//! case and user documents, and several cases' documents as one streamed ZIP.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Deserialize;
use surgicase_app::{DocumentBody, DocumentDownload};
use surgicase_kernel::{Raw, ValidationErrors};
use utoipa::{IntoParams, ToSchema};

use super::subject_of;
use crate::dto::document_bodies::{
    CaseImagesBody, CaseUploadUrlBody, CaseUploadUrlRequest, ConfirmBody, UserUploadUrlBody,
    UserUploadUrlRequest, case_document_type, upload_id, user_document_type,
};
use crate::dto::documents::{
    CaseDocumentConfirmedAnswer, CaseDocumentRemovedAnswer, DocumentLinkAnswer, UploadReceivedAnswer,
    UploadUrlAnswer, UserDocumentConfirmedAnswer, UserDocumentRemovedAnswer,
};
use crate::dto::errors::ErrorBody;
use crate::errors::ApiError;
use crate::identity::Authed;
use crate::query::{self, Query};
use crate::{ApiResult, RawBody, Valid, respond, zip_stream};

/// Ask where to upload a case document.
#[utoipa::path(
    post,
    path = "/case/document/upload_url",
    tag = "documents",
    description = "Access: owner while below 15, or CA; admin_file CA only. Records an upload (15 min) \
                   and answers a presigned PUT (S3) or the direct upload route (local store).",
    request_body(content = CaseUploadUrlRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Upload recorded", body = UploadUrlAnswer),
        (status = 403, description = "forbidden_field (admin_file)", body = ErrorBody),
        (status = 404, description = "case_not_found", body = ErrorBody),
        (status = 409, description = "case_locked", body = ErrorBody),
        (status = 413, description = "payload_too_large (size_bytes)", body = ErrorBody),
        (status = 415, description = "unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn case_upload_url(Valid(body): Valid<CaseUploadUrlBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let case_id = query::text(&body.case_id);
    let ticket = auth.state.app.case_upload_url(&auth.ctx, case_id, &body.request()).await?;
    respond::created(&UploadUrlAnswer::from(&ticket))
}

/// Ask where to upload a user document.
#[utoipa::path(
    post,
    path = "/user/document/upload_url",
    tag = "documents",
    description = "Access: user for themselves; acting on another user (body user_id): UA.",
    request_body(content = UserUploadUrlRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Upload recorded", body = UploadUrlAnswer),
        (status = 404, description = "user_not_found", body = ErrorBody),
        (status = 413, description = "payload_too_large (size_bytes)", body = ErrorBody),
        (status = 415, description = "unsupported_document_type", body = ErrorBody),
        (status = 422, description = "validation_failed (unknown_document_type, …)", body = ErrorBody),
    )
)]
pub async fn user_upload_url(Valid(body): Valid<UserUploadUrlBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let owner = subject_of(&body.user_id)?;
    let ticket = auth.state.app.user_upload_url(&auth.ctx, owner.as_ref(), &body.request()).await?;
    respond::created(&UploadUrlAnswer::from(&ticket))
}

/// Send the bytes of an upload (local store only).
#[utoipa::path(
    put,
    path = "/document_upload/{upload_id}",
    tag = "documents",
    description = "Access: the user who created the upload. The raw bytes with the declared \
                   Content-Type; read up to documents.max_bytes. With S3 the route answers 404.",
    params(UploadPath),
    request_body(content(
        (DocumentBytes = "application/pdf"),
        (DocumentBytes = "image/jpeg"),
        (DocumentBytes = "image/png"),
    )),
    responses(
        (status = 200, description = "Stored", body = UploadReceivedAnswer),
        (status = 404, description = "upload_not_found", body = ErrorBody),
        (status = 409, description = "upload_already_received", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_document_type", body = ErrorBody),
        (status = 422, description = "empty_document, size different from the declared one", body = ErrorBody),
    )
)]
pub async fn direct_upload(
    req: HttpRequest,
    path: web::Path<UploadPath>,
    auth: Authed,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    // Read only once the caller is known, as a `RawBody`: a declared Content-Length over the
    // route's limit is refused before reading, and the read stops as soon as the limit is passed.
    let RawBody(bytes) = RawBody::from_request(&req, &mut payload.into_inner()).await?;
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    // The buffer is handed over, not copied (its only owner is this request).
    let received =
        auth.state.app.receive_upload(&auth.ctx, &path.upload_id, content_type, Vec::from(bytes)).await?;
    respond::ok(&UploadReceivedAnswer::from(&received))
}

/// The path of `PUT /document_upload/{upload_id}`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct UploadPath {
    /// As answered by the upload URL route.
    #[param(value_type = UploadIdParam, inline)]
    pub upload_id: String,
}

/// The bytes of a document.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct DocumentBytes(pub Vec<u8>);

/// Attach an uploaded case document.
#[utoipa::path(
    post,
    path = "/case/document/confirm",
    tag = "documents",
    description = "Access: as for the upload URL. Reads and validates the object, then in one \
                   transaction sets the document, replaces the previous one and re-runs the rules.",
    request_body(content = ConfirmBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Attached", body = CaseDocumentConfirmedAnswer),
        (status = 404, description = "upload_not_found", body = ErrorBody),
        (status = 409, description = "upload_already_confirmed, case_locked", body = ErrorBody),
        (status = 413, description = "payload_too_large", body = ErrorBody),
        (status = 415, description = "unsupported_document_type", body = ErrorBody),
        (status = 422, description = "document_missing, empty_document", body = ErrorBody),
    )
)]
pub async fn case_confirm(Valid(body): Valid<ConfirmBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let attached = auth.state.app.confirm_case_upload(&auth.ctx, query::text(&body.upload_id)).await?;
    respond::ok(&CaseDocumentConfirmedAnswer::from(&attached))
}

/// Attach an uploaded user document.
#[utoipa::path(
    post,
    path = "/user/document/confirm",
    tag = "documents",
    description = "Access: as for the upload URL.",
    request_body(content = ConfirmBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Attached", body = UserDocumentConfirmedAnswer),
        (status = 404, description = "upload_not_found, user_not_found", body = ErrorBody),
        (status = 409, description = "upload_already_confirmed", body = ErrorBody),
        (status = 415, description = "unsupported_document_type", body = ErrorBody),
        (status = 422, description = "document_missing, empty_document", body = ErrorBody),
    )
)]
pub async fn user_confirm(Valid(body): Valid<ConfirmBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let attached = auth.state.app.confirm_user_upload(&auth.ctx, query::text(&body.upload_id)).await?;
    respond::ok(&UserDocumentConfirmedAnswer::from(&attached))
}

/// `Content-Disposition: attachment; filename="…"` for a file name: quotes, backslashes, control
/// and non-ASCII characters become `_`, so the name can neither end the quoted string nor break
/// the header.
fn attachment(file_name: &str) -> String {
    let safe: String = file_name
        .chars()
        .map(|c| if c == '"' || c == '\\' || c.is_control() || !c.is_ascii() { '_' } else { c })
        .collect();
    format!("attachment; filename=\"{safe}\"")
}

/// The answer of a download: 307 (or 200 JSON with `redirect=false`) to a presigned GET, or
/// the bytes.
fn download(doc: DocumentDownload, redirect: bool) -> ApiResult<HttpResponse> {
    match doc.body {
        DocumentBody::Redirect { url, expires_at } => {
            if !redirect {
                return respond::ok(&DocumentLinkAnswer::new(&url, expires_at, &doc.info));
            }
            let location =
                HeaderValue::from_str(&url).map_err(|_| ApiError::internal("unusable presigned URL"))?;
            let mut res = HttpResponse::build(StatusCode::TEMPORARY_REDIRECT).finish();
            res.headers_mut().insert(header::LOCATION, location);
            Ok(res)
        }
        DocumentBody::Bytes(bytes) => {
            let content_type =
                doc.info.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_owned());
            let sha = doc.info.sha256.clone().unwrap_or_default();
            Ok(HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header((header::CONTENT_DISPOSITION, attachment(&doc.info.file_name)))
                .insert_header(("X-Checksum-SHA256", sha))
                .body(bytes))
        }
    }
}

/// Download a case document.
#[utoipa::path(
    get,
    path = "/case/document",
    tag = "documents",
    description = "Access: owner or CA. S3: 307 to a presigned GET valid 5 minutes (redirect=false: \
                   200 JSON). Local store: 200 with the bytes, Content-Disposition and X-Checksum-SHA256.",
    params(CaseDocumentQuery),
    responses(
        (status = 200, description = "The bytes (local store) or the link (redirect=false)", content(
            (DocumentLinkAnswer = "application/json"),
            (DocumentBytes = "application/pdf"),
            (DocumentBytes = "image/jpeg"),
            (DocumentBytes = "image/png"),
        )),
        (status = 307, description = "Redirect to a presigned GET"),
        (status = 404, description = "case_not_found, document_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn get_case_document(Query(q): Query<CaseDocumentQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let redirect = redirect(&q.redirect)?;
    let doc = auth
        .state
        .app
        .case_document(&auth.ctx, query::text(&q.case_id), query::text(&q.document_type))
        .await?;
    download(doc, redirect)
}

/// `redirect` (default true).
fn redirect(raw: &Raw<String>) -> ApiResult<bool> {
    let mut errors = ValidationErrors::new();
    let redirect = query::flag(&mut errors, "redirect", raw).unwrap_or(true);
    Ok(errors.into_result(redirect)?)
}

/// Download a user document.
#[utoipa::path(
    get,
    path = "/user/document",
    tag = "documents",
    description = "Access: user for themselves; acting on another user: UA.",
    params(UserDocumentQuery),
    responses(
        (status = 200, description = "The bytes (local store) or the link (redirect=false)", content(
            (DocumentLinkAnswer = "application/json"),
            (DocumentBytes = "application/pdf"),
            (DocumentBytes = "image/jpeg"),
            (DocumentBytes = "image/png"),
        )),
        (status = 307, description = "Redirect to a presigned GET"),
        (status = 404, description = "user_not_found, document_not_found", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn get_user_document(Query(q): Query<UserDocumentQuery>, auth: Authed) -> ApiResult<HttpResponse> {
    let redirect = redirect(&q.redirect)?;
    let owner = subject_of(&q.user_id)?;
    let doc = auth.state.app.user_document(&auth.ctx, owner.as_ref(), query::text(&q.document_type)).await?;
    download(doc, redirect)
}

/// Remove a case document.
#[utoipa::path(
    delete,
    path = "/case/document",
    tag = "documents",
    description = "Access: owner while below 15, or CA; admin_file CA only. The object is archived \
                   after the commit; the rules run again.",
    params(CaseDocumentQuery),
    responses(
        (status = 200, description = "Removed", body = CaseDocumentRemovedAnswer),
        (status = 403, description = "forbidden_field (admin_file)", body = ErrorBody),
        (status = 404, description = "case_not_found, document_not_found", body = ErrorBody),
        (status = 409, description = "case_locked", body = ErrorBody),
    )
)]
pub async fn delete_case_document(
    Query(q): Query<CaseDocumentQuery>,
    auth: Authed,
) -> ApiResult<HttpResponse> {
    let (case_id, document_type) = (query::text(&q.case_id), query::text(&q.document_type));
    let removed = auth.state.app.remove_case_document(&auth.ctx, case_id, document_type).await?;
    respond::ok(&CaseDocumentRemovedAnswer::from(&removed))
}

/// Remove a user document.
#[utoipa::path(
    delete,
    path = "/user/document",
    tag = "documents",
    description = "Access: user for themselves; acting on another user: UA.",
    params(UserDocumentQuery),
    responses(
        (status = 200, description = "Removed", body = UserDocumentRemovedAnswer),
        (status = 404, description = "user_not_found, document_not_found", body = ErrorBody),
    )
)]
pub async fn delete_user_document(
    Query(q): Query<UserDocumentQuery>,
    auth: Authed,
) -> ApiResult<HttpResponse> {
    let owner = subject_of(&q.user_id)?;
    let document_type = query::text(&q.document_type);
    let removed = auth.state.app.remove_user_document(&auth.ctx, owner.as_ref(), document_type).await?;
    respond::ok(&UserDocumentRemovedAnswer::from(&removed))
}

crate::schema::param_schemas! {
    CaseDocumentTypeParam = case_document_type;
    UserDocumentTypeParam = user_document_type;
    UploadIdParam = upload_id;
}

/// `GET` and `DELETE /case/document` (`redirect`: `GET` only).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseDocumentQuery {
    /// The case.
    #[param(required = true, value_type = crate::schema::CaseIdParam, inline)]
    pub case_id: Raw<String>,
    #[param(required = true, value_type = CaseDocumentTypeParam, inline)]
    pub document_type: Raw<String>,
    /// Redirect to a presigned URL (S3), default true; `GET` only.
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub redirect: Raw<String>,
}

/// `GET` and `DELETE /user/document` (`redirect`: `GET` only).
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct UserDocumentQuery {
    /// The document owner (default the caller; another user's needs UA).
    #[param(value_type = Option<crate::schema::SubjectParam>, inline)]
    pub user_id: Raw<String>,
    /// A type of `/doctypes`.
    #[param(required = true, value_type = UserDocumentTypeParam, inline)]
    pub document_type: Raw<String>,
    /// Redirect to a presigned URL (S3), default true; `GET` only.
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub redirect: Raw<String>,
}

/// `X-Cases-Processed`, `X-Downloaded-Files`, `X-Download-Errors`.
pub const X_CASES_PROCESSED: &str = "X-Cases-Processed";
pub const X_DOWNLOADED_FILES: &str = "X-Downloaded-Files";
pub const X_DOWNLOAD_ERRORS: &str = "X-Download-Errors";

/// Download the documents of several cases as one ZIP.
#[utoipa::path(
    post,
    path = "/get_case_images",
    tag = "documents",
    description = "Access: CA. Streams application/zip: one folder per case named by its case_id \
                   (no patient names), each document under its own file name, stored as is (not \
                   re-compressed), and download_errors.txt at the root listing the documents that \
                   could not be read (only when there are some). Ids of no active case are skipped. \
                   X-Cases-Processed: the cases found; X-Downloaded-Files: the documents recorded on \
                   them; X-Download-Errors: those already known missing (documents that turn out \
                   unreadable while streaming are listed in download_errors.txt only). Nothing is \
                   written to disk.",
    request_body(content = CaseImagesBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The archive, streamed", content_type = "application/zip",
         headers(
            ("Content-Disposition" = String, description = "attachment; filename=\"case_images_<YYYYMMDD_HHMMSS>.zip\""),
            ("X-Cases-Processed" = i64, description = "Cases found"),
            ("X-Downloaded-Files" = i64, description = "Documents recorded on those cases"),
            ("X-Download-Errors" = i64, description = "Documents already known missing"),
         )),
        (status = 403, description = "forbidden (below CA)", body = ErrorBody),
        (status = 404, description = "no_cases: no listed id names an active case", body = ErrorBody),
        (status = 422, description = "validation_failed (case_ids: required, too_short, too_many, invalid_type)", body = ErrorBody),
    )
)]
pub async fn get_case_images(Valid(body): Valid<CaseImagesBody>, auth: Authed) -> ApiResult<HttpResponse> {
    let bundle = auth.state.app.case_images_bundle(&auth.ctx, &body.case_ids()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/zip"))
        .insert_header((header::CONTENT_DISPOSITION, attachment(&bundle.file_name)))
        .insert_header((X_CASES_PROCESSED, bundle.cases_processed().to_string()))
        .insert_header((X_DOWNLOADED_FILES, bundle.documents_recorded().to_string()))
        .insert_header((X_DOWNLOAD_ERRORS, bundle.known_missing().to_string()))
        .streaming(zip_stream::stream(bundle)))
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn attachment_names_are_cleaned() {
        assert_eq!(attachment("face sheet.pdf"), "attachment; filename=\"face sheet.pdf\"");
        assert_eq!(attachment("a\"b\\c\r\nd\u{e9}.pdf"), "attachment; filename=\"a_b_c__d_.pdf\"");
        assert_eq!(
            attachment("case_images_20250310_120000.zip"),
            "attachment; filename=\"case_images_20250310_120000.zip\""
        );
    }
}
