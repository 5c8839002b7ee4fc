//! Table `checklist_item`: one item of a checklist (present or absent, with a comment and evidence).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "checklist_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub checklist_id: i32,
    /// Stable item id from the methodology definition, e.g. `comfort.water`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_id: String,
    /// Found present (for remote channels: shown on the website).
    pub present: bool,
    /// Remote channels only: the operator tried the channel and it works.
    pub tried: Option<bool>,
    pub comment: Option<String>,
    /// A note on the evidence (photo number, page address, act).
    pub evidence: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
