//! Case document fields, file names and content signatures (domain §14.2).

use std::fmt;

use serde::{Deserialize, Serialize};
pub use surgicase_kernel::DocumentField;
use surgicase_kernel::{FieldCode, ValueError};

/// The accepted content types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Pdf,
    Jpeg,
    Png,
}

impl DocumentKind {
    /// The MIME type recorded and served.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// A declared content type (case-insensitive, parameters ignored), `None` when not accepted.
    pub fn from_content_type(raw: &str) -> Option<Self> {
        let essence = raw.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        [Self::Pdf, Self::Jpeg, Self::Png].into_iter().find(|k| k.content_type() == essence)
    }

    /// The kind an extension (without the dot, any case) denotes.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "pdf" => Some(Self::Pdf),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    fn signature(self) -> &'static [u8] {
        match self {
            Self::Pdf => b"%PDF-",
            Self::Jpeg => &[0xFF, 0xD8, 0xFF],
            Self::Png => &[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
        }
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.content_type())
    }
}

/// The kind whose signature `bytes` start with.
pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
    [DocumentKind::Pdf, DocumentKind::Jpeg, DocumentKind::Png]
        .into_iter()
        .find(|k| bytes.starts_with(k.signature()))
}

/// Longest accepted file name, in characters.
pub const NAME_MAX: usize = 200;

/// A safe document file name: usable as the last segment of an object key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentName(String);

fn allowed_char(c: char) -> bool {
    c.is_alphabetic()
        || c.is_ascii_digit()
        || matches!(c, ' ' | '.' | '_' | '-' | '(' | ')' | '+' | ',' | '\'' | '&' | '#')
}

impl DocumentName {
    /// Validates a file name as given (no trimming: a leading space is refused, not removed).
    /// Legacy names set through `demo_file` etc. follow the same rule.
    pub fn parse(raw: &str) -> Result<Self, ValueError> {
        if raw.is_empty() {
            return Err(ValueError::required());
        }
        if raw.chars().count() > NAME_MAX {
            return Err(ValueError::too_long(NAME_MAX));
        }
        if !raw.chars().all(allowed_char) {
            return Err(ValueError::new(
                FieldCode::InvalidCharacters,
                "may contain only letters, digits, space and . _ - ( ) + , ' & #",
            ));
        }
        if raw.starts_with('.') || raw.starts_with(' ') {
            return Err(ValueError::new(FieldCode::InvalidFormat, "must not start with '.' or a space"));
        }
        if extension_kind(raw).is_none() {
            return Err(ValueError::new(FieldCode::InvalidFormat, "must end in .pdf, .jpg, .jpeg or .png"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The kind the extension denotes.
    pub fn kind(&self) -> DocumentKind {
        // A constructed name always has an accepted extension; PDF is the safe fallback.
        extension_kind(&self.0).unwrap_or(DocumentKind::Pdf)
    }
}

fn extension_kind(name: &str) -> Option<DocumentKind> {
    name.rsplit_once('.').and_then(|(_, ext)| DocumentKind::from_extension(ext))
}

impl TryFrom<String> for DocumentName {
    type Error = ValueError;
    fn try_from(raw: String) -> Result<Self, ValueError> {
        Self::parse(&raw)
    }
}

impl From<DocumentName> for String {
    fn from(name: DocumentName) -> String {
        name.0
    }
}

impl AsRef<str> for DocumentName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why document content is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// 422 `empty_document`.
    #[error("the document is empty")]
    Empty,
    /// 413 `payload_too_large`.
    #[error("the document has {size} bytes, more than the limit of {limit}")]
    TooLarge { size: u64, limit: u64 },
    /// 415 `unsupported_document_type`: the bytes do not carry the expected signature.
    #[error("the content is not {}", expected.content_type())]
    Mismatch { expected: DocumentKind, detected: Option<DocumentKind> },
}

/// Checks stored bytes against the expected kind (from the file name or declared type) and the
/// size limit; returns the detected kind, whose content type is the one recorded.
pub fn check_content(
    expected: DocumentKind,
    bytes: &[u8],
    max_bytes: u64,
) -> Result<DocumentKind, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    let size = bytes.len() as u64;
    if size > max_bytes {
        return Err(DocumentError::TooLarge { size, limit: max_bytes });
    }
    match sniff(bytes) {
        Some(kind) if kind == expected => Ok(kind),
        detected => Err(DocumentError::Mismatch { expected, detected }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names() {
        let long_ok = format!("{}.pdf", "a".repeat(196));
        let long_bad = format!("{}.pdf", "a".repeat(197));
        let table: &[(&str, Result<DocumentKind, FieldCode>)] = &[
            ("scan.pdf", Ok(DocumentKind::Pdf)),
            ("x.PDF", Ok(DocumentKind::Pdf)),
            ("photo.JpG", Ok(DocumentKind::Jpeg)),
            ("photo.jpeg", Ok(DocumentKind::Jpeg)),
            ("img.png", Ok(DocumentKind::Png)),
            ("Op note (final) #2, Smith & Co's + v1_2-b.pdf", Ok(DocumentKind::Pdf)),
            ("résumé.pdf", Ok(DocumentKind::Pdf)),
            ("a..pdf", Ok(DocumentKind::Pdf)),
            (&long_ok, Ok(DocumentKind::Pdf)),
            (&long_bad, Err(FieldCode::TooLong)),
            ("", Err(FieldCode::Required)),
            ("../x.pdf", Err(FieldCode::InvalidCharacters)),
            ("/etc/x.pdf", Err(FieldCode::InvalidCharacters)),
            ("a\\b.pdf", Err(FieldCode::InvalidCharacters)),
            ("a\0b.pdf", Err(FieldCode::InvalidCharacters)),
            ("a\nb.pdf", Err(FieldCode::InvalidCharacters)),
            ("a\tb.pdf", Err(FieldCode::InvalidCharacters)),
            ("a;b.pdf", Err(FieldCode::InvalidCharacters)),
            ("a%20b.pdf", Err(FieldCode::InvalidCharacters)),
            (".hidden.pdf", Err(FieldCode::InvalidFormat)),
            (" x.pdf", Err(FieldCode::InvalidFormat)),
            (".pdf", Err(FieldCode::InvalidFormat)),
            ("x.exe", Err(FieldCode::InvalidFormat)),
            ("x.pdf.exe", Err(FieldCode::InvalidFormat)),
            ("pdf", Err(FieldCode::InvalidFormat)),
            ("x.pdf ", Err(FieldCode::InvalidFormat)),
            ("x.gif", Err(FieldCode::InvalidFormat)),
        ];
        for (raw, expected) in table {
            let got = DocumentName::parse(raw).map(|n| n.kind()).map_err(|e| e.code);
            assert_eq!(got, *expected, "{raw:?}");
        }
    }

    #[test]
    fn sniffing() {
        let table: &[(&[u8], Option<DocumentKind>)] = &[
            (b"%PDF-1.7\n...", Some(DocumentKind::Pdf)),
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], Some(DocumentKind::Jpeg)),
            (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0], Some(DocumentKind::Png)),
            (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A], None),
            (b"%PDF", None),
            (&[0xFF, 0xD8], None),
            (b"GIF89a", None),
            (b"", None),
        ];
        for (bytes, kind) in table {
            assert_eq!(sniff(bytes), *kind, "{bytes:?}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(DocumentKind::Pdf.content_type(), "application/pdf");
        assert_eq!(DocumentKind::Jpeg.content_type(), "image/jpeg");
        assert_eq!(DocumentKind::Png.content_type(), "image/png");
        assert_eq!(DocumentKind::from_content_type("Image/PNG; charset=x"), Some(DocumentKind::Png));
        assert_eq!(DocumentKind::from_content_type("image/jpg"), None);
        assert_eq!(DocumentKind::from_content_type("text/plain"), None);
    }

    #[test]
    fn content_checks() {
        let pdf = b"%PDF-1.4 body";
        assert_eq!(check_content(DocumentKind::Pdf, pdf, 100), Ok(DocumentKind::Pdf));
        assert_eq!(check_content(DocumentKind::Pdf, b"", 100), Err(DocumentError::Empty));
        assert_eq!(
            check_content(DocumentKind::Pdf, pdf, 5),
            Err(DocumentError::TooLarge { size: 13, limit: 5 })
        );
        assert_eq!(
            check_content(DocumentKind::Png, pdf, 100),
            Err(DocumentError::Mismatch { expected: DocumentKind::Png, detected: Some(DocumentKind::Pdf) })
        );
        assert_eq!(
            check_content(DocumentKind::Jpeg, b"hello", 100),
            Err(DocumentError::Mismatch { expected: DocumentKind::Jpeg, detected: None })
        );
    }
}
