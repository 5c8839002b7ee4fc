//! The suggestions text of a survey response is free text and may name people, so from this migration on
//! it is stored encrypted (`crate::crypto::PURPOSE_SUGGESTIONS`, the key derived from the server secret,
//! as for e-mail addresses). Up seals the texts stored in plain before; down opens them again. A
//! migration runs once, so no text is sealed twice. Rows are read in primary-key order, a chunk at a time.
//! It seals with the server secret's key even where `NOK_DATA_KEY_FILE` names another: the server then
//! refuses to start until `nok data-key rekey` has moved the data to that key (see `crate::data_key`).

use crate::crypto::{FieldKey, PURPOSE_SUGGESTIONS};
use crate::data_key::RESPONSE_SUGGESTIONS;
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let Some(key) = key(m, true).await? else { return Ok(()) };
        rewrite(m, |plain| Ok(key.encrypt(PURPOSE_SUGGESTIONS, plain))).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let Some(key) = key(m, false).await? else { return Ok(()) };
        rewrite(m, |sealed| {
            key.decrypt(PURPOSE_SUGGESTIONS, sealed).map_err(|e| DbErr::Migration(format!("suggestions: {e}")))
        })
        .await
    }
}

/// The field key from the server secret. With no secret yet, `create` makes one when there is a text to
/// seal (the same row `repo::settings::secret` would create); otherwise there is nothing to do: `None`.
async fn key(m: &SchemaManager<'_>, create: bool) -> Result<Option<FieldKey>, DbErr> {
    let conn = m.get_connection();
    let any_text = Query::select()
        .column("id")
        .from("response")
        .and_where(Expr::col("suggestions").is_not_null())
        .limit(1)
        .to_owned();
    if conn.query_one(&any_text).await?.is_none() {
        return Ok(None);
    }
    if create {
        let insert = Query::insert()
            .into_table("setting")
            .columns(["key", "value"])
            .values_panic(["secret".into(), crate::repo::sessions::random_token().into()])
            .on_conflict(OnConflict::column("key").do_nothing().to_owned())
            .to_owned();
        conn.execute(&insert).await?;
    }
    let secret = Query::select().column("value").from("setting").and_where(Expr::col("key").eq("secret")).to_owned();
    let Some(row) = conn.query_one(&secret).await? else {
        return Err(DbErr::Migration("suggestions are stored encrypted but the server secret is gone".into()));
    };
    let value: String = row.try_get("", "value")?;
    Ok(Some(FieldKey::derive(&crate::repo::settings::secret_bytes(&value))))
}

/// Replaces every suggestions text by `f` of it.
async fn rewrite(m: &SchemaManager<'_>, f: impl Fn(&str) -> Result<String, DbErr>) -> Result<(), DbErr> {
    crate::data_key::rewrite_column(m.get_connection(), RESPONSE_SUGGESTIONS, |_, text| f(text), |_| {})
        .await
        .map(|_| ())
}
