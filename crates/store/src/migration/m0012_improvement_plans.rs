//! Improvement plans (планы по устранению недостатков): one `improvement_plan` per organisation and
//! assessment year (draft → published, the founder's approval date), its `plan_item` rows (the
//! shortcoming with an optional link to the checklist item or indicator it came from, the measure, the
//! planned deadline, the responsible person, the status planned / in progress / done — «overdue» is
//! computed from the deadline, never stored) and the `plan_progress` reports on each item (what was
//! actually done and when). Dates are Unix seconds at midnight UTC; every row says who created and last
//! changed it and when.

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
                .table("improvement_plan")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(integer("year"))
                .col(string_len("status", 16))
                .col(big_integer_null("approved_on"))
                .col(big_integer_null("published_at"))
                .col(big_integer("created_at"))
                .col(string("created_by"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .foreign_key(ForeignKey::create().from("improvement_plan", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        let mut unique = index("improvement_plan_org_year", "improvement_plan", &["organization_id", "year"]);
        m.create_index(unique.unique().to_owned()).await?;
        m.create_index(index("improvement_plan_year", "improvement_plan", &["year", "status"])).await?;

        m.create_table(
            Table::create()
                .table("plan_item")
                .col(pk_auto("id"))
                .col(integer("plan_id"))
                .col(string_len_null("criterion", 8))
                .col(string_len_null("source_kind", 16))
                .col(string_len_null("source_ref", 64))
                .col(string_len_null("indicator", 8))
                .col(text("shortcoming"))
                .col(text_null("measure"))
                .col(big_integer_null("deadline"))
                .col(string_null("responsible_name"))
                .col(string_null("responsible_position"))
                .col(string_len("status", 16))
                .col(big_integer("created_at"))
                .col(string("created_by"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("plan_item", "plan_id")
                        .to("improvement_plan", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan_item_plan", "plan_item", &["plan_id", "status", "deadline"])).await?;

        m.create_table(
            Table::create()
                .table("plan_progress")
                .col(pk_auto("id"))
                .col(integer("item_id"))
                .col(big_integer("done_on"))
                .col(text("what_done"))
                .col(text_null("details"))
                .col(big_integer("created_at"))
                .col(string("created_by"))
                .col(big_integer("updated_at"))
                .col(string("updated_by"))
                .foreign_key(
                    ForeignKey::create()
                        .from("plan_progress", "item_id")
                        .to("plan_item", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan_progress_item", "plan_progress", &["item_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["plan_progress", "plan_item", "improvement_plan"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
