//! Evidence files attached to the items of a recorded checklist: photos (JPEG, PNG) and scans (PDF),
//! told by their first bytes — never by the name or the browser's content type — and at most the
//! configured size. Kept in the database with their SHA-256, uploader and time.
//!
//! Files are read by everyone whose scope includes the organisation; attached and removed by those who
//! may record its checklist (the operator of a contract over it, its authority, administrators). Both
//! changes are audited in the checklist's history.

use super::audit::{self, Entry};
use super::{checklists, images, organizations};
use crate::Db;
use crate::entities::{checklist, checklist_evidence};
use crate::error::{Result, StoreError};
use crate::scope::Actor;
use crate::time_util::now;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use sha2::{Digest, Sha256};

/// Largest accepted file unless configured otherwise, bytes (10 MiB).
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Longest file name kept (characters).
const MAX_FILE_NAME_CHARS: usize = 200;

/// Why a file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than allowed")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or PDF")]
    Format,
    #[error("the checklist of the year has not been recorded yet")]
    NotRecorded,
    #[error("no such item in the checklist")]
    UnknownItem,
}

impl EvidenceRejection {
    /// Short code, for the message catalogue (`cle-reject-{code}`).
    pub fn code(self) -> &'static str {
        match self {
            EvidenceRejection::Empty => "empty",
            EvidenceRejection::TooLarge => "too-large",
            EvidenceRejection::Format => "format",
            EvidenceRejection::NotRecorded => "not-recorded",
            EvidenceRejection::UnknownItem => "unknown-item",
        }
    }
}

/// The content type of an evidence file from its first bytes: JPEG, PNG or PDF.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    images::sniff(bytes).filter(|mime| matches!(*mime, "image/jpeg" | "image/png"))
}

/// Checks a file against `max_bytes`; returns its content type.
pub fn check(bytes: &[u8], max_bytes: usize) -> Result<&'static str, EvidenceRejection> {
    if bytes.is_empty() {
        return Err(EvidenceRejection::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(EvidenceRejection::TooLarge);
    }
    sniff(bytes).ok_or(EvidenceRejection::Format)
}

/// A stored file without its content.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceFile {
    pub id: i32,
    pub item_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: i64,
    pub uploaded_by: String,
}

/// A file with its content, for download.
pub struct Download {
    pub file: EvidenceFile,
    pub data: Vec<u8>,
}

type Row = (i32, String, String, String, i64, String, i64, String);

const COLUMNS: [checklist_evidence::Column; 8] = [
    checklist_evidence::Column::Id,
    checklist_evidence::Column::ItemId,
    checklist_evidence::Column::FileName,
    checklist_evidence::Column::ContentType,
    checklist_evidence::Column::Size,
    checklist_evidence::Column::Sha256,
    checklist_evidence::Column::UploadedAt,
    checklist_evidence::Column::UploadedBy,
];

impl From<Row> for EvidenceFile {
    fn from((id, item_id, file_name, content_type, size, sha256, uploaded_at, uploaded_by): Row) -> Self {
        EvidenceFile { id, item_id, file_name, content_type, size, sha256, uploaded_at, uploaded_by }
    }
}

/// The stored checklist row of an organisation and year (the caller has checked the scope).
async fn checklist_row<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    year: i32,
) -> Result<Option<checklist::Model>> {
    Ok(checklist::Entity::find()
        .filter(checklist::Column::OrganizationId.eq(organization_id))
        .filter(checklist::Column::Year.eq(year))
        .one(conn)
        .await?)
}

/// The files of an organisation's checklist for `year` the actor sees, by item then upload order.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
) -> Result<Vec<EvidenceFile>> {
    organizations::get(conn, actor, organization_id).await?;
    let Some(c) = checklist_row(conn, organization_id, year).await? else {
        return Ok(Vec::new());
    };
    let rows: Vec<Row> = checklist_evidence::Entity::find()
        .select_only()
        .columns(COLUMNS)
        .filter(checklist_evidence::Column::ChecklistId.eq(c.id))
        .order_by_asc(checklist_evidence::Column::ItemId)
        .order_by_asc(checklist_evidence::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(EvidenceFile::from).collect())
}

/// A file name as kept: the last path component, control characters dropped, at most
/// [`MAX_FILE_NAME_CHARS`] characters; `файл` when nothing is left.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base.chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME_CHARS).collect();
    let kept = kept.trim();
    if kept.is_empty() { "файл".to_owned() } else { kept.to_owned() }
}

/// What the audit log keeps of a file.
fn audit_value(item_id: &str, file_name: &str, content_type: &str, size: i64, sha256: &str) -> serde_json::Value {
    serde_json::json!({
        "item": item_id,
        "file": file_name,
        "content_type": content_type,
        "size": size,
        "sha256": sha256,
    })
}

/// A file to attach.
pub struct NewFile<'a> {
    /// The checklist item it supports.
    pub item_id: &'a str,
    /// The name it was uploaded with.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// Attaches a file to an item of the recorded checklist of `organization_id` for `year`.
/// `Ok(Err(_))`: the file was refused for a reason the user can act on.
pub async fn upload(
    db: &Db,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    new: NewFile<'_>,
    max_bytes: usize,
) -> Result<Result<EvidenceFile, EvidenceRejection>> {
    let NewFile { item_id, file_name, bytes } = new;
    let c = checklists::get(&db.write, actor, organization_id, year).await?;
    if !c.may_edit {
        return Err(StoreError::Forbidden);
    }
    let Some(recorded) = &c.recorded else {
        return Ok(Err(EvidenceRejection::NotRecorded));
    };
    if !c.sections.iter().any(|s| s.items.iter().any(|i| i.item.id == item_id)) {
        return Ok(Err(EvidenceRejection::UnknownItem));
    }
    let content_type = match check(bytes, max_bytes) {
        Ok(t) => t,
        Err(r) => return Ok(Err(r)),
    };
    let sha256 = hex::encode(Sha256::digest(bytes));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let (file_name, at) = (clean_name(file_name), now());
    let txn = db.write.begin().await?;
    let model = checklist_evidence::Entity::insert(checklist_evidence::ActiveModel {
        id: Default::default(),
        checklist_id: Set(recorded.id),
        item_id: Set(item_id.to_owned()),
        file_name: Set(file_name.clone()),
        content_type: Set(content_type.to_owned()),
        size: Set(size),
        sha256: Set(sha256.clone()),
        data: Set(bytes.to_vec()),
        uploaded_at: Set(at),
        uploaded_by: Set(actor.login.clone()),
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "checklist.evidence.upload",
            object_type: "checklist",
            object_id: format!("{organization_id}/{year}"),
            before: None,
            after: Some(audit_value(item_id, &file_name, content_type, size, &sha256)),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(EvidenceFile {
        id: model.id,
        item_id: model.item_id,
        file_name,
        content_type: content_type.to_owned(),
        size,
        sha256,
        uploaded_at: at,
        uploaded_by: model.uploaded_by,
    }))
}

/// A file of the organisation's checklist for `year`, if the actor sees the organisation (`NotFound`
/// for a file of another checklist).
async fn find<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    file_id: i32,
) -> Result<checklist_evidence::Model> {
    organizations::get(conn, actor, organization_id).await?;
    let c = checklist_row(conn, organization_id, year).await?.ok_or(StoreError::NotFound)?;
    checklist_evidence::Entity::find_by_id(file_id)
        .filter(checklist_evidence::Column::ChecklistId.eq(c.id))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A file with its content, for a user whose scope includes the organisation.
pub async fn download<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    year: i32,
    file_id: i32,
) -> Result<Download> {
    let m = find(conn, actor, organization_id, year, file_id).await?;
    let file = EvidenceFile {
        id: m.id,
        item_id: m.item_id,
        file_name: m.file_name,
        content_type: m.content_type,
        size: m.size,
        sha256: m.sha256,
        uploaded_at: m.uploaded_at,
        uploaded_by: m.uploaded_by,
    };
    Ok(Download { file, data: m.data })
}

/// Removes a file (for those who may record the checklist), audited.
pub async fn delete(db: &Db, actor: &Actor, organization_id: i32, year: i32, file_id: i32) -> Result<()> {
    let m = find(&db.write, actor, organization_id, year, file_id).await?;
    if !checklists::may_record(actor) {
        return Err(StoreError::Forbidden);
    }
    let txn = db.write.begin().await?;
    checklist_evidence::Entity::delete_by_id(m.id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "checklist.evidence.delete",
            object_type: "checklist",
            object_id: format!("{organization_id}/{year}"),
            before: Some(audit_value(&m.item_id, &m.file_name, &m.content_type, m.size, &m.sha256)),
            after: None,
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_their_first_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), None, "no SVG");
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"PK\x03\x04"), None);
        assert_eq!(check(b"", 10), Err(EvidenceRejection::Empty));
        assert_eq!(check(b"%PDF-1.7 and more", 10), Err(EvidenceRejection::TooLarge));
        assert_eq!(check(b"%PDF-1.7", 10), Ok("application/pdf"));
    }

    #[test]
    fn names_lose_paths_and_control_characters() {
        assert_eq!(clean_name("C:\\Users\\op\\фото стенда.jpg"), "фото стенда.jpg");
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("a\u{0}b\nc.pdf"), "abc.pdf");
        assert_eq!(clean_name("  "), "файл");
        assert_eq!(clean_name(&"я".repeat(300)).chars().count(), MAX_FILE_NAME_CHARS);
    }
}
