//! `response` keeps only the index entries something reads. Every group commit of survey intake writes
//! each index page its batch touches to the log, and an index whose keys do not follow time (an
//! organisation, a hash) costs a page per response of the batch, so:
//! * `response_status (status, organization_id)` held an entry for every response, almost all
//!   «accepted», for the review queue, which asks only for `status = 'flagged'` by organisation, newest
//!   first: replaced by the partial `response_flagged`, which accepted responses never touch;
//! * `response_device (device_hash, organization_id)` indexed responses without a device cookie (API
//!   clients, operators) under NULL, which no query asks for: now partial on `device_hash IS NOT NULL`;
//! * `response_org_period (organization_id, period)` was read by no query (scores come from the counters,
//!   recomputes scan the table, the queue has its own index, organisations are deactivated, never
//!   deleted): dropped.
//!
//! The queries must repeat each partial condition (`status = 'flagged'`; a comparison on `device_hash`)
//! for SQLite to use the index; unit tests in `repo::flagged` and `repo::intake` check the plans.

use super::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Same text on SQLite and PostgreSQL.
const CREATE: [&str; 2] = [
    "CREATE INDEX response_flagged ON response (organization_id, created_at) WHERE status = 'flagged'",
    "CREATE INDEX response_device_known ON response (device_hash, organization_id) WHERE device_hash IS NOT NULL",
];

fn drop(name: &str) -> IndexDropStatement {
    Index::drop().name(name).table("response").to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["response_status", "response_device", "response_org_period"] {
            m.drop_index(drop(name)).await?;
        }
        for sql in CREATE {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in ["response_flagged", "response_device_known"] {
            m.drop_index(drop(name)).await?;
        }
        m.create_index(index("response_status", "response", &["status", "organization_id"])).await?;
        m.create_index(index("response_device", "response", &["device_hash", "organization_id"])).await?;
        m.create_index(index("response_org_period", "response", &["organization_id", "period"])).await
    }
}
