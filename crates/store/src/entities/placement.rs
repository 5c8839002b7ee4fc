//! Table `placement`: where an organisation's QR codes are placed (posters by spot, paper media,
//! screens, the website page with the widget), with the date placed and who verified it when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "placement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organization_id: i32,
    /// `poster`, `paper`, `screen` or `website`.
    pub medium: String,
    /// Where in the building (see `repo::placements::Spot`); none for the website.
    pub spot: Option<String>,
    /// Free text: room number, counter, device name.
    pub note: Option<String>,
    /// `a4` or `a3` for posters.
    pub poster_size: Option<String>,
    /// Scanning distance of a poster, metres.
    pub distance_m: Option<f64>,
    /// Paper media kind (tickets, booklets, …) or device kind (terminal, TV, …).
    pub media_kind: Option<String>,
    /// The website page that shows the widget.
    pub page_url: Option<String>,
    /// The day the code was placed (Unix seconds, midnight UTC).
    pub placed_at: Option<i64>,
    pub verified_by: Option<String>,
    pub verified_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
