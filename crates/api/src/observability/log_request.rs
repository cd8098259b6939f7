//! `POST /log_request` (a client's measurement of its own request) and the server's batched
//! `request_logs` writer, active only with `observability.request_log_table = true`.

use std::time::Duration;

use actix_web::{HttpRequest, HttpResponse};
use surgicase_app::App;
use surgicase_app::request_log::ClientRequestLog;
use surgicase_ports::Chain;
use surgicase_ports::request_logs::RequestLogRecord;
use tokio::sync::mpsc;

use crate::dto::errors::ErrorBody;
use crate::dto::observability::{ClientLogBody, LogRecordedAnswer};
use crate::handlers::reject;
use crate::identity::Authed;
use crate::{ApiResult, JsonBody, respond, valid};

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
            tracing::warn!(rows = batch.len(), error = %Chain(&e), "cannot write request logs");
        }
        batch.clear();
    }
}

/// Record a client-side request measurement.
#[utoipa::path(
    post,
    path = "/log_request",
    tag = "observability",
    description = "Access: user. Stored in `request_logs` when that table is enabled; counted always.",
    request_body(content = ClientLogBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded", body = LogRecordedAnswer),
        (status = 401, description = "Unauthenticated or unknown user", body = ErrorBody),
        (status = 422, description = "validation_failed", body = ErrorBody),
    )
)]
pub async fn log_request(req: HttpRequest, body: JsonBody, auth: Authed) -> ApiResult<HttpResponse> {
    let strict = auth.state.settings.strict_fields;
    let (_, shape_errors) = valid::read::<ClientLogBody>(body.as_map().clone(), strict)?;
    if !shape_errors.is_empty() {
        return Err(reject(shape_errors, ClientRequestLog::read(body.as_map()).err()));
    }
    let ip = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    auth.state.app.log_client_request(&auth.ctx, body.as_map(), &ip).await?;
    respond::created(&LogRecordedAnswer { success: true })
}
