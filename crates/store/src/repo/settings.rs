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
    Ok(hex::decode(&row.value).unwrap_or_else(|_| row.value.into_bytes()))
}
