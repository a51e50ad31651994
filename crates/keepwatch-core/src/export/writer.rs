//! Writing an export on a thread of its own. Rows are serialised on the calling thread into
//! chunks, and a second thread hands each chunk to the file while the next is being filled: at
//! a million rows the kernel's copy into the file was a fifth of a JSON export's time, which a
//! second core now takes. Chunk buffers go back and forth, so memory stays at a few chunks.

use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};

use crate::error::{Error, Result};

/// Bytes in a chunk.
pub(super) const CHUNK: usize = 1 << 20;
/// Chunks that may wait for the writer thread before serialising waits in turn.
const IN_FLIGHT: usize = 2;
/// The most bytes serialised but not yet written: the chunk being filled, those waiting, and
/// the one being written (a chunk may pass `CHUNK` by the last write into it).
#[cfg(test)]
pub(super) const MAX_HELD: usize = (IN_FLIGHT + 2) * (CHUNK + 64 * 1024);

/// Runs `body` with a writer whose bytes reach `out` through a writer thread, flushed at the
/// end. An error of `out` ends the writes that follow, and is what this returns.
pub fn with_writer_thread<T>(
    out: impl Write + Send,
    body: impl FnOnce(&mut ChunkWriter) -> Result<T>,
) -> Result<T> {
    let failed = |e: io::Error| Error::io("writing the export", e);
    std::thread::scope(|scope| {
        let (chunks, to_write) = sync_channel::<Vec<u8>>(IN_FLIGHT);
        let (recycle, recycled) = channel::<Vec<u8>>();
        let thread = std::thread::Builder::new()
            .name("keepwatch-export".into())
            .spawn_scoped(scope, move || write_all(out, to_write, recycle))
            .map_err(failed)?;
        let mut writer = ChunkWriter {
            buf: Vec::with_capacity(CHUNK),
            chunks: Some(chunks),
            recycled,
        };
        let outcome = body(&mut writer);
        let ended = writer.end();
        // The writer thread's own error explains a failed write above better than
        // "the writer stopped" does.
        let written = thread
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the export's writer thread panicked")));
        written.map_err(failed)?;
        let value = outcome?;
        ended.map_err(failed)?;
        Ok(value)
    })
}

fn write_all(
    mut out: impl Write,
    chunks: Receiver<Vec<u8>>,
    recycle: Sender<Vec<u8>>,
) -> io::Result<()> {
    for mut chunk in chunks {
        out.write_all(&chunk)?;
        chunk.clear();
        let _ = recycle.send(chunk);
    }
    out.flush()
}

/// The serialising side: a buffer that is sent to the writer thread whenever it is full.
pub struct ChunkWriter {
    buf: Vec<u8>,
    chunks: Option<SyncSender<Vec<u8>>>,
    recycled: Receiver<Vec<u8>>,
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .recycled
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(CHUNK));
        let full = std::mem::replace(&mut self.buf, next);
        match &self.chunks {
            Some(chunks) => chunks.send(full).map_err(|_| stopped()),
            None => Err(stopped()),
        }
    }

    /// Sends what is left and lets the writer thread finish.
    fn end(&mut self) -> io::Result<()> {
        let sent = self.send();
        self.chunks = None;
        sent
    }
}

fn stopped() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the export's writer stopped")
}

impl Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // The file is flushed once, at the end; a flush midway would only cost a chunk.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_arrives_in_order() {
        let mut out = Vec::new();
        with_writer_thread(&mut out, |w| {
            for i in 0..300_000u32 {
                writeln!(w, "{i}").map_err(|e| Error::io("test", e))?;
            }
            Ok(())
        })
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 300_000);
        assert!(text.lines().enumerate().all(|(i, l)| l == i.to_string()));
    }

    struct Full;
    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_files_own_error_is_the_one_reported() {
        let err = with_writer_thread(Full, |w| {
            for _ in 0..10_000 {
                w.write_all(&[b'x'; 1000])
                    .map_err(|e| Error::io("serialising", e))?;
            }
            Ok(())
        })
        .unwrap_err();
        match err {
            Error::Io { context, source } => {
                assert_eq!(context, "writing the export");
                assert_eq!(source.kind(), io::ErrorKind::StorageFull, "{source}");
            }
            other => panic!("{other}"),
        }
    }
}
