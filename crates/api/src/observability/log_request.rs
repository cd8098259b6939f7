//! `POST /log_request` (a client's measurement of its own request) and the server's batched
//! `request_logs` writer, active only with `observability.request_log_table = true`.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;
use surgicase_app::App;
use surgicase_ports::request_logs::RequestLogRecord;
use tokio::sync::mpsc;

use crate::dto::errors::ErrorBody;
use crate::identity::authenticate;
use crate::{ApiResult, JsonBody, QueryParams, respond};

/// Most rows waiting to be written; beyond it rows are dropped (and counted), never waited for.
pub const QUEUE: usize = 10_000;
/// Most rows per INSERT.
pub const BATCH: usize = 500;
/// Longest time a row waits for its batch.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Where the middleware drops its rows.
#[derive(Debug, Clone)]
pub struct RequestLogSink {
    tx: mpsc::Sender<RequestLogRecord>,
}

impl RequestLogSink {
    /// The sink and the receiving end for [`write_batches`].
    pub fn channel() -> (Self, mpsc::Receiver<RequestLogRecord>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        (Self { tx }, rx)
    }

    /// Queues a row without waiting; a full queue drops it.
    pub fn push(&self, row: RequestLogRecord) {
        if self.tx.try_send(row).is_err() {
            metrics::counter!("surgicase_request_logs_dropped_total").increment(1);
        }
    }
}

/// Writes queued rows in batches until every sink is gone.
pub async fn write_batches(app: App, mut rx: mpsc::Receiver<RequestLogRecord>) {
    let mut batch = Vec::with_capacity(BATCH);
    loop {
        let first = rx.recv().await;
        let Some(first) = first else { break };
        batch.push(first);
        let deadline = tokio::time::Instant::now() + FLUSH_EVERY;
        while batch.len() < BATCH {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(row)) => batch.push(row),
                Ok(None) | Err(_) => break,
            }
        }
        if let Err(e) = app.store_request_logs(&batch).await {
            tracing::warn!(rows = batch.len(), error = %e, "cannot write request logs");
        }
        batch.clear();
    }
}

/// Record a client-side request measurement.
#[utoipa::path(
    post,
    path = "/log_request",
    tag = "observability",
    description = "Access: user. `endpoint`, `method`, `response_status` (100–599) and `execution_time_ms` \
                   (≥ 0) are required; `timestamp` (RFC 3339) and `error_message` (≤ 100) optional; payload \
                   fields are accepted and discarded. Stored in `request_logs` when that table is enabled.",
    request_body(content = Object, description = "The measurement", content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded: {\"success\": true}"),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn log_request(req: HttpRequest, q: QueryParams, body: JsonBody) -> ApiResult<HttpResponse> {
    let (state, ctx) = authenticate(&req, &q, Some(&body)).await?;
    let ip = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    state.app.log_client_request(&ctx, body.as_map(), &ip).await?;
    respond::created(&json!({ "success": true }))
}
