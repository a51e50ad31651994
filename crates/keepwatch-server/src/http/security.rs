//! `/v1/security/*`: IP blocklist, session length, trusted devices, sign-in history.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use keepwatch_api::{
    BlocklistAction, BlocklistEntry, ErrorCode, Event, EventKind, LimitQuery, LoginAttempt,
    NewBlocklistEntry, SessionLength, TrustedDevice,
};

use super::extract::{list_limit, ApiJson, ApiQuery, Auth};
use crate::error::{HttpError, HttpResult};
use crate::state::AppState;
use crate::{account, blocklist, login, sessions};

/// `GET /v1/security/ip-blocklist`.
pub async fn list_blocklist(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> HttpResult<Json<Vec<BlocklistEntry>>> {
    let list = state
        .db
        .read(move |c, _, _| blocklist::list(c, &caller.account_id))
        .await?;
    Ok(Json(list))
}

/// `POST /v1/security/ip-blocklist`.
pub async fn add_blocklist_entry(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewBlocklistEntry>,
) -> HttpResult<(StatusCode, Json<BlocklistEntry>)> {
    let net = blocklist::parse_range(&body.address)?;
    // The length is checked as sent, before trimming, so that the bound is the one the
    // contract states (`maxLength` of the field).
    blocklist::check_note(body.note.as_deref())?;
    let note = body
        .note
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if net.contains(&caller.ip) {
        return Err(HttpError::new(
            StatusCode::CONFLICT,
            ErrorCode::CurrentSession,
            "this range covers the address you are using now; it would lock you out",
        ));
    }
    let entry = state
        .db
        .write(move |w| {
            let entry = blocklist::insert(&w.tx, &caller.account_id, net, note, w.now)?;
            let mut event = Event::new(0, EventKind::BlocklistChanged, w.now);
            event.session = sessions::load(&w.tx, &caller.session_id)?.map(|s| s.view(w.geo, None));
            event.blocklist_entry = Some(entry.clone());
            event.blocklist_action = Some(BlocklistAction::Added);
            w.emit(&caller.account_id, event)?;
            Ok(entry)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `DELETE /v1/security/ip-blocklist/{id}`.
pub async fn remove_blocklist_entry(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    state
        .db
        .write(move |w| {
            let entry = blocklist::get(&w.tx, &caller.account_id, &id)?
                .ok_or_else(|| HttpError::not_found("blocklist entry"))?;
            w.tx.execute("DELETE FROM blocklist WHERE id = ?1", [&entry.id])?;
            let mut event = Event::new(0, EventKind::BlocklistChanged, w.now);
            event.session = sessions::load(&w.tx, &caller.session_id)?.map(|s| s.view(w.geo, None));
            event.blocklist_entry = Some(entry);
            event.blocklist_action = Some(BlocklistAction::Removed);
            w.emit(&caller.account_id, event)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/security/session-length`.
pub async fn get_session_length(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> HttpResult<Json<SessionLength>> {
    let length = state
        .db
        .read(move |c, _, _| account::session_length(c, &caller.account_id))
        .await?;
    Ok(Json(length))
}

/// `PUT /v1/security/session-length`.
pub async fn put_session_length(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<SessionLength>,
) -> HttpResult<Json<SessionLength>> {
    state
        .db
        .write(move |w| account::set_session_length(w, &caller.account_id, body))
        .await?;
    Ok(Json(body))
}

/// `GET /v1/security/trusted-devices`.
pub async fn list_trusted_devices(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> HttpResult<Json<Vec<TrustedDevice>>> {
    let list = state
        .db
        .read(move |c, geo, now| login::trusted_devices(c, geo, &caller.account_id, now))
        .await?;
    Ok(Json(list))
}

/// `DELETE /v1/security/trusted-devices/{id}`.
pub async fn forget_trusted_device(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    state
        .db
        .write(move |w| {
            let removed = w.tx.execute(
                "DELETE FROM trusted_devices WHERE account_id = ?1 AND id = ?2",
                [&caller.account_id, &id],
            )?;
            if removed == 0 {
                return Err(HttpError::not_found("trusted device"));
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/security/login-history`.
pub async fn login_history(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<LimitQuery>,
) -> HttpResult<Json<Vec<LoginAttempt>>> {
    let limit = list_limit(query.limit)?;
    let list = state
        .db
        .read(move |c, _, _| login::history(c, &caller.account_id, limit))
        .await?;
    Ok(Json(list))
}
