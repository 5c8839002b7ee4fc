//! The page context every handler gets: who is signed in (as a store `Actor`), the CSRF token for forms,
//! the low-vision preference, and access to the message catalogue for templates.

use crate::error::AppError;
use crate::security::{cookies, csrf, device::DeviceId};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use nok_store::{Actor, Role};

#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub actor: Actor,
    pub display_name: String,
}

#[derive(Clone, Debug)]
pub struct Ctx {
    pub user: Option<CurrentUser>,
    pub csrf: String,
    pub low_vision: bool,
    /// The request path with query (for "back" links and sign-in redirects).
    pub path: String,
}

impl Ctx {
    /// A message from the catalogue.
    pub fn t(&self, id: &str) -> String {
        nok_i18n::t(id)
    }

    pub fn signed_in(&self) -> bool {
        self.user.is_some()
    }

    pub fn role(&self) -> Option<Role> {
        self.user.as_ref().map(|u| u.actor.role)
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    pub fn may_edit_registry(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.actor.may_edit_registry())
    }

    pub fn user_name(&self) -> String {
        self.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default()
    }

    pub fn role_name(&self) -> String {
        self.role().map(|r| nok_i18n::t(&format!("role-{}", r.code()))).unwrap_or_default()
    }

    /// The current path, URL-encoded for a `back=` parameter.
    pub fn path_encoded(&self) -> String {
        crate::error::urlencode(&self.path)
    }

    /// The actor, or a redirect to the sign-in page.
    pub fn require_user(&self) -> Result<&Actor, AppError> {
        self.user.as_ref().map(|u| &u.actor).ok_or_else(|| AppError::LoginRequired(self.path.clone()))
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let device = parts.extensions.get::<DeviceId>().map(|d| d.0.clone()).unwrap_or_default();
        let session_token = cookies::get(&parts.headers, cookies::SESSION);
        let mut user = None;
        if let Some(token) = &session_token
            && let Some((_, u)) = nok_store::repo::sessions::lookup(&state.db, token).await?
        {
            let actor = nok_store::repo::users::actor_for(&state.db.read, &u).await?;
            user = Some(CurrentUser { actor, display_name: u.display_name });
        }
        Ok(Ctx {
            user,
            csrf: csrf::token(&state.secret, &device, session_token.as_deref()),
            low_vision: cookies::get(&parts.headers, cookies::LOW_VISION).as_deref() == Some("1"),
            path: parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
        })
    }
}
