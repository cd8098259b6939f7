//! [`PdfRenderer`]: the port implementation.

use std::cell::Cell;
use std::rc::Rc;

use genpdf::fonts::{FontData, FontFamily};
use surgicase_payments::{Block, ReportDocument, ReportPassword, Section};
use surgicase_ports::{RenderError, ReportRenderer};

use crate::encrypt::encrypt_pdf;
use crate::error::PdfError;
use crate::fonts::ReportFonts;
use crate::layout;
use crate::merge::merge_pdfs;

/// Table rows laid out in one part. The layout library keeps every page of a document in
/// memory until it writes it, so a long report is laid out in parts that start at section
/// boundaries (each section starts a page, so the pages are the same) and joined afterwards.
pub const ROWS_PER_PART: usize = 1_500;

/// Renders reports with the shared fonts; cheap to clone, safe to share between threads.
#[derive(Clone, Debug)]
pub struct PdfRenderer {
    fonts: ReportFonts,
    rows_per_part: usize,
}

impl PdfRenderer {
    pub fn new() -> Result<Self, PdfError> {
        Ok(Self { fonts: ReportFonts::load()?, rows_per_part: ROWS_PER_PART })
    }

    /// The same renderer laying out at most about `rows` table rows per part (memory against
    /// the cost of joining parts; tests use it to exercise the join).
    pub fn with_rows_per_part(mut self, rows: usize) -> Self {
        self.rows_per_part = rows.max(1);
        self
    }

    /// The PDF of `doc`. Laid out twice: the first pass counts the pages (and stops before
    /// writing anything), so the second can print `Page n of N`.
    pub fn render_pdf(&self, doc: &ReportDocument) -> Result<Vec<u8>, PdfError> {
        let fonts = self.fonts.family_for(doc)?;
        let parts = parts(&doc.sections, self.rows_per_part);
        let mut counts = Vec::with_capacity(parts.len());
        for part in &parts {
            counts.push(count_pages(doc, part, fonts.clone())?);
        }
        let total: usize = counts.iter().sum();
        let mut pdfs = Vec::with_capacity(parts.len());
        let mut before = 0;
        for (part, count) in parts.iter().zip(&counts) {
            let mut out = Vec::new();
            layout::build(doc, part, fonts.clone(), Some(total), Rc::new(Cell::new(before)))?
                .render(&mut out)?;
            pdfs.push(out);
            before += count;
        }
        match pdfs.len() {
            1 => Ok(pdfs.swap_remove(0)),
            _ => merge_pdfs(&pdfs),
        }
    }
}

fn count_pages(
    doc: &ReportDocument,
    sections: &[Section],
    fonts: FontFamily<FontData>,
) -> Result<usize, PdfError> {
    let counted = Rc::new(Cell::new(0));
    match layout::build(doc, sections, fonts, None, Rc::clone(&counted))?.render(std::io::sink()) {
        Err(e) if e.to_string() == layout::COUNTED => {}
        Err(e) => return Err(e.into()),
        Ok(()) => {}
    }
    Ok(counted.get())
}

/// Consecutive runs of sections holding about `rows_per_part` table rows each (a section is
/// never split; a document without sections is one empty part).
fn parts(sections: &[Section], rows_per_part: usize) -> Vec<&[Section]> {
    let rows = |s: &Section| -> usize {
        s.blocks.iter().map(|b| if let Block::Table(t) = b { t.rows.len() } else { 1 }).sum()
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut filled = 0;
    for (i, section) in sections.iter().enumerate() {
        if filled > 0 && filled + rows(section) > rows_per_part {
            out.push(&sections[start..i]);
            start = i;
            filled = 0;
        }
        filled += rows(section);
    }
    out.push(&sections[start..]);
    out
}

impl ReportRenderer for PdfRenderer {
    fn render(&self, document: &ReportDocument) -> Result<Vec<u8>, RenderError> {
        Ok(self.render_pdf(document)?)
    }

    fn encrypt(&self, pdf: &[u8], user_password: &ReportPassword) -> Result<Vec<u8>, RenderError> {
        Ok(encrypt_pdf(pdf, user_password.expose())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use surgicase_payments::{Column, Table};

    fn section(rows: usize) -> Section {
        let table = Table { columns: vec![Column::left("A", 1)], rows: vec![vec!["x".to_owned()]; rows] };
        Section { blocks: vec![Block::Heading("h".to_owned()), Block::Table(table)] }
    }

    #[test]
    fn parts_break_between_sections_only() {
        let sizes = |sections: &[Section]| -> Vec<usize> {
            parts(sections, ROWS_PER_PART).iter().map(|p| p.len()).collect()
        };
        assert_eq!(sizes(&[]), [0]);
        assert_eq!(sizes(&[section(10), section(10)]), [2]);
        // 1,000 + 1 rows each: two sections never fit one part.
        assert_eq!(sizes(&[section(1_000), section(1_000), section(1_000)]), [1, 1, 1]);
        assert_eq!(sizes(&[section(700), section(700), section(700)]), [2, 1]);
        // A section larger than a part is a part of its own, never split.
        assert_eq!(sizes(&[section(10), section(5_000), section(10)]), [1, 1, 1]);
    }
}
