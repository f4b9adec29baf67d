//! The wizard and its terminal in the situations a session meets: killed by
//! a termination signal, suspended with Ctrl-Z and resumed with `fg`, and
//! handing the terminal to a login command (`aws sso login`) and taking it
//! back. The real binary in tmux; no network (the endpoint is a closed port).

mod support;

use std::os::unix::fs::PermissionsExt;
use support::tmux::Tmux;

const SSO: &str = "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

/// The checks after the command: whether the terminal is back in cooked mode, on the main screen.
const AFTER: &str = "echo CREDWIZ-EXITED $?; for f in icanon echo; do stty -a | grep -qw -- -$f && echo RAW-$f; done; echo TTY-CHECKED; sleep 60";

fn env_line(home: &std::path::Path, path: &str) -> String {
    format!(
        "env -i HOME={home} PATH={path} TERM=xterm-256color AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_EC2_METADATA_DISABLED=true CREDWIZ_LOG_DIR={home}/logs",
        home = home.display()
    )
}

#[test]
fn sigterm_restores_the_terminal_and_exits_by_the_signal() {
    let home = support::home(None, Some(SSO));
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let pid = home.path().join("pid");
    let script = format!(
        "sh -c 'echo $$ > {pid}; exec {env} {bin}'; {AFTER}",
        pid = pid.display(),
        env = env_line(home.path(), "/usr/bin:/bin"),
    );
    let tmux = Tmux { socket: format!("credwiz-term-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("Steps", 20);
    let pid = std::fs::read_to_string(&pid).expect("pid");
    let killed = std::process::Command::new("kill").args(["-TERM", pid.trim()]).status().expect("kill");
    assert!(killed.success());
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(after.contains("CREDWIZ-EXITED 143"), "the conventional status of SIGTERM is 128+15:\n{after}");
    assert!(!after.contains("RAW-"), "terminal not restored after SIGTERM:\n{after}");
    assert!(!after.contains("Steps"), "the alternate screen was not left:\n{after}");
}

/// Issue 19: after any termination signal the cursor is visible again (raw
/// mode, the alternate screen and the mouse were restored, the cursor was not).
#[test]
fn every_termination_signal_shows_the_cursor_again() {
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1), ("QUIT", 3)] {
        let home = support::home(None, Some(SSO));
        let bin = env!("CARGO_BIN_EXE_credwiz");
        let pid = home.path().join("pid");
        let script = format!(
            "sh -c 'echo $$ > {pid}; exec {env} {bin}'; {AFTER}",
            pid = pid.display(),
            env = env_line(home.path(), "/usr/bin:/bin"),
        );
        let tmux = Tmux { socket: format!("credwiz-cursor-{signal}-{}", std::process::id()) };
        tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
        tmux.wait_for("Steps", 20);
        // The wizard hides the cursor once its first frame is out.
        let cursor = || tmux.cmd(&["display-message", "-p", "-t", "e2e", "#{cursor_flag}"]).trim().to_string();
        let shown = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while cursor() != "0" {
            assert!(std::time::Instant::now() < shown, "SIG{signal}: the wizard never hid the cursor");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let pid = std::fs::read_to_string(&pid).expect("pid");
        let killed =
            std::process::Command::new("kill").args([&format!("-{signal}"), pid.trim()]).status().expect("kill");
        assert!(killed.success());
        let after = tmux.wait_for("TTY-CHECKED", 10);
        assert!(after.contains(&format!("CREDWIZ-EXITED {}", 128 + number)), "SIG{signal}:\n{after}");
        assert!(!after.contains("RAW-"), "SIG{signal}: terminal not restored:\n{after}");
        assert_eq!(cursor(), "1", "SIG{signal}: the cursor is still hidden:\n{after}");
    }
}

#[test]
fn ctrl_z_suspends_and_fg_resumes_with_a_full_redraw() {
    let home = support::home(None, Some(SSO));
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let tmux = Tmux { socket: format!("credwiz-tstp-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", "bash --norc --noprofile -i"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    tmux.literal(&format!("{} {bin}", env_line(home.path(), "/usr/bin:/bin")));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Steps", 20);
    tmux.keys(&["C-z"]);
    let stopped = tmux.wait_for("Stopped", 10);
    assert!(!stopped.contains("Steps"), "the shell gets a normal screen back:\n{stopped}");
    tmux.literal("fg");
    tmux.keys(&["Enter"]);
    let back = tmux.wait_for("Steps", 10);
    assert!(back.contains("sso-session-expired"), "the whole screen is drawn again:\n{back}");
    tmux.keys(&["q"]);
    // The shell's prompt comes back once the wizard has exited (its screen gone): type only then.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while tmux.screen().contains("Steps") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Typed at the prompt, so the markers are split in the command line and whole only in its output.
    tmux.literal("echo CREDWIZ-''EXITED $?; for f in icanon echo; do stty -a | grep -qw -- -$f && echo R''AW-$f; done; echo TTY-''CHECKED");
    tmux.keys(&["Enter"]);
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(after.contains("CREDWIZ-EXITED 0") && !after.contains("RAW-"), "{after}");
}

/// A stand-in for the AWS CLI: `--version` answers `version`; anything else is recorded and printed.
fn fake_aws(home: &std::path::Path, version: &str) -> (String, std::path::PathBuf) {
    let bin_dir = home.join(format!("bin-{}", version.replace('.', "-")));
    std::fs::create_dir_all(&bin_dir).expect("bin");
    let calls = home.join("aws-calls");
    let aws = bin_dir.join("aws");
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'aws-cli/{version} Python/3.11.8 Linux/6.1 exe/x86_64'; exit 0; fi\necho \"$@\" >> {calls}\necho \"FAKE-AWS-SAYS: visit the page and enter the code ABCD-EFGH\"\necho 'FAKE-AWS-ERROR: something the user must read' >&2\nexit 3\n",
        calls = calls.display()
    );
    std::fs::write(&aws, script).expect("aws");
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (format!("{}:/usr/bin:/bin", bin_dir.display()), calls)
}

#[test]
fn a_login_command_gets_the_terminal_its_output_stays_until_a_key_and_the_checks_run_again() {
    let home = support::home(None, Some(SSO));
    let (path, calls) = fake_aws(home.path(), "2.15.30");
    let bin = env!("CARGO_BIN_EXE_credwiz");
    // An SSH session (with a forwarded display): no browser can open here, so the CLI shows a device code.
    let script = format!(
        "{} SSH_CONNECTION='10.0.0.1 50000 10.0.0.2 22' DISPLAY=:0 {bin}; {AFTER}",
        env_line(home.path(), &path)
    );
    let tmux = Tmux { socket: format!("credwiz-login-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    // The wizard opens on the primary cause's failure: the expired SSO token, `⏎ log in`.
    tmux.wait_for("⏎ log in", 20);
    tmux.keys(&["Enter"]);
    let handed = tmux.wait_for("Press any key", 20);
    assert!(handed.contains("FAKE-AWS-SAYS: visit the page") && handed.contains("FAKE-AWS-ERROR"), "{handed}");
    assert!(
        handed.contains("ended (exit status: 3)") && !handed.contains("Steps"),
        "the CLI's output, not the wizard:\n{handed}"
    );
    // It stays until a key is pressed.
    std::thread::sleep(std::time::Duration::from_millis(700));
    assert!(tmux.screen().contains("FAKE-AWS-SAYS"), "the wizard drew over the CLI's output");
    tmux.keys(&["x"]);
    let back = tmux.wait_for("Steps", 20);
    assert!(back.contains("ended with exit status: 3"), "the wizard says how the CLI ended:\n{back}");
    let called = std::fs::read_to_string(&calls).expect("aws was called");
    assert_eq!(called.trim(), "sso login --profile default --use-device-code");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(!after.contains("RAW-"), "{after}");
}

#[test]
fn a_cli_without_the_login_command_is_named_and_not_run() {
    let home = support::home(None, Some(SSO));
    let (path, calls) = fake_aws(home.path(), "1.45.11");
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let script = format!("{} DISPLAY=:0 {bin}; {AFTER}", env_line(home.path(), &path));
    let tmux = Tmux { socket: format!("credwiz-v1-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("⏎ log in", 20);
    tmux.keys(&["Enter"]);
    let said = tmux.wait_for("has no `aws sso login`", 20);
    assert!(said.contains("1.45.11") && said.contains("Steps"), "the wizard stays and says why:\n{said}");
    assert!(!calls.exists(), "the old CLI was run");

    // Without the AWS CLI, the wizard says so and shows the command (a display: no device code).
    let script = format!("{} DISPLAY=:0 {bin}; {AFTER}", env_line(home.path(), "/usr/bin:/bin"));
    let tmux = Tmux { socket: format!("credwiz-nologin-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("⏎ log in", 20);
    tmux.keys(&["Enter"]);
    let said = tmux.wait_for("not installed", 10);
    assert!(said.contains("aws sso login --profile default") && !said.contains("--use-device-code"), "{said}");
}

#[test]
fn o_hands_the_terminal_to_the_editor_and_reads_the_files_again() {
    let credentials = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";
    let home = support::home(Some(credentials), Some("[default]\nregion = us-east-1\n"));
    let editor = home.path().join("fake-editor");
    let calls = home.path().join("editor-calls");
    // An "editor" that records its arguments and changes the key id in the file it was given.
    std::fs::write(
        &editor,
        format!("#!/bin/sh\necho \"$@\" >> {}\nsed -i 's/ASDFGH/ASDFGX/' \"$2\"\n", calls.display()),
    )
    .expect("editor");
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let script = format!("{} EDITOR={} {bin}; {AFTER}", env_line(home.path(), "/usr/bin:/bin"), editor.display());
    let tmux = Tmux { socket: format!("credwiz-editor-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for_line(&["›", "✗"], 20);
    tmux.keys(&["o"]);
    tmux.wait_for("AKIAQWERTYUIOPASDFGX", 20);
    let called = std::fs::read_to_string(&calls).expect("the editor was called");
    assert!(called.starts_with('+') && called.trim_end().ends_with("/.aws/credentials"), "{called}");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(!after.contains("RAW-"), "{after}");
}
