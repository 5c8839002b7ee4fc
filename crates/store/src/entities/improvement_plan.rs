//! Table `improvement_plan`: the improvement plan (план по устранению недостатков) of one organisation
//! for one assessment year.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "improvement_plan")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// The assessment year whose shortcomings the plan addresses.
    pub year: i32,
    /// `draft` or `published` (see `repo::improvement_plans::PlanStatus`).
    pub status: String,
    /// The day the founder approved the plan (Unix seconds, midnight UTC), if recorded.
    pub approved_on: Option<i64>,
    /// When the plan was published.
    pub published_at: Option<i64>,
    pub created_at: i64,
    /// Login of the creator.
    pub created_by: String,
    pub updated_at: i64,
    /// Login of the last editor.
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
