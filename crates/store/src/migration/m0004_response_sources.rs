//! Indexes for survey anti-fraud: finding recent responses of one source (hashed client address) for one
//! organisation, and the review queue of flagged responses. Adds no columns.

use super::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(index("response_source", "response", &["ip_hash", "organization_id", "created_at"])).await?;
        m.create_index(index("response_status", "response", &["status", "organization_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["response_source", "response_status"] {
            m.drop_index(Index::drop().name(name).table("response").to_owned()).await?;
        }
        Ok(())
    }
}
