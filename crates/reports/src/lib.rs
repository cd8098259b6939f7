//! The report renderer adapter: [`ReportDocument`](surgicase_payments::ReportDocument)s laid
//! out as A4 PDFs with genpdf, fonts embedded from the `dejavu` crate (so any name prints), and
//! AES-256 (R6) encryption with qpdf built from its bundled source.
//!
//! Everything here is synchronous and CPU-bound; callers on an async runtime run it on a
//! blocking thread.

mod encrypt;
mod error;
mod fonts;
mod layout;
mod merge;
mod page;
mod renderer;
mod subset;

pub use encrypt::encrypt_pdf;
pub use error::PdfError;
pub use fonts::ReportFonts;
pub use renderer::{PdfRenderer, ROWS_PER_PART};
