//! The few W3C WebDriver commands these tests use, over plain HTTP to tauri-driver.
//!
//! A full client library would add little: the protocol is JSON over HTTP, and owning the
//! calls keeps every request the tests make visible here.

use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The key W3C WebDriver uses for element references in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver session: one launched app.
pub struct Session {
    http: reqwest::Client,
    base: String,
}

/// A reference to an element in the app's page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Session {
    /// Creates a session with `capabilities` on the driver at `driver_url`.
    pub async fn create(driver_url: &str, capabilities: Value) -> Session {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client for WebDriver");
        // tauri-driver can say it is ready a moment before WebKitWebDriver behind it is, and
        // then drops the request without an answer (no app was started for it): ask again,
        // a few times. An answer, even an error, is final.
        let url = format!("{driver_url}/session");
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let mut attempts = 0;
        let answer = loop {
            attempts += 1;
            match try_call(&http, reqwest::Method::POST, &url, Some(body.clone())).await {
                Ok(answer) => break answer,
                Err(CallError::NoAnswer(e)) if attempts < 3 => {
                    eprintln!("e2e: no answer to a new WebDriver session ({e}); asking again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("WebDriver POST {url} failed: {e}"),
            }
        };
        let id = answer["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        Session {
            http,
            base: format!("{driver_url}/session/{id}"),
        }
    }

    async fn get(&self, path: &str) -> Value {
        call(
            &self.http,
            reqwest::Method::GET,
            &format!("{}{path}", self.base),
            None,
        )
        .await
    }

    /// The document's title.
    pub async fn title(&self) -> String {
        self.get("/title")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching `css`, if any.
    pub async fn find(&self, css: &str) -> Option<Element> {
        let body = json!({ "using": "css selector", "value": css });
        let answer = try_call(
            &self.http,
            reqwest::Method::POST,
            &format!("{}/element", self.base),
            Some(body),
        )
        .await
        .ok()?;
        answer[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_owned()))
    }

    /// Waits up to `timeout` for an element matching `css`.
    pub async fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            if Instant::now() >= deadline {
                let page = self.get("/source").await;
                let page: String = page
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(3000)
                    .collect();
                panic!("nothing matched `{css}` within {timeout:?}; the page: {page}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The rendered text of `element`.
    pub async fn text(&self, element: &Element) -> String {
        self.get(&format!("/element/{}/text", element.0))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        call(
            &self.http,
            reqwest::Method::POST,
            &format!("{}{path}", self.base),
            Some(body),
        )
        .await
    }

    /// Every element matching `css`.
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        let body = json!({ "using": "css selector", "value": css });
        let answer = self.post("/elements", body).await;
        answer
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|item| item[ELEMENT_KEY].as_str())
                    .map(|id| Element(id.to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks `element`.
    pub async fn click(&self, element: &Element) {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .await;
    }

    /// Waits for `css` and clicks it.
    pub async fn click_on(&self, css: &str, timeout: Duration) {
        let element = self.wait_for(css, timeout).await;
        self.click(&element).await;
    }

    /// Empties an input.
    pub async fn clear(&self, element: &Element) {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .await;
    }

    /// Types `text` into `element`.
    pub async fn send_keys(&self, element: &Element, text: &str) {
        self.post(
            &format!("/element/{}/value", element.0),
            json!({ "text": text }),
        )
        .await;
    }

    /// Runs `script` (a function body) in the page with `args`; returns its value.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    /// Waits until `check` holds for the text of every element matching `css` (polled).
    pub async fn wait_for_texts(
        &self,
        css: &str,
        timeout: Duration,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let mut texts = Vec::new();
            for element in self.find_all(css).await {
                texts.push(self.text(&element).await);
            }
            if check(&texts) {
                return texts;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: `{css}` never matched within {timeout:?}; last seen {texts:?}"
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// A PNG of the window.
    pub async fn screenshot(&self) -> Vec<u8> {
        let encoded = self.get("/screenshot").await;
        base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("a base64 screenshot"))
            .expect("the screenshot is base64")
    }

    /// Ends the session, which closes the app.
    pub async fn close(self) {
        call(&self.http, reqwest::Method::DELETE, &self.base, None).await;
    }
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Value {
    match try_call(http, method.clone(), url, body).await {
        Ok(value) => value,
        Err(error) => panic!("WebDriver {method} {url} failed: {error}"),
    }
}

/// Why a WebDriver call failed.
#[derive(Debug)]
enum CallError {
    /// The request got no answer at all.
    NoAnswer(String),
    /// An answer that is not a success, or not JSON.
    Refused(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::NoAnswer(e) | CallError::Refused(e) => f.write_str(e),
        }
    }
}

async fn try_call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, CallError> {
    let mut request = http.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request
        .send()
        .await
        .map_err(|e| CallError::NoAnswer(e.to_string()))?;
    let status = response.status();
    let answer: Value = response
        .json()
        .await
        .map_err(|e| CallError::Refused(e.to_string()))?;
    if status.is_success() {
        Ok(answer["value"].clone())
    } else {
        Err(CallError::Refused(format!("{status}: {}", answer["value"])))
    }
}
