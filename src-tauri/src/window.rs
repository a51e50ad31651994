//! The main window: destroyed when closed (so that WebKit's processes end while Keepwatch
//! watches from the tray) and rebuilt from the configuration on "Open". It never leaves the
//! app's own pages: any other navigation is refused.

use tauri::{AppHandle, Manager, Url, WebviewWindowBuilder};

/// The main window's label in tauri.conf.json.
pub const MAIN: &str = "main";

/// Shows and focuses the main window, creating it again if it was closed.
pub fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        tracing::error!("no main window in the configuration");
        return;
    };
    let built = WebviewWindowBuilder::from_config(app, config).and_then(|b| {
        b.on_navigation(|url| {
            let allowed = is_app_page(url);
            if !allowed {
                // The URL may come from server-written text; the log line stays short.
                tracing::warn!(scheme = url.scheme(), "refused to leave the app's pages");
            }
            allowed
        })
        .build()
    });
    match built {
        Ok(window) => {
            let _ = window.set_focus();
        }
        Err(e) => tracing::error!(error = %e, "could not open the window"),
    }
}

/// Whether `url` is one of the app's own pages: the bundled front end as each platform's
/// webview serves it (`tauri://localhost`; `http(s)://tauri.localhost` on Windows), or Vite's
/// dev server in a debug build. A link, a redirect or a script can lead nowhere else.
pub fn is_app_page(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    match url.scheme() {
        "tauri" => host == "localhost",
        "http" | "https" if host == "tauri.localhost" => true,
        "http" if cfg!(debug_assertions) => host == "localhost" && url.port() == Some(5173),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str) -> bool {
        is_app_page(&Url::parse(url).unwrap())
    }

    #[test]
    fn only_the_apps_own_pages_may_be_shown() {
        assert!(page("tauri://localhost/"));
        assert!(page("tauri://localhost/index.html#/alerts"));
        assert!(page("http://tauri.localhost/"));
        assert!(page("https://tauri.localhost/assets/app.js"));
        for away in [
            "https://example.com/",
            "http://evil.localhost/",
            "tauri://localhost.evil.com/",
            "http://tauri.localhost.evil.com/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
            "http://localhost:8080/",
        ] {
            assert!(!page(away), "{away} must be refused");
        }
    }
}
