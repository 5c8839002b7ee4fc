//! Appeals (обращения): private messages to an organisation. The author's e-mail is personal data: it is
//! stored only encrypted ([`crate::crypto`]) and never shown in the cabinets; the system alone uses it to send
//! the answer. Status goes new → in_work → answered → closed; the answer is due 30 days after registration.
//! The answer and its e-mail (in the durable outbox) are written in one transaction.
//!
//! Who sees what: the organisation's staff see and handle its appeals; authorities see (read-only) the
//! appeals of the organisations in their scope, to follow deadlines; administrators see all. Council members,
//! operators and monitors are refused.

use super::Page;
use super::audit::{self, Entry};
use super::feedback::{self, citizen};
use super::outbox::{self, OutgoingMail};
use crate::Db;
use crate::crypto::{FieldKey, PURPOSE_APPEAL_TEXT, PURPOSE_EMAIL, PURPOSE_MAIL_BODY};
use crate::entities::appeal;
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

pub const NEW: &str = "new";
pub const IN_WORK: &str = "in_work";
pub const ANSWERED: &str = "answered";
pub const CLOSED: &str = "closed";
pub const STATUSES: [&str; 4] = [NEW, IN_WORK, ANSWERED, CLOSED];

/// The answer is due this many days after the appeal is registered.
pub const DEADLINE_DAYS: i64 = 30;
const DAY: i64 = 86_400;

/// The version of the consent text the author agreed to (kept with every appeal).
pub const CONSENT_VERSION: &str = "2026-1";

pub const BODY_MIN: usize = 10;
pub const BODY_MAX: usize = 5000;
pub const ANSWER_MAX: usize = 10_000;
pub const EMAIL_MAX: usize = 254;

/// An appeal as the author sends it.
#[derive(Clone, Debug, Default)]
pub struct NewAppeal {
    pub organization_id: i32,
    pub body: String,
    pub email: String,
    /// The author agreed to the processing of the e-mail (152-ФЗ).
    pub consent: bool,
    pub device_hash: Option<String>,
    pub ip_hash: Option<String>,
    pub at: i64,
}

/// A stored appeal and the token of its private link (shown to the author once).
#[derive(Clone, Debug)]
pub struct Submitted {
    pub appeal: appeal::Model,
    pub token: String,
}

/// A plausible e-mail address: one `@`, a dotted domain, no spaces; lower-cased domain.
pub fn normalize_email(email: &str) -> Result<String> {
    let e = email.trim();
    let bad = || StoreError::Invalid("email: not an e-mail address".into());
    let (user, domain) = e.split_once('@').ok_or_else(bad)?;
    let ok = !user.is_empty()
        && e.len() <= EMAIL_MAX
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'));
    if ok { Ok(format!("{user}@{}", domain.to_lowercase())) } else { Err(bad()) }
}

/// `a` with its text and answer decrypted (as stored they are sealed with [`PURPOSE_APPEAL_TEXT`]).
pub fn open(key: &FieldKey, mut a: appeal::Model) -> Result<appeal::Model> {
    a.body = key.decrypt(PURPOSE_APPEAL_TEXT, &a.body)?;
    a.answer = a.answer.map(|sealed| key.decrypt(PURPOSE_APPEAL_TEXT, &sealed)).transpose()?;
    Ok(a)
}

/// Registers an appeal; the e-mail and the text are encrypted before they reach the database. The
/// returned appeal is as stored (sealed; see [`open`]).
pub async fn submit(db: &Db, key: &FieldKey, new: NewAppeal) -> Result<Submitted> {
    let mut check = feedback::Check::default();
    let body = check.field(feedback::clean_text("body", &new.body, BODY_MIN, BODY_MAX));
    let email = check.field(normalize_email(&new.email));
    check.require(new.consent, "consent: required");
    check.finish()?;
    let (Some(body), Some(email)) = (body, email) else { unreachable!("checked above") };
    super::organizations::public_by_id(&db.write, new.organization_id).await?;
    if let Some(device) = &new.device_hash {
        let recent = appeal::Entity::find()
            .filter(appeal::Column::DeviceHash.eq(device.clone()))
            .filter(appeal::Column::CreatedAt.gt(new.at - DAY))
            .count(&db.write)
            .await?;
        feedback::check_daily_limit(recent)?;
    }
    let (token, token_hash) = feedback::new_token();
    let model = appeal::ActiveModel {
        id: Default::default(),
        organization_id: Set(new.organization_id),
        body: Set(key.encrypt(PURPOSE_APPEAL_TEXT, &body)),
        email_enc: Set(key.encrypt(PURPOSE_EMAIL, &email)),
        consent_at: Set(new.at),
        consent_version: Set(CONSENT_VERSION.into()),
        status: Set(NEW.into()),
        answer: Set(None),
        created_at: Set(new.at),
        due_at: Set(new.at + DEADLINE_DAYS * DAY),
        answered_at: Set(None),
        closed_at: Set(None),
        updated_at: Set(new.at),
        token_hash: Set(token_hash),
        device_hash: Set(new.device_hash),
        ip_hash: Set(new.ip_hash),
    };
    let txn = db.write.begin().await?;
    let appeal = appeal::Entity::insert(model).exec_with_returning(&txn).await?;
    let after = serde_json::json!({ "status": NEW, "organization_id": appeal.organization_id, "consent_version": CONSENT_VERSION });
    audit::record(&txn, &citizen(), entry("appeal.create", &appeal, None, Some(after))).await?;
    txn.commit().await?;
    Ok(Submitted { appeal, token })
}

fn entry<'a>(
    action: &'a str,
    a: &appeal::Model,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Entry<'a> {
    Entry { action, object_type: "appeal", object_id: a.id.to_string(), before, after, ip_hash: None }
}

/// The appeal behind a private link.
pub async fn by_token<C: ConnectionTrait>(conn: &C, token: &str) -> Result<appeal::Model> {
    if !feedback::plausible_token(token) {
        return Err(StoreError::NotFound);
    }
    appeal::Entity::find()
        .filter(appeal::Column::TokenHash.eq(feedback::token_hash(token)))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Where an appeal stands against its deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub due_at: i64,
    /// Whole days left until the deadline (negative: days overdue); `None` once answered or closed.
    pub days_left: Option<i64>,
    /// Not answered and past the deadline.
    pub overdue: bool,
    /// Answered, but after the deadline.
    pub answered_late: bool,
}

pub fn is_open(status: &str) -> bool {
    status == NEW || status == IN_WORK
}

/// Days left until the deadline, counted up (half a day left is «1 day left»); once past it, minus the whole
/// days overdue, at least one (a minute late is «1 day overdue», a day and an hour late too).
fn whole_days(secs: i64) -> i64 {
    if secs >= 0 { (secs + DAY - 1) / DAY } else { -((-secs) / DAY).max(1) }
}

/// The deadline state of an appeal at moment `now`.
pub fn deadline(a: &appeal::Model, now: i64) -> Deadline {
    let open = is_open(&a.status);
    Deadline {
        due_at: a.due_at,
        days_left: open.then(|| whole_days(a.due_at - now)),
        overdue: open && now > a.due_at,
        answered_late: a.answered_at.is_some_and(|t| t > a.due_at),
    }
}

/// Which appeals a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    /// New or in work.
    Open,
    /// Open and past the deadline.
    Overdue,
    Status(&'static str),
}

impl StatusFilter {
    pub fn from_code(code: &str) -> StatusFilter {
        match code {
            "open" => StatusFilter::Open,
            "overdue" => StatusFilter::Overdue,
            other => STATUSES.into_iter().find(|s| *s == other).map(StatusFilter::Status).unwrap_or_default(),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::All => "",
            StatusFilter::Open => "open",
            StatusFilter::Overdue => "overdue",
            StatusFilter::Status(s) => s,
        }
    }
}

/// A cabinet list query.
#[derive(Clone, Debug, Default)]
pub struct AppealQuery {
    pub status: StatusFilter,
    pub organization_id: Option<i32>,
    pub page: u64,
    pub per_page: u64,
    /// The moment "overdue" is judged at.
    pub now: i64,
}

/// An appeal in a cabinet list, with its organisation's name.
#[derive(Clone, Debug)]
pub struct AppealRow {
    pub appeal: appeal::Model,
    pub organization: String,
}

/// Administrators, authorities and the organisation's staff see appeals (each within their scope).
pub fn may_view(actor: &Actor) -> bool {
    matches!(actor.role, Role::Admin | Role::Authority | Role::Staff)
}

fn condition(actor: &Actor, q: &AppealQuery) -> Result<Condition> {
    use appeal::Column as A;
    if !may_view(actor) {
        return Err(StoreError::Forbidden);
    }
    let mut c = Condition::all().add(A::OrganizationId.in_subquery(feedback::scoped_org_ids(actor)));
    let open = || Condition::any().add(A::Status.eq(NEW)).add(A::Status.eq(IN_WORK));
    c = match q.status {
        StatusFilter::All => c,
        StatusFilter::Open => c.add(open()),
        StatusFilter::Overdue => c.add(open()).add(A::DueAt.lt(q.now)),
        StatusFilter::Status(s) => c.add(A::Status.eq(s)),
    };
    if let Some(org) = q.organization_id {
        c = c.add(A::OrganizationId.eq(org));
    }
    Ok(c)
}

async fn with_names<C: ConnectionTrait>(conn: &C, appeals: Vec<appeal::Model>) -> Result<Vec<AppealRow>> {
    let names = feedback::org_names(conn, appeals.iter().map(|a| a.organization_id)).await?;
    Ok(appeals
        .into_iter()
        .map(|appeal| AppealRow {
            organization: names.get(&appeal.organization_id).cloned().unwrap_or_default(),
            appeal,
        })
        .collect())
}

/// A page of the appeals the actor may see, the most urgent deadline first.
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor, q: &AppealQuery) -> Result<Page<AppealRow>> {
    let per_page = q.per_page.clamp(1, 200);
    let page = q.page.max(1);
    let paginator = appeal::Entity::find()
        .filter(condition(actor, q)?)
        .order_by_asc(appeal::Column::DueAt)
        .order_by_asc(appeal::Column::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = with_names(conn, paginator.fetch_page(page - 1).await?).await?;
    Ok(Page { items, total, page, per_page })
}

/// Every appeal the actor may see that matches the query (for export), at most `limit`.
pub async fn export<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    q: &AppealQuery,
    limit: u64,
) -> Result<Vec<AppealRow>> {
    let rows = appeal::Entity::find()
        .filter(condition(actor, q)?)
        .order_by_asc(appeal::Column::DueAt)
        .order_by_asc(appeal::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    with_names(conn, rows).await
}

/// Counts of the actor's open and overdue appeals (for the cabinet summary).
pub async fn open_and_overdue<C: ConnectionTrait>(conn: &C, actor: &Actor, now: i64) -> Result<(u64, u64)> {
    let count = |status| async move {
        let q = AppealQuery { status, now, ..Default::default() };
        Ok::<u64, StoreError>(appeal::Entity::find().filter(condition(actor, &q)?).count(conn).await?)
    };
    Ok((count(StatusFilter::Open).await?, count(StatusFilter::Overdue).await?))
}

/// One appeal, if the actor may see it.
pub async fn get<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<appeal::Model> {
    if !may_view(actor) {
        return Err(StoreError::Forbidden);
    }
    let a = appeal::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    feedback::org_in_scope(conn, actor, a.organization_id).await?;
    Ok(a)
}

/// Loads an appeal for a change by its organisation's staff (anyone else: `Forbidden`).
async fn get_for_staff<C: ConnectionTrait>(conn: &C, actor: &Actor, id: i32) -> Result<appeal::Model> {
    let a = get(conn, actor, id).await?;
    if feedback::is_staff_of(actor, a.organization_id) { Ok(a) } else { Err(StoreError::Forbidden) }
}

fn transition(from: &str, to: &str) -> bool {
    matches!((from, to), (NEW, IN_WORK) | (NEW, ANSWERED) | (IN_WORK, ANSWERED) | (ANSWERED, CLOSED))
}

/// Moves an appeal to `in_work` or `closed` (answering has its own function, since it sends the e-mail).
pub async fn set_status(db: &Db, actor: &Actor, id: i32, to: &str, at: i64) -> Result<appeal::Model> {
    if to != IN_WORK && to != CLOSED {
        return Err(StoreError::Invalid("status: only «in work» or «closed» can be set directly".into()));
    }
    let txn = db.write.begin().await?;
    let current = get_for_staff(&txn, actor, id).await?;
    if !transition(&current.status, to) {
        return Err(StoreError::Conflict(format!("status: {} → {to} is not allowed", current.status)));
    }
    let mut m: appeal::ActiveModel = current.clone().into();
    m.status = Set(to.to_string());
    m.updated_at = Set(at);
    if to == CLOSED {
        m.closed_at = Set(Some(at));
    }
    let updated = appeal::Entity::update(m).exec(&txn).await?;
    let action = if to == CLOSED { "appeal.close" } else { "appeal.take" };
    audit::record(
        &txn,
        actor,
        entry(
            action,
            &updated,
            Some(serde_json::json!({ "status": current.status })),
            Some(serde_json::json!({ "status": to })),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// The e-mail to send with an answer (composed by the caller, who knows the wording).
#[derive(Clone, Debug)]
pub struct AnswerMail {
    pub subject: String,
    pub body: String,
}

/// Answers an appeal (its organisation's staff only): in one transaction the answer is stored (sealed), the
/// status becomes `answered`, the e-mail to the author is put in the outbox (its body sealed; `mail` gets
/// the appeal opened) and the change is audited (the answer's length, not its text). Returns the appeal
/// as stored.
pub async fn answer(
    db: &Db,
    key: &FieldKey,
    actor: &Actor,
    id: i32,
    text: &str,
    mail: impl FnOnce(&appeal::Model) -> AnswerMail,
    at: i64,
) -> Result<appeal::Model> {
    let text = feedback::clean_text("answer", text, 2, ANSWER_MAX)?;
    let txn = db.write.begin().await?;
    let current = get_for_staff(&txn, actor, id).await?;
    if !transition(&current.status, ANSWERED) {
        return Err(StoreError::Conflict("status: this appeal is already answered".into()));
    }
    let mut m: appeal::ActiveModel = current.clone().into();
    m.status = Set(ANSWERED.into());
    m.answer = Set(Some(key.encrypt(PURPOSE_APPEAL_TEXT, &text)));
    m.answered_at = Set(Some(at));
    m.updated_at = Set(at);
    let updated = appeal::Entity::update(m).exec(&txn).await?;
    let AnswerMail { subject, body } = mail(&open(key, updated.clone())?);
    let mail_id = outbox::enqueue_in(
        &txn,
        OutgoingMail {
            kind: "appeal_answer".into(),
            object_type: "appeal".into(),
            object_id: updated.id.to_string(),
            recipient_enc: updated.email_enc.clone(),
            subject,
            body: key.encrypt(PURPOSE_MAIL_BODY, &body),
        },
        at,
    )
    .await?;
    let chars = text.chars().count();
    let after = serde_json::json!({ "status": ANSWERED, "answer_chars": chars, "mail_id": mail_id, "late": at > updated.due_at });
    audit::record(
        &txn,
        actor,
        entry("appeal.answer", &updated, Some(serde_json::json!({ "status": current.status })), Some(after)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}
