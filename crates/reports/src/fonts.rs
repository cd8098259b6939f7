//! The fonts of a report: DejaVu Sans regular and bold from the `dejavu` crate, cut down per
//! document to the characters it prints (see [`crate::subset`]). Reports use no italics, so the
//! italic slots name PDF built-in fonts, which are referenced rather than embedded.

use std::collections::BTreeSet;

use genpdf::fonts::{FontData, FontFamily};
use printpdf::BuiltinFont;
use surgicase_payments::ReportDocument;

use crate::error::PdfError;
use crate::subset::subset;

/// Text the page decorator prints besides the document's own texts.
const PAGE_TEXT: &str = "Page of 0123456789 ";

/// The italic slots, parsed once and shared (built-in fonts carry no data to copy).
#[derive(Clone, Debug)]
pub struct ReportFonts {
    italic: FontData,
    bold_italic: FontData,
}

impl ReportFonts {
    pub fn load() -> Result<Self, PdfError> {
        let builtin = |bytes: &[u8], font: BuiltinFont| {
            FontData::new(bytes.to_vec(), Some(font)).map_err(|e| PdfError::Font(e.to_string()))
        };
        Ok(Self {
            italic: builtin(dejavu::sans::oblique(), BuiltinFont::HelveticaOblique)?,
            bold_italic: builtin(dejavu::sans::bold_oblique(), BuiltinFont::HelveticaBoldOblique)?,
        })
    }

    /// The family for `doc`: regular and bold hold exactly the glyphs its texts need.
    pub(crate) fn family_for(&self, doc: &ReportDocument) -> Result<FontFamily<FontData>, PdfError> {
        let chars: BTreeSet<char> =
            doc.texts().into_iter().flat_map(str::chars).chain(PAGE_TEXT.chars()).collect();
        let embedded = |full: &[u8]| {
            FontData::new(subset(full, &chars)?, None).map_err(|e| PdfError::Font(e.to_string()))
        };
        Ok(FontFamily {
            regular: embedded(dejavu::sans::regular())?,
            bold: embedded(dejavu::sans::bold())?,
            italic: self.italic.clone(),
            bold_italic: self.bold_italic.clone(),
        })
    }
}
