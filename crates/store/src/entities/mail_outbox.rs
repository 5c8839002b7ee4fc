//! Table `mail_outbox`: e-mails waiting for (or done with) delivery by the background sender.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "mail_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What the message is (e.g. `appeal_answer`).
    pub kind: String,
    pub object_type: String,
    pub object_id: String,
    /// The recipient address, encrypted like the appeal's e-mail.
    #[serde(skip)]
    pub recipient_enc: String,
    pub subject: String,
    /// The text, AES-256-GCM encrypted (`crate::crypto::PURPOSE_MAIL_BODY`; migration m0019 sealed older ones).
    pub body: String,
    /// pending | sending | sent | failed
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    /// The sender instance holding the row while it delivers.
    pub claimed_by: Option<String>,
    pub claimed_at: Option<i64>,
    /// How it was delivered: `smtp`, or `in_app` when no SMTP server is configured.
    pub transport: Option<String>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
