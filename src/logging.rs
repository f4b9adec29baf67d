//! Logging to a file in the state directory (never to the terminal):
//! `$CREDWIZ_LOG_DIR` or the platform state dir (`~/.local/state/credwiz`).
//! IO: creates the directory and the log file (0600, regular file only).
//!
//! - `CREDWIZ_LOG` sets credwiz's own level (`debug`) or full directives.
//! - The AWS runtime, signer, SDK and HTTP/TLS crates are held at INFO or
//!   above by a ceiling no variable can lift: at DEBUG/TRACE they log whole
//!   requests and responses, secrets included.
//! - Every line passes through [`crate::redact::scrub`] and the terminal
//!   sanitizer ([`crate::base::sanitize::block`]) before it is written.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Instant;
use tracing::{Level, Metadata};
use tracing_subscriber::filter::{FilterExt, LevelFilter, Targets, filter_fn};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt::MakeWriter};

/// When `main` started, for the first-frame measurement.
pub static STARTED: OnceLock<Instant> = OnceLock::new();

/// Crates whose DEBUG and TRACE output holds requests, responses or keys:
/// never logged below INFO, whatever `CREDWIZ_LOG` says.
pub const HELD_AT_INFO: &[&str] = &[
    "aws_smithy_",
    "aws_sigv4",
    "aws_config",
    "aws_sdk_",
    "aws_runtime",
    "aws_credential_types",
    "aws_types",
    "hyper",
    "hyper_util",
    "h2",
    "http",
    "rustls",
    "tokio_rustls",
    "hyper_rustls",
    "aws_lc_rs",
    "tower",
    "reqwest",
];

/// Whether an event or span may be logged: held crates only at INFO or above.
pub fn below_ceiling(metadata: &Metadata<'_>) -> bool {
    // aws-config's warnings quote raw response bodies: only its errors are logged.
    if metadata.target().starts_with("aws_config") {
        return *metadata.level() <= Level::ERROR;
    }
    *metadata.level() <= Level::INFO || !is_held(metadata.target())
}

fn is_held(target: &str) -> bool {
    HELD_AT_INFO.iter().any(|prefix| {
        target.starts_with(prefix)
            && (prefix.ends_with('_') || target.len() == prefix.len() || target[prefix.len()..].starts_with("::"))
    })
}

/// The directory the log goes to.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CREDWIZ_LOG_DIR") {
        return Some(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("", "", "credwiz")?;
    Some(dirs.state_dir().unwrap_or_else(|| dirs.cache_dir()).to_path_buf())
}

/// The user's filter: a bare level applies to credwiz only; anything else is
/// taken as `target=level` directives separated by commas (spaces and empty
/// parts ignored), a bare level among them the default (the ceiling still
/// applies on top). A part that is neither a level nor `target=level` with a
/// Rust path as target makes the whole setting fall back to the default.
/// `Targets`, not `EnvFilter`: the same directives without span and field
/// filters, and without a regex engine in the binary (issue 24: 0.45 MB).
fn user_filter(setting: Option<&str>) -> Targets {
    let fallback = || Targets::new().with_default(Level::WARN).with_target("credwiz", Level::INFO);
    let setting = setting.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("info");
    let parts: Vec<&str> = setting.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    if let [part] = parts.as_slice()
        && let Ok(level) = part.parse::<LevelFilter>()
    {
        return Targets::new().with_default(Level::WARN).with_target("credwiz", level);
    }
    let rust_path = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':');
    let read = parts.iter().try_fold(Targets::new(), |targets, part| match part.split_once('=') {
        Some((target, level)) => {
            let (target, level) = (target.trim(), level.trim().parse::<LevelFilter>().ok()?);
            rust_path(target).then(|| targets.with_target(target, level))
        }
        None => Some(targets.with_default(part.parse::<LevelFilter>().ok()?)),
    });
    read.filter(|_| !parts.is_empty()).unwrap_or_else(fallback)
}

/// Opens (or creates) the log file: owner-only, a regular file, never through a symlink.
fn open_log(dir: &std::path::Path) -> io::Result<File> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(dir.join("credwiz.log"))?;
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(io::Error::other("the log path is not a regular file"));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        file.set_permissions(Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

/// A writer that scrubs secrets and control sequences from each formatted event.
pub struct Scrubbing<W>(pub W);

impl<W: Write> Write for Scrubbing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The formatter hands over one whole event per call.
        let text = String::from_utf8_lossy(buf);
        let scrubbed = crate::redact::scrub(&text);
        let safe = crate::base::sanitize::block(&scrubbed);
        self.0.write_all(safe.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// Makes a [`Scrubbing`] writer around each writer of an inner `MakeWriter`.
pub struct ScrubbingMakeWriter<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for ScrubbingMakeWriter<M> {
    type Writer = Scrubbing<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Scrubbing(self.0.make_writer())
    }
}

/// How many log lines may wait for the writer thread.
const LOG_QUEUE: usize = 4096;

/// The log writer's flush guard and the log file, once logging started.
static GUARD: Mutex<Option<tracing_appender::non_blocking::WorkerGuard>> = Mutex::new(None);
static LOG_FILE: OnceLock<PathBuf> = OnceLock::new();

/// Starts file logging and returns the log file. Logging is best effort: if
/// the directory cannot be made, credwiz runs without a log. Registers the
/// environment's secrets with the redaction layer first (again: `main` does
/// it before anything else). Call [`finish`] before the process exits.
pub fn init() -> Option<PathBuf> {
    crate::redact::register_process_environment();
    let dir = log_dir()?;
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir).ok()?;
    let file = open_log(&dir).ok()?;
    // The writer's queue: tracing-appender's default holds 128,000 lines,
    // allocated and zeroed up front (4 MB, a millisecond of page faults at
    // every start); a run logs a few dozen. Lines past the limit are dropped.
    let (writer, guard) =
        tracing_appender::non_blocking::NonBlockingBuilder::default().buffered_lines_limit(LOG_QUEUE).finish(file);
    let setting = std::env::var("CREDWIZ_LOG").ok();
    let filter = user_filter(setting.as_deref()).and(filter_fn(below_ceiling));
    let layer =
        tracing_subscriber::fmt::layer().with_writer(ScrubbingMakeWriter(writer)).with_ansi(false).with_filter(filter);
    tracing_subscriber::registry().with(layer).try_init().ok()?;
    *GUARD.lock().unwrap_or_else(PoisonError::into_inner) = Some(guard);
    let path = dir.join("credwiz.log");
    let _ = LOG_FILE.set(path.clone());
    Some(path)
}

/// The log file, once logging started.
pub fn log_file() -> Option<&'static Path> {
    LOG_FILE.get().map(PathBuf::as_path)
}

/// Flushes the log and stops the writer: everything logged so far is on
/// disk afterwards (later events are dropped). Waits at most a moment when
/// another thread holds the guard (a panic while flushing).
pub fn finish() {
    for _ in 0..50 {
        match GUARD.try_lock() {
            Ok(mut guard) => {
                drop(guard.take());
                return;
            }
            Err(std::sync::TryLockError::Poisoned(poisoned)) => {
                drop(poisoned.into_inner().take());
                return;
            }
            Err(std::sync::TryLockError::WouldBlock) => {}
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

use std::os::unix::fs::DirBuilderExt as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_filter_takes_a_level_for_credwiz_or_directives() {
        let debug = user_filter(Some("debug"));
        assert!(debug.would_enable("credwiz::diagnose", &Level::DEBUG));
        assert!(!debug.would_enable("hyper", &Level::INFO), "other crates stay at warn");
        assert!(debug.would_enable("hyper", &Level::WARN));
        let directives = user_filter(Some("error,credwiz::scan=trace"));
        assert!(directives.would_enable("credwiz::scan::roster", &Level::TRACE));
        assert!(!directives.would_enable("credwiz::diagnose", &Level::WARN));
        let default = user_filter(None);
        assert!(default.would_enable("credwiz", &Level::INFO) && !default.would_enable("credwiz", &Level::DEBUG));
        let garbage = user_filter(Some("credwiz=loud,,=["));
        assert!(garbage.would_enable("credwiz", &Level::INFO), "an unreadable setting falls back to the default");
    }

    #[test]
    fn directives_read_as_typed_with_spaces_and_stray_commas() {
        assert!(user_filter(Some(" DEBUG ")).would_enable("credwiz", &Level::DEBUG), "a level in any case");
        // A space after a comma names the same target.
        let spaced = user_filter(Some("warn, credwiz=debug"));
        assert!(spaced.would_enable("credwiz::scan", &Level::DEBUG));
        // An empty part is nothing, not a default that replaces the one given.
        let trailing = user_filter(Some("warn,credwiz::scan=debug,"));
        assert!(trailing.would_enable("hyper", &Level::WARN), "{trailing:?}");
        // A directive without a target, or with a span filter, is not read:
        // the default stands (every crate at debug would be the ceiling's only guard).
        for unread in ["=debug", "credwiz[scan]=debug", "credwiz=debug=trace"] {
            let filter = user_filter(Some(unread));
            assert!(!filter.would_enable("hyper", &Level::DEBUG), "{unread}: {filter:?}");
            assert!(filter.would_enable("credwiz", &Level::INFO), "{unread}: {filter:?}");
            assert!(!filter.would_enable("credwiz", &Level::DEBUG), "{unread}: {filter:?}");
        }
    }

    #[test]
    fn held_crates_are_recognised_by_target() {
        for held in [
            "aws_smithy_runtime::client::orchestrator",
            "aws_sigv4",
            "hyper_util::client",
            "rustls::conn",
            "aws_sdk_sts::x",
            "h2",
        ] {
            assert!(is_held(held), "{held}");
        }
        for free in ["credwiz::diagnose", "httparse_like", "hyperion", "h2o"] {
            assert!(!is_held(free), "{free}");
        }
    }

    #[test]
    fn the_scrubbing_writer_masks_and_escapes() {
        crate::redact::register("logged-secret-value-123");
        let mut out = Scrubbing(Vec::new());
        out.write_all(b"token=logged-secret-value-123 \x1b]0;title\x07\n").expect("write");
        let text = String::from_utf8(out.0).expect("utf8");
        assert_eq!(text, "token=****************-123 \\e]0;title\\x07\n");
    }
}
