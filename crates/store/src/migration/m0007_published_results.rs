//! Frozen snapshots of published results: a `publication` (authority, period, methodology version,
//! who and when) and one `published_result` row per organisation with the values as they were
//! published. Rows are only inserted; live counters never change them.

use super::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("publication")
                .col(pk_auto("id"))
                .col(integer("authority_id"))
                .col(integer("period"))
                .col(string("methodology"))
                .col(integer("organizations"))
                .col(big_integer("published_at"))
                .col(string("published_by"))
                .foreign_key(ForeignKey::create().from("publication", "authority_id").to("authority", "id"))
                .to_owned(),
        )
        .await?;
        let mut unique = index("publication_authority_period", "publication", &["authority_id", "period"]);
        m.create_index(unique.unique().to_owned()).await?;
        let mut result = Table::create();
        result
            .table("published_result")
            .col(integer("publication_id"))
            .col(integer("organization_id"))
            .col(integer("period"))
            .col(string("sphere"))
            .col(string_len("region_code", 2))
            .col(integer_null("authority_id"))
            .col(string("methodology"))
            .col(big_integer("responses"))
            .col(big_integer("online_responses"))
            .col(double_null("total"));
        for k in 1..=5 {
            result.col(double_null(Alias::new(format!("k{k}"))));
        }
        result
            .col(text("indicators"))
            .col(text("no_data"))
            .primary_key(Index::create().col("publication_id").col("organization_id"))
            .foreign_key(ForeignKey::create().from("published_result", "publication_id").to("publication", "id"))
            .foreign_key(ForeignKey::create().from("published_result", "organization_id").to("organization", "id"));
        m.create_table(result.to_owned()).await?;
        m.create_index(index("published_result_org_period", "published_result", &["organization_id", "period"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["published_result", "publication"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
