//! Table `review`: a citizen's review of an organisation, pre-moderated before it is shown.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub body: String,
    /// Name or nickname the author chose to show (optional).
    pub author_name: Option<String>,
    /// pending | published | rejected
    pub status: String,
    /// Comma-separated findings of the automatic pre-checks (link, email, phone, obscene, person_name).
    pub flags: Option<String>,
    /// Code of the rule a rejected review broke.
    pub reject_reason: Option<String>,
    pub moderator_note: Option<String>,
    /// Complaints («пожаловаться») received since publication.
    pub reports: i32,
    /// The organisation's public answer.
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    /// SHA-256 of the author's private status link token.
    #[serde(skip)]
    pub token_hash: String,
    #[serde(skip)]
    pub device_hash: Option<String>,
    #[serde(skip)]
    pub ip_hash: Option<String>,
    pub created_at: i64,
    pub published_at: Option<i64>,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
