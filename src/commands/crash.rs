//! The panic hook `main` installs before anything else: a panic in any
//! thread or task ends credwiz at once with one short line on stderr (where
//! it happened and where the log is; never the payload, which may quote a
//! value), the payload logged scrubbed, temp files beside the profile files
//! removed, and exit status [`EXIT_PANIC`], never Rust's 101. The wizard's
//! terminal hook (installed later, by ratatui) restores the terminal first
//! and then calls this one. IO: stderr, the log, removing temp files.

use crate::redact;

/// The exit status after a panic: the `check` status for "could not run".
pub const EXIT_PANIC: i32 = 2;

/// The panic payload as text, when it is text.
fn payload_text(payload: &(dyn std::any::Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(no message)"
    }
}

/// Where the panic happened, as `src/file.rs:12` (credwiz's own source paths only).
fn place(info: &std::panic::PanicHookInfo<'_>) -> String {
    info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_else(|| "an unknown place".into())
}

/// The one line shown to the person: no payload, the log path with `~`.
pub fn message(place: &str, log: Option<&std::path::Path>, home: Option<&std::path::Path>) -> String {
    let log = match (log, home) {
        (Some(log), Some(home)) => match log.strip_prefix(home) {
            Ok(rest) => format!("details are in ~/{}", rest.display()),
            Err(_) => format!("details are in {}", log.display()),
        },
        (Some(log), None) => format!("details are in {}", log.display()),
        (None, _) => "no log was written".to_string(),
    };
    format!("internal error (a bug in credwiz) at {place}; credwiz stopped; {log}")
}

/// Installs the hook (replacing Rust's default one, which prints the payload raw).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let place = place(info);
        let payload = redact::scrub(payload_text(info.payload())).into_owned();
        tracing::error!(target: "credwiz::panic", at = %place, "panic: {payload}");
        crate::logging::finish();
        crate::base::signals::remove_temp_files_now();
        crate::base::reaper::end_children();
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        super::print_err(&message(&place, crate::logging::log_file(), home.as_deref()));
        std::process::exit(EXIT_PANIC);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_line_names_the_place_and_the_log_only() {
        let line = message(
            "src/x.rs:3",
            Some(Path::new("/home/a/.local/state/credwiz/credwiz.log")),
            Some(Path::new("/home/a")),
        );
        assert_eq!(
            line,
            "internal error (a bug in credwiz) at src/x.rs:3; credwiz stopped; details are in ~/.local/state/credwiz/credwiz.log"
        );
        assert!(message("p", None, None).ends_with("no log was written"));
        assert_eq!(payload_text(&"static"), "static");
        assert_eq!(payload_text(&String::from("owned")), "owned");
        assert_eq!(payload_text(&3_u8), "(no message)");
    }
}
