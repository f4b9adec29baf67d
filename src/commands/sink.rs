//! The process's two standard streams. Every byte the headless commands and
//! `main` write to stdout or stderr goes through one function here, so every
//! string that leaves credwiz is scrubbed of secrets ([`crate::redact::scrub`]:
//! registered values in any encoding, secret shapes) and then made safe for a
//! terminal ([`crate::base::sanitize`]), with or without colour. IO: writes stdout
//! and stderr; a closed pipe (`credwiz check | head -1`) is not an error.
//!
//! - [`print_out`]: plain text on stdout (`set`'s confirmation).
//! - [`print_report`]: the readable report; with colour, only credwiz's own
//!   colour sequences survive ([`crate::base::sanitize::block_keeping_colors`]).
//! - [`print_json`]: a serializable value as JSON: every string (keys
//!   included) scrubbed inside the value, so the output stays valid JSON, then
//!   what serde_json leaves raw (C1, DEL, bidi) escaped as `\uXXXX`.
//! - [`print_err`]: one `credwiz: ` message on stderr, cut to [`MAX_MESSAGE_CHARS`].
//! - [`emit`]: credwiz's own generated text (completions, man pages), as it is.
//!
//! The `*_text` functions are the same transformations without the IO.

use crate::base::sanitize;
use crate::redact;
use serde::Serialize;
use std::io::Write;

/// Longest message written to stderr.
pub const MAX_MESSAGE_CHARS: usize = 4000;

/// Plain text as it reaches stdout: scrubbed, then every control and invisible character shown.
pub fn out_text(text: &str) -> String {
    sanitize::block(&redact::scrub(text)).into_owned()
}

/// The readable report as it reaches stdout; `color`: it holds credwiz's own colour sequences.
pub fn report_text(text: &str, color: bool) -> String {
    let scrubbed = redact::scrub(text);
    if color { sanitize::block_keeping_colors(&scrubbed).into_owned() } else { sanitize::block(&scrubbed).into_owned() }
}

/// A value as pretty JSON: every string scrubbed, C1/DEL/bidi escaped, a final newline.
pub fn json_text<T: Serialize>(value: &T) -> Result<String, serde_json::Error> {
    let mut tree = serde_json::to_value(value)?;
    scrub_strings(&mut tree);
    let json = serde_json::to_string_pretty(&tree)?;
    Ok(format!("{}\n", sanitize::json(&json)))
}

/// A message as it reaches stderr: `credwiz: `, scrubbed, cut, made printable, one final newline.
pub fn err_text(message: &str) -> String {
    let scrubbed = redact::scrub(message.trim_end());
    let cut = sanitize::cap(&scrubbed, MAX_MESSAGE_CHARS);
    format!("credwiz: {}\n", sanitize::block(&cut))
}

/// Scrubs every string of a JSON value in place, object keys included.
fn scrub_strings(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            if let std::borrow::Cow::Owned(clean) = redact::scrub(text) {
                *text = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(scrub_strings),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut item) in entries {
                scrub_strings(&mut item);
                map.insert(redact::scrub(&key).into_owned(), item);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Writes to stdout; a closed pipe or a full disk is not worth a panic.
fn write_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Writes to stderr, ignoring failures.
fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// Plain text on stdout.
pub fn print_out(text: &str) {
    write_stdout(&out_text(text));
}

/// The readable report on stdout.
pub fn print_report(text: &str, color: bool) {
    write_stdout(&report_text(text, color));
}

/// A value as JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> Result<(), serde_json::Error> {
    write_stdout(&json_text(value)?);
    Ok(())
}

/// One message on stderr, prefixed with `credwiz: `.
pub fn print_err(message: &str) {
    write_stderr(&err_text(message));
}

/// Text credwiz generated itself from its own definitions (a completion
/// script, a man page: no outside string in it), as it is, on stdout; exit 2
/// when stdout refuses it.
pub fn emit(text: &[u8]) -> std::process::ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text).and_then(|()| out.flush()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            print_err(&format!("cannot write: {e}"));
            std::process::ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stream_masks_registered_secrets_and_escapes_controls() {
        let secret = "sink-unit-test-secret-value-01";
        redact::register(secret);
        let hostile = format!("a {secret} \u{1b}]0;title\u{7} \u{9b}31m \u{202e}z\n");
        for text in [out_text(&hostile), report_text(&hostile, false), report_text(&hostile, true), err_text(&hostile)]
        {
            assert!(!text.contains("unit-test-secret"), "{text}");
            assert!(!text.chars().any(|c| c != '\n' && (c.is_control() || sanitize::is_invisible(c))), "{text:?}");
            assert!(text.contains("\\e]0;title\\x07") && text.contains("\\u{9b}"), "{text}");
        }
        assert!(err_text("x\n").starts_with("credwiz: x\n"));
    }

    #[test]
    fn json_is_scrubbed_inside_strings_and_stays_valid() {
        let secret = "json\"sink\\secret/value+1";
        redact::register(secret);
        let value = serde_json::json!({
            "summary": format!("echo {secret} \u{9b}[2J \u{1b}]8;;http://x\u{7}"),
            format!("key {secret}"): [format!("{secret}"), 3, null],
        });
        let json = json_text(&value).expect("json");
        assert!(!json.contains("sink\\\\secret") && !json.contains("secret/value"), "{json}");
        assert!(json.contains("\\u009b") && json.contains("\\u001b") && !json.contains('\u{9b}'), "{json}");
        let back: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        assert!(back["summary"].as_str().is_some_and(|s| s.contains("****************")));
    }

    #[test]
    fn stderr_messages_are_cut() {
        let long = "x".repeat(MAX_MESSAGE_CHARS * 3);
        assert!(err_text(&long).chars().count() < MAX_MESSAGE_CHARS + 100);
    }
}
