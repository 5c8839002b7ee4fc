//! Reviews: submitted by anyone, shown only after a moderator approves them (pre-moderation), answered
//! publicly by the organisation's staff; the author follows the status by a private link. Moderators are
//! administrators and authorities (within their scope); answers come from the staff of the reviewed
//! organisation only.
//!
//! Complaints («пожаловаться», one per device and review) put a published review in the moderation queue
//! while it stays public; it is hidden (back to waiting) only when the open complaints reach a threshold
//! ([`COMPLAINTS_TO_HIDE`] by default) or when a moderator rejects it. A moderator may instead keep it
//! published ([`dismiss_reports`]): the counter of open complaints goes back to zero and the complaints
//! themselves stay on record. The open complaints are always the newest `review.reports` rows of
//! `review_report` (see [`report`] for why that holds under concurrency).

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
/// List filter (not a stored status): the moderation queue — waiting reviews and published ones with open
/// complaints.
pub const QUEUE: &str = "queue";
/// List filter (not a stored status): published reviews with open complaints.
pub const COMPLAINED: &str = "complained";

/// Open complaints that hide a published review until a moderator decides (unless configured otherwise).
pub const COMPLAINTS_TO_HIDE: u32 = 3;

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
    /// `None` = every status (moderators); a stored status, or [`QUEUE`] or [`COMPLAINED`]. Staff always see
    /// published reviews only.
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
    /// The reasons of its open complaints, most frequent first (filled for the cabinet list, not exports).
    pub complaints: Vec<(String, u64)>,
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
    let complained = || Condition::all().add(R::Status.eq(PUBLISHED)).add(R::Reports.gt(0));
    match status.as_deref() {
        None => {}
        Some(QUEUE) => cond = cond.add(Condition::any().add(R::Status.eq(PENDING)).add(complained())),
        Some(COMPLAINED) => cond = cond.add(complained()),
        Some(s) => cond = cond.add(R::Status.eq(s)),
    }
    if q.flagged_only {
        cond = cond.add(R::Flags.is_not_null());
    }
    if let Some(org) = q.organization_id {
        cond = cond.add(R::OrganizationId.eq(org));
    }
    let select = review::Entity::find().filter(cond);
    // The queue is worked oldest first; other lists show the newest first.
    Ok(if matches!(status.as_deref(), Some(PENDING | QUEUE | COMPLAINED)) {
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
            complaints: Vec::new(),
            review,
        })
        .collect())
}

/// How many complaints give each reason, most frequent first.
fn count_reasons<'a>(reasons: impl IntoIterator<Item = &'a str>) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for reason in reasons {
        match counts.iter_mut().find(|(r, _)| r == reason) {
            Some((_, n)) => *n += 1,
            None => counts.push((reason.to_string(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts
}

/// Fills in the reasons of the open complaints of each row (one query for the page).
async fn with_complaints<C: ConnectionTrait>(conn: &C, rows: &mut [ReviewRow]) -> Result<()> {
    let ids: Vec<i32> = rows.iter().filter(|r| r.review.reports > 0).map(|r| r.review.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let reports = review_report::Entity::find()
        .filter(review_report::Column::ReviewId.is_in(ids))
        .order_by_desc(review_report::Column::Id)
        .all(conn)
        .await?;
    for row in rows.iter_mut() {
        let open = usize::try_from(row.review.reports).unwrap_or_default();
        let mine = reports.iter().filter(|r| r.review_id == row.review.id).take(open);
        row.complaints = count_reasons(mine.map(|r| r.reason.as_str()));
    }
    Ok(())
}

/// Reviews for the cabinet, a page at a time (see [`select`]).
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &ReviewQuery) -> Result<Page<ReviewRow>> {
    let per_page = q.per_page.clamp(1, 200);
    let page = q.page.max(1);
    let paginator = select(actor, q)?.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let mut items = with_names(conn, paginator.fetch_page(page - 1).await?).await?;
    with_complaints(conn, &mut items).await?;
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

/// Publishes a review from the queue (also one that complaints hid; its open complaints are then settled).
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
    /// Recorded: the review stays published and waits in the moderation queue with `open` open complaints.
    Recorded { open: u32 },
    /// This complaint reached the threshold: the review is hidden until a moderator decides.
    Hidden,
    /// This device had already complained about this review: nothing changed.
    AlreadyReported,
}

/// «Пожаловаться» on a published review, for breaking rule `reason`; one complaint per device and review.
/// The review stays public and enters the moderators' queue; when its open complaints reach `hide_at`
/// (at least 1) it goes back to waiting, hidden until a moderator decides.
///
/// The counter is raised before the complaint is inserted: raising it takes the review's row lock, which
/// orders concurrent complaints about the review (and [`dismiss_reports`]), so the newest `reports`
/// complaints are exactly the open ones. A repeated complaint from the same device rolls it all back.
pub async fn report(db: &Db, id: i32, reason: &str, device_hash: &str, hide_at: u32, at: i64) -> Result<ReportOutcome> {
    if !REASONS.contains(&reason) {
        return Err(StoreError::Invalid("reason: choose a rule".into()));
    }
    let txn = db.write.begin().await?;
    let raised = review::Entity::update_many()
        .col_expr(review::Column::Reports, sea_orm::sea_query::ExprTrait::add(Expr::col(review::Column::Reports), 1))
        .col_expr(review::Column::UpdatedAt, Expr::value(at))
        .filter(review::Column::Id.eq(id))
        .filter(review::Column::Status.eq(PUBLISHED))
        .exec(&txn)
        .await?;
    if raised.rows_affected == 0 {
        return Err(StoreError::NotFound);
    }
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
        txn.rollback().await?;
        return Ok(ReportOutcome::AlreadyReported);
    }
    let current = public_get(&txn, id).await?;
    let open = u32::try_from(current.reports).unwrap_or_default();
    let hide = open >= hide_at.max(1);
    if hide {
        review::Entity::update_many()
            .col_expr(review::Column::Status, Expr::value(PENDING))
            .filter(review::Column::Id.eq(id))
            .exec(&txn)
            .await?;
    }
    let before = serde_json::json!({ "status": PUBLISHED, "reports": open - 1 });
    let status = if hide { PENDING } else { PUBLISHED };
    let after = serde_json::json!({ "status": status, "reports": open, "reason": reason });
    audit::record(&txn, &citizen(), entry("review.report", &current, Some(before), Some(after))).await?;
    txn.commit().await?;
    Ok(if hide { ReportOutcome::Hidden } else { ReportOutcome::Recorded { open } })
}

/// The complaints about a review, for its moderator.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Complaints {
    /// Reasons of the open complaints, most frequent first.
    pub open: Vec<(String, u64)>,
    /// Earlier complaints, settled by a moderator (kept for the record).
    pub settled: u64,
}

/// The complaints about a review (moderators in scope only).
pub async fn complaints<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<Complaints> {
    let r = get_for_moderation(conn, actor, id).await?;
    let rows = review_report::Entity::find()
        .filter(review_report::Column::ReviewId.eq(id))
        .order_by_desc(review_report::Column::Id)
        .all(conn)
        .await?;
    let open = usize::try_from(r.reports).unwrap_or_default().min(rows.len());
    Ok(Complaints {
        open: count_reasons(rows[..open].iter().map(|r| r.reason.as_str())),
        settled: (rows.len() - open) as u64,
    })
}

/// «Оставить опубликованным»: a moderator keeps a published review with open complaints on the site; the
/// counter goes back to zero (the review leaves the queue), the complaints stay on record.
pub async fn dismiss_reports(db: &Db, actor: &Actor, id: i32, at: i64) -> Result<review::Model> {
    let txn = db.write.begin().await?;
    let current = get_for_moderation(&txn, actor, id).await?;
    if current.status != PUBLISHED || current.reports == 0 {
        return Err(StoreError::Conflict("status: only a published review with complaints can be kept".into()));
    }
    let open = complaints(&txn, actor, id).await?.open;
    // Only the complaints the moderator saw: one that arrived meanwhile leaves the counter alone.
    let reset = review::Entity::update_many()
        .col_expr(review::Column::Reports, Expr::value(0))
        .col_expr(review::Column::UpdatedAt, Expr::value(at))
        .filter(review::Column::Id.eq(id))
        .filter(review::Column::Status.eq(PUBLISHED))
        .filter(review::Column::Reports.eq(current.reports))
        .exec(&txn)
        .await?;
    if reset.rows_affected == 0 {
        return Err(StoreError::Conflict("reports: new complaints arrived, reload the page".into()));
    }
    let updated = review::Model { reports: 0, updated_at: at, ..current.clone() };
    let reasons: serde_json::Map<String, serde_json::Value> =
        open.into_iter().map(|(reason, n)| (reason, serde_json::json!(n))).collect();
    let before = serde_json::json!({ "status": PUBLISHED, "reports": current.reports, "reasons": reasons });
    let after = serde_json::json!({ "status": PUBLISHED, "reports": 0 });
    audit::record(&txn, actor, entry("review.dismiss", &updated, Some(before), Some(after))).await?;
    txn.commit().await?;
    Ok(updated)
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
