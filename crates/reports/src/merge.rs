//! Joins the PDFs of a report's parts into one, with qpdf.

use qpdf::{QPdf, StreamDecodeLevel};

use crate::error::PdfError;

/// The pages of `parts`, in order, as one PDF. The first part's catalog and metadata are kept.
pub(crate) fn merge_pdfs(parts: &[Vec<u8>]) -> Result<Vec<u8>, PdfError> {
    let Some((first, rest)) = parts.split_first() else {
        return Err(PdfError::Merge("no part to merge".to_owned()));
    };
    let merged = QPdf::read_from_memory(first)?;
    for part in rest {
        let other = QPdf::read_from_memory(part)?;
        for page in other.get_pages()? {
            merged.add_page(&page, false)?;
        }
    }
    let mut writer = merged.writer();
    // Content and font streams leave the layout library uncompressed: compress them once here.
    writer.compress_streams(true).stream_decode_level(StreamDecodeLevel::None);
    Ok(writer.write_to_memory()?)
}
