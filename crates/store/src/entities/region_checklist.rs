//! Table `region_checklist`: an authority's own list of 1.1 items (stands or website) for one region,
//! sphere and assessment year, used instead of the methodology's list.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "region_checklist")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub region_code: String,
    /// Sphere code (`health`, …).
    pub sphere: String,
    /// `stand` or `site` (`nok_methodology::ChecklistSection::key`).
    pub section: String,
    /// Assessment year.
    pub year: i32,
    /// Id of the methodology version whose list it was started from.
    pub methodology: String,
    /// Number of the next item the authority adds (item ids are never reused).
    pub next_number: i32,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
