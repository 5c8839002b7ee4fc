//! Every visitor gets a random device id cookie: it anchors CSRF tokens for anonymous forms and the
//! "one response per device" anti-fraud rule. It identifies a browser, never a person.

use super::cookies;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// The device id of the request (inserted by [`ensure_device`]).
#[derive(Clone, Debug)]
pub struct DeviceId(pub String);

const ONE_YEAR: i64 = 365 * 24 * 3600;

pub async fn ensure_device(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookies::get(req.headers(), cookies::DEVICE)
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()));
    let (id, fresh) = match existing {
        Some(id) => (id, false),
        None => (nok_store::repo::sessions::random_token(), true),
    };
    req.extensions_mut().insert(DeviceId(id.clone()));
    let mut res = next.run(req).await;
    if fresh {
        let cookie = cookies::set(cookies::DEVICE, &id, ONE_YEAR, state.config.secure_cookies());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    res
}
