//! Table `appeal`: a private appeal (обращение) to an organisation; the author's e-mail is encrypted.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "appeal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// The text, AES-256-GCM encrypted (`crate::crypto::PURPOSE_APPEAL_TEXT`; migration m0019 sealed older
    /// ones); `repo::appeals::open` decrypts it and the answer.
    pub body: String,
    /// The author's e-mail, AES-256-GCM encrypted (see `crate::crypto`); never stored in clear.
    #[serde(skip)]
    pub email_enc: String,
    /// When the author consented to the processing of the e-mail (152-ФЗ), and to which text version.
    pub consent_at: i64,
    pub consent_version: String,
    /// new | in_work | answered | closed
    pub status: String,
    /// Encrypted like the text.
    pub answer: Option<String>,
    pub created_at: i64,
    /// The answer deadline: 30 days after registration.
    pub due_at: i64,
    pub answered_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    #[serde(skip)]
    pub token_hash: String,
    #[serde(skip)]
    pub device_hash: Option<String>,
    #[serde(skip)]
    pub ip_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
