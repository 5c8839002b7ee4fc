//! Table `organization`.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "organization")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Stable short id used in QR codes and public URLs.
    #[sea_orm(unique)]
    pub public_id: String,
    #[sea_orm(unique)]
    pub inn: String,
    pub ogrn: Option<String>,
    pub kpp: Option<String>,
    pub full_name: String,
    pub short_name: String,
    pub address: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sphere: String,
    pub region_code: String,
    /// Муниципальное образование as the registry names it (trimmed free text).
    pub municipality: Option<String>,
    pub authority_id: Option<i32>,
    pub population: i64,
    pub active: bool,
    /// Lower-cased names and ИНН, for case-insensitive Cyrillic search on both backends.
    #[serde(skip)]
    pub search_text: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
