//! Survey intake: the one path every response takes. The JSON API (`POST /api/v1/responses`) and the
//! questionnaire page both turn their input into a [`Submission`]; [`Intake::submit`] rate-limits it,
//! validates it against the organisation's questionnaire and hands it to the group-commit [`writer`], which
//! screens it with the anti-fraud rules and stores it exactly once (keyed by its client-generated UUID).
//!
//! Decisions (documented in the OpenAPI description too):
//! * a repeated id returns the receipt of the stored response (200) and is never counted twice;
//! * rate limits refuse (429) and store nothing; device repeats and bursts are stored *flagged* and stay
//!   out of the scores until an authority accepts them; the receipt never says whether a response was
//!   flagged, so it is the same for every retry;
//! * client addresses are only kept as an HMAC under a random salt of the UTC day, deleted when the day
//!   ends (`security::ip_salt`); device cookies only as a keyed hash.

pub mod channel;
pub mod errors;
pub mod limits;
pub mod orgs;
pub mod recent;
pub mod validate;
pub mod writer;

pub use channel::Channel;
pub use errors::FieldError;
pub use orgs::OrgInfo;
pub use validate::{Form, Submission, Valid};

use crate::security::cookies;
use crate::security::device::DeviceId;
use crate::security::hashing::hmac_hex;
use crate::security::ip_salt::IpSalt;
use axum::http::HeaderMap;
use limits::Limits;
use nok_methodology::Definition;
use nok_store::Db;
use nok_store::crypto::{FieldKey, PURPOSE_SUGGESTIONS};
use nok_store::repo::intake::Receipt;
use nok_store::repo::survey::NewResponse;
use nok_store::time_util::{now, period_of};
use orgs::OrgCache;
use std::sync::Arc;
use std::time::Duration;
use writer::{OnCommit, Rules, Writer};

/// Intake settings. Defaults suit a public deployment; `NOK_INTAKE_*` environment variables override them
/// (see [`IntakeConfig::from_env`]).
#[derive(Clone, Debug)]
pub struct IntakeConfig {
    /// Submissions per minute from one hashed client address (sustained rate)…
    pub per_source_per_minute: u32,
    /// …and how many may come at once.
    pub per_source_burst: u32,
    /// Submissions per minute from one device cookie…
    pub per_device_per_minute: u32,
    /// …and how many at once.
    pub per_device_burst: u32,
    /// A second response from one device for one organisation within this many seconds is flagged.
    pub device_window_secs: i64,
    /// Window of the burst rule, in seconds.
    pub burst_window_secs: i64,
    /// Responses one source may send for one organisation within the burst window before flagging.
    pub burst_max: u64,
    /// Most responses committed in one transaction.
    pub batch_max: usize,
    /// Submissions waiting for the writer before new ones wait for room.
    pub queue: usize,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            per_source_per_minute: 60,
            per_source_burst: 30,
            per_device_per_minute: 6,
            per_device_burst: 5,
            device_window_secs: 24 * 3600,
            burst_window_secs: 600,
            burst_max: 20,
            batch_max: 512,
            queue: 16_384,
        }
    }
}

impl IntakeConfig {
    /// Defaults overridden by `NOK_INTAKE_PER_SOURCE_PER_MINUTE`, `NOK_INTAKE_PER_SOURCE_BURST`,
    /// `NOK_INTAKE_PER_DEVICE_PER_MINUTE`, `NOK_INTAKE_PER_DEVICE_BURST`, `NOK_INTAKE_DEVICE_WINDOW_SECS`,
    /// `NOK_INTAKE_BURST_WINDOW_SECS`, `NOK_INTAKE_BURST_MAX`, `NOK_INTAKE_BATCH_MAX`.
    pub fn from_env() -> IntakeConfig {
        fn var<T: std::str::FromStr>(name: &str, default: T) -> T {
            std::env::var(name).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(default)
        }
        let d = IntakeConfig::default();
        IntakeConfig {
            per_source_per_minute: var("NOK_INTAKE_PER_SOURCE_PER_MINUTE", d.per_source_per_minute),
            per_source_burst: var("NOK_INTAKE_PER_SOURCE_BURST", d.per_source_burst),
            per_device_per_minute: var("NOK_INTAKE_PER_DEVICE_PER_MINUTE", d.per_device_per_minute),
            per_device_burst: var("NOK_INTAKE_PER_DEVICE_BURST", d.per_device_burst),
            device_window_secs: var("NOK_INTAKE_DEVICE_WINDOW_SECS", d.device_window_secs),
            burst_window_secs: var("NOK_INTAKE_BURST_WINDOW_SECS", d.burst_window_secs),
            burst_max: var("NOK_INTAKE_BURST_MAX", d.burst_max),
            batch_max: var("NOK_INTAKE_BATCH_MAX", d.batch_max),
            queue: d.queue,
        }
    }

    /// Limits so high they never trigger (benchmarks measure the path, not the refusals).
    pub fn unlimited() -> IntakeConfig {
        IntakeConfig {
            per_source_per_minute: u32::MAX / 2,
            per_source_burst: u32::MAX / 2,
            per_device_per_minute: u32::MAX / 2,
            per_device_burst: u32::MAX / 2,
            burst_max: u64::MAX,
            ..IntakeConfig::default()
        }
    }
}

/// Where a submission came from, hashed.
#[derive(Clone, Debug)]
pub struct Source {
    /// Keyed hash of the client address under the day's salt (see `security::ip_salt`).
    pub ip_hash: String,
    /// Keyed hash of the device cookie, when the client sent one (API clients usually do not).
    pub device_hash: Option<String>,
}

impl Source {
    /// The source of a request: its address and, if the request carried the device cookie, the device.
    pub fn of_request(
        secret: &[u8],
        salt: &IpSalt,
        ip: &str,
        device: Option<&DeviceId>,
        headers: &HeaderMap,
    ) -> Source {
        let sent = cookies::get(headers, cookies::DEVICE);
        let device_hash = device
            .filter(|d| sent.as_deref() == Some(d.0.as_str()))
            .map(|d| hmac_hex(secret, &[b"device", d.0.as_bytes()])[..32].to_string());
        Source { ip_hash: salt.hash(ip), device_hash }
    }
}

/// Why a submission was not stored.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error("invalid submission")]
    Invalid(Vec<FieldError>),
    #[error("too many submissions; retry after {0:?}")]
    RateLimited(Duration),
    #[error("intake unavailable: {0}")]
    Unavailable(String),
}

/// A stored submission: its receipt and whether this request stored it (201) or it was there (200).
pub type Accepted = writer::Stored;

/// The intake service. Clone freely.
#[derive(Clone)]
pub struct Intake {
    inner: Arc<Inner>,
}

struct Inner {
    /// Seals the suggestions text before it is stored.
    key: FieldKey,
    limits: Arc<Limits>,
    orgs: OrgCache,
    writer: Writer,
}

impl Intake {
    /// Starts the writer task and the limiter sweeper (needs a Tokio runtime). `on_commit` is told which
    /// organisations' counters changed after each commit (to refresh cached pages).
    pub fn start(db: Db, config: &IntakeConfig, key: FieldKey, on_commit: OnCommit) -> Intake {
        let rules = Rules {
            device_window_secs: config.device_window_secs,
            burst_window_secs: config.burst_window_secs,
            burst_max: config.burst_max,
        };
        let limits = Arc::new(Limits::new(config));
        Limits::spawn_sweeper(&limits);
        let writer = Writer::start(db, rules, config.batch_max, config.queue, on_commit);
        Intake { inner: Arc::new(Inner { key, limits, orgs: OrgCache::default(), writer }) }
    }

    /// The active organisation with this public id (cached briefly).
    pub async fn organization(&self, db: &Db, public_id: &str) -> Result<Option<OrgInfo>, IntakeError> {
        self.inner.orgs.get(db, public_id).await.map_err(|e| IntakeError::Unavailable(e.to_string()))
    }

    /// Rate-limits, validates and stores one submission; returns after its batch is committed.
    pub async fn submit(&self, db: &Db, sub: Submission, source: &Source, form: Form) -> Result<Accepted, IntakeError> {
        self.inner.limits.check(&source.ip_hash, source.device_hash.as_deref()).map_err(IntakeError::RateLimited)?;
        let org = match sub.organization.as_deref() {
            Some(pid) => self.organization(db, pid.trim()).await?,
            None => None,
        };
        let valid = validate::validate(Definition::current(), sub, org, form).map_err(IntakeError::Invalid)?;
        let created_at = now();
        let response = NewResponse {
            id: valid.id,
            organization_id: valid.org.id,
            period: period_of(created_at),
            channel: valid.channel.code().to_string(),
            asked: valid.mask.asked,
            yes: valid.mask.yes,
            sex: valid.sex.map(str::to_string),
            age: valid.age,
            suggestions_sealed: valid.suggestions.map(|s| self.inner.key.encrypt(PURPOSE_SUGGESTIONS, &s)),
            device_hash: source.device_hash.clone(),
            ip_hash: Some(source.ip_hash.clone()),
            flag_reason: None,
            created_at,
        };
        self.inner
            .writer
            .store(response, valid.org.public_id)
            .await
            .map_err(|e| IntakeError::Unavailable(e.to_string()))
    }
}

/// The receipt as the API returns it (the same for every retry of the id).
pub fn receipt_json(r: &Receipt) -> serde_json::Value {
    let at = nok_store::time_util::to_datetime(r.created_at);
    serde_json::json!({
        "id": r.id,
        "organization_id": r.organization_public_id,
        "channel": r.channel,
        "period": r.period,
        "received_at": at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    })
}
