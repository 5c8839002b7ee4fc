//! `nok serve`: the web server.

use nok_web::WebConfig;
use nok_web::security::proxies::TrustedProxies;
use std::process::ExitCode;

#[derive(clap::Args)]
#[group(id = "serve_args")]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "NOK_BIND", default_value = "127.0.0.1")]
    pub bind: String,
    /// Port to listen on.
    #[arg(long, env = "NOK_PORT", default_value_t = 8080)]
    pub port: u16,
    /// Public base URL (used in QR codes and links); defaults to http://BIND:PORT.
    #[arg(long, env = "NOK_BASE_URL")]
    pub base_url: Option<String>,
    /// Reverse proxies (IP addresses or CIDR networks, comma-separated) whose X-Forwarded-For gives the
    /// client address; from anyone else the header is ignored.
    #[arg(long, env = "NOK_TRUSTED_PROXIES", value_name = "LIST")]
    pub trusted_proxies: Option<TrustedProxies>,
    /// Fewest responses for a score to be shown publicly; below it pages say «недостаточно ответов».
    #[arg(long, env = "NOK_MIN_RESPONSES", default_value_t = WebConfig::default().min_responses)]
    pub min_responses: u64,
    /// Largest evidence file (JPEG, PNG, PDF) attached to a checklist item, MiB (at most 60: the
    /// request body limit).
    #[arg(long, env = "NOK_EVIDENCE_MAX_MIB", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=60))]
    pub evidence_max_mib: u16,
    /// The file holding the key of personal data at rest (64 hexadecimal digits, `nok data-key generate`);
    /// without one the key is derived from the server secret stored in the database.
    #[arg(long, env = "NOK_DATA_KEY_FILE", value_name = "FILE")]
    pub data_key_file: Option<std::path::PathBuf>,
}

impl Args {
    pub fn config(&self) -> WebConfig {
        let host = if self.bind == "0.0.0.0" { "127.0.0.1" } else { &self.bind };
        WebConfig {
            bind: self.bind.clone(),
            port: self.port,
            base_url: self.base_url.clone().unwrap_or_else(|| format!("http://{host}:{}", self.port)),
            trusted_proxies: self.trusted_proxies.clone().unwrap_or_default(),
            min_responses: self.min_responses,
            evidence_max_bytes: usize::from(self.evidence_max_mib) * 1024 * 1024,
            data_key_file: self.data_key_file.clone(),
            ..WebConfig::default()
        }
    }
}

pub async fn run(url: &str, args: Args) -> anyhow::Result<ExitCode> {
    let db = super::open(url).await?;
    nok_web::serve(db, args.config()).await?;
    Ok(ExitCode::SUCCESS)
}
