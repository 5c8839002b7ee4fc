//! Registry tables: regions, authorities, operator companies, organisations, contracts.

use super::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create().table("region").col(string_len("code", 2).primary_key()).col(string("name")).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("authority")
                .col(pk_auto("id"))
                .col(string_uniq("code"))
                .col(string("name"))
                .col(string_len_null("region_code", 2))
                .col(string_null("sphere"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("operator_company")
                .col(pk_auto("id"))
                .col(string("name"))
                .col(string_null("inn"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("organization")
                .col(pk_auto("id"))
                .col(string_uniq("public_id"))
                .col(string_uniq("inn"))
                .col(string_null("ogrn"))
                .col(string_null("kpp"))
                .col(text("full_name"))
                .col(text("short_name"))
                .col(text("address"))
                .col(double_null("latitude"))
                .col(double_null("longitude"))
                .col(string_null("website"))
                .col(string_null("email"))
                .col(string_null("phone"))
                .col(string("sphere"))
                .col(string_len("region_code", 2))
                .col(integer_null("authority_id"))
                .col(big_integer("population"))
                .col(boolean("active"))
                .col(text("search_text"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(ForeignKey::create().from("organization", "region_code").to("region", "code"))
                .foreign_key(ForeignKey::create().from("organization", "authority_id").to("authority", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("organization_region_sphere", "organization", &["region_code", "sphere"])).await?;
        m.create_index(index("organization_authority", "organization", &["authority_id"])).await?;
        m.create_table(
            Table::create()
                .table("contract")
                .col(pk_auto("id"))
                .col(integer("operator_id"))
                .col(integer("authority_id"))
                .col(string("number"))
                .col(integer("period"))
                .col(string_null("starts_on"))
                .col(string_null("ends_on"))
                .foreign_key(ForeignKey::create().from("contract", "operator_id").to("operator_company", "id"))
                .foreign_key(ForeignKey::create().from("contract", "authority_id").to("authority", "id"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("contract_organization")
                .col(integer("contract_id"))
                .col(integer("organization_id"))
                .primary_key(Index::create().col("contract_id").col("organization_id"))
                .foreign_key(ForeignKey::create().from("contract_organization", "contract_id").to("contract", "id"))
                .foreign_key(
                    ForeignKey::create().from("contract_organization", "organization_id").to("organization", "id"),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index("contract_organization_org", "contract_organization", &["organization_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["contract_organization", "contract", "organization", "operator_company", "authority", "region"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
