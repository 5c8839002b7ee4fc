//! Table `uploaded_image`: logos of organisations and authorities (for posters) and photos of placements.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "uploaded_image")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `org_logo`, `authority_logo` or `placement_photo`.
    pub kind: String,
    /// The organisation, authority or placement the image belongs to.
    pub owner_id: i32,
    /// `image/png`, `image/jpeg` or `image/svg+xml`, decided from the file's first bytes.
    pub mime: String,
    #[sea_orm(column_type = "Blob")]
    pub data: Vec<u8>,
    pub size: i32,
    pub uploaded_at: i64,
    pub uploaded_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
