//! What a published result was computed from: the engine input (checklist counts or none, answer
//! counts) and the missing-data policy, as JSON, so the explanation of a published score shows the
//! frozen counts. Snapshots published before this migration have none (their explanation shows the
//! frozen values without the counts).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("published_result").add_column(text_null("inputs")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("published_result").drop_column("inputs").to_owned()).await
    }
}
