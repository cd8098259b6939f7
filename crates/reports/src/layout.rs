//! A [`ReportDocument`] laid out as a genpdf document: each section on a new page, tables
//! framed with a bold header row, long cells wrapped inside their column.

use std::cell::Cell;
use std::rc::Rc;

use genpdf::elements::{Break, FrameCellDecorator, PageBreak, Paragraph, TableLayout};
use genpdf::fonts::{FontCache, FontData, FontFamily};
use genpdf::style::Style;
use genpdf::{Alignment, Element, Margins, Mm, PaperSize, Size};
use surgicase_payments::{Align, Block, ReportDocument, Section, Table};

use crate::error::PdfError;
use crate::page::ReportPage;

const MARGIN_MM: f64 = 15.0;
const BODY_FONT_SIZE: u8 = 9;
/// Padding inside each table cell.
const CELL_PADDING_MM: f64 = 1.0;

/// The message of the error [`CountProbe`] stops a counting pass with.
pub(crate) const COUNTED: &str = "pages counted";

/// The last element of a counting pass: once it is reached every page has been decorated, so
/// it stops the rendering before genpdf writes a PDF nobody reads (writing embeds the fonts,
/// the costly part).
struct CountProbe;

impl Element for CountProbe {
    fn render(
        &mut self,
        _context: &genpdf::Context,
        _area: genpdf::render::Area<'_>,
        _style: Style,
    ) -> Result<genpdf::RenderResult, genpdf::error::Error> {
        Err(genpdf::error::Error::new(COUNTED, genpdf::error::ErrorKind::Internal))
    }
}

/// The genpdf document of `sections` of `doc` (header and footer texts come from `doc`);
/// `pages` counts the pages as they are laid out, from the number it holds (the pages before
/// these sections). Without `total_pages` it is a counting pass, which ends in the [`COUNTED`]
/// error.
pub(crate) fn build(
    doc: &ReportDocument,
    sections: &[Section],
    fonts: FontFamily<FontData>,
    total_pages: Option<usize>,
    pages: Rc<Cell<usize>>,
) -> Result<genpdf::Document, PdfError> {
    let mut out = genpdf::Document::new(fonts);
    out.set_title(doc.title.as_str());
    out.set_paper_size(PaperSize::A4);
    out.set_font_size(BODY_FONT_SIZE);
    // No ICC profile or XMP metadata: smaller files, nothing a reader needs.
    out.set_minimal_conformance();
    let margins = Margins::all(MARGIN_MM);
    out.set_page_decorator(ReportPage {
        header: doc.header.clone(),
        report_date: doc.report_date.clone(),
        generated_on: doc.generated_on.clone(),
        total_pages,
        pages,
        margins,
    });
    let content_width = Size::from(PaperSize::A4).width - Mm::from(2.0 * MARGIN_MM);
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            out.push(PageBreak::new());
        }
        for block in &section.blocks {
            match block {
                Block::Heading(text) => {
                    out.push(Paragraph::new(text.as_str()).styled(Style::new().bold().with_font_size(12)));
                }
                Block::Subheading(text) => {
                    out.push(Break::new(0.5));
                    out.push(Paragraph::new(text.as_str()).styled(Style::new().bold().with_font_size(10)));
                }
                Block::Line(text) => out.push(Paragraph::new(text.as_str())),
                Block::Total(text) => {
                    out.push(Break::new(0.5));
                    out.push(Paragraph::new(text.as_str()).styled(Style::new().bold().with_font_size(10)));
                }
                Block::Table(table) => {
                    out.push(Break::new(0.5));
                    let element = table_element(table, out.font_cache(), content_width)?;
                    out.push(element);
                }
            }
        }
    }
    if total_pages.is_none() {
        out.push(CountProbe);
    }
    Ok(out)
}

fn table_element(table: &Table, fonts: &FontCache, width: Mm) -> Result<TableLayout, PdfError> {
    let weights: Vec<usize> = table.columns.iter().map(|c| usize::from(c.weight.max(1))).collect();
    let total_weight: usize = weights.iter().sum();
    let mut layout = TableLayout::new(weights.clone());
    layout.set_cell_decorator(FrameCellDecorator::new(true, true, false));
    let header_style = Style::new().bold().with_font_size(BODY_FONT_SIZE);
    let body_style = Style::new().with_font_size(BODY_FONT_SIZE);
    let mut header = layout.row();
    for column in &table.columns {
        header.push_element(cell(&column.title, column.align).styled(header_style));
    }
    header.push()?;
    for row in &table.rows {
        let mut line = layout.row();
        for (i, column) in table.columns.iter().enumerate() {
            let text = row.get(i).map_or("", String::as_str);
            let column_width =
                width * (weights[i] as f64 / total_weight as f64) - Mm::from(2.0 * CELL_PADDING_MM + 0.5);
            let text = break_long_words(text, column_width, body_style, fonts);
            line.push_element(cell(&text, column.align).styled(body_style));
        }
        line.push()?;
    }
    Ok(layout)
}

fn cell(text: &str, align: Align) -> impl Element + use<> {
    let alignment = match align {
        Align::Left => Alignment::Left,
        Align::Right => Alignment::Right,
    };
    Paragraph::new(text.to_owned()).aligned(alignment).padded(Margins::all(CELL_PADDING_MM))
}

/// genpdf wraps at spaces only and drops a word (with its trailing space) wider than its
/// column, so such words are cut here into pieces that fit with a space after them.
fn break_long_words(text: &str, column_width: Mm, style: Style, fonts: &FontCache) -> String {
    if style.str_width(fonts, text) <= column_width {
        return text.to_owned();
    }
    let width = column_width - style.str_width(fonts, " ");
    let mut out = String::with_capacity(text.len() + 8);
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if style.str_width(fonts, word) <= width {
            out.push_str(word);
            continue;
        }
        let mut piece = String::new();
        for ch in word.chars() {
            piece.push(ch);
            if style.str_width(fonts, &piece) > width && piece.chars().count() > 1 {
                piece.pop();
                out.push_str(&piece);
                out.push(' ');
                piece.clear();
                piece.push(ch);
            }
        }
        out.push_str(&piece);
    }
    out
}
