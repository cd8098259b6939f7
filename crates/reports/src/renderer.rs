//! [`PdfRenderer`]: the port implementation.

use std::cell::Cell;
use std::rc::Rc;

use surgicase_payments::{ReportDocument, ReportPassword};
use surgicase_ports::{RenderError, ReportRenderer};

use crate::encrypt::encrypt_pdf;
use crate::error::PdfError;
use crate::fonts::ReportFonts;
use crate::layout;

/// Renders reports with the shared fonts; cheap to clone, safe to share between threads.
#[derive(Clone, Debug)]
pub struct PdfRenderer {
    fonts: ReportFonts,
}

impl PdfRenderer {
    pub fn new() -> Result<Self, PdfError> {
        Ok(Self { fonts: ReportFonts::load()? })
    }

    /// The PDF of `doc`. Laid out twice: the first pass counts the pages (and stops before
    /// writing anything), so the second can print `Page n of N`.
    pub fn render_pdf(&self, doc: &ReportDocument) -> Result<Vec<u8>, PdfError> {
        let fonts = self.fonts.family_for(doc)?;
        let counted = Rc::new(Cell::new(0));
        match layout::build(doc, fonts.clone(), None, Rc::clone(&counted))?.render(std::io::sink()) {
            Err(e) if e.to_string() == layout::COUNTED => {}
            Err(e) => return Err(e.into()),
            Ok(()) => {}
        }
        let total = counted.get();
        let mut out = Vec::new();
        layout::build(doc, fonts, Some(total), Rc::new(Cell::new(0)))?.render(&mut out)?;
        Ok(out)
    }
}

impl ReportRenderer for PdfRenderer {
    fn render(&self, document: &ReportDocument) -> Result<Vec<u8>, RenderError> {
        Ok(self.render_pdf(document)?)
    }

    fn encrypt(&self, pdf: &[u8], user_password: &ReportPassword) -> Result<Vec<u8>, RenderError> {
        Ok(encrypt_pdf(pdf, user_password.expose())?)
    }
}
