//! Table `plan_progress`: a progress report on a plan item (сведения о ходе реализации) — what was
//! actually done and when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_progress")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub item_id: i32,
    /// The day it was done (Unix seconds, midnight UTC).
    pub done_on: i64,
    /// What was actually done (shown publicly).
    pub what_done: String,
    /// Further details (documents, amounts, remarks).
    pub details: Option<String>,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
