//! Which key encrypts the personal data at rest ([`crate::crypto`]), checking it against what is stored,
//! and moving the stored data to another key.
//!
//! By default the key is derived from the server secret in the `setting` table, so a dump of the database
//! holds the key with the data. An installation that keeps backups elsewhere gives the key in a file
//! instead (`NOK_DATA_KEY_FILE`: 64 hexadecimal digits, written by [`generate_file`]); the database then
//! never holds it. A check value in `setting` (a constant encrypted with the key) lets a server refuse a
//! wrong key at start instead of writing data under two keys; [`rekey`] re-encrypts every sealed value in
//! one transaction.

use crate::Db;
use crate::crypto::{FieldKey, PURPOSE_APPEAL_TEXT, PURPOSE_EMAIL, PURPOSE_MAIL_BODY, PURPOSE_SUGGESTIONS};
use crate::error::{KeyFileProblem, Result, StoreError};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Order, Query};
use sea_orm::{ConnectionTrait, DbErr, TransactionTrait};
use std::path::Path;

/// A column holding values sealed by [`FieldKey::encrypt`].
#[derive(Clone, Copy, Debug)]
pub struct SealedColumn {
    pub table: &'static str,
    /// The primary key, read in order a chunk at a time.
    pub id: &'static str,
    /// Whether the primary key is text (otherwise an integer).
    pub text_id: bool,
    pub column: &'static str,
    pub purpose: &'static str,
}

/// A sealed column of a table with an integer key `id`.
const fn by_integer_id(table: &'static str, column: &'static str, purpose: &'static str) -> SealedColumn {
    SealedColumn { table, id: "id", text_id: false, column, purpose }
}

/// The appeal author's e-mail.
pub const APPEAL_EMAIL: SealedColumn = by_integer_id("appeal", "email_enc", PURPOSE_EMAIL);
/// The text of an appeal.
pub const APPEAL_BODY: SealedColumn = by_integer_id("appeal", "body", PURPOSE_APPEAL_TEXT);
/// The organisation's answer to an appeal.
pub const APPEAL_ANSWER: SealedColumn = by_integer_id("appeal", "answer", PURPOSE_APPEAL_TEXT);
/// The recipient of a queued or sent e-mail.
pub const MAIL_RECIPIENT: SealedColumn = by_integer_id("mail_outbox", "recipient_enc", PURPOSE_EMAIL);
/// The body of a queued or sent e-mail.
pub const MAIL_BODY: SealedColumn = by_integer_id("mail_outbox", "body", PURPOSE_MAIL_BODY);
/// The suggestions text of a survey response (keyed by its UUID).
pub const RESPONSE_SUGGESTIONS: SealedColumn =
    SealedColumn { table: "response", id: "id", text_id: true, column: "suggestions", purpose: PURPOSE_SUGGESTIONS };

/// Every sealed column of the schema.
pub const SEALED: [SealedColumn; 6] =
    [APPEAL_EMAIL, MAIL_RECIPIENT, RESPONSE_SUGGESTIONS, APPEAL_BODY, APPEAL_ANSWER, MAIL_BODY];

pub(crate) const CHECK_SETTING: &str = "data-key-check";
pub(crate) const CHECK_PURPOSE: &str = "nok:data-key-check";
const CHECK_TEXT: &str = "OpenNOK data key";
/// Rows read per query when rewriting a column.
const CHUNK: u64 = 1000;

/// The key from a key file: 64 hexadecimal digits (surrounding white space ignored).
pub fn read_file(path: &Path) -> Result<FieldKey> {
    let text = std::fs::read_to_string(path).map_err(|e| key_file_error(path, e))?;
    let bytes = hex::decode(text.trim())
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| StoreError::KeyFile { path: path.display().to_string(), problem: KeyFileProblem::Format })?;
    Ok(FieldKey::derive(&bytes))
}

fn key_file_error(path: &Path, e: std::io::Error) -> StoreError {
    let problem = match e.kind() {
        std::io::ErrorKind::NotFound => KeyFileProblem::Missing,
        std::io::ErrorKind::AlreadyExists => KeyFileProblem::Exists,
        _ => KeyFileProblem::Io(e),
    };
    StoreError::KeyFile { path: path.display().to_string(), problem }
}

/// Writes a new random key file readable by its owner only; never overwrites a file.
pub fn generate_file(path: &Path) -> Result<()> {
    use rand::RngCore;
    use std::io::Write;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let io = |e| key_file_error(path, e);
    let mut file = options.open(path).map_err(io)?;
    writeln!(file, "{}", hex::encode(bytes)).map_err(io)?;
    file.sync_all().map_err(io)
}

/// The key given by `file`, or the server secret's without one — after checking that it opens what is
/// stored: the check value, or (before there is one) a sealed value. Records the check value when missing.
pub async fn load(db: &Db, file: Option<&Path>) -> Result<FieldKey> {
    let key = match file {
        Some(path) => read_file(path)?,
        None => FieldKey::load(db).await?,
    };
    let check = match setting_value(&db.write, CHECK_SETTING).await? {
        Some(check) => check,
        None => {
            // Before the first check value, the data stored so far says which key it was sealed with.
            if let Some((column, value)) = any_sealed(&db.write, &SEALED).await? {
                key.decrypt(column.purpose, &value).map_err(|_| StoreError::WrongDataKey)?;
            }
            put_check(&db.write, &key, false).await?;
            // Read back: of two instances starting at once with different keys, one fails below.
            setting_value(&db.write, CHECK_SETTING).await?.ok_or(StoreError::NotFound)?
        }
    };
    key.decrypt(CHECK_PURPOSE, &check).map_err(|_| StoreError::WrongDataKey)?;
    Ok(key)
}

/// How many sealed values the database holds.
pub async fn sealed_count(db: &Db) -> Result<u64> {
    let mut total = 0;
    for column in SEALED {
        let count = Query::select()
            .expr_as(Expr::col(column.id).count(), "n")
            .from(column.table)
            .and_where(Expr::col(column.column).is_not_null())
            .to_owned();
        let row = db.read.query_one(&count).await?.ok_or(StoreError::NotFound)?;
        total += u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
    }
    Ok(total)
}

/// Re-encrypts every sealed value from `from` to `to` in one transaction, records `to`'s check value and an
/// audit entry by `actor`; `progress` gets the number of values done so far. A value `from` does not open
/// stops it with nothing changed (the error names the table and row). Returns how many values were
/// re-encrypted.
pub async fn rekey(
    db: &Db,
    actor: &crate::Actor,
    from: &FieldKey,
    to: &FieldKey,
    mut progress: impl FnMut(u64),
) -> Result<u64> {
    let txn = db.write.begin().await?;
    let mut done = 0;
    for column in SEALED {
        let rewrite = |id: &str, sealed: &str| {
            let plain = from.decrypt(column.purpose, sealed).map_err(|_| {
                DbErr::Custom(format!("{} {id}: the current data key does not open this value", column.table))
            })?;
            Ok(to.encrypt(column.purpose, &plain))
        };
        let before = done;
        done += rewrite_column(&txn, column, rewrite, |n| progress(before + n)).await.map_err(|e| match e {
            DbErr::Custom(message) => StoreError::Invalid(message),
            other => StoreError::Db(other),
        })?;
    }
    put_check(&txn, to, true).await?;
    let entry = crate::repo::audit::Entry {
        action: "data_key.rekey",
        object_type: "data_key",
        object_id: "personal-data".into(),
        before: None,
        after: Some(serde_json::json!({ "values": done })),
        ip_hash: None,
    };
    crate::repo::audit::record(&txn, actor, entry).await?;
    txn.commit().await?;
    Ok(done)
}

/// Replaces every non-null value of `column` by `f(id, value)`, a chunk of rows at a time in primary-key
/// order; `progress` gets the number of rows done. Returns that number. (Migration m0018 seals the older
/// suggestions texts with it.)
pub(crate) async fn rewrite_column<C: ConnectionTrait>(
    conn: &C,
    column: SealedColumn,
    f: impl Fn(&str, &str) -> Result<String, DbErr>,
    mut progress: impl FnMut(u64),
) -> Result<u64, DbErr> {
    let mut after: Option<sea_orm::Value> = None;
    let mut done = 0;
    loop {
        // Integer keys are read as BIGINT whatever their width (`appeal.id` is INT4 on PostgreSQL).
        let id = if column.text_id { Expr::col(column.id) } else { Expr::col(column.id).cast_as("BIGINT") };
        let mut chunk = Query::select()
            .expr_as(id, "id")
            .expr_as(Expr::col(column.column), "value")
            .from(column.table)
            .and_where(Expr::col(column.column).is_not_null())
            .order_by(column.id, Order::Asc)
            .limit(CHUNK)
            .to_owned();
        if let Some(last) = after.clone() {
            chunk.and_where(Expr::col(column.id).gt(last));
        }
        let rows = conn.query_all(&chunk).await?;
        if rows.is_empty() {
            return Ok(done);
        }
        for row in &rows {
            let id: sea_orm::Value = if column.text_id {
                row.try_get::<String>("", "id")?.into()
            } else {
                row.try_get::<i64>("", "id")?.into()
            };
            let shown = match &id {
                sea_orm::Value::String(Some(s)) => s.to_string(),
                sea_orm::Value::BigInt(Some(n)) => n.to_string(),
                other => format!("{other:?}"),
            };
            let value: String = row.try_get("", "value")?;
            let update = Query::update()
                .table(column.table)
                .value(column.column, f(&shown, &value)?)
                .and_where(Expr::col(column.id).eq(id.clone()))
                .to_owned();
            conn.execute(&update).await?;
            after = Some(id);
        }
        done += rows.len() as u64;
        progress(done);
    }
}

/// The stored value of setting `key` (read without the entity, so that migrations can use it too).
pub(crate) async fn setting_value<C: ConnectionTrait>(conn: &C, key: &str) -> Result<Option<String>, DbErr> {
    let select = Query::select().column("value").from("setting").and_where(Expr::col("key").eq(key)).to_owned();
    match conn.query_one(&select).await? {
        Some(row) => Ok(Some(row.try_get("", "value")?)),
        None => Ok(None),
    }
}

/// Stores `key`'s check value: always with `replace`, otherwise only when there is none.
async fn put_check<C: ConnectionTrait>(conn: &C, key: &FieldKey, replace: bool) -> Result<()> {
    let mut on_conflict = OnConflict::column("key");
    if replace {
        on_conflict.update_column("value")
    } else {
        on_conflict.do_nothing()
    };
    let insert = Query::insert()
        .into_table("setting")
        .columns(["key", "value"])
        .values_panic([CHECK_SETTING.into(), key.encrypt(CHECK_PURPOSE, CHECK_TEXT).into()])
        .on_conflict(on_conflict.to_owned())
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

/// One value of `columns` and its column, if the database holds any.
pub(crate) async fn any_sealed<C: ConnectionTrait>(
    conn: &C,
    columns: &[SealedColumn],
) -> Result<Option<(SealedColumn, String)>, DbErr> {
    for &column in columns {
        let select = Query::select()
            .expr_as(Expr::col(column.column), "value")
            .from(column.table)
            .and_where(Expr::col(column.column).is_not_null())
            .limit(1)
            .to_owned();
        if let Some(row) = conn.query_one(&select).await? {
            return Ok(Some((column, row.try_get("", "value")?)));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_files_are_checked_and_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.key");
        generate_file(&path).unwrap();
        let key = read_file(&path).unwrap();
        let sealed = key.encrypt(PURPOSE_EMAIL, "a@example.ru");
        assert_eq!(read_file(&path).unwrap().decrypt(PURPOSE_EMAIL, &sealed).unwrap(), "a@example.ru");
        assert!(generate_file(&path).is_err(), "an existing key file is kept");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let other = dir.path().join("other.key");
        generate_file(&other).unwrap();
        assert!(read_file(&other).unwrap().decrypt(PURPOSE_EMAIL, &sealed).is_err(), "keys are random");
        for bad in ["", "abc", &"0".repeat(62), &"g".repeat(64)] {
            std::fs::write(&other, bad).unwrap();
            let e = read_file(&other).unwrap_err().to_string();
            assert!(e.contains("64 hexadecimal digits") && e.contains("other.key"), "{bad:?}: {e}");
        }
        let e = read_file(&dir.path().join("missing.key")).unwrap_err().to_string();
        assert!(e.contains("missing.key"), "{e}");
    }
}
