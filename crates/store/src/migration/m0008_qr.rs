//! QR materials: uploaded images (organisation and authority logos for posters, photos of placements),
//! the placement registry (where codes hang: posters by spot, paper media, screens, the website page) and
//! daily visit counters per organisation and QR variant (`?ch=` of the questionnaire link).

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
                .table("uploaded_image")
                .col(pk_auto("id"))
                .col(string_len("kind", 32))
                .col(integer("owner_id"))
                .col(string_len("mime", 32))
                .col(blob("data"))
                .col(integer("size"))
                .col(big_integer("uploaded_at"))
                .col(string("uploaded_by"))
                .to_owned(),
        )
        .await?;
        let mut owner = index("uploaded_image_owner", "uploaded_image", &["kind", "owner_id"]);
        m.create_index(owner.unique().to_owned()).await?;

        m.create_table(
            Table::create()
                .table("placement")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(string_len("medium", 16))
                .col(string_len_null("spot", 32))
                .col(string_null("note"))
                .col(string_len_null("poster_size", 4))
                .col(double_null("distance_m"))
                .col(string_len_null("media_kind", 32))
                .col(string_null("page_url"))
                .col(big_integer_null("placed_at"))
                .col(string_null("verified_by"))
                .col(big_integer_null("verified_at"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(ForeignKey::create().from("placement", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("placement_org", "placement", &["organization_id", "medium", "spot"])).await?;

        m.create_table(
            Table::create()
                .table("scan_counter")
                .col(integer("organization_id"))
                .col(integer("day"))
                .col(string_len("channel", 32))
                .col(big_integer("visits").default(0))
                .primary_key(Index::create().col("organization_id").col("day").col("channel"))
                .foreign_key(ForeignKey::create().from("scan_counter", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["scan_counter", "placement", "uploaded_image"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
