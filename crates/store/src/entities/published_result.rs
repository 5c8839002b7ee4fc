//! Table `published_result`: one organisation's result as published (never updated).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "published_result")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub publication_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: i32,
    pub period: i32,
    pub sphere: String,
    pub region_code: String,
    pub authority_id: Option<i32>,
    /// Methodology version id of this organisation's result.
    pub methodology: String,
    pub responses: i64,
    pub online_responses: i64,
    pub total: Option<f64>,
    pub k1: Option<f64>,
    pub k2: Option<f64>,
    pub k3: Option<f64>,
    pub k4: Option<f64>,
    pub k5: Option<f64>,
    /// JSON object `{"1.1": 81.67, …}` of the indicators with data (full precision).
    pub indicators: String,
    /// JSON array of the ids without data.
    pub no_data: String,
    /// JSON of what the result was computed from (`repo::snapshots::FrozenInput`); `None` for
    /// snapshots published before it was stored.
    pub inputs: Option<String>,
    /// The organisation's municipality when the result was published (municipal aggregates of the
    /// period group by it).
    pub municipality: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
