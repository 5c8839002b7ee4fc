//! Table `checklist_evidence`: a file (JPEG, PNG or PDF) attached to one item of a checklist.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "checklist_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub checklist_id: i32,
    /// The checklist item the file supports.
    pub item_id: String,
    /// The name the file was uploaded with (for display).
    pub file_name: String,
    /// `image/jpeg`, `image/png` or `application/pdf`, decided from the file's first bytes.
    pub content_type: String,
    pub size: i64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    #[sea_orm(column_type = "Blob")]
    pub data: Vec<u8>,
    pub uploaded_at: i64,
    pub uploaded_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
