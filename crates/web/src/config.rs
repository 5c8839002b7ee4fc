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
        }
    }
}

impl WebConfig {
    /// Cookies get the `Secure` flag when the site is served over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}
