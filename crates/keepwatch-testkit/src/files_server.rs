//! A loopback HTTP server that answers fixed paths with fixed bodies: stand-ins for servers
//! whose whole behaviour under test is "this path gives these bytes" (a `.well-known` file, a
//! homeserver that is not one, DB-IP's download folder).

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What one path answers.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The path, e.g. `/.well-known/matrix/client` (the query is ignored).
    pub path: String,
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// `path` answers `status` with `body`.
    pub fn new(path: impl Into<String>, status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            status,
            body: body.into(),
        }
    }
}

/// Serves `answers` on 127.0.0.1 (one request per connection, `content_type` on every
/// answer), and a 404 with `not_found` for any other path. Returns the base URL; the server
/// runs until the runtime ends.
pub async fn serve_files(answers: Vec<Answer>, content_type: &str, not_found: &[u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let content_type = content_type.to_owned();
    let not_found = not_found.to_vec();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let answers = answers.clone();
            let content_type = content_type.clone();
            let not_found = not_found.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&request);
                let path = text
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .split('?')
                    .next()
                    .unwrap_or("/")
                    .to_owned();
                let (status, body) = answers
                    .iter()
                    .find(|a| a.path == path)
                    .map(|a| (a.status, a.body.clone()))
                    .unwrap_or((404, not_found));
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
            });
        }
    });
    base
}
