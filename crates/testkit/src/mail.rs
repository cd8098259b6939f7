//! [`RecordingMailer`]: a mailer in memory that keeps what it was asked to send, and can be
//! switched to fail like an unreachable server.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use surgicase_ports::mail::{MailError, MailMessage, Mailer};

#[derive(Debug, Default)]
struct State {
    sent: Vec<MailMessage>,
    failing: bool,
    attempts: usize,
}

/// Clones share the same outbox.
#[derive(Debug, Clone, Default)]
pub struct RecordingMailer {
    state: Arc<Mutex<State>>,
}

impl RecordingMailer {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.state.lock() {
            Ok(mut guard) => f(&mut guard),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// While set, every send fails with `MailError::Unavailable` and nothing is kept.
    pub fn set_failing(&self, failing: bool) {
        self.with(|s| s.failing = failing);
    }

    /// The messages sent, in order.
    pub fn sent(&self) -> Vec<MailMessage> {
        self.with(|s| s.sent.clone())
    }

    /// Send calls, failed ones included.
    pub fn attempts(&self) -> usize {
        self.with(|s| s.attempts)
    }
}

#[async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, message: &MailMessage) -> Result<String, MailError> {
        self.with(|s| {
            s.attempts += 1;
            if s.failing {
                return Err(MailError::Unavailable("recording mailer switched off".to_owned()));
            }
            if message.to.is_empty() {
                return Err(MailError::InvalidMessage("no recipient".to_owned()));
            }
            s.sent.push(message.clone());
            Ok(format!("<{}@recording.test>", s.sent.len()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(to: &[&str]) -> MailMessage {
        MailMessage {
            from: "a@example.com".into(),
            to: to.iter().map(|t| (*t).to_owned()).collect(),
            subject: "s".into(),
            text_body: "b".into(),
            attachments: vec![],
        }
    }

    #[tokio::test]
    async fn keeps_what_was_sent_and_fails_when_switched_off() {
        let mailer = RecordingMailer::new();
        assert_eq!(mailer.send(&message(&["x@example.com"])).await.unwrap(), "<1@recording.test>");
        assert!(matches!(mailer.send(&message(&[])).await, Err(MailError::InvalidMessage(_))));
        mailer.set_failing(true);
        assert!(matches!(mailer.send(&message(&["y@example.com"])).await, Err(MailError::Unavailable(_))));
        assert_eq!(mailer.attempts(), 3);
        assert_eq!(mailer.sent(), [message(&["x@example.com"])]);
    }
}
