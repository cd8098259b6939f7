//! One port message as an RFC 5322 message: a text part, then one base64 part per attachment.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use surgicase_ports::{MailError, MailMessage};

/// The message with a fresh `Message-ID` under the sender's domain, and that id.
pub fn build_message(message: &MailMessage) -> Result<(Message, String), MailError> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| MailError::InvalidMessage(format!("{what}: {e}"));
    if message.to.is_empty() {
        return Err(MailError::InvalidMessage("no recipient".to_owned()));
    }
    let from: Mailbox = message.from.parse().map_err(|e| invalid("from address", &e))?;
    let id = format!("<{}@{}>", uuid::Uuid::new_v4().simple(), from.email.domain());
    let mut builder =
        Message::builder().from(from).subject(message.subject.as_str()).message_id(Some(id.clone()));
    for to in &message.to {
        builder = builder.to(to.parse().map_err(|e| invalid("recipient address", &e))?);
    }
    let text = SinglePart::plain(message.text_body.clone());
    let email = if message.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for attachment in &message.attachments {
            let content_type = ContentType::parse(&attachment.content_type)
                .map_err(|e| invalid("attachment content type", &e))?;
            parts = parts.singlepart(
                Attachment::new(attachment.file_name.clone()).body(attachment.bytes.clone(), content_type),
            );
        }
        builder.multipart(parts)
    }
    .map_err(|e| invalid("message", &e))?;
    Ok((email, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use surgicase_ports::Attachment as PortAttachment;

    fn message() -> MailMessage {
        MailMessage {
            from: "SurgiCase <reports@example.com>".to_owned(),
            to: vec!["a@example.com".to_owned()],
            subject: "Report".to_owned(),
            text_body: "Body".to_owned(),
            attachments: vec![],
        }
    }

    #[test]
    fn refusals() {
        let table: Vec<(MailMessage, &str)> = vec![
            (MailMessage { to: vec![], ..message() }, "no recipient"),
            (MailMessage { from: "not an address".to_owned(), ..message() }, "from address"),
            (
                MailMessage { to: vec!["a@example.com".to_owned(), "bad@".to_owned()], ..message() },
                "recipient address",
            ),
            (
                MailMessage {
                    attachments: vec![PortAttachment {
                        file_name: "a.pdf".to_owned(),
                        content_type: "not a type".to_owned(),
                        bytes: vec![1],
                    }],
                    ..message()
                },
                "attachment content type",
            ),
        ];
        for (input, what) in table {
            match build_message(&input) {
                Err(MailError::InvalidMessage(text)) => assert!(text.starts_with(what), "{text}"),
                other => panic!("{what}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_id_uses_the_senders_domain() {
        let (email, id) = build_message(&message()).unwrap();
        assert!(id.starts_with('<') && id.ends_with("@example.com>"), "{id}");
        let text = String::from_utf8(email.formatted()).unwrap();
        assert!(text.contains(&format!("Message-ID: {id}")), "{text}");
    }
}
