//! Survey intake: raw responses (answers as two bit masks: asked and «Да») and live counters per
//! (organisation, period): one wide row of yes/no counts per question, plus counts per channel.

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
                .table("response")
                .col(string_len("id", 36).primary_key())
                .col(integer("organization_id"))
                .col(integer("period"))
                .col(string("channel"))
                .col(integer("asked"))
                .col(integer("yes"))
                .col(string_null("sex"))
                .col(integer_null("age"))
                .col(text_null("suggestions"))
                .col(string_null("device_hash"))
                .col(string_null("ip_hash"))
                .col(string("status"))
                .col(string_null("flag_reason"))
                .col(big_integer("created_at"))
                .foreign_key(ForeignKey::create().from("response", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("response_org_period", "response", &["organization_id", "period"])).await?;
        m.create_index(index("response_device", "response", &["device_hash", "organization_id"])).await?;

        let mut counter = Table::create();
        counter
            .table("survey_counter")
            .col(integer("organization_id"))
            .col(integer("period"))
            .col(big_integer("responses").default(0))
            .primary_key(Index::create().col("organization_id").col("period"));
        for q in 1..=15 {
            counter.col(big_integer(Alias::new(format!("q{q}_yes"))).default(0));
            counter.col(big_integer(Alias::new(format!("q{q}_no"))).default(0));
        }
        m.create_table(counter.to_owned()).await?;

        m.create_table(
            Table::create()
                .table("channel_counter")
                .col(integer("organization_id"))
                .col(integer("period"))
                .col(string("channel"))
                .col(big_integer("responses").default(0))
                .primary_key(Index::create().col("organization_id").col("period").col("channel"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["channel_counter", "survey_counter", "response"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
