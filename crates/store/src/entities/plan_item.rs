//! Table `plan_item`: one row of an improvement plan — a shortcoming and the measure against it.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "plan_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub plan_id: i32,
    /// The plan section: the criterion (`K1`…`K5`) the shortcoming lowers, if known.
    pub criterion: Option<String>,
    /// Where the shortcoming came from: `checklist` (an absent checklist item) or `indicator` (a low
    /// indicator); none when typed by hand.
    pub source_kind: Option<String>,
    /// The checklist item id or the indicator id it came from.
    pub source_ref: Option<String>,
    /// The indicator the shortcoming lowers (`2.1`, `3.3`…), if known.
    pub indicator: Option<String>,
    pub shortcoming: String,
    pub measure: Option<String>,
    /// The planned deadline (Unix seconds, midnight UTC).
    pub deadline: Option<i64>,
    /// Full name of the responsible person.
    pub responsible_name: Option<String>,
    pub responsible_position: Option<String>,
    /// `planned`, `in_progress` or `done` (overdue is computed from the deadline, never stored).
    pub status: String,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
