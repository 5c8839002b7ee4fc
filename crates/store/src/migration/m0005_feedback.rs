//! Citizen feedback: pre-moderated reviews (with complaints and the organisation's public answer), private
//! appeals with an encrypted e-mail and a 30-day deadline, agreement votes on the rating (one per device,
//! organisation and period), and the durable mail outbox the background sender drains.

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
                .table("review")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(text("body"))
                .col(string_null("author_name"))
                .col(string("status"))
                .col(string_null("flags"))
                .col(string_null("reject_reason"))
                .col(text_null("moderator_note"))
                .col(integer("reports").default(0))
                .col(text_null("answer"))
                .col(big_integer_null("answered_at"))
                .col(string_uniq("token_hash"))
                .col(string_null("device_hash"))
                .col(string_null("ip_hash"))
                .col(big_integer("created_at"))
                .col(big_integer_null("published_at"))
                .col(big_integer("updated_at"))
                .foreign_key(ForeignKey::create().from("review", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("review_org_status", "review", &["organization_id", "status"])).await?;
        m.create_index(index("review_status", "review", &["status", "created_at"])).await?;
        m.create_index(index("review_device", "review", &["device_hash", "created_at"])).await?;

        m.create_table(
            Table::create()
                .table("review_report")
                .col(pk_auto("id"))
                .col(integer("review_id"))
                .col(string("reason"))
                .col(string("device_hash"))
                .col(big_integer("created_at"))
                .foreign_key(ForeignKey::create().from("review_report", "review_id").to("review", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("review_report_once", "review_report", &["review_id", "device_hash"]).unique().to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table("appeal")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(text("body"))
                .col(text("email_enc"))
                .col(big_integer("consent_at"))
                .col(string("consent_version"))
                .col(string("status"))
                .col(text_null("answer"))
                .col(big_integer("created_at"))
                .col(big_integer("due_at"))
                .col(big_integer_null("answered_at"))
                .col(big_integer_null("closed_at"))
                .col(big_integer("updated_at"))
                .col(string_uniq("token_hash"))
                .col(string_null("device_hash"))
                .col(string_null("ip_hash"))
                .foreign_key(ForeignKey::create().from("appeal", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("appeal_org_status", "appeal", &["organization_id", "status"])).await?;
        m.create_index(index("appeal_due", "appeal", &["status", "due_at"])).await?;
        m.create_index(index("appeal_device", "appeal", &["device_hash", "created_at"])).await?;

        m.create_table(
            Table::create()
                .table("rating_vote")
                .col(pk_auto("id"))
                .col(integer("organization_id"))
                .col(integer("period"))
                .col(string("device_hash"))
                .col(boolean("agree"))
                .col(text_null("comment"))
                .col(string_null("ip_hash"))
                .col(big_integer("created_at"))
                .foreign_key(ForeignKey::create().from("rating_vote", "organization_id").to("organization", "id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("rating_vote_once", "rating_vote", &["organization_id", "period", "device_hash"]).unique().to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("mail_outbox")
                .col(big_pk_auto("id"))
                .col(string("kind"))
                .col(string("object_type"))
                .col(string("object_id"))
                .col(text("recipient_enc"))
                .col(string("subject"))
                .col(text("body"))
                .col(string("status"))
                .col(integer("attempts").default(0))
                .col(big_integer("next_attempt_at"))
                .col(string_null("claimed_by"))
                .col(big_integer_null("claimed_at"))
                .col(string_null("transport"))
                .col(text_null("last_error"))
                .col(big_integer("created_at"))
                .col(big_integer_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("mail_outbox_due", "mail_outbox", &["status", "next_attempt_at"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["mail_outbox", "rating_vote", "appeal", "review_report", "review"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
