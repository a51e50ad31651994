//! A Server-Sent Events parser, fed bytes as they arrive.
//!
//! It follows the WHATWG "event stream interpretation" rules that matter for a client that
//! resumes: lines end in CRLF, LF or CR; `:` starts a comment; `data:` lines of one event are
//! joined with `\n`; `id:` sets the last event id (and a NUL in it is ignored); `retry:` sets the
//! reconnection delay; a blank line dispatches; a half-received event at the end of a stream is
//! dropped rather than guessed at.

/// Longest line the parser holds before giving up on a stream; the API's events are small.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseMessage {
    /// The `event:` field, `"message"` when absent.
    pub event: String,
    /// The joined `data:` lines.
    pub data: String,
    /// The last event id in force when this event was dispatched.
    pub id: Option<String>,
}

/// What a chunk of bytes produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SseItem {
    /// A complete event.
    Message(SseMessage),
    /// The server asked for this reconnection delay, in milliseconds.
    Retry(u64),
}

/// Parser state across chunks.
#[derive(Debug, Default)]
pub struct SseParser {
    line: Vec<u8>,
    /// A CR ended the previous chunk: a LF starting the next one belongs to it.
    after_cr: bool,
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    last_id: Option<String>,
}

/// The stream sent a line longer than [`MAX_LINE_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("event stream line longer than {MAX_LINE_BYTES} bytes")]
pub struct LineTooLong;

impl SseParser {
    /// A parser with no last event id.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last event id seen, dispatched or not.
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Bytes held for the event being received (its data so far and the partial line).
    pub fn pending_bytes(&self) -> usize {
        self.line.len() + self.data.len()
    }

    /// Feeds the next chunk; returns what it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Vec<SseItem>, LineTooLong> {
        let mut out = Vec::new();
        for &byte in chunk {
            if self.after_cr {
                self.after_cr = false;
                if byte == b'\n' {
                    continue;
                }
            }
            match byte {
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(&mut out);
                }
                b'\n' => self.end_line(&mut out),
                _ => {
                    if self.line.len() >= MAX_LINE_BYTES {
                        return Err(LineTooLong);
                    }
                    self.line.push(byte);
                }
            }
        }
        Ok(out)
    }

    fn end_line(&mut self, out: &mut Vec<SseItem>) {
        let raw = std::mem::take(&mut self.line);
        let mut text = String::from_utf8_lossy(&raw).into_owned();
        if !self.started {
            self.started = true;
            if let Some(rest) = text.strip_prefix('\u{feff}') {
                text = rest.to_owned();
            }
        }
        if text.is_empty() {
            self.dispatch(out);
            return;
        }
        if text.starts_with(':') {
            return;
        }
        let (field, value) = match text.find(':') {
            Some(i) => {
                let value = &text[i + 1..];
                (&text[..i], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (text.as_str(), ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = value.to_owned(),
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse() {
                    out.push(SseItem::Retry(ms));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut Vec<SseItem>) {
        let event = std::mem::take(&mut self.event);
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let data = std::mem::take(&mut self.data);
        out.push(SseItem::Message(SseMessage {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            data,
            id: self.last_id.clone(),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(items: Vec<SseItem>) -> Vec<SseMessage> {
        items
            .into_iter()
            .filter_map(|i| match i {
                SseItem::Message(m) => Some(m),
                SseItem::Retry(_) => None,
            })
            .collect()
    }

    #[test]
    fn joins_multi_line_data_and_tracks_id_and_event() {
        let mut p = SseParser::new();
        let out = messages(
            p.feed(b"id: 7\nevent: session_created\ndata: {\"a\":\ndata: 1}\n\n")
                .unwrap(),
        );
        assert_eq!(
            out,
            vec![SseMessage {
                event: "session_created".into(),
                data: "{\"a\":\n1}".into(),
                id: Some("7".into())
            }]
        );
    }

    #[test]
    fn ignores_comments_and_handles_every_line_ending_split_anywhere() {
        let input =
            b"\xEF\xBB\xBF: keep-alive\r\nid:1\r\ndata:x\r\n\r\n:ping\rdata: y\r\rdata:z\n\n";
        for split in 0..input.len() {
            let mut p = SseParser::new();
            let mut out = messages(p.feed(&input[..split]).unwrap());
            out.extend(messages(p.feed(&input[split..]).unwrap()));
            let data: Vec<_> = out.iter().map(|m| m.data.as_str()).collect();
            assert_eq!(data, ["x", "y", "z"], "split at {split}");
            assert!(out.iter().all(|m| m.id.as_deref() == Some("1")));
        }
    }

    #[test]
    fn a_half_received_event_is_not_dispatched() {
        let mut p = SseParser::new();
        assert!(p.feed(b"id: 3\ndata: {\"trunc").unwrap().is_empty());
        assert_eq!(p.last_event_id(), Some("3"));
    }

    #[test]
    fn retry_is_reported_only_when_numeric() {
        let mut p = SseParser::new();
        assert_eq!(
            p.feed(b"retry: 2500\nretry: soon\n\n").unwrap(),
            vec![SseItem::Retry(2500)]
        );
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_event_name_resets() {
        let mut p = SseParser::new();
        let out = messages(p.feed(b"event: x\n\ndata: d\n\n").unwrap());
        assert_eq!(out[0].event, "message");
    }

    #[test]
    fn an_endless_line_is_refused() {
        let mut p = SseParser::new();
        let big = vec![b'a'; MAX_LINE_BYTES + 1];
        assert_eq!(p.feed(&big), Err(LineTooLong));
    }
}
