//! Small helpers shared by the QR pages: the signed-in actor and the organisation it may see, file
//! responses (download or inline), reading one uploaded file from a multipart form within the limit,
//! running print jobs off the async threads, and the current period.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::extract::Multipart;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use nok_store::Actor;
use nok_store::entities::organization;
use nok_store::repo::images::{ImageKind, ImageRejection, MAX_IMAGE_BYTES};
use nok_store::repo::organizations;

/// The signed-in actor and an organisation it sees (`403` outside its scope, sign-in when anonymous).
pub async fn org_for(state: &AppState, ctx: &Ctx, id: i32) -> AppResult<(Actor, organization::Model)> {
    let actor = ctx.require_user()?.clone();
    let org = organizations::get(&state.db.read, &actor, id).await?;
    Ok((actor, org))
}

/// The assessment period shown by default (the current calendar year).
pub fn current_period() -> i32 {
    nok_store::time_util::period_of(nok_store::time_util::now())
}

/// A file to save (`attachment`) with its MIME type.
pub use crate::portal::export::attachment as download;

/// A stored picture shown inside our pages (logos, photos). SVG stays inert: it is served as an image
/// under the site's strict CSP, so scripts in it never run.
pub fn inline_image(bytes: Vec<u8>, mime: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, "inline".to_string()),
            (header::CACHE_CONTROL, "private, max-age=60".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// Runs CPU-heavy print work (Typst layout, PNG rendering) on the blocking pool.
pub async fn blocking<T: Send + 'static>(
    job: impl FnOnce() -> Result<T, nok_print::PrintError> + Send + 'static,
) -> AppResult<T> {
    match tokio::task::spawn_blocking(job).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(nok_print::PrintError::Input(msg))) => Err(AppError::BadRequest(msg)),
        Ok(Err(e)) => Err(AppError::Internal(e.to_string())),
        Err(e) => Err(AppError::Internal(e.to_string())),
    }
}

/// The uploaded file of field `file` in a multipart form, refused when
/// empty, over [`MAX_IMAGE_BYTES`] or not a picture `kind` accepts; read in chunks so an oversized
/// upload is cut off early.
pub async fn read_image(multipart: &mut Multipart, kind: ImageKind) -> AppResult<Result<Vec<u8>, ImageRejection>> {
    let bad = |e: axum::extract::multipart::MultipartError| AppError::BadRequest(e.to_string());
    let mut data: Option<Vec<u8>> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        if field.name() != Some("file") {
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if buf.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Ok(Err(ImageRejection::TooLarge));
            }
            buf.extend_from_slice(&chunk);
        }
        data = Some(buf);
    }
    let data = data.unwrap_or_default();
    Ok(nok_store::repo::images::check(kind, &data).map(|_| data))
}

/// The Russian message for a refused upload named by its code in a redirect (`?error=too-large`).
pub fn rejection_message(code: &Option<String>) -> Option<String> {
    let code = non_empty(code)?;
    ["empty", "too-large", "format"].contains(&code.as_str()).then(|| nok_i18n::t(&format!("qr-image-{code}")))
}

/// A trimmed non-empty query value.
pub fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A decimal typed with a comma or a point (`1,4` or `1.4`); `None` when empty, `Err` when not a number.
pub fn parse_decimal(s: &Option<String>) -> Result<Option<f64>, ()> {
    match non_empty(s) {
        None => Ok(None),
        Some(v) => v.replace(',', ".").parse::<f64>().map(Some).map_err(|_| ()),
    }
}
