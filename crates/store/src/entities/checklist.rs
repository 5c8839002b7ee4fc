//! Table `checklist`: one operator checklist per organisation and assessment year.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "checklist")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// Assessment year (the survey period).
    pub year: i32,
    /// Id of the methodology version whose item lists were used.
    pub methodology: String,
    /// Average waiting time in days, where the sphere measures it.
    pub waiting_days: Option<f64>,
    /// Points of the waiting-time scale (health only), from `waiting_days` or entered directly.
    pub waiting_points: Option<f64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// Login of the last editor.
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
