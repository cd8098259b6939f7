//! [`TextRenderer`]: a report renderer without PDF machinery for use-case tests. "Rendering"
//! writes the document's texts one per line after a `%PDF-` marker; "encrypting" wraps the
//! bytes with the password, so a test can see which password a report got. Either step can be
//! switched to fail.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use surgicase_payments::{ReportDocument, ReportPassword};
use surgicase_ports::reports::{RenderError, ReportRenderer};

/// Clones share the failure switches.
#[derive(Debug, Clone, Default)]
pub struct TextRenderer {
    fail_render: Arc<AtomicBool>,
    fail_encrypt: Arc<AtomicBool>,
}

/// What [`TextRenderer::encrypt`] puts before the bytes.
pub const ENCRYPTED_MARKER: &str = "%ENCRYPTED password=";

impl TextRenderer {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set_render_failing(&self, failing: bool) {
        self.fail_render.store(failing, Ordering::SeqCst);
    }

    pub fn set_encrypt_failing(&self, failing: bool) {
        self.fail_encrypt.store(failing, Ordering::SeqCst);
    }

    /// The password a `TextRenderer`-encrypted report was encrypted with.
    pub fn password_of(bytes: &[u8]) -> Option<String> {
        let text = String::from_utf8_lossy(bytes);
        let rest = text.strip_prefix(ENCRYPTED_MARKER)?;
        rest.split_once('\n').map(|(password, _)| password.to_owned())
    }
}

impl ReportRenderer for TextRenderer {
    fn render(&self, document: &ReportDocument) -> Result<Vec<u8>, RenderError> {
        if self.fail_render.load(Ordering::SeqCst) {
            return Err(RenderError::Render("text renderer switched off".to_owned()));
        }
        let mut out = String::from("%PDF-text\n");
        for text in document.texts() {
            out.push_str(text);
            out.push('\n');
        }
        Ok(out.into_bytes())
    }

    fn encrypt(&self, pdf: &[u8], user_password: &ReportPassword) -> Result<Vec<u8>, RenderError> {
        if self.fail_encrypt.load(Ordering::SeqCst) {
            return Err(RenderError::Encrypt("text renderer switched off".to_owned()));
        }
        let mut out = format!("{ENCRYPTED_MARKER}{}\n", user_password.expose()).into_bytes();
        out.extend_from_slice(pdf);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> ReportDocument {
        ReportDocument {
            title: "T".into(),
            header: "Co - T".into(),
            report_date: "Report Date: March 10, 2025".into(),
            generated_on: "Report generated on: x".into(),
            sections: vec![],
        }
    }

    #[test]
    fn renders_texts_and_marks_the_password() {
        let r = TextRenderer::new();
        let pdf = r.render(&doc()).unwrap();
        assert_eq!(
            String::from_utf8(pdf.clone()).unwrap(),
            "%PDF-text\nCo - T\nReport Date: March 10, 2025\nReport generated on: x\n"
        );
        let encrypted = r.encrypt(&pdf, &ReportPassword::new("doe_1234567893".into()).unwrap()).unwrap();
        assert_eq!(TextRenderer::password_of(&encrypted).as_deref(), Some("doe_1234567893"));
        assert_eq!(TextRenderer::password_of(&pdf), None);
    }

    #[test]
    fn switches() {
        let r = TextRenderer::new();
        r.set_render_failing(true);
        assert!(matches!(r.render(&doc()), Err(RenderError::Render(_))));
        r.set_encrypt_failing(true);
        let password = ReportPassword::new("long-enough".into()).unwrap();
        assert!(matches!(r.encrypt(b"x", &password), Err(RenderError::Encrypt(_))));
    }
}
