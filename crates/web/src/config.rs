//! Web server configuration (from the command line or the environment).

#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Address to listen on.
    pub bind: String,
    pub port: u16,
    /// The public base URL (used in QR codes, e-mails and to decide whether cookies are `Secure`).
    pub base_url: String,
    /// Below this many responses a score is shown as «недостаточно ответов».
    pub min_responses: u64,
    /// Survey intake limits and anti-fraud thresholds (`NOK_INTAKE_*` environment variables).
    pub intake: crate::intake::IntakeConfig,
    /// Reverse proxies whose `X-Forwarded-For` gives the client address (`NOK_TRUSTED_PROXIES`; none by default).
    pub trusted_proxies: crate::security::proxies::TrustedProxies,
    /// Largest evidence file attached to a checklist item, bytes (`NOK_EVIDENCE_MAX_MIB`; 10 MiB).
    pub evidence_max_bytes: usize,
    /// Open complaints that hide a published review until a moderator decides
    /// (`NOK_REVIEW_COMPLAINTS_TO_HIDE`, at least 1; 3 by default). Fewer only put it in the moderation queue.
    pub review_complaints_to_hide: u32,
    /// The file holding the key of personal data at rest (`NOK_DATA_KEY_FILE`); without one the key is
    /// derived from the server secret in the database (see `nok_store::data_key`).
    pub data_key_file: Option<std::path::PathBuf>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            bind: "127.0.0.1".into(),
            port: 8080,
            base_url: "http://127.0.0.1:8080".into(),
            min_responses: 10,
            intake: crate::intake::IntakeConfig::from_env(),
            trusted_proxies: Default::default(),
            evidence_max_bytes: nok_store::repo::checklist_evidence::DEFAULT_MAX_BYTES,
            review_complaints_to_hide: std::env::var("NOK_REVIEW_COMPLAINTS_TO_HIDE")
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .filter(|n: &u32| *n >= 1)
                .unwrap_or(nok_store::repo::reviews::COMPLAINTS_TO_HIDE),
            data_key_file: None,
        }
    }
}

impl WebConfig {
    /// Cookies get the `Secure` flag when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}
