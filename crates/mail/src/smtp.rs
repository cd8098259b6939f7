//! SMTP through lettre over rustls (aws-lc-rs), the TLS stack the workspace already uses.

use std::time::Duration;

use async_trait::async_trait;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use surgicase_ports::{MailError, MailMessage, Mailer};

use crate::message::build_message;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which the server must offer (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    ImplicitTls,
    /// No TLS: a relay on the same host, or tests.
    Plain,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    /// User name and password, when the server wants authentication (PLAIN or LOGIN).
    pub credentials: Option<(String, String)>,
    /// Connect, command and TLS timeout.
    pub timeout: Duration,
    /// PEM certificates trusted besides the system's (a private relay's CA).
    pub extra_root_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpSettings {
    // The password never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").finish_non_exhaustive()
    }
}

impl SmtpMailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let tls = match settings.security {
            SmtpSecurity::Plain => Tls::None,
            SmtpSecurity::StartTls => Tls::Required(tls_parameters(settings)?),
            SmtpSecurity::ImplicitTls => Tls::Wrapper(tls_parameters(settings)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.timeout));
        if let Some((user, password)) = &settings.credentials {
            builder = builder
                .credentials(Credentials::new(user.clone(), password.clone()))
                .authentication(vec![Mechanism::Plain, Mechanism::Login]);
        }
        Ok(Self { transport: builder.build() })
    }
}

fn tls_parameters(settings: &SmtpSettings) -> Result<TlsParameters, MailError> {
    let mut builder = TlsParameters::builder(settings.host.clone());
    if let Some(pem) = &settings.extra_root_pem {
        let certificate = Certificate::from_pem(pem)
            .map_err(|e| MailError::Unavailable(format!("extra root certificate: {e}")))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|e| MailError::Unavailable(format!("TLS setup: {e}")))
}

/// SMTP replies 530, 534 and 535 are authentication refusals; other replies are the server
/// refusing the message; no reply at all means it could not be reached. A server that offers
/// no mechanism the credentials can use is an authentication problem too (lettre reports it
/// as a client error, told apart only by its text).
fn classify(error: lettre::transport::smtp::Error) -> MailError {
    let code = error.status().map(|c| c.to_string());
    let text = error.to_string();
    match code.as_deref() {
        Some("530" | "534" | "535") => MailError::Auth(text),
        Some(_) => MailError::Rejected(text),
        None if error.is_client() && text.contains("authentication mechanism") => MailError::Auth(text),
        None => MailError::Unavailable(text),
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: &MailMessage) -> Result<String, MailError> {
        let (email, id) = build_message(message)?;
        self.transport.send(email).await.map_err(classify)?;
        Ok(id)
    }
}
