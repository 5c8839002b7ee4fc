//! Server-side sessions: the cookie holds a random token; the table holds its SHA-256, the user and the
//! session's CSRF token. Stored in the database so any number of server processes share them.

use crate::Db;
use crate::entities::{app_user, session};
use crate::error::Result;
use crate::time_util::now;
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};

/// Sessions last 12 hours.
pub const SESSION_SECONDS: i64 = 12 * 3600;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session; returns the cookie token and the CSRF token.
pub async fn create(db: &Db, user_id: i32) -> Result<(String, String)> {
    let token = random_token();
    let csrf = random_token();
    let at = now();
    session::Entity::insert(session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        user_id: Set(user_id),
        csrf_token: Set(csrf.clone()),
        created_at: Set(at),
        expires_at: Set(at + SESSION_SECONDS),
    })
    .exec_without_returning(&db.write)
    .await?;
    Ok((token, csrf))
}

/// The live session and its active user for a cookie token.
pub async fn lookup(db: &Db, token: &str) -> Result<Option<(session::Model, app_user::Model)>> {
    let Some(s) = session::Entity::find_by_id(token_hash(token)).one(&db.read).await? else {
        return Ok(None);
    };
    if s.expires_at < now() {
        return Ok(None);
    }
    let user = super::users::by_id(&db.read, s.user_id).await?;
    Ok(user.filter(|u| u.active).map(|u| (s, u)))
}

pub async fn delete(db: &Db, token: &str) -> Result<()> {
    session::Entity::delete_by_id(token_hash(token)).exec(&db.write).await?;
    Ok(())
}

/// Ends every session of a user (after a password change).
pub async fn delete_for_user(db: &Db, user_id: i32) -> Result<()> {
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&db.write).await?;
    Ok(())
}

pub async fn purge_expired(db: &Db) -> Result<u64> {
    let r = session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(now())).exec(&db.write).await?;
    Ok(r.rows_affected)
}
