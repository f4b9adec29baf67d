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

#[test]
fn a_login_command_gets_the_terminal_and_the_checks_run_again() {
    let home = support::home(None, Some(SSO));
    // A stand-in for the AWS CLI that records how it was called.
    let bin_dir = home.path().join("bin");
    std::fs::create_dir_all(&bin_dir).expect("bin");
    let calls = home.path().join("aws-calls");
    let aws = bin_dir.join("aws");
    std::fs::write(&aws, format!("#!/bin/sh\necho \"$@\" >> {}\necho 'pretend browser login done'\n", calls.display()))
        .expect("aws");
    std::fs::set_permissions(&aws, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let script = format!("{} {bin}; {AFTER}", env_line(home.path(), &path));
    let tmux = Tmux { socket: format!("credwiz-login-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("sso-session-expired", 20);
    // 2: the Expiry step, whose first check is the SSO token (`⏎ log in`); Enter runs the login.
    tmux.keys(&["2"]);
    tmux.wait_for("⏎ log in", 10);
    tmux.keys(&["Enter"]);
    let back = tmux.wait_for("checking again", 20);
    assert!(back.contains("Steps"), "the wizard took the terminal back:\n{back}");
    let called = std::fs::read_to_string(&calls).expect("aws was called");
    assert_eq!(called.trim(), "sso login --profile default");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("TTY-CHECKED", 10);
    assert!(!after.contains("RAW-"), "{after}");

    // Without the AWS CLI, the wizard says so and shows the command.
    let script = format!("{} {bin}; {AFTER}", env_line(home.path(), "/usr/bin:/bin"));
    let tmux = Tmux { socket: format!("credwiz-nologin-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("sso-session-expired", 20);
    tmux.keys(&["2"]);
    tmux.wait_for("⏎ log in", 10);
    tmux.keys(&["Enter"]);
    let said = tmux.wait_for("not installed", 10);
    assert!(said.contains("aws sso login --profile default"), "{said}");
}
