//! The outbox writes one readable RFC 5322 file per message: parsed back, it has the
//! recipients, subject, body and the attachment's exact bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use mailparse::{DispositionType, MailHeaderMap, parse_mail};
use surgicase_mail::OutboxMailer;
use surgicase_ports::{Attachment, MailError, MailMessage, Mailer};

fn message() -> MailMessage {
    // Bytes that survive only an exact binary round trip.
    let pdf: Vec<u8> = b"%PDF-1.7\n".iter().copied().chain((0..=255u8).cycle().take(3000)).collect();
    MailMessage {
        from: "SurgiCase Reports <reports@example.com>".to_owned(),
        to: vec!["zoe@example.com".to_owned(), "Sean O'Connor <sean@example.org>".to_owned()],
        subject: "Provider Payment Report – Zoë Ångström".to_owned(),
        text_body: "Dear Zoë,\n\nyour report is attached.\n".to_owned(),
        attachments: vec![Attachment {
            file_name: "provider_payment_report_1234567893_20250310.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: pdf,
        }],
    }
}

#[tokio::test]
async fn a_message_round_trips_through_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = OutboxMailer::new(dir.path().join("outbox")).unwrap();
    let sent = message();
    let id = outbox.send(&sent).await.unwrap();

    let files: Vec<_> = std::fs::read_dir(outbox.dir()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];
    let local = id.trim_start_matches('<').split('@').next().unwrap();
    assert_eq!(file.file_name().unwrap().to_str().unwrap(), format!("{local}.eml"));

    let raw = std::fs::read(file).unwrap();
    let mail = parse_mail(&raw).unwrap();
    assert_eq!(mail.headers.get_first_value("Subject").as_deref(), Some(sent.subject.as_str()));
    assert_eq!(mail.headers.get_first_value("Message-ID").as_deref(), Some(id.as_str()));
    let to = mailparse::addrparse_header(mail.headers.get_first_header("To").unwrap()).unwrap();
    let addresses: Vec<String> = to
        .iter()
        .flat_map(|a| match a {
            mailparse::MailAddr::Single(s) => vec![s.addr.clone()],
            mailparse::MailAddr::Group(g) => g.addrs.iter().map(|s| s.addr.clone()).collect(),
        })
        .collect();
    assert_eq!(addresses, ["zoe@example.com", "sean@example.org"]);

    assert_eq!(mail.subparts.len(), 2);
    assert_eq!(mail.subparts[0].get_body().unwrap().replace("\r\n", "\n"), sent.text_body);
    let attachment = &mail.subparts[1];
    let disposition = attachment.get_content_disposition();
    assert_eq!(disposition.disposition, DispositionType::Attachment);
    assert_eq!(
        disposition.params.get("filename").map(String::as_str),
        Some("provider_payment_report_1234567893_20250310.pdf")
    );
    assert_eq!(attachment.ctype.mimetype, "application/pdf");
    assert_eq!(attachment.headers.get_first_value("Content-Transfer-Encoding").as_deref(), Some("base64"));
    assert_eq!(attachment.get_body_raw().unwrap(), sent.attachments[0].bytes);
}

#[cfg(unix)]
#[tokio::test]
async fn files_are_private_and_no_temporary_file_is_left() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let outbox = OutboxMailer::new(dir.path().join("a/b")).unwrap();
    for _ in 0..3 {
        outbox.send(&message()).await.unwrap();
    }
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(outbox.dir()), 0o700);
    let names: Vec<String> = std::fs::read_dir(outbox.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    for name in &names {
        assert!(name.ends_with(".eml") && !name.starts_with('.'), "{name}");
        assert_eq!(mode(&outbox.dir().join(name)), 0o600, "{name}");
    }
}

#[tokio::test]
async fn an_invalid_message_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = OutboxMailer::new(dir.path()).unwrap();
    let err = outbox.send(&MailMessage { to: vec![], ..message() }).await.unwrap_err();
    assert!(matches!(err, MailError::InvalidMessage(_)), "{err:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
