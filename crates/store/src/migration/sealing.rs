//! Sealing columns that earlier versions stored in plain (migrations m0018, m0019), and opening them again on
//! down. Both use the server secret's key: a database migrated by them has never held data under a key file
//! (key files came with m0019's version), and a check value of another key stops them with nothing changed.

use crate::crypto::FieldKey;
use crate::data_key::{self, SealedColumn};
use sea_orm::{ConnectionTrait, DbErr};
use sea_orm_migration::prelude::*;

/// Encrypts every value of `columns`.
pub(super) async fn seal(m: &SchemaManager<'_>, columns: &[SealedColumn]) -> Result<(), DbErr> {
    let Some(key) = server_key(m, columns, true).await? else { return Ok(()) };
    for &column in columns {
        let f = |_: &str, plain: &str| Ok(key.encrypt(column.purpose, plain));
        data_key::rewrite_column(m.get_connection(), column, f, |_| {}).await?;
    }
    Ok(())
}

/// Decrypts every value of `columns`.
pub(super) async fn open(m: &SchemaManager<'_>, columns: &[SealedColumn]) -> Result<(), DbErr> {
    let Some(key) = server_key(m, columns, false).await? else { return Ok(()) };
    for &column in columns {
        let f = |id: &str, sealed: &str| {
            key.decrypt(column.purpose, sealed)
                .map_err(|e| DbErr::Migration(format!("{}.{} {id}: {e}", column.table, column.column)))
        };
        data_key::rewrite_column(m.get_connection(), column, f, |_| {}).await?;
    }
    Ok(())
}

/// The key from the server secret, or `None` when no column holds a value (then nothing is done and no
/// secret is made). With `create`, makes the secret when missing (the row `repo::settings::secret` makes).
async fn server_key(m: &SchemaManager<'_>, columns: &[SealedColumn], create: bool) -> Result<Option<FieldKey>, DbErr> {
    let conn = m.get_connection();
    if data_key::any_sealed(conn, columns).await?.is_none() {
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
    let Some(secret) = data_key::setting_value(conn, "secret").await? else {
        return Err(DbErr::Migration("personal data are stored encrypted but the server secret is gone".into()));
    };
    let key = FieldKey::derive(&crate::repo::settings::secret_bytes(&secret));
    let check = data_key::setting_value(conn, data_key::CHECK_SETTING).await?;
    if check.is_some_and(|c| key.decrypt(data_key::CHECK_PURPOSE, &c).is_err()) {
        return Err(DbErr::Migration(
            "personal data are sealed under a key file: move them to the server secret's key \
             (nok data-key rekey --to-server-secret), migrate, then move them back"
                .into(),
        ));
    }
    Ok(Some(key))
}
