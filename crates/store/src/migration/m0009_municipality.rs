//! The organisation's municipality (муниципальное образование), free text from the registry, for the
//! municipal level of aggregates. Existing organisations get none until their registry is imported again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let add = Table::alter().table("organization").add_column(string_len_null("municipality", 200)).to_owned();
        m.alter_table(add).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("organization").drop_column("municipality").to_owned()).await
    }
}
