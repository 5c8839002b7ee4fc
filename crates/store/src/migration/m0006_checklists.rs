//! Operator checklists per organisation and assessment year: one `checklist` row (methodology version
//! it was recorded with, waiting time) and one `checklist_item` row per item of the sphere's lists
//! (present / absent, for remote channels also whether the operator tried it, a comment and evidence).

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
                .table("checklist")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(integer("year"))
                .col(string("methodology"))
                .col(double_null("waiting_days"))
                .col(double_null("waiting_points"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .foreign_key(ForeignKey::create().from("checklist", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        let mut unique = index("checklist_org_year", "checklist", &["organization_id", "year"]);
        m.create_index(unique.unique().to_owned()).await?;
        m.create_index(index("checklist_year", "checklist", &["year"])).await?;
        m.create_table(
            Table::create()
                .table("checklist_item")
                .col(integer("checklist_id"))
                .col(string("item_id"))
                .col(boolean("present"))
                .col(boolean_null("tried"))
                .col(text_null("comment"))
                .col(text_null("evidence"))
                .primary_key(Index::create().col("checklist_id").col("item_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("checklist_item", "checklist_id")
                        .to("checklist", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["checklist_item", "checklist"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
