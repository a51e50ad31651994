//! `GET /v1/sessions`, `DELETE /v1/sessions/{id}`, `POST /v1/sessions/revoke-others`.

use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use data_encoding::HEXLOWER;
use keepwatch_api::{
    ErrorCode, Event, EventKind, RevocationReason, RevokeOthersResponse, SessionList,
};
use sha2::{Digest, Sha256};

use super::extract::Auth;
use crate::error::{HttpError, HttpResult};
use crate::sessions::{self, Ending};
use crate::state::AppState;

/// `GET /v1/sessions`, with a content-hash `ETag`.
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
) -> HttpResult<Response> {
    let list = state
        .db
        .read(move |c, geo, _| {
            let sessions = sessions::active(c, &caller.account_id)?
                .iter()
                .map(|s| s.view(geo, Some(&caller.session_id)))
                .collect();
            Ok(SessionList {
                current_session_id: caller.session_id.clone(),
                sessions,
            })
        })
        .await?;
    let body = serde_json::to_vec(&list)?;
    let etag = format!("\"{}\"", &HEXLOWER.encode(&Sha256::digest(&body))[..32]);
    let etag_value = HeaderValue::from_str(&etag).map_err(HttpError::internal)?;
    let unchanged = headers
        .get_all(IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == etag || v == "*");
    if unchanged {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag_value)]).into_response());
    }
    Ok((
        [
            (ETAG, etag_value),
            (
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body,
    )
        .into_response())
}

/// `DELETE /v1/sessions/{id}`.
pub async fn revoke(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> HttpResult<StatusCode> {
    if id == caller.session_id {
        return Err(HttpError::new(
            StatusCode::CONFLICT,
            ErrorCode::CurrentSession,
            "this is the calling session; sign out with /v1/auth/logout",
        ));
    }
    state
        .db
        .write(move |w| {
            let session = sessions::load(&w.tx, &id)?
                .filter(|s| s.account_id == caller.account_id && s.ended_at.is_none())
                .ok_or_else(|| HttpError::not_found("session"))?;
            sessions::end(
                w,
                &session,
                Ending::signed_out_by(&session, &caller.session_id),
            )?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/sessions/revoke-others`: `sessions_revoked` first, naming the caller, then each
/// session's `session_revoked` pointing back at it, so that every session being ended (and
/// its stream) learns who did it before it closes.
pub async fn revoke_others(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> HttpResult<Json<RevokeOthersResponse>> {
    let revoked = state
        .db
        .write(move |w| {
            let others = sessions::others(w, &caller.account_id, &caller.session_id)?;
            if others.is_empty() {
                return Ok(0);
            }
            let mut event = Event::new(0, EventKind::SessionsRevoked, w.now);
            event.session = sessions::load(&w.tx, &caller.session_id)?.map(|s| s.view(w.geo, None));
            event.revoked_sessions = Some(others.len() as u32);
            let cause = w.emit(&caller.account_id, event)?;
            sessions::end_all(
                w,
                &others,
                RevocationReason::RevokedBySession,
                &caller.session_id,
                cause,
            )
        })
        .await?;
    Ok(Json(RevokeOthersResponse { revoked }))
}
