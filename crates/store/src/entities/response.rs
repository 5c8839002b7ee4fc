//! Table `response`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "response")]
pub struct Model {
    /// Client-generated UUID: the idempotency key of a submission.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub organization_id: i32,
    pub period: i32,
    pub channel: String,
    /// Bit (n-1) set when question qn was answered.
    pub asked: i32,
    /// Bit (n-1) set when question qn was answered «Да».
    pub yes: i32,
    pub sex: Option<String>,
    pub age: Option<i32>,
    /// Encrypted with [`crate::crypto::PURPOSE_SUGGESTIONS`] (migration m0018 sealed the older plain texts).
    pub suggestions: Option<String>,
    pub device_hash: Option<String>,
    pub ip_hash: Option<String>,
    /// accepted | flagged | rejected
    pub status: String,
    pub flag_reason: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
