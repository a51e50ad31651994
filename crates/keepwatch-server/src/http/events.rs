//! `GET /v1/events` and `GET /v1/events/stream`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::IntoResponse;
use axum::Json;
use keepwatch_api::{EventList, EventsQuery};
use tokio_stream::wrappers::ReceiverStream;

use super::extract::{list_limit, ApiQuery, Auth};
use crate::error::{HttpError, HttpResult};
use crate::feed;
use crate::state::AppState;

/// `GET /v1/events`.
pub async fn list(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> HttpResult<Json<EventList>> {
    let limit = list_limit(query.limit)?;
    let cursor = event_cursor(query.after)?;
    let mut events = state
        .db
        .read(move |c, _, _| feed::after(c, &caller.account_id, cursor, limit + 1))
        .await?;
    let has_more = events.len() > limit as usize;
    events.truncate(limit as usize);
    let cursor = events.last().map_or(cursor, |e| e.id);
    Ok(Json(EventList {
        events,
        cursor,
        has_more,
    }))
}

/// The largest event id: ids are SQLite integers, so a cursor above `i64::MAX` names nothing
/// that can exist and is refused rather than quietly read as something else.
const MAX_EVENT_ID: u64 = i64::MAX as u64;

/// Checks an `after` cursor: 0 when absent, at most [`MAX_EVENT_ID`].
fn event_cursor(after: Option<u64>) -> HttpResult<u64> {
    match after {
        None => Ok(0),
        Some(n) if n <= MAX_EVENT_ID => Ok(n),
        Some(_) => Err(HttpError::invalid_request(format!(
            "`after` must be 0–{MAX_EVENT_ID}"
        ))),
    }
}

/// `GET /v1/events/stream`.
pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Auth(caller): Auth,
) -> HttpResult<impl IntoResponse> {
    let cursor = match headers.get("last-event-id") {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .map(str::trim)
                .and_then(|v| v.parse::<u64>().ok())
                .filter(|&id| id <= MAX_EVENT_ID)
                .ok_or_else(|| {
                    HttpError::invalid_request(
                        "`Last-Event-ID` must be an event id (a whole number)",
                    )
                })?,
        ),
    };
    let keep_alive = KeepAlive::new().interval(state.limits.sse_keep_alive);
    let slot = state.streams.acquire(&caller.session_id, caller.ip)?;
    let frames = feed::open(state, caller, cursor, slot).await?;
    Ok(Sse::new(ReceiverStream::new(frames)).keep_alive(keep_alive))
}
