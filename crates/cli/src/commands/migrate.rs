//! `nok migrate`: create or upgrade the schema.

use std::process::ExitCode;

pub async fn run(url: &str) -> anyhow::Result<ExitCode> {
    let db = super::open(url).await?;
    db.close().await?;
    println!("{}", nok_i18n::t("cli-migrated"));
    Ok(ExitCode::SUCCESS)
}
