//! The durable mail outbox. A message is written in the same transaction as the change it reports (so an
//! answer is never stored without its e-mail, nor the e-mail without the answer); background senders — any
//! number, on any instance — claim rows one at a time with a conditional `UPDATE`, deliver, and mark them sent.
//!
//! Delivery is at-least-once: a sender that dies after handing a message to the SMTP server but before
//! marking it leaves the row `sending`; after [`LEASE_SECONDS`] another sender takes it again. The message id
//! is derived from the row id, so the receiving side can recognise a repeat. Failures are retried with
//! exponential back-off up to [`MAX_ATTEMPTS`] times, then the row is `failed` and stays visible to the admin.

use super::Page;
use crate::entities::mail_outbox;
use crate::error::{Result, StoreError};
use crate::scope::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// A claimed row not marked within this time is considered abandoned and may be claimed again.
pub const LEASE_SECONDS: i64 = 300;
/// After this many failed attempts the message is given up (`failed`).
pub const MAX_ATTEMPTS: i32 = 8;

/// A message to queue.
#[derive(Clone, Debug)]
pub struct OutgoingMail {
    pub kind: String,
    pub object_type: String,
    pub object_id: String,
    /// The recipient, encrypted with [`crate::crypto::PURPOSE_EMAIL`].
    pub recipient_enc: String,
    pub subject: String,
    /// The text, encrypted with [`crate::crypto::PURPOSE_MAIL_BODY`].
    pub body: String,
}

/// Queues a message inside the caller's transaction; returns its id.
pub async fn enqueue_in<C: ConnectionTrait>(conn: &C, mail: OutgoingMail, at: i64) -> Result<i64> {
    let row = mail_outbox::Entity::insert(mail_outbox::ActiveModel {
        id: Default::default(),
        kind: Set(mail.kind),
        object_type: Set(mail.object_type),
        object_id: Set(mail.object_id),
        recipient_enc: Set(mail.recipient_enc),
        subject: Set(mail.subject),
        body: Set(mail.body),
        status: Set(PENDING.into()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        claimed_by: Set(None),
        claimed_at: Set(None),
        transport: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
    })
    .exec_with_returning(conn)
    .await?;
    Ok(row.id)
}

/// Rows a sender may claim at `now`: pending and due, or abandoned by a sender that stopped.
fn claimable(now: i64) -> Condition {
    use mail_outbox::Column as M;
    Condition::any()
        .add(Condition::all().add(M::Status.eq(PENDING)).add(M::NextAttemptAt.lte(now)))
        .add(Condition::all().add(M::Status.eq(SENDING)).add(M::ClaimedAt.lt(now - LEASE_SECONDS)))
}

/// Ids of messages ready to send, oldest first.
pub async fn due<C: ConnectionTrait>(conn: &C, now: i64, limit: u64) -> Result<Vec<i64>> {
    Ok(mail_outbox::Entity::find()
        .select_only()
        .column(mail_outbox::Column::Id)
        .filter(claimable(now))
        .order_by_asc(mail_outbox::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(conn)
        .await?)
}

/// Claims one message for `worker`. `None` when another sender got it first or it is no longer due: the
/// `UPDATE … WHERE` is atomic on both backends, so exactly one claimant wins.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    worker: &str,
    now: i64,
) -> Result<Option<mail_outbox::Model>> {
    let updated = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(SENDING))
        .col_expr(mail_outbox::Column::ClaimedBy, Expr::value(worker))
        .col_expr(mail_outbox::Column::ClaimedAt, Expr::value(now))
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(claimable(now))
        .exec(conn)
        .await?;
    if updated.rows_affected != 1 {
        return Ok(None);
    }
    Ok(mail_outbox::Entity::find_by_id(id).one(conn).await?)
}

/// Marks a claimed message delivered (only while `worker` still holds it).
pub async fn mark_sent<C: ConnectionTrait>(conn: &C, id: i64, worker: &str, transport: &str, now: i64) -> Result<bool> {
    let r = mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(SENT))
        .col_expr(mail_outbox::Column::Transport, Expr::value(transport))
        .col_expr(mail_outbox::Column::SentAt, Expr::value(now))
        .col_expr(
            mail_outbox::Column::Attempts,
            sea_orm::sea_query::ExprTrait::add(Expr::col(mail_outbox::Column::Attempts), 1),
        )
        .col_expr(mail_outbox::Column::LastError, Expr::value(Option::<String>::None))
        .filter(mail_outbox::Column::Id.eq(id))
        .filter(mail_outbox::Column::Status.eq(SENDING))
        .filter(mail_outbox::Column::ClaimedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Seconds to wait before attempt number `attempts + 1`: 1, 2, 4 … minutes, at most an hour.
pub fn backoff(attempts: i32) -> i64 {
    (60_i64 << attempts.clamp(0, 6)).min(3600)
}

/// Records a failed attempt: back to `pending` with back-off, or `failed` after [`MAX_ATTEMPTS`].
pub async fn mark_failed<C: ConnectionTrait>(
    conn: &C,
    row: &mail_outbox::Model,
    worker: &str,
    error: &str,
    now: i64,
) -> Result<()> {
    let attempts = row.attempts + 1;
    let status = if attempts >= MAX_ATTEMPTS { FAILED } else { PENDING };
    let error: String = error.chars().take(1000).collect();
    mail_outbox::Entity::update_many()
        .col_expr(mail_outbox::Column::Status, Expr::value(status))
        .col_expr(mail_outbox::Column::Attempts, Expr::value(attempts))
        .col_expr(mail_outbox::Column::NextAttemptAt, Expr::value(now + backoff(row.attempts)))
        .col_expr(mail_outbox::Column::LastError, Expr::value(error))
        .filter(mail_outbox::Column::Id.eq(row.id))
        .filter(mail_outbox::Column::Status.eq(SENDING))
        .filter(mail_outbox::Column::ClaimedBy.eq(worker))
        .exec(conn)
        .await?;
    Ok(())
}

/// The outbox, newest first (administrators only).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    page: u64,
    per_page: u64,
) -> Result<Page<mail_outbox::Model>> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    let per_page = per_page.clamp(1, 200);
    let page = page.max(1);
    let paginator = mail_outbox::Entity::find().order_by_desc(mail_outbox::Column::Id).paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page { items, total, page, per_page })
}

/// One message (administrators only).
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i64) -> Result<mail_outbox::Model> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    mail_outbox::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)
}
