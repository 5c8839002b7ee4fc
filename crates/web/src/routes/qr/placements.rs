//! The placement registry of one organisation: `GET /cabinet/placements/{org}` lists where its codes
//! are (posters by spot, paper media, screens, the website page), shows the two-poster rule, and offers
//! the form to add one; editing, marking as verified, photos and removal (asked first). The store
//! decides who may read and change; every change is audited there.

use super::access::{self, inline_image, non_empty, parse_decimal};
use super::logos::ConfirmPage;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::render::page;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use nok_store::StoreError;
use nok_store::entities::{organization, placement};
use nok_store::repo::images::ImageKind;
use nok_store::repo::placements::{self, FieldError, Medium, PlacementInput, Spot};
use serde::Deserialize;

/// The form as typed (all text, so a wrong value comes back to the field).
#[derive(Deserialize, Default, Clone)]
pub struct PlacementForm {
    pub medium: Option<String>,
    pub spot: Option<String>,
    pub note: Option<String>,
    pub poster_size: Option<String>,
    pub distance_m: Option<String>,
    pub media_kind: Option<String>,
    pub page_url: Option<String>,
    pub placed_on: Option<String>,
}

impl PlacementForm {
    fn from_row(p: &placement::Model) -> PlacementForm {
        PlacementForm {
            medium: Some(p.medium.clone()),
            spot: p.spot.clone(),
            note: p.note.clone(),
            poster_size: p.poster_size.clone(),
            distance_m: p.distance_m.map(|d| nok_i18n::format_decimal(d, 1)),
            media_kind: p.media_kind.clone(),
            page_url: p.page_url.clone(),
            placed_on: p.placed_at.map(date_iso),
        }
    }

    /// The store's input, or the fields that could not even be read.
    fn to_input(&self) -> Result<PlacementInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let distance_m = parse_decimal(&self.distance_m).unwrap_or_else(|()| {
            errors.push(FieldError { field: "distance_m", code: "distance" });
            None
        });
        let placed_at = match non_empty(&self.placed_on) {
            None => None,
            Some(text) => match nok_i18n::parse_date(&text) {
                Some(d) => Some(d.midnight().assume_utc().unix_timestamp()),
                None => {
                    errors.push(FieldError { field: "placed_at", code: "date" });
                    None
                }
            },
        };
        let input = PlacementInput {
            medium: non_empty(&self.medium).and_then(|m| Medium::from_code(&m)),
            spot: non_empty(&self.spot).and_then(|s| Spot::from_code(&s)),
            note: non_empty(&self.note),
            poster_size: non_empty(&self.poster_size),
            distance_m,
            media_kind: non_empty(&self.media_kind),
            page_url: non_empty(&self.page_url),
            placed_at,
        };
        errors.extend(input.validate(nok_store::time_util::now()));
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }

    fn is(&self, field: &str, value: &str) -> bool {
        let v = match field {
            "medium" => &self.medium,
            "spot" => &self.spot,
            "poster_size" => &self.poster_size,
            "media_kind" => &self.media_kind,
            _ => &None,
        };
        v.as_deref() == Some(value)
    }

    fn text(&self, field: &str) -> String {
        let v = match field {
            "note" => &self.note,
            "distance_m" => &self.distance_m,
            "page_url" => &self.page_url,
            "placed_on" => &self.placed_on,
            _ => &None,
        };
        v.clone().unwrap_or_default()
    }
}

fn date_iso(ts: i64) -> String {
    let d = nok_store::time_util::to_datetime(ts).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

fn date_ru(ts: i64) -> String {
    nok_i18n::format_date(nok_store::time_util::to_datetime(ts).date())
}

fn name_of(prefix: &str, code: &str) -> String {
    nok_i18n::t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// One placement as the table shows it.
struct Row {
    id: i32,
    medium: String,
    spot: String,
    details: String,
    placed: String,
    verified: String,
    has_photo: bool,
}

impl Row {
    fn new(p: &placement::Model, photos: &[i32]) -> Row {
        let mut details = Vec::new();
        if let Some(s) = &p.poster_size {
            details.push(s.to_uppercase());
        }
        if let Some(d) = p.distance_m {
            details.push(nok_i18n::t_args("plc-distance-value", &[("m", nok_i18n::format_decimal(d, 1).into())]));
        }
        if let Some(k) = &p.media_kind {
            details.push(name_of(&format!("plc-kind-{}", p.medium), k));
        }
        if let Some(u) = &p.page_url {
            details.push(u.clone());
        }
        if let Some(n) = &p.note {
            details.push(n.clone());
        }
        Row {
            id: p.id,
            medium: name_of("plc-medium", &p.medium),
            spot: p.spot.as_deref().map(|s| name_of("plc-spot", s)).unwrap_or_default(),
            details: details.join(" · "),
            placed: p.placed_at.map(date_ru).unwrap_or_default(),
            verified: match (&p.verified_by, p.verified_at) {
                (Some(by), Some(at)) => format!("{by}, {}", date_ru(at)),
                _ => String::new(),
            },
            has_photo: photos.contains(&p.id),
        }
    }
}

/// `(code, name)` choices of the form.
struct Choices {
    mediums: Vec<(String, String)>,
    spots: Vec<(String, String)>,
    sizes: Vec<(String, String)>,
    paper_kinds: Vec<(String, String)>,
    device_kinds: Vec<(String, String)>,
}

impl Choices {
    fn new() -> Choices {
        let pairs = |prefix: &str, codes: &[&str]| codes.iter().map(|c| (c.to_string(), name_of(prefix, c))).collect();
        Choices {
            mediums: pairs("plc-medium", &Medium::ALL.map(Medium::code)),
            spots: pairs("plc-spot", &Spot::ALL.map(Spot::code)),
            sizes: placements::POSTER_SIZES.iter().map(|s| (s.to_string(), s.to_uppercase())).collect(),
            paper_kinds: pairs("plc-kind-paper", &placements::PAPER_KINDS),
            device_kinds: pairs("plc-kind-screen", &placements::DEVICE_KINDS),
        }
    }
}

/// An error message next to a field.
struct ErrorView {
    field: String,
    text: String,
}

/// The form's errors, looked up by field in the template.
struct Errors(Vec<ErrorView>);

impl Errors {
    fn new(errors: &[FieldError]) -> Errors {
        Errors(
            errors
                .iter()
                .map(|e| ErrorView {
                    field: e.field.to_string(),
                    text: format!(
                        "{}: {}",
                        nok_i18n::t(&format!("plc-field-{}", e.field.replace('_', "-"))),
                        nok_i18n::t(&format!("plc-err-{}", e.code))
                    ),
                })
                .collect(),
        )
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn all(&self) -> &[ErrorView] {
        &self.0
    }

    fn of(&self, field: &str) -> Option<String> {
        self.0.iter().find(|e| e.field == field).map(|e| e.text.clone())
    }
}

#[derive(Template)]
#[template(path = "qr/placements.html")]
struct ListPage {
    ctx: Ctx,
    org: organization::Model,
    rows: Vec<Row>,
    rule: placements::RuleStatus,
    may_write: bool,
    form: PlacementForm,
    choices: Choices,
    errors: Errors,
    photo_error: Option<String>,
    today: String,
}

#[derive(Template)]
#[template(path = "qr/placement_edit.html")]
struct EditPage {
    ctx: Ctx,
    org: organization::Model,
    id: i32,
    form: PlacementForm,
    choices: Choices,
    errors: Errors,
    today: String,
}

fn today_iso() -> String {
    date_iso(nok_store::time_util::now())
}

async fn list_page(
    state: &AppState,
    ctx: Ctx,
    org_id: i32,
    form: PlacementForm,
    errors: Vec<FieldError>,
    photo_error: Option<String>,
) -> AppResult<Response> {
    let (actor, org) = access::org_for(state, &ctx, org_id).await?;
    let rows = placements::list(&state.db.read, &actor, org.id).await?;
    let photos = placements::with_photo(&state.db.read, &rows).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut res = page(&ListPage {
        rule: placements::rule_status(&rows),
        rows: rows.iter().map(|p| Row::new(p, &photos)).collect(),
        may_write: placements::may_write(&actor),
        choices: Choices::new(),
        errors: Errors::new(&errors),
        today: today_iso(),
        ctx,
        org,
        form,
        photo_error,
    });
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    error: Option<String>,
}

/// `GET /cabinet/placements/{org}`.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(org_id): Path<i32>,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let form = PlacementForm { medium: Some("poster".into()), poster_size: Some("a4".into()), ..Default::default() };
    list_page(&state, ctx, org_id, form, vec![], access::rejection_message(&q.error)).await
}

fn back(org_id: i32) -> Response {
    Redirect::to(&format!("/cabinet/placements/{org_id}")).into_response()
}

/// Store refusals of the input become field errors; everything else stays an error.
fn field_errors(e: StoreError) -> AppResult<Vec<FieldError>> {
    match e {
        StoreError::Invalid(_) => Ok(vec![FieldError { field: "medium", code: "rejected" }]),
        other => Err(other.into()),
    }
}

/// `POST /cabinet/placements/{org}`.
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(org_id): Path<i32>,
    Form(form): Form<PlacementForm>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    let input = match form.to_input() {
        Ok(input) => input,
        Err(errors) => return list_page(&state, ctx, org_id, form, errors, None).await,
    };
    match placements::create(&state.db, &actor, org_id, &input).await {
        Ok(_) => Ok(back(org_id)),
        Err(e) => {
            let errors = field_errors(e)?;
            list_page(&state, ctx, org_id, form, errors, None).await
        }
    }
}

/// The placement `id` of organisation `org_id`, if the actor sees it.
async fn row_of(state: &AppState, ctx: &Ctx, org_id: i32, id: i32) -> AppResult<(nok_store::Actor, placement::Model)> {
    let actor = ctx.require_user()?.clone();
    let row = placements::get(&state.db.read, &actor, id).await?;
    if row.organization_id != org_id {
        return Err(AppError::NotFound);
    }
    Ok((actor, row))
}

async fn edit_page(
    state: &AppState,
    ctx: Ctx,
    org_id: i32,
    id: i32,
    form: PlacementForm,
    errors: Vec<FieldError>,
) -> AppResult<Response> {
    let (actor, org) = access::org_for(state, &ctx, org_id).await?;
    if !placements::may_write(&actor) {
        return Err(AppError::Forbidden);
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut res = page(&EditPage {
        choices: Choices::new(),
        errors: Errors::new(&errors),
        today: today_iso(),
        ctx,
        org,
        id,
        form,
    });
    *res.status_mut() = status;
    Ok(res)
}

/// `GET /cabinet/placements/{org}/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (_, row) = row_of(&state, &ctx, org_id, id).await?;
    edit_page(&state, ctx, org_id, id, PlacementForm::from_row(&row), vec![]).await
}

/// `POST /cabinet/placements/{org}/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
    Form(form): Form<PlacementForm>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    let input = match form.to_input() {
        Ok(input) => input,
        Err(errors) => return edit_page(&state, ctx, org_id, id, form, errors).await,
    };
    match placements::update(&state.db, &actor, id, &input).await {
        Ok(_) => Ok(back(org_id)),
        Err(e) => {
            let errors = field_errors(e)?;
            edit_page(&state, ctx, org_id, id, form, errors).await
        }
    }
}

/// `POST /cabinet/placements/{org}/{id}/verify`.
pub async fn verify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    placements::verify(&state.db, &actor, id).await?;
    Ok(back(org_id))
}

/// `GET /cabinet/placements/{org}/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, row) = row_of(&state, &ctx, org_id, id).await?;
    if !placements::may_write(&actor) {
        return Err(AppError::Forbidden);
    }
    let what = Row::new(&row, &[]);
    Ok(page(&ConfirmPage {
        title: nok_i18n::t("plc-delete-title"),
        question: nok_i18n::t_args(
            "plc-delete-question",
            &[("what", format!("{} {}", what.medium, what.spot).trim().to_string().into())],
        ),
        action: format!("/cabinet/placements/{org_id}/{id}/delete"),
        back: format!("/cabinet/placements/{org_id}"),
        ctx,
    }))
}

/// `POST /cabinet/placements/{org}/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    placements::delete(&state.db, &actor, id).await?;
    Ok(back(org_id))
}

/// `POST /cabinet/placements/{org}/{id}/photo` (multipart, `?csrf=`).
pub async fn upload_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    match access::read_image(&mut multipart, ImageKind::PlacementPhoto).await? {
        Ok(bytes) => {
            placements::set_photo(&state.db, &actor, id, &bytes).await?;
            Ok(back(org_id))
        }
        Err(r) => Ok(Redirect::to(&format!("/cabinet/placements/{org_id}?error={}", r.code())).into_response()),
    }
}

/// `GET /cabinet/placements/{org}/{id}/photo`.
pub async fn photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    let image = placements::photo(&state.db.read, &actor, id).await?.ok_or(AppError::NotFound)?;
    Ok(inline_image(image.data, &image.mime))
}

/// `POST /cabinet/placements/{org}/{id}/photo/delete` (from the confirmation page).
pub async fn delete_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    placements::delete_photo(&state.db, &actor, id).await?;
    Ok(back(org_id))
}

/// `GET /cabinet/placements/{org}/{id}/photo/delete`: asks first.
pub async fn confirm_delete_photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((org_id, id)): Path<(i32, i32)>,
) -> AppResult<Response> {
    let (actor, _) = row_of(&state, &ctx, org_id, id).await?;
    if !placements::may_write(&actor) {
        return Err(AppError::Forbidden);
    }
    Ok(page(&ConfirmPage {
        title: nok_i18n::t("plc-photo-delete-title"),
        question: nok_i18n::t("plc-photo-delete-question"),
        action: format!("/cabinet/placements/{org_id}/{id}/photo/delete"),
        back: format!("/cabinet/placements/{org_id}"),
        ctx,
    }))
}
