//! Sending e-mail: a [`MailTransport`] chosen by configuration.
//!
//! - `smtp`: an SMTP server with `lettre` (plain, STARTTLS or TLS; credentials
//!   and sender from `[mail]`);
//! - `file` (the default of the run command): each mail is written as an
//!   `.eml` file to a folder, so a new user can read what the platform sends;
//! - `log`: one log line per mail (recipient domain, subject, Message-ID; no body).
//!
//! Mails are only ever sent by the outbox worker ([`crate::outbox`]); nothing
//! on the request path talks to a mail server.

pub mod template;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// A rendered mail, ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// `Message-ID` with its angle brackets, the same on every attempt.
    pub message_id: String,
    /// The recipient's address.
    pub to: String,
    /// Subject, one line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
}

/// Why a mail was not sent.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// Worth retrying later (connection refused, timeout, a 4xx reply).
    #[error("{0}")]
    Transient(String),
    /// Retrying will not help (a 5xx reply such as an unknown mailbox, an invalid address).
    #[error("{0}")]
    Permanent(String),
}

/// Where mails go.
#[async_trait]
pub trait MailTransport: Send + Sync {
    /// Sends one mail.
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError>;
}

/// How mails leave the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TransportKind {
    /// An SMTP server.
    Smtp,
    /// `.eml` files in a folder (development).
    #[default]
    File,
    /// A log line per mail (development).
    Log,
}

/// Transport security towards the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain SMTP, then upgrade with STARTTLS (required).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a relay on the same host or in tests.
    None,
}

/// `[mail]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    /// Queue mails at all. `false` queues none (an installation that sends no
    /// mail, or a measurement of the submit path without the outbox write).
    pub enabled: bool,
    /// `file` (default), `smtp` or `log`.
    pub transport: TransportKind,
    /// The sender, e.g. `E-tjänster <noreply@kommun.se>`.
    pub from: String,
    /// The domain of generated Message-IDs; the sender's domain when unset.
    pub message_id_domain: Option<String>,
    /// Folder of the `file` transport.
    pub dir: PathBuf,
    /// SMTP server settings.
    pub smtp: SmtpSettings,
    /// The delivery worker.
    pub outbox: OutboxSettings,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            transport: TransportKind::default(),
            from: "E-tjänster <noreply@example.se>".into(),
            message_id_domain: None,
            dir: "data/mail".into(),
            smtp: SmtpSettings::default(),
            outbox: OutboxSettings::default(),
        }
    }
}

/// `[mail.smtp]` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct SmtpSettings {
    /// Host name (also the name the TLS certificate must carry).
    pub host: String,
    /// Port; 587 for STARTTLS, 465 for TLS, 25 for a local relay.
    pub port: u16,
    /// `starttls` (default), `tls` or `none`.
    pub security: SmtpSecurity,
    /// User name, when the server wants a login.
    pub username: Option<String>,
    /// Password (`APP_MAIL__SMTP__PASSWORD`; never in a file in the repo).
    pub password: Option<SecretString>,
    /// A PEM file with the CA the server's certificate must chain to, trusted
    /// besides the public roots (an internal relay).
    pub server_ca: Option<PathBuf>,
    /// Timeout of one SMTP command, in seconds.
    pub timeout_seconds: u64,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: "localhost".into(),
            port: 587,
            security: SmtpSecurity::default(),
            username: None,
            password: None,
            server_ca: None,
            timeout_seconds: 30,
        }
    }
}

/// `[mail.outbox]`: how the delivery worker retries.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct OutboxSettings {
    /// Run the delivery worker in this process.
    pub worker: bool,
    /// How often the worker looks for due items when nothing wakes it, in milliseconds.
    pub poll_interval_ms: u64,
    /// Items claimed at a time (at most `concurrency`: each claimed item is sent at once).
    pub batch_size: u32,
    /// Mails sent at the same time.
    pub concurrency: usize,
    /// Attempts before an item is dead-lettered.
    pub max_attempts: u32,
    /// The first retry waits about this long; each further one twice as long (with jitter).
    pub backoff_base_ms: u64,
    /// The longest wait between attempts.
    pub backoff_max_ms: u64,
    /// A claimed item is another worker's to take again after this long (a worker that died).
    pub lease_seconds: u64,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        Self {
            worker: true,
            poll_interval_ms: 1_000,
            batch_size: 50,
            concurrency: 8,
            max_attempts: 12,
            backoff_base_ms: 30_000,
            backoff_max_ms: 3_600_000,
            lease_seconds: 120,
        }
    }
}

impl MailSettings {
    /// The domain of Message-IDs.
    pub fn message_id_domain(&self) -> String {
        if let Some(d) = &self.message_id_domain {
            return d.clone();
        }
        self.from
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('>').trim().to_string())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "localhost.localdomain".into())
    }
}

/// The transport the settings choose.
pub fn from_settings(settings: &MailSettings) -> Result<Arc<dyn MailTransport>, String> {
    let from: Mailbox = settings.from.parse().map_err(|e| format!("mail.from '{}': {e}", settings.from))?;
    Ok(match settings.transport {
        TransportKind::Smtp => Arc::new(SmtpTransport::new(&settings.smtp, from)?),
        TransportKind::File => {
            std::fs::create_dir_all(&settings.dir)
                .map_err(|e| format!("cannot create mail folder {}: {e}", settings.dir.display()))?;
            tracing::info!(mail.dir = %settings.dir.display(), "mails are written as .eml files to this folder");
            Arc::new(FileTransport { dir: settings.dir.clone(), from })
        }
        TransportKind::Log => Arc::new(LogTransport),
    })
}

/// The MIME message: multipart/alternative with a plain-text and an HTML part.
pub fn message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, SendError> {
    let to: Mailbox =
        mail.to.parse().map_err(|e| SendError::Permanent(format!("the recipient address is not valid: {e}")))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        .message_id(Some(mail.message_id.clone()))
        .date_now()
        // RFC 3834: an automatic mail; auto-responders should not answer it.
        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()))
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .map_err(|e| SendError::Permanent(format!("the mail cannot be built: {e}")))
}

/// SMTP over lettre's protocol client, with connections kept for reuse.
///
/// The connections are made here rather than by lettre's pooled transport so
/// that they can set `TCP_NODELAY`: lettre writes a mail's content and its
/// final `.` in two writes, and with Nagle's algorithm the second waits for the
/// server's delayed ACK — about 40 ms per mail, which capped delivery at about
/// 150 mails/s. (Implicit TLS, `security = "tls"`, still uses lettre's own
/// connect and keeps that delay.)
pub struct SmtpTransport {
    settings: SmtpSettings,
    from: Mailbox,
    hello: ClientId,
    /// The configured CA, as read at start-up.
    server_ca: Option<Vec<u8>>,
    idle: tokio::sync::Mutex<Vec<(AsyncSmtpConnection, std::time::Instant)>>,
}

/// Idle connections kept for reuse.
const MAX_IDLE: usize = 16;
/// A connection idle for longer is checked with NOOP before it is used.
const CHECK_AFTER: Duration = Duration::from_secs(20);

impl SmtpTransport {
    /// A transport to the configured server (nothing is connected until the first mail).
    pub fn new(s: &SmtpSettings, from: Mailbox) -> Result<Self, String> {
        if s.host.trim().is_empty() {
            return Err("mail.smtp.host is empty".into());
        }
        let server_ca = match &s.server_ca {
            Some(path) => {
                Some(std::fs::read(path).map_err(|e| format!("mail.smtp.server_ca {}: {e}", path.display()))?)
            }
            None => None,
        };
        // EHLO with this host's name.
        let hello = ClientId::default();
        let transport = Self { settings: s.clone(), from, hello, server_ca, idle: tokio::sync::Mutex::new(Vec::new()) };
        if s.security != SmtpSecurity::None {
            transport.tls_parameters().map_err(|e| e.to_string())?;
        }
        Ok(transport)
    }

    /// TLS towards the server: the public roots, and the configured CA.
    fn tls_parameters(&self) -> Result<TlsParameters, SendError> {
        let bad = |e: lettre::transport::smtp::Error| SendError::Permanent(format!("SMTP TLS: {e}"));
        let mut builder = TlsParameters::builder(self.settings.host.clone());
        if let Some(pem) = &self.server_ca {
            builder = builder.add_root_certificate(Certificate::from_pem(pem).map_err(bad)?);
        }
        builder.build_rustls().map_err(bad)
    }

    fn timeout(&self) -> Duration {
        Duration::from_secs(self.settings.timeout_seconds.max(1))
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let s = &self.settings;
        let tls = || self.tls_parameters();
        let mut conn = match s.security {
            SmtpSecurity::Tls => AsyncSmtpConnection::connect_tokio1(
                (s.host.as_str(), s.port),
                Some(self.timeout()),
                &self.hello,
                Some(tls()?),
                None,
            )
            .await
            .map_err(setup_error)?,
            SmtpSecurity::None | SmtpSecurity::Starttls => {
                let tcp = tokio::net::TcpStream::connect((s.host.as_str(), s.port))
                    .await
                    .map_err(|e| SendError::Transient(format!("SMTP: cannot connect to {}:{}: {e}", s.host, s.port)))?;
                tcp.set_nodelay(true).map_err(|e| SendError::Transient(format!("SMTP: {e}")))?;
                let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello)
                    .await
                    .map_err(setup_error)?;
                if s.security == SmtpSecurity::Starttls {
                    conn.starttls(tls()?, &self.hello).await.map_err(setup_error)?;
                }
                conn
            }
        };
        if let (Some(user), Some(password)) = (&s.username, &s.password) {
            let credentials = Credentials::new(user.clone(), password.expose_secret().to_string());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await.map_err(setup_error)?;
        }
        Ok(conn)
    }

    /// An idle connection that still answers, or a new one.
    async fn checkout(&self) -> Result<AsyncSmtpConnection, SendError> {
        loop {
            let Some((mut conn, since)) = self.idle.lock().await.pop() else { break };
            if since.elapsed() < CHECK_AFTER || conn.test_connected().await {
                return Ok(conn);
            }
            conn.abort().await;
        }
        self.connect().await
    }

    async fn checkin(&self, conn: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().await;
        if idle.len() < MAX_IDLE && !conn.has_broken() {
            idle.push((conn, std::time::Instant::now()));
        }
    }
}

/// A failure while connecting, upgrading to TLS or logging in concerns the
/// server, not the mail (a wrong password, a relay refusing us): retried with
/// backoff, never dead-lettered at once, so a configuration error does not
/// empty the queue.
fn setup_error(e: lettre::transport::smtp::Error) -> SendError {
    SendError::Transient(format!("SMTP (connection, TLS or login): {e}"))
}

fn smtp_error(e: lettre::transport::smtp::Error) -> SendError {
    if e.is_permanent() {
        SendError::Permanent(format!("the SMTP server refused the mail: {e}"))
    } else {
        SendError::Transient(format!("SMTP: {e}"))
    }
}

#[async_trait]
impl MailTransport for SmtpTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let msg = message(&self.from, mail)?;
        let envelope = msg.envelope().clone();
        let bytes = msg.formatted();
        let attempt = async {
            let mut conn = self.checkout().await?;
            match conn.send(&envelope, &bytes).await {
                Ok(_) => {
                    self.checkin(conn).await;
                    Ok(())
                }
                Err(e) => {
                    conn.abort().await;
                    Err(smtp_error(e))
                }
            }
        };
        match tokio::time::timeout(self.timeout(), attempt).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Transient(format!("SMTP: no answer within {} s", self.timeout().as_secs()))),
        }
    }
}

/// Writes each mail to `<dir>/<Message-ID>.eml`.
pub struct FileTransport {
    dir: PathBuf,
    from: Mailbox,
}

#[async_trait]
impl MailTransport for FileTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let msg = message(&self.from, mail)?;
        let name: String = mail
            .message_id
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '@'))
            .collect::<String>()
            .replace('@', "_at_");
        let path = self.dir.join(format!("{name}.eml"));
        tokio::fs::write(&path, msg.formatted())
            .await
            .map_err(|e| SendError::Transient(format!("cannot write {}: {e}", path.display())))?;
        tracing::info!(mail.message_id = %mail.message_id, mail.file = %path.display(), "mail written");
        Ok(())
    }
}

/// Logs that a mail would be sent (no body: the log is not a mailbox).
pub struct LogTransport;

#[async_trait]
impl MailTransport for LogTransport {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), SendError> {
        let domain = mail.to.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        tracing::info!(mail.message_id = %mail.message_id, mail.to_domain = %domain, mail.subject = %mail.subject, "mail (log transport)");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            message_id: "<0190-abc@kommun.example.se>".into(),
            to: "tolvan@example.org".into(),
            subject: "Vi har tagit emot ditt ärende".into(),
            text: "Hej!".into(),
            html: "<p>Hej!</p>".into(),
        }
    }

    #[test]
    fn the_message_carries_the_given_message_id_and_both_parts() {
        let from: Mailbox = "E-tjänster <noreply@kommun.example.se>".parse().expect("mailbox");
        let raw = String::from_utf8(message(&from, &mail()).expect("message").formatted()).expect("utf-8");
        assert!(raw.contains("Message-ID: <0190-abc@kommun.example.se>"), "{raw}");
        assert!(raw.contains("Auto-Submitted: auto-generated"), "{raw}");
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(raw.contains("text/plain") && raw.contains("text/html"), "{raw}");
    }

    #[test]
    fn an_invalid_recipient_is_a_permanent_failure() {
        let from: Mailbox = "noreply@kommun.example.se".parse().expect("mailbox");
        let mut m = mail();
        m.to = "not an address".into();
        assert!(matches!(message(&from, &m), Err(SendError::Permanent(_))));
    }

    #[test]
    fn message_ids_use_the_senders_domain_unless_configured() {
        let mut s = MailSettings { from: "E-tjänster <noreply@kommun.example.se>".into(), ..MailSettings::default() };
        assert_eq!(s.message_id_domain(), "kommun.example.se");
        s.message_id_domain = Some("mail.example.se".into());
        assert_eq!(s.message_id_domain(), "mail.example.se");
    }
}
