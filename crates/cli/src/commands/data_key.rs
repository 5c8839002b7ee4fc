//! `nok data-key`: the key of personal data at rest — a new key file, and moving the stored data to
//! another key (`nok_store::data_key`).

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum Action {
    /// Write a new random key file (64 hexadecimal digits, readable by its owner only); an existing file
    /// is never overwritten.
    Generate {
        /// The new key file.
        file: PathBuf,
    },
    /// Re-encrypt every stored e-mail address, appeal text and answer, mail body and suggestions text under
    /// another key, in one transaction.
    /// Stop the servers first; afterwards start them with the new key.
    Rekey {
        /// The key the data is encrypted with now; without it, the server secret's.
        #[arg(long, env = "NOK_DATA_KEY_FILE", value_name = "FILE")]
        from: Option<PathBuf>,
        /// The key file to move the data to.
        #[arg(long, value_name = "FILE", required_unless_present = "to_server_secret")]
        to: Option<PathBuf>,
        /// Move the data back to the key of the server secret.
        #[arg(long, conflicts_with = "to")]
        to_server_secret: bool,
    },
}

pub async fn run(url: &str, action: Action) -> anyhow::Result<ExitCode> {
    match action {
        Action::Generate { file } => {
            nok_store::data_key::generate_file(&file)?;
            println!("{} {}", nok_i18n::t("cli-data-key-generated"), file.display());
        }
        Action::Rekey { from, to, .. } => {
            let db = super::open(url).await?;
            let old = nok_store::data_key::load(&db, from.as_deref()).await?;
            let new = match &to {
                Some(file) => nok_store::data_key::read_file(file)?,
                None => nok_store::crypto::FieldKey::load(&db).await?,
            };
            let total = nok_store::data_key::sealed_count(&db).await?;
            let pb = crate::progress::bar(Some(total), &nok_i18n::t("cli-data-key-progress"));
            let done = nok_store::data_key::rekey(&db, &nok_store::Actor::system(), &old, &new, |n| pb.set_position(n))
                .await?;
            pb.finish_and_clear();
            let target =
                to.map(|f| f.display().to_string()).unwrap_or_else(|| nok_i18n::t("cli-data-key-server-secret"));
            println!("{}", nok_i18n::t!("cli-data-key-rekeyed", values = done, target = target));
            db.close().await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
