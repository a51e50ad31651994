//! The demo scenario, on fixture addresses: familiar sessions, then a live intruder.

use std::time::Duration;

use keepwatch_api::{paths, EventKind, Withdrawal};
use keepwatch_geo::fixture::{BERLIN_V4, HAMBURG_V6, MUNICH_V4, SAO_PAULO_V4};
use keepwatch_server::demo::{self, DemoAddresses, DemoOptions, DEMO_EMAIL, DEMO_PASSWORD};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn demo_seeds_familiar_sessions_then_an_intruder_appears_live() {
    let t = TestServer::start().await;
    let options = DemoOptions {
        with_totp: false,
        addresses: DemoAddresses {
            desktop: ip(BERLIN_V4),
            phone: ip(MUNICH_V4),
            laptop: ip(HAMBURG_V6),
            intruder: ip(SAO_PAULO_V4),
        },
    };
    let account = demo::seed(&t.server, &options).await.unwrap();
    assert_eq!(
        (account.email.as_str(), account.password.as_str()),
        (DEMO_EMAIL, DEMO_PASSWORD)
    );

    let me: keepwatch_api::TokenPair = t
        .login_raw(&json!({"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "client": "desktop", "remember_me": true}), None, None)
        .await
        .json()
        .await
        .unwrap();
    let list = t.sessions(&me.access_token).await;
    assert_eq!(list.sessions.len(), 4);
    let countries: Vec<Option<&str>> = list
        .sessions
        .iter()
        .map(|s| s.location.country_code.as_deref())
        .collect();
    assert_eq!(
        countries.iter().filter(|c| **c == Some("DE")).count(),
        3,
        "{countries:?}"
    );
    assert!(list
        .sessions
        .iter()
        .all(|s| s.last_active_at <= t.now() && s.created_at <= s.last_active_at));
    let withdrawals: Vec<Withdrawal> = t
        .get(paths::WITHDRAWALS, &me.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawals.len(), 2);
    assert!(withdrawals.iter().all(|w| w.address_in_book));

    let mut sse = SseReader::new(
        t.get(paths::EVENTS_STREAM, &me.access_token)
            .send()
            .await
            .unwrap(),
    );
    let intruder = demo::intrude(&t.server, &account, &options).await.unwrap();
    let msg = sse.next(Duration::from_secs(5)).await.unwrap();
    let event: keepwatch_api::Event = serde_json::from_str(&msg.data).unwrap();
    assert_eq!(event.kind, EventKind::SessionCreated);
    let session = event.session.unwrap();
    assert_eq!(session.id, intruder.session_id);
    assert_eq!(session.location.country_code.as_deref(), Some("BR"));
    assert_eq!(session.device.os.as_deref(), Some("Windows"));

    demo::intruder_withdrawal(&t.server, &options)
        .await
        .unwrap();
    let msg = sse.next(Duration::from_secs(5)).await.unwrap();
    let event: keepwatch_api::Event = serde_json::from_str(&msg.data).unwrap();
    assert_eq!(event.kind, EventKind::WithdrawalCreated);
    assert!(!event.withdrawal.unwrap().address_in_book);
    assert_eq!(event.session.unwrap().id, intruder.session_id);
}
