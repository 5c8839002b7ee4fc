//! Registry import: all rows or nothing. Rows stream in from the registry crate's reader, are checked
//! against the database (authority codes, the actor's scope) and upserted by ИНН inside one transaction,
//! which is rolled back if any row is bad — unless the caller asked to skip invalid rows.

use super::audit::{self, Entry};
use super::organizations::{AuthorityCodes, apply_record, new_active_model, to_record};
use crate::Db;
use crate::entities::organization;
use crate::error::Result;
use crate::scope::Actor;
use crate::time_util::now;
use nok_registry::columns::Column;
use nok_registry::import::RowError;
use nok_registry::record::OrganizationRecord;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};
use std::collections::HashMap;

/// How many row errors a report keeps (the count goes on); a garbage file must not fill memory.
pub const MAX_REPORTED_ERRORS: usize = 1000;
const BATCH: usize = 500;

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Write the good rows and report the bad ones instead of rejecting the whole file.
    pub skip_invalid: bool,
}

#[derive(Clone, Debug, Default)]
pub struct ImportReport {
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Number of bad rows (all of them, even beyond the kept list).
    pub invalid_rows: u64,
    /// The first [`MAX_REPORTED_ERRORS`] errors, each naming row, column and reason.
    pub errors: Vec<RowError>,
    /// Whether anything was written.
    pub committed: bool,
}

impl ImportReport {
    fn add_errors(&mut self, errs: Vec<RowError>) {
        self.invalid_rows += 1;
        let room = MAX_REPORTED_ERRORS.saturating_sub(self.errors.len());
        self.errors.extend(errs.into_iter().take(room));
    }
}

/// Imports rows, each with its row number as a spreadsheet shows it; `progress` is called with the number of rows read so far.
pub async fn import_organizations<I>(
    db: &Db,
    actor: &Actor,
    rows: I,
    options: &ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport>
where
    I: Iterator<Item = (usize, std::result::Result<OrganizationRecord, Vec<RowError>>)>,
{
    let txn = db.write.begin().await?;
    let mut report = ImportReport::default();
    let mut authorities = AuthorityCodes::default();
    let mut batch: Vec<OrganizationRecord> = Vec::with_capacity(BATCH);
    for (file_row, row) in rows {
        report.rows += 1;
        match row {
            Err(errs) => report.add_errors(errs),
            Ok(rec) => match check_row(&txn, actor, &mut authorities, &rec, file_row).await? {
                Err(err) => report.add_errors(vec![err]),
                Ok(authority_id) => {
                    let writing = options.skip_invalid || report.invalid_rows == 0;
                    if writing {
                        batch.push(OrganizationRecord { authority: authority_id.map(|a| a.to_string()), ..rec });
                        if batch.len() >= BATCH {
                            write_batch(&txn, actor, &mut batch, &mut report).await?;
                        }
                    }
                }
            },
        }
        if report.rows % 1000 == 0 {
            progress(report.rows);
        }
    }
    progress(report.rows);
    if report.invalid_rows > 0 && !options.skip_invalid {
        txn.rollback().await?;
        report.created = 0;
        report.updated = 0;
        report.unchanged = 0;
        return Ok(report);
    }
    write_batch(&txn, actor, &mut batch, &mut report).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "organization.import",
            object_type: "import",
            object_id: now().to_string(),
            before: None,
            after: Some(serde_json::json!({
                "rows": report.rows, "created": report.created, "updated": report.updated,
                "unchanged": report.unchanged, "invalid_rows": report.invalid_rows,
            })),
            ip_hash: None,
        },
    )
    .await?;
    txn.commit().await?;
    report.committed = true;
    Ok(report)
}

/// Database-side checks of one parsed row: the authority code exists and the actor may write there.
/// Returns the authority id to store.
async fn check_row(
    txn: &DatabaseTransaction,
    actor: &Actor,
    authorities: &mut AuthorityCodes,
    rec: &OrganizationRecord,
    file_row: usize,
) -> Result<std::result::Result<Option<i32>, RowError>> {
    let row_error = |column: Column, value: &str, reason: String| RowError {
        row: file_row,
        column: column.header(),
        value: value.to_string(),
        reason,
    };
    if actor.check_registry_write(&rec.region_code, rec.sphere.code()).is_err() {
        return Ok(Err(row_error(Column::RegionCode, &rec.region_code, nok_i18n::t("store-import-out-of-scope"))));
    }
    let Some(code) = rec.authority.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(Ok(None));
    };
    match authorities.resolve(txn, code).await? {
        Some(a) => Ok(Ok(Some(a.id))),
        None => Ok(Err(row_error(Column::Authority, code, nok_i18n::t("store-import-unknown-authority")))),
    }
}

/// Upserts a batch by ИНН, auditing every created or changed organisation.
async fn write_batch(
    txn: &DatabaseTransaction,
    actor: &Actor,
    batch: &mut Vec<OrganizationRecord>,
    report: &mut ImportReport,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let at = now();
    let inns: Vec<String> = batch.iter().map(|r| r.inn.clone()).collect();
    let existing: HashMap<String, organization::Model> = organization::Entity::find()
        .filter(organization::Column::Inn.is_in(inns))
        .all(txn)
        .await?
        .into_iter()
        .map(|m| (m.inn.clone(), m))
        .collect();
    let mut inserts = Vec::new();
    let mut created_records = Vec::new();
    for rec in batch.drain(..) {
        let authority_id = rec.authority.as_deref().and_then(|a| a.parse::<i32>().ok());
        match existing.get(&rec.inn) {
            None => {
                inserts.push(new_active_model(&rec, authority_id, at));
                created_records.push(rec);
            }
            Some(current) => {
                let before = to_record(current, current.authority_id.map(|a| a.to_string()));
                if before == rec {
                    report.unchanged += 1;
                    continue;
                }
                let mut m: organization::ActiveModel = current.clone().into();
                apply_record(&mut m, &rec, authority_id, at);
                m.updated_at = Set(at);
                organization::Entity::update(m).exec(txn).await?;
                audit::record(
                    txn,
                    actor,
                    Entry {
                        action: "organization.update",
                        object_type: "organization",
                        object_id: current.id.to_string(),
                        before: serde_json::to_value(&before).ok(),
                        after: serde_json::to_value(&rec).ok(),
                        ip_hash: None,
                    },
                )
                .await?;
                report.updated += 1;
            }
        }
    }
    if inserts.is_empty() {
        return Ok(());
    }
    report.created += inserts.len() as u64;
    // RETURNING gives the new ids for the audit rows without another query.
    let ids: HashMap<String, i32> = organization::Entity::insert_many(inserts)
        .exec_with_returning(txn)
        .await?
        .into_iter()
        .map(|m| (m.inn, m.id))
        .collect();
    let entries = created_records
        .iter()
        .map(|rec| Entry {
            action: "organization.create",
            object_type: "organization",
            object_id: ids.get(&rec.inn).map(|i| i.to_string()).unwrap_or_default(),
            before: None,
            after: serde_json::to_value(rec).ok(),
            ip_hash: None,
        })
        .collect();
    audit::record_many(txn, actor, entries).await
}
