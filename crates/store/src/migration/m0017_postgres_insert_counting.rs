//! PostgreSQL: an insert into `response` no longer fires a counter trigger; the insert statement of
//! `repo::survey` counts the rows it stored itself (a data-modifying `WITH`, see `crate::counting`).
//! The counting is then one part of the statement that stores the batch, planned with it, instead of a
//! statement trigger that collects the rows into a transition table and runs a PL/pgSQL function. The
//! update and delete triggers of m0015 stay. SQLite keeps its row triggers (they cost nothing measurable
//! there): nothing changes on SQLite.

use super::m0015_counter_triggers::postgres_upsert;
use sea_orm::DatabaseBackend;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Postgres {
            let conn = m.get_connection();
            conn.execute_unprepared("DROP TRIGGER response_count_insert ON response").await?;
            conn.execute_unprepared("DROP FUNCTION response_count_insert()").await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Postgres {
            let conn = m.get_connection();
            conn.execute_unprepared(&format!(
                "CREATE FUNCTION response_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {} RETURN NULL; END $$",
                postgres_upsert("new_rows", "1")
            ))
            .await?;
            conn.execute_unprepared(
                "CREATE TRIGGER response_count_insert AFTER INSERT ON response REFERENCING NEW TABLE AS new_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION response_count_insert()",
            )
            .await?;
        }
        Ok(())
    }
}
