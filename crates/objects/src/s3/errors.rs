//! SDK errors as the port's errors. Messages name the operation and the S3 error code, never
//! a key (file names may carry personal data) nor a signed URL.

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use surgicase_ports::ObjectError;

/// Maps a failed call: unreachable, timed out, throttled or 5xx → `Unavailable` (503 to the
/// client, retried later by the archive step); everything else → `Backend`.
pub(crate) fn map_sdk<E, R>(op: &str, err: &SdkError<E, R>) -> ObjectError
where
    E: ProvideErrorMetadata,
    R: StatusOf,
{
    match err {
        SdkError::TimeoutError(_) => ObjectError::Unavailable(format!("{op}: timed out")),
        SdkError::DispatchFailure(failure) => {
            let why = if failure.is_timeout() {
                "timed out"
            } else if failure.is_io() {
                "cannot reach the object store"
            } else {
                "the request could not be sent"
            };
            ObjectError::Unavailable(format!("{op}: {why}"))
        }
        SdkError::ServiceError(service) => {
            let status = service.raw().status_code();
            let code = service.err().code().unwrap_or("unknown");
            classify(op, status, code)
        }
        SdkError::ResponseError(_) => ObjectError::Backend(format!("{op}: unreadable answer")),
        SdkError::ConstructionFailure(_) => {
            ObjectError::Backend(format!("{op}: the request could not be built"))
        }
        _ => ObjectError::Backend(format!("{op}: failed")),
    }
}

/// Status-based classification of a service error.
pub(crate) fn classify(op: &str, status: u16, code: &str) -> ObjectError {
    let text = format!("{op}: {code} (HTTP {status})");
    if status >= 500 || status == 429 || code == "SlowDown" {
        ObjectError::Unavailable(text)
    } else {
        ObjectError::Backend(text)
    }
}

/// The HTTP status of a raw response (lets tests use plain numbers).
pub(crate) trait StatusOf {
    fn status_code(&self) -> u16;
}

impl StatusOf for aws_sdk_s3::config::http::HttpResponse {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_classify() {
        let table = [
            (503, "ServiceUnavailable", true),
            (500, "InternalError", true),
            (429, "TooManyRequests", true),
            (400, "SlowDown", true),
            (403, "AccessDenied", false),
            (404, "NoSuchBucket", false),
            (400, "InvalidRequest", false),
        ];
        for (status, code, unavailable) in table {
            let err = classify("put", status, code);
            assert_eq!(matches!(err, ObjectError::Unavailable(_)), unavailable, "{status} {code}");
            assert!(err.to_string().contains(code));
        }
    }
}
