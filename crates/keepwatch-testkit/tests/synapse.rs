//! The test Synapse itself: it starts, takes users and browser sign-ins that carry their
//! forwarded address, and is gone, scratch folder and all, once dropped.

use std::time::{Duration, Instant};

use keepwatch_testkit::{foreign_address, synapse_venv, Synapse, FIREFOX_LINUX};

#[tokio::test]
async fn starts_takes_users_and_stops_when_dropped() {
    let Some(venv) = synapse_venv() else {
        return;
    };
    let began = Instant::now();
    let synapse = Synapse::start(&venv).await.unwrap();
    eprintln!("Synapse answered after {:?}", began.elapsed());
    let base = synapse.base_url().to_owned();
    let scratch = synapse.config_path().parent().unwrap().to_owned();
    assert!(scratch.join("homeserver.yaml").is_file());

    let user = synapse.new_user("kit").await;
    assert_eq!(user.user_id, format!("@{}:localhost", user.localpart));
    let device = synapse
        .browser_login(&user, foreign_address(), FIREFOX_LINUX)
        .await;
    let http = reqwest::Client::new();
    let devices: serde_json::Value = http
        .get(format!("{base}/_matrix/client/v3/devices"))
        // From the same place: a request from here would move the device here.
        .header("x-forwarded-for", "5.255.255.70")
        .bearer_auth(&device.access_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = devices["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["device_id"] == device.device_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(listed["last_seen_ip"], "5.255.255.70", "{devices}");
    assert!(synapse.log().contains("synapse"), "the log is kept");

    drop(synapse);
    let gone = http
        .get(format!("{base}/_matrix/client/versions"))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(gone.is_err(), "still answering after drop: {gone:?}");
    assert!(!scratch.exists(), "{} left behind", scratch.display());
}
