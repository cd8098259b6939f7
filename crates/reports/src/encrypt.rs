//! AES-256 (PDF R6) encryption with qpdf. The user password opens the file; the owner password
//! is random and thrown away, so nobody can lift the restrictions.

use qpdf::{EncryptionParams, EncryptionParamsR6, PrintPermission, QPdf, StreamDecodeLevel};
use rand::RngExt;
use rand::distr::Alphanumeric;

use crate::error::PdfError;

const OWNER_PASSWORD_CHARS: usize = 32;

/// `pdf` encrypted so that opening it needs `user_password`. Uncompressed streams (the layout
/// library writes content and fonts uncompressed) are compressed on the way; compressed ones
/// are passed through, not decoded and compressed again.
pub fn encrypt_pdf(pdf: &[u8], user_password: &str) -> Result<Vec<u8>, PdfError> {
    let owner_password: String =
        rand::rng().sample_iter(&Alphanumeric).take(OWNER_PASSWORD_CHARS).map(char::from).collect();
    let source = QPdf::read_from_memory(pdf)?;
    let mut writer = source.writer();
    writer.compress_streams(true).stream_decode_level(StreamDecodeLevel::None).encryption_params(
        EncryptionParams::R6(EncryptionParamsR6 {
            user_password: user_password.to_owned(),
            owner_password,
            allow_accessibility: true,
            allow_extract: false,
            allow_assemble: false,
            allow_annotate_and_form: false,
            allow_form_filling: false,
            allow_modify_other: false,
            allow_print: PrintPermission::Full,
            encrypt_metadata: true,
        }),
    );
    Ok(writer.write_to_memory()?)
}
