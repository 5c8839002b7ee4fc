//! The one set of schema migrations, run unchanged on SQLite and PostgreSQL.
//!
//! Timestamps are Unix seconds (`big_integer`); identifiers of survey responses are client-generated UUID
//! strings. Add a new file for every change; never edit a migration that has shipped.

use sea_orm_migration::prelude::*;

mod m0001_registry;
mod m0002_accounts;
mod m0003_survey;
mod m0004_response_sources;
mod m0005_feedback;
mod m0006_checklists;
mod m0007_published_results;
mod m0008_qr;
mod m0009_municipality;
mod m0010_snapshot_inputs;
mod m0011_region_checklists;
mod m0012_improvement_plans;
mod m0013_response_time;
mod m0014_channel_columns;
mod m0015_counter_triggers;
mod m0016_response_indexes;
mod m0017_postgres_insert_counting;
mod m0018_sealed_suggestions;
mod m0019_sealed_appeal_texts;
mod sealing;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_registry::Migration),
            Box::new(m0002_accounts::Migration),
            Box::new(m0003_survey::Migration),
            Box::new(m0004_response_sources::Migration),
            Box::new(m0005_feedback::Migration),
            Box::new(m0006_checklists::Migration),
            Box::new(m0007_published_results::Migration),
            Box::new(m0008_qr::Migration),
            Box::new(m0009_municipality::Migration),
            Box::new(m0010_snapshot_inputs::Migration),
            Box::new(m0011_region_checklists::Migration),
            Box::new(m0012_improvement_plans::Migration),
            Box::new(m0013_response_time::Migration),
            Box::new(m0014_channel_columns::Migration),
            Box::new(m0015_counter_triggers::Migration),
            Box::new(m0016_response_indexes::Migration),
            Box::new(m0017_postgres_insert_counting::Migration),
            Box::new(m0018_sealed_suggestions::Migration),
            Box::new(m0019_sealed_appeal_texts::Migration),
        ]
    }
}

/// `CREATE INDEX name ON table (cols…)`.
pub(crate) fn index(name: &str, table: &'static str, cols: &[&'static str]) -> IndexCreateStatement {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(*c);
    }
    idx.to_owned()
}
