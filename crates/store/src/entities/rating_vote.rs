//! Table `rating_vote`: agreement or disagreement with an organisation's rating, one per device and period.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "rating_vote")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    pub period: i32,
    #[serde(skip)]
    pub device_hash: String,
    pub agree: bool,
    pub comment: Option<String>,
    #[serde(skip)]
    pub ip_hash: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
