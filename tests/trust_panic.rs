//! The panic hook `main` installs (issue 9, items 4 and 7): a panic anywhere
//! ends the process with one short line on stderr naming the place and the
//! log, never the payload (which may quote a secret or an escape sequence);
//! the payload goes to the log scrubbed; the exit status is 2, not Rust's
//! 101; a temp file beside a profile file is removed.
//!
//! The panicking process is this test binary run again on the ignored test
//! `child_panics_with_a_secret` (it only does something in that child).

use std::process::Command;

const SECRET: &str = "canary-panic-secret-value-0007";

/// Run in the child process only: installs credwiz's logging and hook, then panics.
#[test]
#[ignore = "a child process of panic_hook_prints_one_safe_line_logs_scrubbed_and_exits_2"]
fn child_panics_with_a_secret() {
    let Some(temp) = std::env::var_os("CREDWIZ_TEST_TEMP") else { return };
    credwiz::redact::register(SECRET);
    credwiz::logging::init().expect("logging starts");
    credwiz::commands::crash::install();
    let temp = std::path::PathBuf::from(temp);
    std::fs::write(&temp, format!("aws_secret_access_key = {SECRET}\n")).expect("temp file");
    credwiz::base::signals::critical().track(&temp).expect("track");
    // From another thread, as a background task would.
    let _ = std::thread::spawn(|| panic!("bad value {SECRET} \u{1b}]0;pwned\u{7}")).join();
    unreachable!("the hook ends the process");
}

#[test]
fn panic_hook_prints_one_safe_line_logs_scrubbed_and_exits_2() {
    let dir = tempfile::tempdir().expect("dir");
    let temp = dir.path().join(".credentials.credwiz-tmp");
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--ignored", "--exact", "child_panics_with_a_secret", "--nocapture", "--test-threads", "1"])
        .env("CREDWIZ_TEST_TEMP", &temp)
        .env("CREDWIZ_LOG_DIR", dir.path().join("log"))
        .env("HOME", dir.path())
        .output()
        .expect("run the child");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    let line = stderr.lines().find(|l| l.starts_with("credwiz: ")).unwrap_or_else(|| panic!("no line: {stderr}"));
    assert!(line.contains("internal error") && line.contains("tests/trust_panic.rs:"), "{line}");
    assert!(line.contains("~/log/credwiz.log"), "{line}");
    assert!(!stderr.contains("canary-panic") && !stderr.contains('\u{1b}') && !stderr.contains("pwned"), "{stderr}");
    assert!(!stderr.contains("panicked at"), "Rust's default hook ran too: {stderr}");
    let log = std::fs::read_to_string(dir.path().join("log/credwiz.log")).expect("log");
    assert!(log.contains("panic: bad value ****************0007"), "{log}");
    assert!(!log.contains("canary-panic") && !log.contains('\u{1b}'), "{log}");
    assert!(!temp.exists(), "the temp file holding a secret was left behind");
}
