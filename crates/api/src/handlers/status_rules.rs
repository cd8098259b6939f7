//! Status rule sets (api.md §8): read the set in force, replace it, check one, list history.
//! A set arrives as TOML text (`application/toml` or `text/plain`) or as JSON
//! `{"toml", "reevaluate"}`; the shell only reads the body, the use cases decide.

use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use surgicase_kernel::{FieldCode, FieldError, Raw, ValidationErrors};
use utoipa::{IntoParams, ToSchema};

use crate::body::{is_json_media_type, parse_object};
use crate::dto::errors::ErrorBody;
use crate::dto::status_rules::*;
use crate::errors::ApiError;
use crate::fields::Fields;
use crate::identity::Authed;
use crate::query::{self, Query};
use crate::state::Settings;
use crate::{ApiResult, RawBody, respond};

/// `/admin/status_rules` bodies, like `/bugs`, have their own limit (api.md §1.1).
pub const BODY_LIMIT: usize = 256 * 1024;

/// The JSON form of a rule-set body.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct RuleSetBody {
    /// The rule set in TOML (domain §6.2).
    #[schema(
        example = "format = 1\nname = \"faq-default\"\nmanaged = [0, 1]\n\n[[rules]]\nname = \"incomplete\"\nset = 0\n"
    )]
    pub toml: String,
    /// PUT only: also evaluate every active case at a managed status (default false).
    pub reevaluate: Option<bool>,
}

/// `PUT /admin/status_rules`.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct ReevaluateQuery {
    /// Evaluate every active case at a status the new set manages (default false; true when
    /// either this or the JSON body's `reevaluate` is true).
    #[param(value_type = Option<crate::schema::FlagParam>, inline)]
    pub reevaluate: Raw<String>,
}

/// The TOML text of the body and the body's `reevaluate` (JSON only).
struct RuleSetText {
    toml: String,
    reevaluate: bool,
}

/// TOML or plain text as is (UTF-8), JSON as `{"toml", "reevaluate"}`; any other type is 415.
async fn read_rule_set(req: &HttpRequest, payload: web::Payload) -> Result<RuleSetText, ApiError> {
    let content_type = req.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or(""));
    let essence = content_type.map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    let json = content_type.is_some_and(is_json_media_type);
    let text = matches!(essence.as_deref(), Some("application/toml" | "text/plain"));
    if !json && !text {
        return Err(ApiError::other(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type must be application/toml, text/plain or application/json",
        ));
    }
    let RawBody(bytes) = RawBody::from_request(req, &mut payload.into_inner()).await?;
    if text {
        let toml = String::from_utf8(bytes.to_vec()).map_err(|_| {
            ApiError::from(FieldError::new("toml", FieldCode::InvalidFormat, "the body is not valid UTF-8"))
        })?;
        return Ok(RuleSetText { toml, reevaluate: false });
    }
    let map = parse_object(&bytes)?;
    let mut fields = Fields::new(&map, Settings::of(req).strict_fields);
    let toml = fields.req_str("toml");
    // JSON true or false only: no legacy client sends this body, so no 0/1 flags.
    let reevaluate = match fields.raw_with("reevaluate", Value::as_bool) {
        Raw::Value(flag) => flag,
        Raw::Absent => false,
        Raw::WrongType => {
            fields.push(FieldError::new("reevaluate", FieldCode::InvalidType, "must be true or false"));
            false
        }
    };
    fields.finish()?;
    Ok(RuleSetText { toml: toml.unwrap_or_default(), reevaluate })
}

/// The rule set in force.
#[utoipa::path(
    get,
    path = "/admin/status_rules",
    tag = "admin",
    description = "Access: GA. The newest stored set, else the built-in default (`source`).",
    responses(
        (status = 200, description = "The set in force", body = RuleSetDto),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn get_status_rules(auth: Authed) -> ApiResult<HttpResponse> {
    let view = auth.state.app.status_rules(&auth.ctx).await?;
    respond::ok(&RuleSetDto::new(&view))
}

/// Store a new rule set, in force at once on every replica.
#[utoipa::path(
    put,
    path = "/admin/status_rules",
    tag = "admin",
    description = "Access: GA. Validates (domain §6.4) and stores the set, which every API and \
                   scheduler process uses from its next transaction. With `reevaluate`, every \
                   active case at a managed status is then evaluated in batches of 500 (history \
                   rows name the caller and the new set). Revert by sending an earlier set's TOML.",
    params(ReevaluateQuery),
    request_body(content(
        (String = "application/toml"),
        (String = "text/plain"),
        (RuleSetBody = "application/json"),
    )),
    responses(
        (status = 200, description = "Stored and in force", body = RuleSetReplacedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 413, description = "payload_too_large (256 KiB)", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_rule_set (errors: TOML path, or `toml` with line and column); validation_failed (reevaluate, toml)", body = ErrorBody),
    )
)]
pub async fn put_status_rules(
    req: HttpRequest,
    Query(q): Query<ReevaluateQuery>,
    auth: Authed,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let mut errors = ValidationErrors::new();
    let asked = query::flag(&mut errors, "reevaluate", &q.reevaluate).unwrap_or(false);
    errors.into_result(())?;
    let body = read_rule_set(&req, payload).await?;
    let replaced =
        auth.state.app.replace_status_rules(&auth.ctx, &body.toml, asked || body.reevaluate).await?;
    respond::ok(&RuleSetReplacedAnswer::from(&replaced))
}

/// Check a rule set without storing it.
#[utoipa::path(
    post,
    path = "/admin/status_rules/validate",
    tag = "admin",
    description = "Access: GA. Same body as the PUT (`reevaluate` is ignored); nothing is stored.",
    request_body(content(
        (String = "application/toml"),
        (String = "text/plain"),
        (RuleSetBody = "application/json"),
    )),
    responses(
        (status = 200, description = "Valid", body = RuleSetValidAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
        (status = 413, description = "payload_too_large (256 KiB)", body = ErrorBody),
        (status = 415, description = "unsupported_media_type", body = ErrorBody),
        (status = 422, description = "invalid_rule_set; validation_failed (toml)", body = ErrorBody),
    )
)]
pub async fn validate_status_rules(
    req: HttpRequest,
    auth: Authed,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = read_rule_set(&req, payload).await?;
    let checked = auth.state.app.validate_status_rules(&auth.ctx, &body.toml).await?;
    respond::ok(&RuleSetValidAnswer::from(&checked))
}

/// Every stored rule set, newest first.
#[utoipa::path(
    get,
    path = "/admin/status_rules/history",
    tag = "admin",
    description = "Access: GA. Without the texts; the built-in default is not listed.",
    responses(
        (status = 200, description = "The stored sets", body = RuleSetHistoryAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 403, description = "forbidden (below GA)", body = ErrorBody),
    )
)]
pub async fn status_rules_history(auth: Authed) -> ApiResult<HttpResponse> {
    let rows = auth.state.app.status_rules_history(&auth.ctx).await?;
    respond::ok(&RuleSetHistoryAnswer::new(&rows))
}
