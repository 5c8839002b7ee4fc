//! One module per `nok` subcommand.

pub mod bench;
pub mod data_key;
pub mod demo;
pub mod export;
pub mod import;
pub mod migrate;
pub mod posters;
pub mod qr;
pub mod recompute;
pub mod score;
pub mod serve;
pub mod user;

use nok_store::Db;

/// Opens the database named on the command line and brings its schema up to date.
pub async fn open(url: &str) -> anyhow::Result<Db> {
    use anyhow::Context;
    Db::open(url).await.with_context(|| format!("{} {url}", nok_i18n::t("cli-open-db-failed")))
}
