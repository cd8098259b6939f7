//! Mailer adapters: SMTP through lettre (STARTTLS, implicit TLS, or plain for local relays and
//! tests; optional authentication; timeouts) and an outbox directory that keeps each message as
//! an RFC 5322 `.eml` file (the embedded default, and a way to read what would have been sent).

mod message;
mod outbox;
mod smtp;

pub use message::build_message;
pub use outbox::OutboxMailer;
pub use smtp::{SmtpMailer, SmtpSecurity, SmtpSettings};
