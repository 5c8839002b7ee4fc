//! Table `app_user`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub authority_id: Option<i32>,
    pub operator_id: Option<i32>,
    pub organization_id: Option<i32>,
    /// Comma-separated region codes for a monitor limited to some regions; `None` = all regions.
    pub monitor_regions: Option<String>,
    pub active: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
