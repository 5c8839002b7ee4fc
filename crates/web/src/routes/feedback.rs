//! Citizen feedback: reviews with pre-moderation and the organisation's answers, private appeals with their
//! deadline and e-mailed answer, agreement with the rating — the public forms, the author's private pages, the
//! cabinet pages (`/cabinet/reviews`, `/cabinet/appeals`, `/cabinet/votes` with the rating comments), the
//! admin's `/admin/outbox`, and the sections of the public organisation page ([`org_page_sections`]). Shared
//! helpers for those pages live here.

mod appeal_cabinet;
mod appeals;
mod moderation;
mod outbox;
mod reviews;
mod sections;
mod vote_comments;
mod votes;

pub use appeal_cabinet::answer_mail;

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::security::client::ClientIp;
use crate::security::device::DeviceId;
use crate::security::hashing::hmac_hex;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use nok_store::StoreError;
use nok_store::entities::organization;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(reviews::routes())
        .merge(moderation::routes())
        .merge(appeals::routes())
        .merge(appeal_cabinet::routes())
        .merge(votes::routes())
        .merge(vote_comments::routes())
        .merge(outbox::routes())
}

/// HTML of the feedback sections of the public organisation page (already escaped by its templates).
pub async fn org_page_sections(state: &AppState, ctx: &Ctx, org: &organization::Model) -> AppResult<String> {
    sections::render(state, ctx, org).await
}

/// `ДД.ММ.ГГГГ` of a timestamp, in Moscow time like every other date shown.
pub(crate) fn date(ts: i64) -> String {
    let msk = time::UtcOffset::from_hms(3, 0, 0).expect("valid offset");
    nok_i18n::format_date(nok_store::time_util::to_datetime(ts).to_offset(msk).date())
}

/// `ДД.ММ.ГГГГ ЧЧ:ММ` (Moscow time).
pub(crate) fn datetime(ts: i64) -> String {
    nok_i18n::format_datetime(nok_store::time_util::to_datetime(ts))
}

/// Where an anonymous submission came from, hashed: the device cookie (the same derivation as survey intake
/// uses, so one device is one device) and today's hash of the client address.
pub(crate) struct Origin {
    pub device_hash: String,
    pub ip_hash: String,
}

impl FromRequestParts<AppState> for Origin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let device = parts.extensions.get::<DeviceId>().map(|d| d.0.clone()).unwrap_or_default();
        let Ok(ip) = ClientIp::from_request_parts(parts, state).await;
        Ok(Origin {
            device_hash: hmac_hex(&state.secret, &[b"device", device.as_bytes()])[..32].to_string(),
            ip_hash: state.ip_salt.hash(&ip.0),
        })
    }
}

/// The notice after a redirect (`?done=approve` → «Отзыв опубликован.»), for the actions a page knows.
pub(crate) fn done_notice(done: Option<String>, known: &[&str], prefix: &str) -> Option<String> {
    done.filter(|d| known.contains(&d.as_str())).map(|d| nok_i18n::t(&format!("{prefix}{d}")))
}

/// The organisation a private page is about (also when it has left the registry since).
pub(crate) async fn org_of(state: &AppState, id: i32) -> AppResult<organization::Model> {
    use sea_orm::EntityTrait;
    organization::Entity::find_by_id(id).one(&state.db.read).await.map_err(StoreError::from)?.ok_or(AppError::NotFound)
}

/// The absolute URL of a path on this site (for the private links shown to authors).
pub(crate) fn absolute(state: &AppState, path: &str) -> String {
    format!("{}{path}", state.config.base_url.trim_end_matches('/'))
}

/// Marks a page that shows a private link's content: never cached, never indexed, never sent as referrer.
pub(crate) fn private(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(HeaderName::from_static("x-robots-tag"), HeaderValue::from_static("noindex, nofollow"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

/// An error tied to a form field (`field` is the input's `id`; `form` for the form as a whole).
#[derive(Clone, Debug)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The errors of a submitted form, shown in a summary and next to their fields.
#[derive(Clone, Debug, Default)]
pub struct FormErrors {
    pub items: Vec<FieldError>,
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.items.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// The store's refusal of the input as form errors (`Invalid("field: …")` → that field's message, a rate
    /// limit → a form-wide message); anything else is a real error.
    pub fn from_store(e: StoreError) -> AppResult<FormErrors> {
        let items = match &e {
            StoreError::Invalid(m) => m
                .split("; ")
                .map(|problem| {
                    let field = problem.split(':').next().unwrap_or("form").trim().to_string();
                    FieldError { message: nok_i18n::t(&format!("fb-err-{field}")), field }
                })
                .collect(),
            StoreError::Conflict(m) if m.starts_with("rate") => {
                vec![FieldError { field: "form".into(), message: nok_i18n::t("fb-err-rate") }]
            }
            _ => return Err(e.into()),
        };
        Ok(FormErrors { items })
    }
}

/// A confirmation step before a destructive or irreversible action: the same form posted again with
/// `confirmed=1`. Works without JavaScript.
#[derive(Template)]
#[template(path = "feedback/confirm.html")]
pub(crate) struct Confirm {
    pub ctx: Ctx,
    pub title: String,
    pub question: String,
    /// What will happen, line by line (e.g. the chosen reason, the text to send).
    pub details: Vec<(String, String)>,
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub confirm_label: String,
    pub danger: bool,
    pub cancel_href: String,
}

/// Whether a posted form carries the confirmation.
pub(crate) fn confirmed(value: &Option<String>) -> bool {
    value.as_deref() == Some("1")
}

/// The actor, who must be signed in.
pub(crate) fn actor(ctx: &Ctx) -> AppResult<nok_store::Actor> {
    Ok(ctx.require_user()?.clone())
}

/// `Forbidden` unless the condition holds (for page-level role checks; the store checks scope again).
pub(crate) fn require(ok: bool) -> AppResult<()> {
    if ok { Ok(()) } else { Err(AppError::Forbidden) }
}
