//! Agreement with the rating: a citizen agrees or disagrees with an organisation's published rating, with an
//! optional comment. One vote per device, organisation and period — a unique constraint, so a repeat (or a
//! race of two) is refused by the database; the first vote stands. Votes are their own record and are not
//! copied into the audit log. Counts are public; comments are read only in the cabinets (scoped).

use super::Page;
use super::feedback;
use crate::Db;
use crate::entities::rating_vote;
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

pub const COMMENT_MAX: usize = 1000;

/// A vote as it arrives.
#[derive(Clone, Debug)]
pub struct NewVote {
    pub organization_id: i32,
    pub period: i32,
    pub device_hash: String,
    pub agree: bool,
    pub comment: Option<String>,
    pub ip_hash: Option<String>,
    pub at: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteOutcome {
    Counted,
    /// This device already voted for this organisation and period; the first vote stands.
    AlreadyVoted,
}

/// Records a vote unless the device already voted.
pub async fn vote(db: &Db, v: NewVote) -> Result<VoteOutcome> {
    let comment = feedback::clean_optional("comment", v.comment.as_deref(), COMMENT_MAX)?;
    if v.device_hash.is_empty() {
        return Err(StoreError::Invalid("device: missing".into()));
    }
    super::organizations::public_by_id(&db.write, v.organization_id).await?;
    let inserted = rating_vote::Entity::insert(rating_vote::ActiveModel {
        id: Default::default(),
        organization_id: Set(v.organization_id),
        period: Set(v.period),
        device_hash: Set(v.device_hash),
        agree: Set(v.agree),
        comment: Set(comment),
        ip_hash: Set(v.ip_hash),
        created_at: Set(v.at),
    })
    .on_conflict(
        OnConflict::columns([
            rating_vote::Column::OrganizationId,
            rating_vote::Column::Period,
            rating_vote::Column::DeviceHash,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&db.write)
    .await?;
    Ok(if inserted == 1 { VoteOutcome::Counted } else { VoteOutcome::AlreadyVoted })
}

/// Public counts for an organisation and period.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VoteCounts {
    pub agree: u64,
    pub disagree: u64,
}

impl VoteCounts {
    pub fn total(&self) -> u64 {
        self.agree + self.disagree
    }

    /// Share of «agree» in per cent (0 when nobody voted).
    pub fn agree_percent(&self) -> f64 {
        if self.total() == 0 { 0.0 } else { self.agree as f64 * 100.0 / self.total() as f64 }
    }
}

pub async fn counts<C: ConnectionTrait>(conn: &C, organization_id: i32, period: i32) -> Result<VoteCounts> {
    let base = || {
        rating_vote::Entity::find()
            .filter(rating_vote::Column::OrganizationId.eq(organization_id))
            .filter(rating_vote::Column::Period.eq(period))
    };
    Ok(VoteCounts {
        agree: base().filter(rating_vote::Column::Agree.eq(true)).count(conn).await?,
        disagree: base().filter(rating_vote::Column::Agree.eq(false)).count(conn).await?,
    })
}

/// How this device voted, if it did.
pub async fn device_vote<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    period: i32,
    device_hash: &str,
) -> Result<Option<bool>> {
    Ok(rating_vote::Entity::find()
        .filter(rating_vote::Column::OrganizationId.eq(organization_id))
        .filter(rating_vote::Column::Period.eq(period))
        .filter(rating_vote::Column::DeviceHash.eq(device_hash))
        .one(conn)
        .await?
        .map(|v| v.agree))
}

/// Votes with comments for one organisation and period, newest first: for administrators, the authority
/// and the organisation's staff (within their scope).
pub async fn comments<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: i32,
    period: i32,
    page: u64,
    per_page: u64,
) -> Result<Page<rating_vote::Model>> {
    if !matches!(actor.role, Role::Admin | Role::Authority | Role::Staff) {
        return Err(StoreError::Forbidden);
    }
    feedback::org_in_scope(conn, actor, organization_id).await?;
    let per_page = per_page.clamp(1, 200);
    let page = page.max(1);
    let paginator = rating_vote::Entity::find()
        .filter(rating_vote::Column::OrganizationId.eq(organization_id))
        .filter(rating_vote::Column::Period.eq(period))
        .filter(rating_vote::Column::Comment.is_not_null())
        .order_by_desc(rating_vote::Column::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}
