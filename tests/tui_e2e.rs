//! End to end: the real `credwiz` binary in a real terminal (tmux) against a
//! local moto world. The user sees the failure, types the right secret,
//! saves (diff, confirm), watches the step turn green, quits, and finds the
//! terminal restored and the file fixed in place. And: Esc from an edit and
//! from an overlay stays in the app, quitting with unsaved edits asks first
//! and saves from the prompt, the picker shows the background scan's status
//! of another profile and switches to it, and the exit
//! summary is printed after the terminal is restored (mouse reporting off).

mod support;

use support::tmux::Tmux;
use support::{Moto, SELF_READ};

#[test]
fn see_the_failure_fix_the_secret_save_and_quit() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 2, &[]);
    moto.enforce_auth();
    let ((id, right), (_, wrong)) = (&alice.keys[0], &alice.keys[1]);
    let original = format!(
        "# work laptop\r\n[default]\r\naws_access_key_id = {id}\r\naws_secret_access_key = {wrong}\r\n\r\n[other]\r\nregion = x\r\n"
    );
    let home = support::home(Some(&original), Some("[default]\nregion = us-east-1\n"));
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let script = format!(
        "env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color AWS_ENDPOINT_URL={endpoint} AWS_EC2_METADATA_DISABLED=true CREDWIZ_LOG_DIR={home}/logs {bin}; echo CREDWIZ-EXITED $?; for f in icanon echo; do stty -a | grep -qw -- -$f && echo RAW-$f; done; echo TTY-CHECKED; sleep 60",
        home = home.path().display(),
        endpoint = moto.endpoint(),
    );
    let tmux = Tmux { socket: format!("credwiz-e2e-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);

    let screen = tmux.wait_for("secret-mismatch", 20);
    assert!(screen.contains("Credentials") && !screen.contains(wrong.as_str()), "the secret must be masked:\n{screen}");

    // The wizard opens on the failure; Enter there edits the secret: clear, type the right one, keep it.
    tmux.wait_for_line(&["› ✗", "secret does not match"], 20);
    tmux.keys(&["Enter", "C-u"]);
    tmux.literal(right);
    tmux.keys(&["Enter"]);
    tmux.wait_for("AWS accepts the credentials", 20);
    // Save: the diff is shown masked, y writes.
    tmux.keys(&["s"]);
    let diff = tmux.wait_for("Save these changes?", 10);
    assert!(!diff.contains(right.as_str()) && diff.contains("aws_secret_access_key"), "{diff}");
    tmux.keys(&["y"]);
    // (`saved ~/` is the notice; the header's "unsaved" marker would match a bare "saved ".)
    tmux.wait_for("saved ~/", 10);
    // The endpoint override of the test world keeps a warning (!) on the step; no failure is left.
    let screen = tmux.wait_for("no failure", 20);
    assert!(screen.contains("! 1 Credentials") && !screen.contains("✗"), "{screen}");

    let written = std::fs::read_to_string(home.path().join(".aws/credentials")).expect("credentials");
    assert_eq!(written, original.replace(wrong.as_str(), right.as_str()), "only the secret's line changed, CRLF kept");
    let backups = std::fs::read_dir(home.path().join(".aws"))
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("credwiz-backup"))
        .count();
    assert_eq!(backups, 1);

    tmux.keys(&["q"]);
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(after.contains("CREDWIZ-EXITED 0"), "{after}");
    assert!(!after.contains("RAW-"), "terminal not restored (raw mode left on):\n{after}");
    assert!(!after.contains("Steps"), "the alternate screen was not left:\n{after}");
}

#[test]
fn esc_stays_quitting_asks_the_picker_switches_and_the_summary_is_printed() {
    let moto = Moto::start();
    let alice = moto.user("alice", Some(SELF_READ), 2, &[]);
    moto.enforce_auth();
    let ((id, right), (other_id, other_secret)) = (&alice.keys[0], &alice.keys[1]);
    let original = format!(
        "[default]\naws_access_key_id = {id}\naws_secret_access_key = {other_secret}\n\n[alice-ok]\naws_access_key_id = {other_id}\naws_secret_access_key = {other_secret}\n"
    );
    let home =
        support::home(Some(&original), Some("[default]\nregion = us-east-1\n[profile alice-ok]\nregion = us-east-1\n"));
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let script = format!(
        "env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color AWS_ENDPOINT_URL={endpoint} AWS_EC2_METADATA_DISABLED=true CREDWIZ_LOG_DIR={home}/logs {bin}; echo CREDWIZ-EXITED $?; echo TTY-CHECKED; sleep 60",
        home = home.path().display(),
        endpoint = moto.endpoint(),
    );
    let tmux = Tmux { socket: format!("credwiz-e2e2-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("secret-mismatch", 20);
    assert_eq!(tmux.cmd(&["display", "-p", "-t", "e2e", "#{mouse_any_flag}"]).trim(), "1", "clicks are reported");

    // A click on the sidebar's third step shows it; a click on the first comes back (SGR mouse, 1-based).
    let shown = tmux.screen();
    let row = |text: &str| shown.lines().position(|l| l.contains(text)).map_or(0, |r| r + 1);
    let click = |row: usize| tmux.literal(&format!("\x1b[<0;6;{row}M\x1b[<0;6;{row}m"));
    click(row("3 MFA"));
    tmux.wait_for("┌ MFA ", 10);
    click(row("1 Credentials"));
    tmux.wait_for("┌ Credentials ", 10);

    // Esc from an edit stays in the app, and so does Esc from an overlay.
    tmux.keys(&["Down", "Down", "Enter"]);
    tmux.literal("zz");
    tmux.keys(&["Escape"]);
    tmux.wait_for("edit cancelled", 10);
    tmux.keys(&["?"]);
    tmux.wait_for("Keys and symbols", 10);
    tmux.keys(&["Escape"]);
    let screen = tmux.wait_for("secret-mismatch", 10);
    assert!(!screen.contains("Keys and symbols") && !screen.contains("TTY-CHECKED"), "{screen}");

    // Edit the secret (typing replaces the old value), then try to quit.
    tmux.keys(&["Enter"]);
    tmux.literal(right);
    tmux.keys(&["Enter"]);
    tmux.wait_for("AWS accepts the credentials", 20);
    assert!(tmux.screen().contains("● unsaved"));

    // The picker: the background scan's status of the other profile (its keys work; the
    // only warning is the emulator's endpoint override), filter, switch, see its checks.
    tmux.keys(&["p"]);
    tmux.wait_for("Profiles (2 of 2)", 10);
    tmux.wait_for_line(&["! alice-ok", "endpoint-override"], 20);
    tmux.literal("ok");
    tmux.wait_for("Profiles (1 of 2)", 10);
    tmux.keys(&["Enter"]);
    tmux.wait_for("profile alice-ok", 10);
    let switched = tmux.wait_for("AWS accepts the credentials: arn", 20);
    assert!(!switched.contains("✗ 1 Credentials") && switched.contains("chosen by name"), "{switched}");
    // Browsing is not choosing: w makes it the profile to export on exit.
    tmux.keys(&["w"]);
    tmux.wait_for("alice-ok is your working profile", 10);

    // Quitting with the edit unsaved asks; s saves from the prompt and quits.
    tmux.keys(&["q"]);
    let prompt = tmux.wait_for("Quit with unsaved edits?", 10);
    assert!(prompt.contains("aws_secret_access_key") && !prompt.contains(right.as_str()), "{prompt}");
    tmux.keys(&["s"]);
    let after = tmux.wait_for("TTY-CHECKED", 20);
    assert!(after.contains("CREDWIZ-EXITED 0"), "{after}");
    assert!(
        after.contains("credwiz wrote:")
            && after.contains("~/.aws/credentials (backup ~/.aws/credentials.credwiz-backup-"),
        "{after}"
    );
    assert!(after.contains("export AWS_PROFILE=alice-ok"), "{after}");
    let mouse = tmux.cmd(&["display", "-p", "-t", "e2e", "#{mouse_any_flag}"]);
    assert_eq!(mouse.trim(), "0", "mouse reporting left on");
    let written = std::fs::read_to_string(home.path().join(".aws/credentials")).expect("credentials");
    assert_eq!(written, original.replacen(other_secret.as_str(), right.as_str(), 1));
}

#[test]
fn a_panic_restores_the_terminal() {
    let home = support::home(Some("[default]\n"), Some("[default]\nregion = us-east-1\n"));
    // The probe enters the terminal the way the wizard does, then panics (examples/panic_probe.rs).
    let probe = std::path::Path::new(env!("CARGO_BIN_EXE_credwiz"))
        .parent()
        .map(|dir| dir.join("examples/panic_probe"))
        .expect("target dir");
    assert!(probe.exists(), "cargo test builds the examples: {} is missing", probe.display());
    let script = format!(
        "env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color CREDWIZ_LOG_DIR={home}/logs {bin}; echo CREDWIZ-EXITED $?; for f in icanon echo; do stty -a | grep -qw -- -$f && echo RAW-$f; done; echo TTY-CHECKED; sleep 60",
        home = home.path().display(),
        bin = probe.display(),
    );
    let tmux = Tmux { socket: format!("credwiz-panic-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    let after = tmux.wait_for("TTY-CHECKED", 20);
    assert!(!after.contains("CREDWIZ-EXITED 0"), "a panic must not exit 0:\n{after}");
    assert!(!after.contains("RAW-"), "terminal not restored after a panic:\n{after}");
    let mouse = tmux.cmd(&["display", "-p", "-t", "e2e", "#{mouse_any_flag}"]);
    assert_eq!(mouse.trim(), "0", "mouse reporting left on after a panic");
}
