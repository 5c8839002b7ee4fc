//! The authority's ZIP of posters: `GET /cabinet/qr/authority/{id}/posters.zip?size=a4&distance=…` —
//! one PDF per active organisation in its scope, rendered on every core on the blocking pool and
//! streamed to the browser as each poster is ready (no file and no whole archive in memory; the
//! stream's channel is bounded, so a slow download slows rendering down). Posters that failed are
//! listed in `errors.txt` inside the archive. A closed connection stops the rendering.

use super::downloads::{distance_of, size_of};
use super::materials::{self, PosterSource, Selection};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use nok_store::repo::reference;
use serde::Deserialize;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;

/// Bytes gathered before a chunk goes to the response.
const CHUNK: usize = 256 * 1024;
/// Chunks waiting for the client at most.
const QUEUE: usize = 8;

/// A `Write` that hands chunks to the response body; fails once the client has gone.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[derive(Deserialize, Default)]
pub struct ZipQuery {
    size: Option<String>,
    distance: Option<String>,
}

/// Writes every poster into a streamed ZIP; runs on a blocking thread.
fn write_archive(source: PosterSource, orgs: Vec<nok_store::entities::organization::Model>, writer: ChannelWriter) {
    let size = source.size();
    let zip = Mutex::new(zip::ZipWriter::new_stream(writer));
    let stop = AtomicBool::new(false);
    let failures = Mutex::new(Vec::<String>::new());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    source.render_batch(&orgs, Some(&stop), |org, result| {
        let written = match result {
            Ok(pdf) => {
                let mut zip = zip.lock().unwrap_or_else(|p| p.into_inner());
                zip.start_file(materials::file_name(org, size.name(), "pdf"), options)
                    .map_err(io::Error::other)
                    .and_then(|()| zip.write_all(&pdf))
            }
            Err(e) => {
                failures.lock().unwrap_or_else(|p| p.into_inner()).push(format!("{} {}: {e}", org.inn, org.short_name));
                Ok(())
            }
        };
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
    });
    if stop.load(Ordering::Relaxed) {
        return;
    }
    let mut zip = zip.into_inner().unwrap_or_else(|p| p.into_inner());
    let failures = failures.into_inner().unwrap_or_else(|p| p.into_inner());
    if !failures.is_empty() {
        let text = format!("{}\r\n{}\r\n", nok_i18n::t("qr-zip-errors"), failures.join("\r\n"));
        let _ = zip
            .start_file("errors.txt", options)
            .map_err(io::Error::other)
            .and_then(|()| zip.write_all(text.as_bytes()));
    }
    match zip.finish() {
        Ok(stream) => {
            let mut writer = stream.into_inner();
            let _ = writer.flush();
        }
        Err(e) => {
            tracing::warn!(error = %e, "poster archive not finished");
        }
    }
}

/// `GET /cabinet/qr/authority/{id}/posters.zip`.
pub async fn posters_zip(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i32>,
    Query(q): Query<ZipQuery>,
) -> AppResult<Response> {
    let actor = ctx.require_user()?.clone();
    if !super::hub::manages_authority(&actor, id) {
        return Err(AppError::Forbidden);
    }
    let authority = reference::authority_by_id(&state.db.read, id).await?.ok_or(AppError::NotFound)?;
    let size = size_of(super::access::non_empty(&q.size).as_deref())?;
    let distance = distance_of(&q.distance)?;
    let orgs = materials::select(&state.db, &actor, &Selection::Authority(authority.code.clone())).await?;
    if orgs.is_empty() {
        return Err(AppError::BadRequest(nok_i18n::t("qr-zip-empty")));
    }
    let source = PosterSource::new(&state.db, &state.config.base_url, size, distance, &orgs).await?;
    let (tx, rx) = mpsc::channel::<io::Result<Vec<u8>>>(QUEUE);
    tokio::task::spawn_blocking(move || {
        write_archive(source, orgs, ChannelWriter { tx, buf: Vec::with_capacity(CHUNK) })
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) });
    let code: String = authority.code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"posters-{code}-{}.zip\"", size.name())),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
