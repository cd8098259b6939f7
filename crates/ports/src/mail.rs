//! The mail port: send one message (SMTP or SES-compatible in production, an outbox directory
//! in the embedded default). Callers record every attempt in `email_log`; a send failure never
//! fails the request that caused it.

use async_trait::async_trait;

/// A file sent with a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Attachment {
    // Attachments may be whole reports: show their size, not their bytes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One plain-text message. Addresses are used as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailMessage {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text_body: String,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message cannot be sent as given (no recipient, an unparsable address or header).
    #[error("invalid message: {0}")]
    InvalidMessage(String),
    /// The server could not be reached, or the connection or TLS failed or timed out.
    #[error("mail server unavailable: {0}")]
    Unavailable(String),
    /// The server refused the configured credentials.
    #[error("mail server refused authentication: {0}")]
    Auth(String),
    /// The server refused the message or a recipient.
    #[error("mail server rejected the message: {0}")]
    Rejected(String),
    /// The outbox could not be written.
    #[error("mail outbox: {0}")]
    Outbox(String),
}

#[async_trait]
pub trait Mailer: Send + Sync {
    /// Sends `message`; returns its `Message-ID` header (the outbox names its file after it).
    async fn send(&self, message: &MailMessage) -> Result<String, MailError>;
}
