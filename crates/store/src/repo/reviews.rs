//! Reviews: submitted by anyone, shown only after a moderator approves them (pre-moderation), sent back to
//! the queue by complaints, answered publicly by the organisation's staff; the author follows the status by a
//! private link. Moderators are administrators and authorities (within their scope); answers come from the
//! staff of the reviewed organisation only.

use super::Page;
use super::audit::{self, Entry};
use super::feedback::{self, citizen};
use crate::Db;
use crate::entities::{review, review_report};
use crate::error::{Result, StoreError};
use crate::moderation;
use crate::scope::{Actor, Role};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, TransactionTrait,
};

pub const PENDING: &str = "pending";
pub const PUBLISHED: &str = "published";
pub const REJECTED: &str = "rejected";

pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 3000;
pub const NAME_MAX: usize = 60;
pub const ANSWER_MAX: usize = 3000;
pub const NOTE_MAX: usize = 500;

/// The rules a moderator can reject a review for (and a citizen can complain about).
pub const REASONS: [&str; 6] = ["personal_data", "obscenity", "links", "insult", "offtopic", "other"];

/// A review as the author sends it.
#[derive(Clone, Debug, Default)]
pub struct NewReview {
    pub organization_id: i32,
    pub body: String,
    pub author_name: Option<String>,
    /// The author agreed to the publication rules.
    pub accepts_rules: bool,
    pub device_hash: Option<String>,
    pub ip_hash: Option<String>,
    pub at: i64,
}

/// A stored review and the token of its private status link (shown to the author once).
#[derive(Clone, Debug)]
pub struct Submitted {
    pub review: review::Model,
    pub token: String,
}

/// Stores a review for moderation, flagged by the automatic pre-checks.
pub async fn submit(db: &Db, new: NewReview) -> Result<Submitted> {
    let mut check = feedback::Check::default();
    let body = check.field(feedback::clean_text("body", &new.body, BODY_MIN, BODY_MAX));
    let author_name = check.field(feedback::clean_optional("author_name", new.author_name.as_deref(), NAME_MAX));
    check.require(new.accepts_rules, "accepts_rules: consent required");
    check.finish()?;
    let (Some(body), Some(author_name)) = (body, author_name) else { unreachable!("checked above") };
    super::organizations::public_by_id(&db.write, new.organization_id).await?;
    if let Some(device) = &new.device_hash {
        let recent = review::Entity::find()
            .filter(review::Column::DeviceHash.eq(device.clone()))
            .filter(review::Column::CreatedAt.gt(new.at - 86_400))
            .count(&db.write)
            .await?;
        feedback::check_daily_limit(recent)?;
    }
    let checked = format!("{body}\n{}", author_name.as_deref().unwrap_or(""));
    let flags = moderation::to_column(&moderation::check(&checked));
    let (token, token_hash) = feedback::new_token();
    let model = review::ActiveModel {
        id: Default::default(),
        organization_id: Set(new.organization_id),
        body: Set(body),
        author_name: Set(author_name),
        status: Set(PENDING.into()),
        flags: Set(flags),
        reject_reason: Set(None),
        moderator_note: Set(None),
        reports: Set(0),
        answer: Set(None),
        answered_at: Set(None),
        token_hash: Set(token_hash),
        device_hash: Set(new.device_hash),
        ip_hash: Set(new.ip_hash.clone()),
        created_at: Set(new.at),
        published_at: Set(None),
        updated_at: Set(new.at),
    };
    let txn = db.write.begin().await?;
    let review = review::Entity::insert(model).exec_with_returning(&txn).await?;
    audit::record(
        &txn,
        &citizen(),
        entry("review.create", &review, None, Some(serde_json::json!({ "flags": review.flags }))),
    )
    .await?;
    txn.commit().await?;
    Ok(Submitted { review, token })
}

fn entry<'a>(
    action: &'a str,
    r: &review::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Entry<'a> {
    Entry { action, object_type: "review", object_id: r.id.to_string(), before, after, ip_hash: None }
}

/// The review behind a private status link.
pub async fn by_token<C: ConnectionTrait>(conn: &C, token: &str) -> Result<review::Model> {
    if !feedback::plausible_token(token) {
        return Err(StoreError::NotFound);
    }
    review::Entity::find()
        .filter(review::Column::TokenHash.eq(feedback::token_hash(token)))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Published reviews of an organisation, newest first (public).
pub async fn published<C: ConnectionTrait>(
    conn: &C,
    organization_id: i32,
    page: u64,
    per_page: u64,
) -> Result<Page<review::Model>> {
    let per_page = per_page.clamp(1, 100);
    let page = page.max(1);
    let paginator = review::Entity::find()
        .filter(review::Column::OrganizationId.eq(organization_id))
        .filter(review::Column::Status.eq(PUBLISHED))
        .order_by_desc(review::Column::PublishedAt)
        .order_by_desc(review::Column::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

/// One published review (public), e.g. to complain about it.
pub async fn public_get<C: ConnectionTrait>(conn: &C, id: i32) -> Result<review::Model> {
    review::Entity::find_by_id(id)
        .filter(review::Column::Status.eq(PUBLISHED))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Administrators and authorities moderate reviews of the organisations in their scope.
pub fn may_moderate(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority)
}

/// What a cabinet list of reviews asks for.
#[derive(Clone, Debug, Default)]
pub struct ReviewQuery {
    /// `None` = every status (moderators); staff always see published reviews only.
    pub status: Option<String>,
    /// Only reviews the pre-checks flagged.
    pub flagged_only: bool,
    pub organization_id: Option<i32>,
    pub page: u64,
    pub per_page: u64,
}

/// A review in a cabinet list, with its organisation's name.
#[derive(Clone, Debug)]
pub struct ReviewRow {
    pub review: review::Model,
    pub organization: String,
}

/// The reviews a cabinet query selects, in the list's order: the moderation queue (moderators, scoped) or
/// the organisation's published reviews (its staff). Other roles are refused.
fn select(actor: &Actor, q: &ReviewQuery) -> Result<Select<review::Entity>> {
    use review::Column as R;
    let mut cond = Condition::all().add(R::OrganizationId.in_subquery(feedback::scoped_org_ids(actor)));
    let status = if may_moderate(actor) {
        q.status.clone()
    } else if actor.role == Role::Staff {
        Some(PUBLISHED.to_string())
    } else {
        return Err(StoreError::Forbidden);
    };
    if let Some(s) = &status {
        cond = cond.add(R::Status.eq(s.clone()));
    }
    if q.flagged_only {
        cond = cond.add(R::Flags.is_not_null());
    }
    if let Some(org) = q.organization_id {
        cond = cond.add(R::OrganizationId.eq(org));
    }
    let select = review::Entity::find().filter(cond);
    // The queue is worked oldest first; other lists show the newest first.
    Ok(if status.as_deref() == Some(PENDING) {
        select.order_by_asc(R::UpdatedAt).order_by_asc(R::Id)
    } else {
        select.order_by_desc(R::UpdatedAt).order_by_desc(R::Id)
    })
}

async fn with_names<C: ConnectionTrait>(conn: &C, reviews: Vec<review::Model>) -> Result<Vec<ReviewRow>> {
    let names = feedback::org_names(conn, reviews.iter().map(|r| r.organization_id)).await?;
    Ok(reviews
        .into_iter()
        .map(|review| ReviewRow {
            organization: names.get(&review.organization_id).cloned().unwrap_or_default(),
            review,
        })
        .collect())
}

/// Reviews for the cabinet, a page at a time (see [`select`]).
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &ReviewQuery) -> Result<Page<ReviewRow>> {
    let per_page = q.per_page.clamp(1, 200);
    let page = q.page.max(1);
    let paginator = select(actor, q)?.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = with_names(conn, paginator.fetch_page(page - 1).await?).await?;
    Ok(Page { items, total, page, per_page })
}

/// Every review the cabinet query selects (for export), at most `limit`.
pub async fn export<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &ReviewQuery,
    limit: u64,
) -> Result<Vec<ReviewRow>> {
    with_names(conn, select(actor, q)?.limit(limit).all(conn).await?).await
}

/// One review for the cabinet: moderators see any in their scope, staff the published ones of their
/// organisation; anything else is `Forbidden`.
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<review::Model> {
    let r = review::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    feedback::org_in_scope(conn, actor, r.organization_id).await?;
    let staff_may_see = feedback::is_staff_of(actor, r.organization_id) && r.status == PUBLISHED;
    if may_moderate(actor) || staff_may_see { Ok(r) } else { Err(StoreError::Forbidden) }
}

async fn get_for_moderation<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<review::Model> {
    if !may_moderate(actor) {
        return Err(StoreError::Forbidden);
    }
    get(conn, actor, id).await
}

/// Publishes a review from the queue (also one that complaints sent back).
pub async fn approve(db: &Db, actor: &Actor, id: i32, at: i64) -> Result<review::Model> {
    let txn = db.write.begin().await?;
    let current = get_for_moderation(&txn, actor, id).await?;
    if current.status != PENDING {
        return Err(StoreError::Conflict("status: only a review waiting for moderation can be published".into()));
    }
    let mut m: review::ActiveModel = current.clone().into();
    m.status = Set(PUBLISHED.into());
    m.reports = Set(0);
    m.reject_reason = Set(None);
    m.published_at = Set(Some(current.published_at.unwrap_or(at)));
    m.updated_at = Set(at);
    let updated = review::Entity::update(m).exec(&txn).await?;
    let before = serde_json::json!({ "status": current.status, "reports": current.reports });
    audit::record(
        &txn,
        actor,
        entry("review.approve", &updated, Some(before), Some(serde_json::json!({ "status": PUBLISHED }))),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Rejects a review (waiting, or published) for breaking rule `reason`, with an optional note to the author.
pub async fn reject(
    db: &Db,
    actor: &Actor,
    id: i32,
    reason: &str,
    note: Option<&str>,
    at: i64,
) -> Result<review::Model> {
    if !REASONS.contains(&reason) {
        return Err(StoreError::Invalid("reason: choose a rule".into()));
    }
    let note = feedback::clean_optional("note", note, NOTE_MAX)?;
    let txn = db.write.begin().await?;
    let current = get_for_moderation(&txn, actor, id).await?;
    if current.status == REJECTED {
        return Err(StoreError::Conflict("status: already rejected".into()));
    }
    let mut m: review::ActiveModel = current.clone().into();
    m.status = Set(REJECTED.into());
    m.reject_reason = Set(Some(reason.to_string()));
    m.moderator_note = Set(note.clone());
    m.updated_at = Set(at);
    let updated = review::Entity::update(m).exec(&txn).await?;
    let after = serde_json::json!({ "status": REJECTED, "reason": reason, "note": note });
    audit::record(
        &txn,
        actor,
        entry("review.reject", &updated, Some(serde_json::json!({ "status": current.status })), Some(after)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// What a complaint did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportOutcome {
    /// The review went back to the moderation queue.
    Queued,
    /// This device had already complained about this review: nothing changed.
    AlreadyReported,
}

/// «Пожаловаться»: a complaint about a published review sends it back to the moderation queue (hidden until
/// a moderator decides again). One complaint per device and review.
pub async fn report(db: &Db, id: i32, reason: &str, device_hash: &str, at: i64) -> Result<ReportOutcome> {
    if !REASONS.contains(&reason) {
        return Err(StoreError::Invalid("reason: choose a rule".into()));
    }
    let txn = db.write.begin().await?;
    let current = public_get(&txn, id).await?;
    let inserted = review_report::Entity::insert(review_report::ActiveModel {
        id: Default::default(),
        review_id: Set(id),
        reason: Set(reason.to_string()),
        device_hash: Set(device_hash.to_string()),
        created_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([review_report::Column::ReviewId, review_report::Column::DeviceHash])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    if inserted == 0 {
        return Ok(ReportOutcome::AlreadyReported);
    }
    review::Entity::update_many()
        .col_expr(review::Column::Status, Expr::value(PENDING))
        .col_expr(review::Column::Reports, sea_orm::sea_query::ExprTrait::add(Expr::col(review::Column::Reports), 1))
        .col_expr(review::Column::UpdatedAt, Expr::value(at))
        .filter(review::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let after = serde_json::json!({ "status": PENDING, "reason": reason });
    audit::record(
        &txn,
        &citizen(),
        entry("review.report", &current, Some(serde_json::json!({ "status": PUBLISHED })), Some(after)),
    )
    .await?;
    txn.commit().await?;
    Ok(ReportOutcome::Queued)
}

/// The reasons given in complaints about a review (for the moderator), most frequent first.
pub async fn report_reasons<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<Vec<(String, u64)>> {
    get_for_moderation(conn, actor, id).await?;
    let rows = review_report::Entity::find().filter(review_report::Column::ReviewId.eq(id)).all(conn).await?;
    let mut counts: Vec<(String, u64)> = Vec::new();
    for r in rows {
        match counts.iter_mut().find(|(reason, _)| *reason == r.reason) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.reason, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(counts)
}

/// The organisation's public answer to a published review (its staff only); answering again replaces it.
pub async fn answer(db: &Db, actor: &Actor, id: i32, text: &str, at: i64) -> Result<review::Model> {
    let text = feedback::clean_text("answer", text, 2, ANSWER_MAX)?;
    let txn = db.write.begin().await?;
    let current = get(&txn, actor, id).await?;
    if !feedback::is_staff_of(actor, current.organization_id) {
        return Err(StoreError::Forbidden);
    }
    let mut m: review::ActiveModel = current.clone().into();
    m.answer = Set(Some(text.clone()));
    m.answered_at = Set(Some(at));
    m.updated_at = Set(at);
    let updated = review::Entity::update(m).exec(&txn).await?;
    let before = current.answer.map(|a| serde_json::json!({ "answer": a }));
    audit::record(&txn, actor, entry("review.answer", &updated, before, Some(serde_json::json!({ "answer": text }))))
        .await?;
    txn.commit().await?;
    Ok(updated)
}
