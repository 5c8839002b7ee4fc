//! The suggestions text of a survey response is free text and may name people, so from this migration on
//! it is stored encrypted (`crate::crypto::PURPOSE_SUGGESTIONS`, as for e-mail addresses). Up seals the
//! texts stored in plain before; down opens them again. A migration runs once, so no text is sealed twice.
//! Rows are read in primary-key order, a chunk at a time (see `super::sealing`).

use crate::data_key::RESPONSE_SUGGESTIONS;
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::sealing::seal(m, &[RESPONSE_SUGGESTIONS]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::sealing::open(m, &[RESPONSE_SUGGESTIONS]).await
    }
}
