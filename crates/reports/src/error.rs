//! Errors of this adapter, mapped into the port's [`RenderError`].

use surgicase_ports::RenderError;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("font: {0}")]
    Font(String),
    #[error("layout: {0}")]
    Layout(#[from] genpdf::error::Error),
    #[error("merging parts: {0}")]
    Merge(String),
    #[error("encryption: {0}")]
    Encrypt(#[from] qpdf::QPdfError),
}

impl From<PdfError> for RenderError {
    fn from(e: PdfError) -> Self {
        match e {
            PdfError::Encrypt(e) => RenderError::Encrypt(e.to_string()),
            other => RenderError::Render(other.to_string()),
        }
    }
}
