//! The report-renderer port: a report document to PDF bytes, and PDF encryption with a user
//! password (AES-256, PDF R6).
//!
//! Rendering is CPU-bound, so the methods are synchronous: the application calls them inside
//! `spawn_blocking` on an `Arc<dyn ReportRenderer>`, never on an async worker thread.

use surgicase_payments::{ReportDocument, ReportPassword};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The document could not be laid out or written.
    #[error("report rendering failed: {0}")]
    Render(String),
    /// The PDF could not be encrypted. There is no unprotected fallback: the report fails.
    #[error("report encryption failed: {0}")]
    Encrypt(String),
}

pub trait ReportRenderer: Send + Sync {
    /// The PDF of `document`.
    fn render(&self, document: &ReportDocument) -> Result<Vec<u8>, RenderError>;

    /// `pdf` encrypted with AES-256 (R6) so that opening it needs `user_password`.
    fn encrypt(&self, pdf: &[u8], user_password: &ReportPassword) -> Result<Vec<u8>, RenderError>;
}
