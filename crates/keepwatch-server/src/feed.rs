//! The event feed: stored events after a cursor, and the live stream.
//!
//! A live stream never loses or repeats an event: it subscribes to the broadcast first, then
//! replays stored events after the client's cursor, then forwards live events whose id is
//! above the last one sent. Anything broadcast between subscribing and replaying is in both,
//! and the id check drops the second copy; a subscriber that falls behind the broadcast
//! buffer re-reads the database the same way.
//!
//! Replay reads `event_replay_page` events per query and sends them before it reads the
//! next page, so that `Last-Event-ID: 0` on a long history holds one page in memory, never
//! the history, and the stream's channel (and the client's reading pace) sets the speed.
//! Each stream holds a [`StreamSlot`] for as long as its feeding task runs, and ends after
//! `event_stream_max_age` at the latest (the client resumes with `Last-Event-ID`).

use std::convert::Infallible;
use std::sync::Arc;

use axum::response::sse;
use keepwatch_api::{Event, EventKind};
use rusqlite::Connection;
use tokio::sync::{broadcast, mpsc};

use crate::error::HttpResult;
use crate::sessions;
use crate::state::AppState;
use crate::store::{parse_json, Published};
use crate::stream_limits::StreamSlot;
use crate::tokens::Caller;

/// Stored events of the account with ids above `after`, oldest first, at most `limit`.
pub fn after(
    conn: &Connection,
    account_id: &str,
    after: u64,
    limit: u32,
) -> HttpResult<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT body FROM events WHERE account_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
    )?;
    let after = i64::try_from(after).unwrap_or(i64::MAX);
    let rows = stmt
        .query_map(rusqlite::params![account_id, after, limit], |r| {
            parse_json::<Event>(&r.get::<_, String>(0)?)
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The account's newest event id, 0 when none.
pub fn last_id(conn: &Connection, account_id: &str) -> HttpResult<u64> {
    let id: i64 = conn.query_row(
        "SELECT COALESCE(MAX(id), 0) FROM events WHERE account_id = ?1",
        [account_id],
        |r| r.get(0),
    )?;
    Ok(id as u64)
}

type Frame = Result<sse::Event, Infallible>;

/// Starts feeding the caller's events into a channel, from after `cursor` (or from now when
/// `None`), until the session ends, the client goes away or the server shuts down.
pub async fn open(
    state: AppState,
    caller: Caller,
    cursor: Option<u64>,
    slot: StreamSlot,
) -> HttpResult<mpsc::Receiver<Frame>> {
    let (tx, rx) = mpsc::channel(64);
    // Subscribe before anything is read, so that nothing falls between replay and live.
    let live = state.db.events.subscribe();
    // "Now" is fixed before the answer goes out: whatever happens once the client holds the
    // stream is the client's to see, even if the feeding task starts late.
    let last = match cursor {
        Some(c) => c,
        None => {
            let account = caller.account_id.clone();
            state.db.read(move |c, _, _| last_id(c, &account)).await?
        }
    };
    tokio::spawn(async move {
        // The slot is given back when the stream ends, however it ends.
        let _slot = slot;
        if let Err(e) = run(state, caller, last, live, tx).await {
            tracing::warn!(error = %e.body.message, "event stream ended with an error");
        }
    });
    Ok(rx)
}

/// Whether `event` ends the stream of `session_id`.
fn ends(event: &Event, session_id: &str) -> bool {
    matches!(
        event.kind,
        EventKind::SessionRevoked | EventKind::SessionExpired
    ) && event.session.as_ref().is_some_and(|s| s.id == session_id)
}

fn frame(event: &Event) -> Frame {
    let data = serde_json::to_string(event).unwrap_or_else(|_| "{}".to_owned());
    Ok(sse::Event::default()
        .id(event.id.to_string())
        .event(event.kind.as_str())
        .data(data))
}

enum Step {
    Continue,
    Stop,
}

/// Sends stored events after `*last`, advancing it. Stops when one of them ends the session.
async fn replay(
    state: &AppState,
    caller: &Caller,
    last: &mut u64,
    tx: &mpsc::Sender<Frame>,
) -> HttpResult<Step> {
    let page = state.limits.event_replay_page.max(1);
    loop {
        let (account, from) = (caller.account_id.clone(), *last);
        let batch = state
            .db
            .read(move |c, _, _| after(c, &account, from, page))
            .await?;
        let full = batch.len() == page as usize;
        for event in batch {
            *last = event.id;
            if tx.send(frame(&event)).await.is_err() {
                return Ok(Step::Stop);
            }
            if ends(&event, &caller.session_id) {
                return Ok(Step::Stop);
            }
        }
        if !full {
            return Ok(Step::Continue);
        }
    }
}

async fn run(
    state: AppState,
    caller: Caller,
    mut last: u64,
    mut live: broadcast::Receiver<Arc<Published>>,
    tx: mpsc::Sender<Frame>,
) -> HttpResult<()> {
    let mut shutdown = state.shutdown.clone();
    if *shutdown.borrow_and_update() {
        return Ok(());
    }
    if let Step::Stop = replay(&state, &caller, &mut last, &tx).await? {
        return Ok(());
    }
    let ends_at = tokio::time::Instant::now() + state.limits.event_stream_max_age;
    let mut poll = tokio::time::interval(state.limits.event_poll_interval);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    poll.tick().await;
    loop {
        tokio::select! {
            received = live.recv() => match received {
                Ok(published) => {
                    if published.account_id != caller.account_id || published.event.id <= last {
                        continue;
                    }
                    if published.event.id > last + 1 {
                        // A gap means an event came from elsewhere (another process); the
                        // database has it.
                        if let Step::Stop = replay(&state, &caller, &mut last, &tx).await? {
                            return Ok(());
                        }
                        continue;
                    }
                    last = published.event.id;
                    if tx.send(frame(&published.event)).await.is_err() || ends(&published.event, &caller.session_id) {
                        return Ok(());
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    if let Step::Stop = replay(&state, &caller, &mut last, &tx).await? {
                        return Ok(());
                    }
                }
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
            _ = poll.tick() => {
                if let Step::Stop = replay(&state, &caller, &mut last, &tx).await? {
                    return Ok(());
                }
                let session_id = caller.session_id.clone();
                let running = state.db.read(move |c, _, now| {
                    Ok(sessions::load(c, &session_id)?
                        .is_some_and(|s| s.ended_at.is_none() && s.expires_at() > now))
                }).await?;
                if !running {
                    return Ok(());
                }
            }
            _ = tx.closed() => return Ok(()),
            _ = shutdown.changed() => return Ok(()),
            // The client reconnects with the last id it saw and misses nothing.
            _ = tokio::time::sleep_until(ends_at) => return Ok(()),
        }
    }
}
