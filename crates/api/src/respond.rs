//! Success answers: JSON with `application/json; charset=utf-8`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header;
use serde::Serialize;

use crate::errors::{ApiError, ApiResult, JSON_UTF8};

/// A JSON answer with `status`.
pub fn json<T: Serialize + ?Sized>(status: StatusCode, value: &T) -> ApiResult<HttpResponse> {
    let body = serde_json::to_string(value)
        .map_err(|e| ApiError::internal(format!("serializing a response: {e}")))?;
    Ok(HttpResponse::build(status).insert_header((header::CONTENT_TYPE, JSON_UTF8)).body(body))
}

/// 200 with a JSON body.
pub fn ok<T: Serialize + ?Sized>(value: &T) -> ApiResult<HttpResponse> {
    json(StatusCode::OK, value)
}

/// 201 with a JSON body.
pub fn created<T: Serialize + ?Sized>(value: &T) -> ApiResult<HttpResponse> {
    json(StatusCode::CREATED, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_answers_carry_the_charset() {
        let res = created(&serde_json::json!({"a": 1})).expect("serializable");
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some(JSON_UTF8));
    }
}
