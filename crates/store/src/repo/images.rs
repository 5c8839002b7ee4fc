//! Uploaded images: organisation and authority logos (printed on posters) and photos of placements.
//!
//! Every upload is checked here, whatever the entry point: at most [`MAX_IMAGE_BYTES`], and PNG, JPEG or
//! (logos only) SVG as told by the file's first bytes — never by its name or the browser's content type.
//! Logos are written by those who may edit the organisation's card (or, for an authority's logo, the
//! authority itself and administrators); every change is audited.

use super::audit::{self, Entry};
use crate::Db;
use crate::entities::uploaded_image;
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use crate::time_util::now;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// Largest accepted image, bytes (1 MiB).
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// What an image is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    /// An organisation's logo (owner: organisation id).
    OrgLogo,
    /// An authorised body's logo (owner: authority id).
    AuthorityLogo,
    /// A photo of a placement (owner: placement id).
    PlacementPhoto,
}

impl ImageKind {
    pub fn code(self) -> &'static str {
        match self {
            ImageKind::OrgLogo => "org_logo",
            ImageKind::AuthorityLogo => "authority_logo",
            ImageKind::PlacementPhoto => "placement_photo",
        }
    }

    /// Logos may be vector drawings; photos are raster pictures.
    fn allows_svg(self) -> bool {
        !matches!(self, ImageKind::PlacementPhoto)
    }
}

/// Why an upload was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImageRejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {MAX_IMAGE_BYTES} bytes")]
    TooLarge,
    #[error("the file is not a PNG, JPEG or SVG picture")]
    Format,
}

impl ImageRejection {
    /// Short code, for the message catalogue (`qr-image-{code}`).
    pub fn code(self) -> &'static str {
        match self {
            ImageRejection::Empty => "empty",
            ImageRejection::TooLarge => "too-large",
            ImageRejection::Format => "format",
        }
    }
}

impl From<ImageRejection> for StoreError {
    fn from(r: ImageRejection) -> Self {
        StoreError::Invalid(format!("image: {r}"))
    }
}

/// The MIME type of a picture from its first bytes: PNG, JPEG, or an SVG document.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &head[..head.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start();
    let xml_start = ["<svg", "<?xml", "<!--", "<!DOCTYPE svg", "<!doctype svg"].iter().any(|p| text.starts_with(p));
    (xml_start && text.contains("<svg")).then_some("image/svg+xml")
}

/// Checks an upload for `kind`; returns its MIME type.
pub fn check(kind: ImageKind, bytes: &[u8]) -> Result<&'static str, ImageRejection> {
    if bytes.is_empty() {
        return Err(ImageRejection::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageRejection::TooLarge);
    }
    match sniff(bytes) {
        Some("image/svg+xml") if !kind.allows_svg() => Err(ImageRejection::Format),
        Some(mime) => Ok(mime),
        None => Err(ImageRejection::Format),
    }
}

/// Stores (or replaces) the image of an owner, after the caller checked the actor's right to do so.
pub(crate) async fn put<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    kind: ImageKind,
    owner_id: i32,
    bytes: &[u8],
) -> Result<()> {
    let mime = check(kind, bytes)?;
    let model = uploaded_image::ActiveModel {
        id: Default::default(),
        kind: Set(kind.code().to_string()),
        owner_id: Set(owner_id),
        mime: Set(mime.to_string()),
        data: Set(bytes.to_vec()),
        size: Set(i32::try_from(bytes.len()).unwrap_or(i32::MAX)),
        uploaded_at: Set(now()),
        uploaded_by: Set(actor.login.clone()),
    };
    uploaded_image::Entity::insert(model)
        .on_conflict(
            OnConflict::columns([uploaded_image::Column::Kind, uploaded_image::Column::OwnerId])
                .update_columns([
                    uploaded_image::Column::Mime,
                    uploaded_image::Column::Data,
                    uploaded_image::Column::Size,
                    uploaded_image::Column::UploadedAt,
                    uploaded_image::Column::UploadedBy,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    audit::record(
        conn,
        actor,
        Entry {
            action: "image.upload",
            object_type: kind.code(),
            object_id: owner_id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "mime": mime, "size": bytes.len() })),
            ip_hash: None,
        },
    )
    .await
}

/// Removes the image of an owner (after the caller's checks); `false` when there was none.
pub(crate) async fn remove<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    kind: ImageKind,
    owner_id: i32,
) -> Result<bool> {
    let deleted = uploaded_image::Entity::delete_many()
        .filter(uploaded_image::Column::Kind.eq(kind.code()))
        .filter(uploaded_image::Column::OwnerId.eq(owner_id))
        .exec(conn)
        .await?
        .rows_affected;
    if deleted > 0 {
        audit::record(
            conn,
            actor,
            Entry {
                action: "image.delete",
                object_type: kind.code(),
                object_id: owner_id.to_string(),
                before: None,
                after: None,
                ip_hash: None,
            },
        )
        .await?;
    }
    Ok(deleted > 0)
}

/// The stored image of an owner (after the caller's checks).
pub(crate) async fn fetch<C: ConnectionTrait>(
    conn: &C,
    kind: ImageKind,
    owner_id: i32,
) -> Result<Option<uploaded_image::Model>> {
    Ok(uploaded_image::Entity::find()
        .filter(uploaded_image::Column::Kind.eq(kind.code()))
        .filter(uploaded_image::Column::OwnerId.eq(owner_id))
        .one(conn)
        .await?)
}

/// Which of `owner_ids` have an image of `kind` (one query, no image bytes read).
pub(crate) async fn owners_with<C: ConnectionTrait>(conn: &C, kind: ImageKind, owner_ids: &[i32]) -> Result<Vec<i32>> {
    let mut out = Vec::new();
    for chunk in owner_ids.chunks(1000) {
        let ids: Vec<i32> = uploaded_image::Entity::find()
            .select_only()
            .column(uploaded_image::Column::OwnerId)
            .filter(uploaded_image::Column::Kind.eq(kind.code()))
            .filter(uploaded_image::Column::OwnerId.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        out.extend(ids);
    }
    Ok(out)
}

/// Fails unless the actor may change the logo of the organisation (staff of it, its authority, admins).
async fn check_org_logo_write<C: ConnectionTrait>(conn: &C, actor: &Actor, organization_id: i32) -> Result<()> {
    super::organizations::get(conn, actor, organization_id).await?;
    if actor.may_edit_card() { Ok(()) } else { Err(StoreError::Forbidden) }
}

/// Whether the actor acts for the authority: the authority itself or an administrator (its logo, the
/// ZIP of its posters).
pub fn manages_authority(actor: &Actor, authority_id: i32) -> bool {
    match (&actor.scope, actor.role) {
        (Scope::All, Role::Admin) => true,
        (Scope::Authority { authority_id: own, .. }, Role::Authority) => *own == authority_id,
        _ => false,
    }
}

fn check_authority_logo_write(actor: &Actor, authority_id: i32) -> Result<()> {
    if manages_authority(actor, authority_id) { Ok(()) } else { Err(StoreError::Forbidden) }
}

/// Uploads (or replaces) an organisation's logo.
pub async fn set_org_logo(db: &Db, actor: &Actor, organization_id: i32, bytes: &[u8]) -> Result<()> {
    check_org_logo_write(&db.write, actor, organization_id).await?;
    put(&db.write, actor, ImageKind::OrgLogo, organization_id, bytes).await
}

/// Removes an organisation's logo (posters then show the placeholder).
pub async fn delete_org_logo(db: &Db, actor: &Actor, organization_id: i32) -> Result<bool> {
    check_org_logo_write(&db.write, actor, organization_id).await?;
    remove(&db.write, actor, ImageKind::OrgLogo, organization_id).await
}

/// The logo of an organisation the actor sees.
pub async fn org_logo<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
) -> Result<Option<uploaded_image::Model>> {
    super::organizations::get(conn, actor, organization_id).await?;
    fetch(conn, ImageKind::OrgLogo, organization_id).await
}

/// Which of the organisations have a logo (the caller has checked they are visible).
pub async fn orgs_with_logo<C: ConnectionTrait>(conn: &C, organization_ids: &[i32]) -> Result<Vec<i32>> {
    owners_with(conn, ImageKind::OrgLogo, organization_ids).await
}

/// The logo of an organisation by id without a scope check: for batch poster rendering after the
/// caller selected the organisations through a scoped query.
pub async fn org_logo_unchecked<C: ConnectionTrait>(conn: &C, organization_id: i32) -> Result<Option<Vec<u8>>> {
    Ok(fetch(conn, ImageKind::OrgLogo, organization_id).await?.map(|m| m.data))
}

/// Uploads (or replaces) an authority's logo.
pub async fn set_authority_logo(db: &Db, actor: &Actor, authority_id: i32, bytes: &[u8]) -> Result<()> {
    check_authority_logo_write(actor, authority_id)?;
    super::reference::authority_by_id(&db.write, authority_id).await?.ok_or(StoreError::NotFound)?;
    put(&db.write, actor, ImageKind::AuthorityLogo, authority_id, bytes).await
}

/// Removes an authority's logo.
pub async fn delete_authority_logo(db: &Db, actor: &Actor, authority_id: i32) -> Result<bool> {
    check_authority_logo_write(actor, authority_id)?;
    remove(&db.write, actor, ImageKind::AuthorityLogo, authority_id).await
}

/// An authority's logo. It is printed on public posters, so any signed-in user may read it.
pub async fn authority_logo<C: ConnectionTrait>(conn: &C, authority_id: i32) -> Result<Option<uploaded_image::Model>> {
    fetch(conn, ImageKind::AuthorityLogo, authority_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_first_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some("image/svg+xml")
        );
        assert_eq!(sniff(b"\xEF\xBB\xBF  <svg></svg>"), Some("image/svg+xml"));
        assert_eq!(sniff(b"<html><svg></svg></html>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"%PDF-1.7"), None);
    }

    #[test]
    fn size_and_kind_are_checked() {
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        assert_eq!(check(ImageKind::OrgLogo, svg), Ok("image/svg+xml"));
        assert_eq!(check(ImageKind::PlacementPhoto, svg), Err(ImageRejection::Format));
        assert_eq!(check(ImageKind::OrgLogo, b""), Err(ImageRejection::Empty));
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_IMAGE_BYTES + 1, 0);
        assert_eq!(check(ImageKind::OrgLogo, &big), Err(ImageRejection::TooLarge));
        big.truncate(MAX_IMAGE_BYTES);
        assert_eq!(check(ImageKind::PlacementPhoto, &big), Ok("image/png"));
    }
}
