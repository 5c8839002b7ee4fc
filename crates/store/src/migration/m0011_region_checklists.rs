//! Regional checklist lists, evidence files and the frozen municipality of published results.
//!
//! - `region_checklist`: an authority's own list of the 1.1 items (stands or website) for one region,
//!   sphere and assessment year, started from the methodology's list; `next_number` numbers the items
//!   it adds (never reused, so a removed item's old ticks never count for a new one).
//! - `region_checklist_item`: the items of such a list in their order.
//! - `checklist_evidence`: files (JPEG, PNG, PDF) attached to an item of an organisation's checklist,
//!   kept in the database so both backends work alike.
//! - `published_result.municipality`: the organisation's municipality when the result was published,
//!   so municipal aggregates of a published period keep their grouping. Rows published earlier take
//!   the organisation's municipality as it is when this migration runs.

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
                .table("region_checklist")
                .col(pk_auto("id"))
                .col(string_len("region_code", 2))
                .col(string_len("sphere", 16))
                .col(string_len("section", 16))
                .col(integer("year"))
                .col(string("methodology"))
                .col(integer("next_number"))
                .col(big_integer("created_at"))
                .col(string("created_by"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .to_owned(),
        )
        .await?;
        let mut key = index("region_checklist_key", "region_checklist", &["region_code", "sphere", "section", "year"]);
        m.create_index(key.unique().to_owned()).await?;
        m.create_index(index("region_checklist_year", "region_checklist", &["year"])).await?;
        m.create_table(
            Table::create()
                .table("region_checklist_item")
                .col(integer("list_id"))
                .col(string("item_id"))
                .col(text("name_ru"))
                .col(integer("position"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .primary_key(Index::create().col("list_id").col("item_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("region_checklist_item", "list_id")
                        .to("region_checklist", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("checklist_evidence")
                .col(pk_auto("id"))
                .col(integer("checklist_id"))
                .col(string("item_id"))
                .col(string_len("file_name", 255))
                .col(string_len("content_type", 32))
                .col(big_integer("size"))
                .col(string_len("sha256", 64))
                .col(blob("data"))
                .col(big_integer("uploaded_at"))
                .col(string("uploaded_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("checklist_evidence", "checklist_id")
                        .to("checklist", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("checklist_evidence_item", "checklist_evidence", &["checklist_id", "item_id"])).await?;
        let add = Table::alter().table("published_result").add_column(string_len_null("municipality", 200)).to_owned();
        m.alter_table(add).await?;
        let current = Query::select()
            .column(("organization", "municipality"))
            .from("organization")
            .and_where(Expr::col(("organization", "id")).equals(("published_result", "organization_id")))
            .to_owned();
        let backfill = Query::update()
            .table("published_result")
            .value("municipality", Expr::SubQuery(None, Box::new(current.into())))
            .to_owned();
        m.exec_stmt(backfill).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("published_result").drop_column("municipality").to_owned()).await?;
        for t in ["checklist_evidence", "region_checklist_item", "region_checklist"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
