//! Registry files over the web: an uploaded file goes through the same reader and the same all-or-nothing
//! import as `nok import`; exports use the same writers as `nok export`.

use crate::error::{AppError, AppResult};
use crate::state::AppState;
use nok_registry::import::{FileKind, read_organizations};
use nok_store::Actor;
use nok_store::repo::import::{ImportOptions, ImportReport, import_organizations};
use std::path::Path;

/// Imports a stored upload. `Ok(Err(message))` is a file-level problem to show the user.
///
/// Parsing is CPU work over a non-`Send` reader, so the import runs on a blocking thread that drives
/// the database calls itself; the async workers stay free.
pub async fn import_file(
    state: &AppState,
    actor: &Actor,
    path: &Path,
    name: &str,
    options: &ImportOptions,
) -> AppResult<Result<ImportReport, String>> {
    let (state, actor, path, name, options) =
        (state.clone(), actor.clone(), path.to_path_buf(), name.to_string(), options.clone());
    let handle = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || handle.block_on(import_blocking(&state, &actor, &path, &name, &options)))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
}

async fn import_blocking(
    state: &AppState,
    actor: &Actor,
    path: &Path,
    name: &str,
    options: &ImportOptions,
) -> AppResult<Result<ImportReport, String>> {
    let file = std::fs::File::open(path).map_err(|e| AppError::Internal(e.to_string()))?;
    let reader = std::io::BufReader::new(file);
    let rows = match read_organizations(reader, FileKind::from_file_name(name)) {
        Ok(rows) => rows,
        Err(e) => return Ok(Err(e.user_message())),
    };
    let report = import_organizations(&state.db, actor, rows.numbered(), options, |_| {}).await?;
    Ok(Ok(report))
}

/// The organisations the actor sees, as a file in `format` (csv, xlsx or json), with its MIME type.
pub async fn export_bytes(
    state: &AppState,
    actor: &Actor,
    format: &str,
    include_inactive: bool,
) -> AppResult<(Vec<u8>, &'static str)> {
    let mut records = Vec::new();
    nok_store::repo::organizations::for_each_record(&state.db.read, actor, include_inactive, |r| records.push(r))
        .await?;
    let mut out = Vec::new();
    let mime = match format {
        "csv" => {
            nok_registry::export::write_csv(&mut out, records.iter()).map_err(|e| AppError::Internal(e.to_string()))?;
            crate::portal::export::CSV_MIME
        }
        "xlsx" => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            nok_registry::export::write_xlsx(&mut cursor, records.iter())
                .map_err(|e| AppError::Internal(e.to_string()))?;
            out = cursor.into_inner();
            crate::portal::export::XLSX_MIME
        }
        "json" => {
            nok_registry::export::write_json(&mut out, records.iter())
                .map_err(|e| AppError::Internal(e.to_string()))?;
            "application/json"
        }
        _ => return Err(AppError::NotFound),
    };
    Ok((out, mime))
}
