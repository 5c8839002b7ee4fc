//! Server-wide settings stored in the database so that all instances agree.

use crate::Db;
use crate::entities::setting;
use crate::error::Result;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

/// The server secret (hex), created once on first use. All instances read the same value.
pub async fn secret(db: &Db) -> Result<Vec<u8>> {
    let candidate = super::sessions::random_token();
    setting::Entity::insert(setting::ActiveModel { key: Set("secret".into()), value: Set(candidate) })
        .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
        .exec_without_returning(&db.write)
        .await?;
    let row = setting::Entity::find_by_id("secret".to_string()).one(&db.write).await?.expect("secret was just ensured");
    Ok(secret_bytes(&row.value))
}

/// A secret's or salt's bytes from its stored value (hex; an older value that is not hex is taken as it is).
pub(crate) fn secret_bytes(value: &str) -> Vec<u8> {
    hex::decode(value).unwrap_or_else(|_| value.as_bytes().to_vec())
}

const IP_SALT_PREFIX: &str = "ip-salt:";

/// The random salt of client-address hashes for `day` (an ISO date), created by whichever instance asks
/// first and shared by all. Salts of earlier days are deleted here: once a day is over, nobody — not
/// even someone holding the database and the server secret — can link that day's hashes to addresses.
pub async fn ip_salt(db: &Db, day: &str) -> Result<Vec<u8>> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let key = format!("{IP_SALT_PREFIX}{day}");
    let candidate = super::sessions::random_token();
    setting::Entity::insert(setting::ActiveModel { key: Set(key.clone()), value: Set(candidate) })
        .on_conflict(OnConflict::column(setting::Column::Key).do_nothing().to_owned())
        .exec_without_returning(&db.write)
        .await?;
    setting::Entity::delete_many()
        .filter(setting::Column::Key.starts_with(IP_SALT_PREFIX))
        .filter(setting::Column::Key.lt(key.as_str()))
        .exec(&db.write)
        .await?;
    let row = setting::Entity::find_by_id(key).one(&db.write).await?.expect("the salt was just ensured");
    Ok(secret_bytes(&row.value))
}

/// How many days' address salts are stored (1 after a rotation; for tests and the admin).
pub async fn ip_salt_days(db: &Db) -> Result<u64> {
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(setting::Entity::find().filter(setting::Column::Key.starts_with(IP_SALT_PREFIX)).count(&db.read).await?)
}
