//! Delivery of the mail outbox (`nok_store::repo::outbox`): a background task started by the server that
//! claims due messages one by one and sends them — over SMTP when `NOK_SMTP_URL` names a server
//! (`smtp://host:port`, `smtp://host?tls=required`, `smtps://user:password@host`), or, in the demo and
//! whenever no server is configured, by keeping them in the in-app outbox the administrator reads at
//! `/admin/outbox`. Any number of instances may run it at once: each row is claimed atomically in the store.

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, SinglePart, header::ContentTransferEncoding};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use nok_store::Db;
use nok_store::crypto::{FieldKey, PURPOSE_EMAIL, PURPOSE_MAIL_BODY};
use nok_store::entities::mail_outbox;
use nok_store::repo::outbox;
use nok_store::time_util::now;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::sync::Notify;

/// Environment variable naming the SMTP server.
pub const SMTP_URL_VAR: &str = "NOK_SMTP_URL";
/// Environment variable with the sender address (default `OpenNOK <noreply@opennok.local>`).
pub const FROM_VAR: &str = "NOK_MAIL_FROM";
const DEFAULT_FROM: &str = "OpenNOK <noreply@opennok.local>";
/// How often the sender looks for due messages when nobody wakes it.
const POLL: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SMTP configuration: {0}")]
    Config(String),
    #[error("store: {0}")]
    Store(#[from] nok_store::StoreError),
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    InApp,
}

/// Sends outbox messages through one transport.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    key: FieldKey,
    /// Names this sender in claims (unique per process).
    worker: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("transport", &self.transport_name()).field("worker", &self.worker).finish()
    }
}

fn worker_id() -> String {
    format!("{}-{}", std::process::id(), &nok_store::repo::sessions::random_token()[..12])
}

/// Whether an SMTP server is configured (otherwise mail stays in the in-app outbox).
pub fn smtp_configured() -> bool {
    std::env::var(SMTP_URL_VAR).is_ok_and(|v| !v.trim().is_empty())
}

impl Mailer {
    /// A sender over the SMTP server at `url`.
    pub fn smtp(url: &str, from: &str, key: FieldKey) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailError::Config(e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        Ok(Mailer { transport: Transport::Smtp(transport), from: parse_from(from)?, key, worker: worker_id() })
    }

    /// A sender that keeps every message in the in-app outbox (the demo, or no SMTP configured).
    pub fn in_app(key: FieldKey) -> Mailer {
        Mailer {
            transport: Transport::InApp,
            from: parse_from(DEFAULT_FROM).expect("valid default"),
            key,
            worker: worker_id(),
        }
    }

    /// SMTP when `NOK_SMTP_URL` is set, the in-app outbox otherwise.
    pub fn from_env(key: FieldKey) -> Result<Mailer, MailError> {
        match std::env::var(SMTP_URL_VAR).ok().filter(|v| !v.trim().is_empty()) {
            Some(url) => {
                Mailer::smtp(url.trim(), &std::env::var(FROM_VAR).unwrap_or_else(|_| DEFAULT_FROM.into()), key)
            }
            None => Ok(Mailer::in_app(key)),
        }
    }

    pub fn transport_name(&self) -> &'static str {
        match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::InApp => "in_app",
        }
    }

    /// One pass: claims and delivers every due message; returns how many were delivered.
    pub async fn deliver_due(&self, db: &Db) -> Result<usize, MailError> {
        let mut delivered = 0;
        for id in outbox::due(&db.read, now(), 100).await? {
            let Some(row) = outbox::claim(&db.write, id, &self.worker, now()).await? else {
                continue; // another sender took it
            };
            match self.send(&row).await {
                Ok(()) => {
                    if outbox::mark_sent(&db.write, row.id, &self.worker, self.transport_name(), now()).await? {
                        delivered += 1;
                    }
                }
                Err(e) => {
                    tracing::warn!(mail_id = row.id, error = %e, "mail delivery failed; will retry");
                    outbox::mark_failed(&db.write, &row, &self.worker, &e, now()).await?;
                }
            }
        }
        Ok(delivered)
    }

    async fn send(&self, row: &mail_outbox::Model) -> Result<(), String> {
        let Transport::Smtp(smtp) = &self.transport else {
            return Ok(());
        };
        let message = self.message(row)?;
        smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }

    /// The e-mail for an outbox row: plain text in UTF-8, base64-encoded, with a message id derived from the
    /// row so that a repeated delivery is recognisable as the same message.
    fn message(&self, row: &mail_outbox::Model) -> Result<Message, String> {
        let to = self.key.decrypt(PURPOSE_EMAIL, &row.recipient_enc).map_err(|e| e.to_string())?;
        let body = self.key.decrypt(PURPOSE_MAIL_BODY, &row.body).map_err(|e| e.to_string())?;
        let to: Mailbox = to.parse().map_err(|e: lettre::address::AddressError| e.to_string())?;
        let domain = self.from.email.domain().to_string();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(format!("<nok-outbox-{}@{domain}>", row.id)))
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(body),
            )
            .map_err(|e| e.to_string())
    }
}

fn parse_from(from: &str) -> Result<Mailbox, MailError> {
    from.parse().map_err(|e: lettre::address::AddressError| MailError::Config(format!("{FROM_VAR}: {e}")))
}

fn wakeup() -> &'static Notify {
    static WAKE: OnceLock<Notify> = OnceLock::new();
    WAKE.get_or_init(Notify::new)
}

/// Asks the sender of this process to look at the outbox now (after a message was queued).
pub fn wake() {
    wakeup().notify_one();
}

/// Runs the sender until the process ends: a pass whenever woken, and every few seconds anyway (to pick up
/// messages queued by other instances and retries).
pub fn spawn(db: Db, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tracing::info!(transport = mailer.transport_name(), "mail sender started");
    tokio::spawn(async move {
        loop {
            if let Err(e) = mailer.deliver_due(&db).await {
                tracing::error!(error = %e, "mail sender pass failed");
            }
            let _ = tokio::time::timeout(POLL, wakeup().notified()).await;
        }
    })
}

/// Starts the sender configured from the environment; a bad SMTP setting is logged and mail stays queued.
pub fn start(state: &crate::state::AppState) -> Option<tokio::task::JoinHandle<()>> {
    match Mailer::from_env(state.field_key.clone()) {
        Ok(mailer) => Some(spawn(state.db.clone(), mailer)),
        Err(e) => {
            tracing::error!(error = %e, "mail sender not started: messages stay queued in the outbox");
            None
        }
    }
}
