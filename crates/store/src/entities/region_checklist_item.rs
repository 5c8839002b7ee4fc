//! Table `region_checklist_item`: one item of a regional list, in its place in the list.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "region_checklist_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub list_id: i32,
    /// The methodology's item id for items taken over from its list, a new one for added items.
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: String,
    #[sea_orm(column_type = "Text")]
    pub name_ru: String,
    /// Place in the list, from 1.
    pub position: i32,
    pub updated_at: i64,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
