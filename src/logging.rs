//! Logging to a file in the state directory (never to the terminal):
//! `$CREDWIZ_LOG_DIR` or the platform state dir (`~/.local/state/credwiz`).
//! The AWS runtime, signer and HTTP crates are held at INFO or above: at
//! TRACE they log whole requests and responses, secrets included.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

/// When `main` started, for the first-frame measurement.
pub static STARTED: OnceLock<Instant> = OnceLock::new();
use tracing_subscriber::EnvFilter;

/// The directory the log goes to.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CREDWIZ_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "credwiz")?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.cache_dir()).to_path_buf())
}

/// Starts file logging; returns the guard that flushes it on drop. Logging is
/// best effort: if the directory cannot be made, credwiz runs without a log.
pub fn init() -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "credwiz.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let level = std::env::var("CREDWIZ_LOG").unwrap_or_else(|_| "info".into());
    let filter = EnvFilter::try_new(format!(
        "warn,credwiz={level},aws_smithy_runtime=info,aws_sigv4=info,hyper=info,aws_config=info"
    ))
    .unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}
