//! Agreement with the rating: the vote form of the organisation page posts here. One vote per device,
//! organisation and period (the store's unique constraint decides); the answer page says which happened.

use super::reviews::Message;
use super::{Origin, sections};
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::render::page;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Router};
use nok_store::StoreError;
use nok_store::repo::organizations;
use nok_store::repo::rating_votes::{self, NewVote, VoteOutcome};
use nok_store::time_util::now;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/votes/{public_id}", post(vote))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct VoteForm {
    agree: String,
    comment: String,
}

async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    origin: Origin,
    Path(public_id): Path<String>,
    Form(f): Form<VoteForm>,
) -> AppResult<Response> {
    let org = organizations::by_public_id(&state.db.read, &public_id).await?;
    let back_href = format!("/o/{}", org.public_id);
    let message = |ctx: Ctx, status: StatusCode, text: String| {
        let view = Message {
            ctx,
            title: nok_i18n::t("fb-vote-title"),
            text,
            back_href: back_href.clone(),
            back_label: nok_i18n::t("fb-back-to-org"),
        };
        (status, page(&view)).into_response()
    };
    let agree = match f.agree.as_str() {
        "1" => true,
        "0" => false,
        _ => return Ok(message(ctx, StatusCode::UNPROCESSABLE_ENTITY, nok_i18n::t("fb-err-agree"))),
    };
    let period = sections::current_period();
    let new = NewVote {
        organization_id: org.id,
        period,
        device_hash: origin.device_hash,
        agree,
        comment: Some(f.comment),
        ip_hash: Some(origin.ip_hash),
        at: now(),
    };
    match rating_votes::vote(&state.db, new).await {
        Ok(VoteOutcome::Counted) => {
            sections::invalidate(org.id);
            let key = if agree { "fb-vote-counted-agree" } else { "fb-vote-counted-disagree" };
            Ok(message(ctx, StatusCode::OK, nok_i18n::t(key)))
        }
        Ok(VoteOutcome::AlreadyVoted) => {
            Ok(message(ctx, StatusCode::CONFLICT, nok_i18n::t!("fb-vote-already", period = period)))
        }
        Err(StoreError::Invalid(_)) => {
            Ok(message(ctx, StatusCode::UNPROCESSABLE_ENTITY, nok_i18n::t("fb-err-comment")))
        }
        Err(e) => Err(e.into()),
    }
}
