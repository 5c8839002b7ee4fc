//! Accounts: creation with a role and scope, Argon2id password hashes, the actor a user acts as.

use crate::Db;
use crate::entities::app_user;
use crate::error::{Result, StoreError};
use crate::scope::{Actor, Role, Scope};
use crate::time_util::now;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::sync::OnceLock;

/// Minimum password length accepted for new passwords.
pub const MIN_PASSWORD_LEN: usize = 10;

/// What a new account is scoped to; which field is required depends on the role.
#[derive(Clone, Debug, Default)]
pub struct NewUser {
    pub login: String,
    pub password: String,
    pub display_name: String,
    pub role: Option<Role>,
    pub authority_id: Option<i32>,
    pub operator_id: Option<i32>,
    pub organization_id: Option<i32>,
    pub monitor_regions: Option<Vec<String>>,
}

pub fn hash_password(password: &str) -> Result<String> {
    let mut bytes = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| StoreError::Invalid(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("password hashing failed: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A real hash to verify against when the login does not exist, so both paths cost the same time
/// and a stranger cannot tell which logins exist.
pub fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("dummy password for timing").expect("hashing works"))
}

fn check_new_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(StoreError::Invalid(format!("password: at least {MIN_PASSWORD_LEN} characters")));
    }
    Ok(())
}

/// Creates an account (administrators only).
pub async fn create(db: &Db, actor: &Actor, new: NewUser) -> Result<app_user::Model> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    let role = new.role.ok_or_else(|| StoreError::Invalid("role: required".into()))?;
    let login = new.login.trim().to_lowercase();
    if login.is_empty() || login.len() > 100 || !login.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
    {
        return Err(StoreError::Invalid("login: latin letters, digits and . _ - @ only".into()));
    }
    check_new_password(&new.password)?;
    let missing = |what: &str| StoreError::Invalid(format!("scope: role {} needs {what}", role.code()));
    match role {
        Role::Authority | Role::Council if new.authority_id.is_none() => return Err(missing("an authority")),
        Role::Operator if new.operator_id.is_none() => return Err(missing("an operator company")),
        Role::Staff if new.organization_id.is_none() => return Err(missing("an organisation")),
        _ => {}
    }
    if find_by_login(&db.write, &login).await?.is_some() {
        return Err(StoreError::Conflict(format!("login {login} exists")));
    }
    let model = app_user::ActiveModel {
        id: Default::default(),
        login: Set(login.clone()),
        password_hash: Set(hash_password(&new.password)?),
        display_name: Set(if new.display_name.is_empty() { login } else { new.display_name }),
        role: Set(role.code().to_string()),
        authority_id: Set(new.authority_id),
        operator_id: Set(new.operator_id),
        organization_id: Set(new.organization_id),
        monitor_regions: Set(new.monitor_regions.map(|r| r.join(","))),
        active: Set(true),
        created_at: Set(now()),
    };
    let user = app_user::Entity::insert(model).exec_with_returning(&db.write).await?;
    super::audit::record(
        &db.write,
        actor,
        super::audit::Entry {
            action: "user.create",
            object_type: "user",
            object_id: user.id.to_string(),
            before: None,
            after: serde_json::to_value(&user).ok(),
            ip_hash: None,
        },
    )
    .await?;
    Ok(user)
}

pub async fn find_by_login<C: ConnectionTrait>(conn: &C, login: &str) -> Result<Option<app_user::Model>> {
    Ok(app_user::Entity::find().filter(app_user::Column::Login.eq(login.trim().to_lowercase())).one(conn).await?)
}

pub async fn by_id<C: ConnectionTrait>(conn: &C, id: i32) -> Result<Option<app_user::Model>> {
    Ok(app_user::Entity::find_by_id(id).one(conn).await?)
}

/// All accounts (administrators only).
pub async fn list<C: ConnectionTrait>(conn: &C, actor: &Actor) -> Result<Vec<app_user::Model>> {
    if !actor.is_admin() {
        return Err(StoreError::Forbidden);
    }
    Ok(app_user::Entity::find().order_by_asc(app_user::Column::Login).all(conn).await?)
}

/// Checks a login and password. `None` for an unknown login, a wrong password or an inactive account
/// (indistinguishable to the caller, and equally slow).
pub async fn authenticate<C: ConnectionTrait>(
    conn: &C,
    login: &str,
    password: &str,
) -> Result<Option<app_user::Model>> {
    let user = find_by_login(conn, login).await?;
    let hash = user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| dummy_hash().to_string());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash)).await.unwrap_or(false);
    Ok(user.filter(|u| ok && u.active))
}

/// Changes the actor's own password after checking the current one.
pub async fn change_password(db: &Db, actor: &Actor, current: &str, new: &str) -> Result<()> {
    let id = actor.user_id.ok_or(StoreError::Forbidden)?;
    let user = by_id(&db.write, id).await?.ok_or(StoreError::NotFound)?;
    let hash = user.password_hash.clone();
    let current = current.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&current, &hash)).await.unwrap_or(false);
    if !ok {
        return Err(StoreError::Invalid("current_password: wrong password".into()));
    }
    check_new_password(new)?;
    let mut m: app_user::ActiveModel = user.into();
    m.password_hash = Set(hash_password(new)?);
    app_user::Entity::update(m).exec(&db.write).await?;
    super::audit::record(
        &db.write,
        actor,
        super::audit::Entry {
            action: "user.password_change",
            object_type: "user",
            object_id: id.to_string(),
            before: None,
            after: None,
            ip_hash: None,
        },
    )
    .await?;
    Ok(())
}

/// The actor a signed-in user acts as: role plus scope resolved from the database.
pub async fn actor_for<C: ConnectionTrait>(conn: &C, user: &app_user::Model) -> Result<Actor> {
    let role = Role::from_code(&user.role).ok_or_else(|| StoreError::Invalid(format!("role {:?}", user.role)))?;
    let scope = match role {
        Role::Admin => Scope::All,
        Role::Authority | Role::Council => {
            let id = user.authority_id.ok_or(StoreError::Forbidden)?;
            let a = super::reference::authority_by_id(conn, id).await?.ok_or(StoreError::Forbidden)?;
            Scope::Authority { authority_id: a.id, region_code: a.region_code, sphere: a.sphere }
        }
        Role::Operator => Scope::Operator { operator_id: user.operator_id.ok_or(StoreError::Forbidden)? },
        Role::Staff => Scope::Organization { organization_id: user.organization_id.ok_or(StoreError::Forbidden)? },
        Role::Monitor => Scope::Regions {
            regions: user.monitor_regions.as_ref().map(|r| r.split(',').map(|s| s.trim().to_string()).collect()),
        },
    };
    Ok(Actor { user_id: Some(user.id), login: user.login.clone(), role, scope })
}
