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
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

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

/// Who reads the comments: administrators and federal monitoring, authorities and their public councils,
/// and the organisation's staff — each within their scope. Operators do not.
pub fn may_read_comments(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Monitor | Role::Authority | Role::Council | Role::Staff)
}

/// What a cabinet list of comments asks for.
#[derive(Clone, Debug, Default)]
pub struct CommentQuery {
    /// One organisation (it must be in the actor's scope); `None` = every organisation the actor sees.
    pub organization_id: Option<i32>,
    /// One period; `None` = every period.
    pub period: Option<i32>,
    pub page: u64,
    pub per_page: u64,
}

/// A vote with a comment, with its organisation's name.
#[derive(Clone, Debug)]
pub struct CommentRow {
    pub vote: rating_vote::Model,
    pub organization: String,
}

/// The votes with comments the actor may read that match the query. `Forbidden` for other roles and for an
/// organisation outside the scope.
async fn condition<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &CommentQuery) -> Result<Condition> {
    use rating_vote::Column as V;
    if !may_read_comments(actor) {
        return Err(StoreError::Forbidden);
    }
    let mut c = Condition::all()
        .add(V::OrganizationId.in_subquery(feedback::scoped_org_ids(actor)))
        .add(V::Comment.is_not_null());
    if let Some(org) = q.organization_id {
        feedback::org_in_scope(conn, actor, org).await?;
        c = c.add(V::OrganizationId.eq(org));
    }
    if let Some(period) = q.period {
        c = c.add(V::Period.eq(period));
    }
    Ok(c)
}

/// [`condition`], newest first.
async fn newest_first<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &CommentQuery,
) -> Result<Select<rating_vote::Entity>> {
    Ok(rating_vote::Entity::find()
        .filter(condition(conn, actor, q).await?)
        .order_by_desc(rating_vote::Column::CreatedAt)
        .order_by_desc(rating_vote::Column::Id))
}

async fn with_names<C: ConnectionTrait>(conn: &C, votes: Vec<rating_vote::Model>) -> Result<Vec<CommentRow>> {
    let names = feedback::org_names(conn, votes.iter().map(|v| v.organization_id)).await?;
    Ok(votes
        .into_iter()
        .map(|vote| CommentRow { organization: names.get(&vote.organization_id).cloned().unwrap_or_default(), vote })
        .collect())
}

/// A page of the comments for the cabinet (see [`may_read_comments`]).
pub async fn comments<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &CommentQuery) -> Result<Page<CommentRow>> {
    let per_page = q.per_page.clamp(1, 200);
    let page = q.page.max(1);
    let paginator = newest_first(conn, actor, q).await?.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = with_names(conn, paginator.fetch_page(page - 1).await?).await?;
    Ok(Page { items, total, page, per_page })
}

/// Every comment matching the query (for export), at most `limit`.
pub async fn export_comments<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &CommentQuery,
    limit: u64,
) -> Result<Vec<CommentRow>> {
    let votes = newest_first(conn, actor, q).await?.limit(limit).all(conn).await?;
    with_names(conn, votes).await
}

/// The periods that have comments the actor may read (of one organisation when given), newest first.
pub async fn comment_periods<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    organization_id: Option<i32>,
) -> Result<Vec<i32>> {
    let q = CommentQuery { organization_id, ..CommentQuery::default() };
    Ok(rating_vote::Entity::find()
        .filter(condition(conn, actor, &q).await?)
        .select_only()
        .column(rating_vote::Column::Period)
        .distinct()
        .order_by_desc(rating_vote::Column::Period)
        .into_tuple()
        .all(conn)
        .await?)
}
