//! The SMTP adapter against a real SMTP server: `tests/support/smtp_sink.py` (aiosmtpd) at the
//! repository root, plain, with STARTTLS and with implicit TLS, with and without AUTH.
//!
//! `SURGICASE_TEST_SMTP_URL` (`smtp://host:port`, plain, no auth) points the delivery test at
//! another server instead; the messages are then checked only when
//! `SURGICASE_TEST_SMTP_OUT_DIR` names the directory that server writes `.eml` files to.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use mailparse::{MailHeaderMap, parse_mail};
use surgicase_mail::{SmtpMailer, SmtpSecurity, SmtpSettings};
use surgicase_ports::{Attachment, MailError, MailMessage, Mailer};

const USER: &str = "reports@example.com";
const PASSWORD: &str = "sink-Pa55word-7f3a";

/// A running sink; killed when dropped.
struct Sink {
    child: Child,
    port: u16,
    out: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sink {
    fn ca_pem(&self) -> Vec<u8> {
        std::fs::read(self.out.path().join("ca.pem")).unwrap()
    }

    /// The messages received so far, as (envelope json, raw bytes).
    fn received(&self) -> Vec<(serde_like::Envelope, Vec<u8>)> {
        received_in(self.out.path())
    }
}

/// Just enough JSON reading for the sink's envelope files (no JSON crate needed).
mod serde_like {
    #[derive(Debug, PartialEq, Eq)]
    pub struct Envelope {
        pub mail_from: String,
        pub rcpt_tos: Vec<String>,
    }

    pub fn parse(text: &str) -> Envelope {
        let strings: Vec<String> = text.split('"').skip(1).step_by(2).map(str::to_owned).collect();
        // {"mail_from": "<from>", "rcpt_tos": ["a", "b"]}
        let from_at = strings.iter().position(|s| s == "mail_from").unwrap();
        let rcpt_at = strings.iter().position(|s| s == "rcpt_tos").unwrap();
        Envelope { mail_from: strings[from_at + 1].clone(), rcpt_tos: strings[rcpt_at + 1..].to_vec() }
    }
}

fn received_in(dir: &Path) -> Vec<(serde_like::Envelope, Vec<u8>)> {
    let mut emls: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    emls.sort();
    emls.into_iter()
        .map(|eml| {
            let envelope = std::fs::read_to_string(eml.with_extension("json")).unwrap();
            (serde_like::parse(&envelope), std::fs::read(&eml).unwrap())
        })
        .collect()
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/support/smtp_sink.py")
}

/// Whether python3 with aiosmtpd is here; when not, a skip (a failure under
/// `SURGICASE_TEST_REQUIRE_ALL=1`).
fn sink_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd, cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return true;
    }
    surgicase_testkit::env::skip(
        "python3 with aiosmtpd is not installed (python3 -m pip install aiosmtpd cryptography)",
    );
    false
}

fn start_sink(tls: &str, auth: bool) -> Sink {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = Command::new("python3");
    cmd.arg(script()).arg("--out").arg(out.path()).args(["--tls", tls]);
    if auth {
        cmd.args(["--auth", &format!("{USER}:{PASSWORD}")]);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port =
        line.trim().strip_prefix("READY ").unwrap_or_else(|| panic!("sink said {line:?}")).parse().unwrap();
    Sink { child, port, out }
}

fn settings(
    port: u16,
    security: SmtpSecurity,
    credentials: Option<(&str, &str)>,
    ca: Option<Vec<u8>>,
) -> SmtpSettings {
    SmtpSettings {
        host: "localhost".to_owned(),
        port,
        security,
        credentials: credentials.map(|(u, p)| (u.to_owned(), p.to_owned())),
        timeout: Duration::from_secs(10),
        extra_root_pem: ca,
    }
}

fn message(body: &str) -> MailMessage {
    MailMessage {
        from: "SurgiCase <reports@example.com>".to_owned(),
        to: vec!["zoe@example.com".to_owned(), "Sean O'Connor <sean@example.org>".to_owned()],
        subject: "Provider Payment Report – Zoë".to_owned(),
        text_body: body.to_owned(),
        attachments: vec![Attachment {
            file_name: "provider_payment_report_20250310_090000.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            bytes: (0..=255u8).cycle().take(5000).collect(),
        }],
    }
}

/// The received message matches what was sent: envelope, headers, attachment bytes.
fn check_delivery(envelope: &serde_like::Envelope, raw: &[u8], sent: &MailMessage, id: &str) {
    assert_eq!(envelope.mail_from, "reports@example.com");
    assert_eq!(envelope.rcpt_tos, ["zoe@example.com", "sean@example.org"]);
    let mail = parse_mail(raw).unwrap();
    assert_eq!(mail.headers.get_first_value("Subject").as_deref(), Some(sent.subject.as_str()));
    assert_eq!(mail.headers.get_first_value("Message-ID").as_deref(), Some(id));
    let attachment = &mail.subparts[1];
    assert_eq!(
        attachment.get_content_disposition().params.get("filename").map(String::as_str),
        Some(sent.attachments[0].file_name.as_str())
    );
    assert_eq!(attachment.get_body_raw().unwrap(), sent.attachments[0].bytes);
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn plain_delivery_with_auth_and_no_password_in_the_message() {
    if let Some(url) = surgicase_testkit::env::optional_env(surgicase_testkit::env::SMTP_URL) {
        return external_server(&url).await;
    }
    if !sink_available() {
        return;
    }
    let sink = start_sink("none", true);
    let mailer =
        SmtpMailer::new(&settings(sink.port, SmtpSecurity::Plain, Some((USER, PASSWORD)), None)).unwrap();
    let sent = message("Your report is attached.\n");
    let id = mailer.send(&sent).await.unwrap();
    // The caller puts the password in a body: then, and only then, it is in the message.
    let with_password = message(&format!("Password: {PASSWORD}\n"));
    mailer.send(&with_password).await.unwrap();

    let received = sink.received();
    assert_eq!(received.len(), 2);
    check_delivery(&received[0].0, &received[0].1, &sent, &id);
    assert!(!contains(&received[0].1, PASSWORD), "the SMTP password leaked into the message");
    assert!(contains(&received[1].1, PASSWORD));
}

async fn external_server(url: &str) {
    let rest = url.strip_prefix("smtp://").unwrap_or(url);
    let (host, port) = rest.trim_end_matches('/').rsplit_once(':').unwrap();
    let mut s = settings(port.parse().unwrap(), SmtpSecurity::Plain, None, None);
    s.host = host.to_owned();
    let sent = message("Your report is attached.\n");
    let id = SmtpMailer::new(&s).unwrap().send(&sent).await.unwrap();
    if let Some(dir) = surgicase_testkit::env::optional_env(surgicase_testkit::env::SMTP_OUT_DIR) {
        let received = received_in(Path::new(&dir));
        let last = received.last().unwrap();
        check_delivery(&last.0, &last.1, &sent, &id);
    }
}

#[tokio::test]
async fn starttls_and_implicit_tls_deliver() {
    if !sink_available() {
        return;
    }
    for (tls, security) in [("starttls", SmtpSecurity::StartTls), ("implicit", SmtpSecurity::ImplicitTls)] {
        let sink = start_sink(tls, true);
        let mailer =
            SmtpMailer::new(&settings(sink.port, security, Some((USER, PASSWORD)), Some(sink.ca_pem())))
                .unwrap();
        let sent = message("Over TLS.\n");
        let id = mailer.send(&sent).await.unwrap_or_else(|e| panic!("{tls}: {e}"));
        let received = sink.received();
        assert_eq!(received.len(), 1, "{tls}");
        check_delivery(&received[0].0, &received[0].1, &sent, &id);
    }
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    if !sink_available() {
        return;
    }
    let sink = start_sink("starttls", false);
    let mailer = SmtpMailer::new(&settings(sink.port, SmtpSecurity::StartTls, None, None)).unwrap();
    let err = mailer.send(&message("x")).await.unwrap_err();
    assert!(matches!(err, MailError::Unavailable(_)), "{err:?}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_wrong_password_is_an_auth_error() {
    if !sink_available() {
        return;
    }
    let sink = start_sink("none", true);
    let mailer =
        SmtpMailer::new(&settings(sink.port, SmtpSecurity::Plain, Some((USER, "wrong")), None)).unwrap();
    let err = mailer.send(&message("x")).await.unwrap_err();
    assert!(matches!(err, MailError::Auth(_)), "{err:?}");
    assert!(sink.received().is_empty());
}

#[tokio::test]
async fn a_refused_connection_is_unavailable() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut s = settings(port, SmtpSecurity::Plain, None, None);
    s.host = "127.0.0.1".to_owned();
    let err = SmtpMailer::new(&s).unwrap().send(&message("x")).await.unwrap_err();
    assert!(matches!(err, MailError::Unavailable(_)), "{err:?}");
}

#[tokio::test]
async fn credentials_the_server_will_not_take_in_the_clear_are_an_auth_error() {
    if !sink_available() {
        return;
    }
    // This sink offers AUTH only after STARTTLS; a plain client finds no mechanism to use.
    let sink = start_sink("starttls", true);
    let mailer =
        SmtpMailer::new(&settings(sink.port, SmtpSecurity::Plain, Some((USER, PASSWORD)), None)).unwrap();
    let err = mailer.send(&message("x")).await.unwrap_err();
    assert!(matches!(err, MailError::Auth(_)), "{err:?}");
    assert!(sink.received().is_empty());
}
