//! An index on the time a response was stored: the intake writer reads the responses of the last
//! anti-fraud window when it starts (`repo::intake::stored_since`). Times only grow, so the index is
//! appended to at its end and costs an insert one page.

use super::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("response_created", "response", &["created_at"])).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("response_created").table("response").to_owned()).await
    }
}
