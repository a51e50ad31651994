//! The app's logs: on stderr as before, and in a daily-rotating file in the platform's log
//! folder (`DataDirs::log_dir`, shown in About), the last week kept, for a user to send with a
//! bug report. Nothing Keepwatch logs holds a secret: tokens, passwords and codes never reach
//! `tracing` (their types print no secret, and the core logs none).

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// Log files kept: a week of days.
const KEEP_FILES: usize = 7;

/// Starts logging. The guard flushes the file when dropped; without a log folder (no home, a
/// read-only disk) logging goes to stderr alone, which is no reason not to start.
pub fn init() -> Option<WorkerGuard> {
    let filter = || EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let file = keepwatch_core::DataDirs::resolve(None)
        .ok()
        .and_then(|dirs| match appender(&dirs.log_dir) {
            Ok(appender) => Some(appender),
            Err(e) => {
                eprintln!("keepwatch: no log file in {}: {e}", dirs.log_dir.display());
                None
            }
        });
    let Some(appender) = file else {
        tracing_subscriber::registry().with(stderr).init();
        return None;
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let to_file = fmt::layer()
        .with_writer(writer)
        .with_ansi(false)
        .with_filter(filter());
    tracing_subscriber::registry()
        .with(stderr)
        .with(to_file)
        .init();
    Some(guard)
}

fn appender(dir: &std::path::Path) -> Result<RollingFileAppender, Box<dyn std::error::Error>> {
    // Private like the rest of Keepwatch's files: logs name accounts and addresses.
    keepwatch_core::files::create_private_dir(dir)?;
    Ok(RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("keepwatch")
        .filename_suffix("log")
        .max_log_files(KEEP_FILES)
        .build(dir)?)
}
