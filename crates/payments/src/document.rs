//! A report as a renderer-neutral document: header and footer texts, then sections of blocks.
//! Each section starts on a new page; the renderer adds `Page n of N` and chooses fonts.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDocument {
    /// "Provider Payment Report".
    pub title: String,
    /// `<company name> - <title>`, at the top of every page.
    pub header: String,
    /// `Report Date: March 10, 2025`, under the header.
    pub report_date: String,
    /// `Report generated on: 2025-03-10 09:00:00 EDT`, at the left of every footer.
    pub generated_on: String,
    pub sections: Vec<Section>,
}

/// A run of blocks that starts on a new page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Block {
    /// The section's title line (`Provider: …`, `State: XX`, `Report Summary`).
    Heading(String),
    /// A smaller title inside a section (`Payment Summary by Category`).
    Subheading(String),
    /// A plain line (`Projected Pay Date: …`, `Total Cases: 12`).
    Line(String),
    Table(Table),
    /// An emphasised totals line (`Provider Total: $1,234.56`).
    Total(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Each row has one cell per column.
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    pub title: String,
    /// Relative width: a column of weight 4 is twice as wide as one of weight 2.
    pub weight: u8,
    pub align: Align,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Right,
}

impl Column {
    pub fn left(title: &str, weight: u8) -> Self {
        Self { title: title.to_owned(), weight, align: Align::Left }
    }

    pub fn right(title: &str, weight: u8) -> Self {
        Self { title: title.to_owned(), weight, align: Align::Right }
    }
}

impl ReportDocument {
    /// Every text of the document in reading order (header, sections, footer), for search and
    /// for tests.
    pub fn texts(&self) -> Vec<&str> {
        let mut out = vec![self.header.as_str(), self.report_date.as_str()];
        for section in &self.sections {
            for block in &section.blocks {
                match block {
                    Block::Heading(t) | Block::Subheading(t) | Block::Line(t) | Block::Total(t) => {
                        out.push(t)
                    }
                    Block::Table(table) => {
                        out.extend(table.columns.iter().map(|c| c.title.as_str()));
                        out.extend(table.rows.iter().flatten().map(String::as_str));
                    }
                }
            }
        }
        out.push(&self.generated_on);
        out
    }
}
