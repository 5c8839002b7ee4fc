//! The text of an appeal, the organisation's answer and the body of a queued e-mail (which repeats the
//! answer) are private correspondence, so from this migration on they are stored encrypted
//! (`crate::crypto::PURPOSE_APPEAL_TEXT`, `PURPOSE_MAIL_BODY`). Up seals what was stored in plain; down
//! opens it again (see `super::sealing`).

use crate::data_key::{APPEAL_ANSWER, APPEAL_BODY, MAIL_BODY};
use sea_orm::DbErr;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::sealing::seal(m, &[APPEAL_BODY, APPEAL_ANSWER, MAIL_BODY]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        super::sealing::open(m, &[APPEAL_BODY, APPEAL_ANSWER, MAIL_BODY]).await
    }
}
