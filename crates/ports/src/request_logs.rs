//! The optional `request_logs` table (domain §3.6): one row per request, written in batches off
//! the request path when `observability.request_log_table = true`. No payloads: they held PHI.

use async_trait::async_trait;
use surgicase_kernel::Timestamp;

use crate::error::StoreError;

type R<T> = Result<T, StoreError>;

/// Who measured the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogSource {
    /// The API's own middleware.
    Server,
    /// A client, through `POST /log_request`.
    Client,
}

impl LogSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Server => "server",
            Self::Client => "client",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "server" => Some(Self::Server),
            "client" => Some(Self::Client),
            _ => None,
        }
    }
}

/// One row of `request_logs`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLogRecord {
    pub timestamp: Timestamp,
    /// At most 64 characters.
    pub request_id: String,
    pub user_id: Option<String>,
    /// The route template (never the raw path), at most 255 characters.
    pub endpoint: String,
    pub method: String,
    pub response_status: i32,
    pub execution_time_ms: i32,
    /// The error `code` only, at most 100 characters.
    pub error_message: Option<String>,
    /// At most 45 characters.
    pub client_ip: String,
    pub source: LogSource,
}

#[async_trait]
pub trait RequestLogRepo: Send {
    /// Appends the rows, in one statement.
    async fn insert_request_logs(&mut self, rows: &[RequestLogRecord]) -> R<()>;
    /// The last `limit` rows, newest first (by id).
    async fn recent_request_logs(&mut self, limit: i64) -> R<Vec<RequestLogRecord>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_round_trip() {
        for s in [LogSource::Server, LogSource::Client] {
            assert_eq!(LogSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(LogSource::parse("browser"), None);
    }
}
