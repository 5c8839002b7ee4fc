//! Login throttling: failures are counted per key (a login name, a hashed IP); after
//! [`MAX_FAILURES`] failures within [`WINDOW_SECONDS`] the key is locked for [`LOCK_SECONDS`].
//! Unknown logins are counted exactly like known ones, so lockouts reveal nothing about accounts.

use crate::Db;
use crate::entities::login_throttle;
use crate::error::Result;
use crate::time_util::now;
use sea_orm::{ActiveValue::Set, EntityTrait};

pub const MAX_FAILURES: i32 = 5;
pub const WINDOW_SECONDS: i64 = 15 * 60;
pub const LOCK_SECONDS: i64 = 15 * 60;

/// When the key is locked, the Unix time the lock ends.
pub async fn locked_until(db: &Db, key: &str) -> Result<Option<i64>> {
    let row = login_throttle::Entity::find_by_id(key.to_string()).one(&db.write).await?;
    Ok(row.map(|r| r.locked_until).filter(|&t| t > now()))
}

/// Counts a failure; returns the lock end when this failure locks the key.
pub async fn record_failure(db: &Db, key: &str) -> Result<Option<i64>> {
    let at = now();
    let row = login_throttle::Entity::find_by_id(key.to_string()).one(&db.write).await?;
    let (failures, window_start) = match &row {
        Some(r) if at - r.window_start < WINDOW_SECONDS => (r.failures + 1, r.window_start),
        _ => (1, at),
    };
    let locked_until = if failures >= MAX_FAILURES { at + LOCK_SECONDS } else { 0 };
    let model = login_throttle::ActiveModel {
        key: Set(key.to_string()),
        failures: Set(if locked_until > 0 { 0 } else { failures }),
        window_start: Set(if locked_until > 0 { at } else { window_start }),
        locked_until: Set(locked_until),
    };
    if row.is_some() {
        login_throttle::Entity::update(model).exec(&db.write).await?;
    } else {
        login_throttle::Entity::insert(model).exec_without_returning(&db.write).await?;
    }
    Ok((locked_until > 0).then_some(locked_until))
}

pub async fn reset(db: &Db, key: &str) -> Result<()> {
    login_throttle::Entity::delete_by_id(key.to_string()).exec(&db.write).await?;
    Ok(())
}
