//! Accounts: users with their role and scope, sessions, login throttling, the append-only audit log.

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
                .table("app_user")
                .col(pk_auto("id"))
                .col(string_uniq("login"))
                .col(string("password_hash"))
                .col(string("display_name"))
                .col(string("role"))
                .col(integer_null("authority_id"))
                .col(integer_null("operator_id"))
                .col(integer_null("organization_id"))
                .col(string_null("monitor_regions"))
                .col(boolean("active"))
                .col(big_integer("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("session")
                .col(string("token_hash").primary_key())
                .col(integer("user_id"))
                .col(string("csrf_token"))
                .col(big_integer("created_at"))
                .col(big_integer("expires_at"))
                .foreign_key(
                    ForeignKey::create()
                        .from("session", "user_id")
                        .to("app_user", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("login_throttle")
                .col(string("key").primary_key())
                .col(integer("failures"))
                .col(big_integer("window_start"))
                .col(big_integer("locked_until"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(big_pk_auto("id"))
                .col(big_integer("at"))
                .col(integer_null("actor_id"))
                .col(string("actor_login"))
                .col(string("action"))
                .col(string("object_type"))
                .col(string("object_id"))
                .col(text_null("before"))
                .col(text_null("after"))
                .col(string_null("ip_hash"))
                .to_owned(),
        )
        .await?;
        m.create_table(Table::create().table("setting").col(string("key").primary_key()).col(text("value")).to_owned())
            .await?;
        m.create_index(index("audit_log_object", "audit_log", &["object_type", "object_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in ["setting", "audit_log", "login_throttle", "session", "app_user"] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
