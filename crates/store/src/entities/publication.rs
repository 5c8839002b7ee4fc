//! Table `publication`: results of one authority for one period, frozen when published.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub authority_id: i32,
    pub period: i32,
    /// Methodology version the results were computed with (the current one at publication).
    pub methodology: String,
    /// Organisations in the snapshot.
    pub organizations: i32,
    pub published_at: i64,
    pub published_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
