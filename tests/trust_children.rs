//! Nothing credwiz starts outlives the run (issue 19, item 6): a
//! `credential_process` whose child escapes its process group with `setsid`
//! (a daemon, an agent) is ended when credwiz ends, whether the process
//! succeeded or failed, under `check` and `scan`. The real binary, a real
//! script that writes the escaped child's pid to a temp file.

mod trust_support;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};
use trust_support::{Fake, caller_identity, home, run};

const CREDENTIALS: &str = r#"{"Version":1,"AccessKeyId":"AKIAZZZZZZZZZZZZ0003","SecretAccessKey":"q7Rw2Zt9Kd4Lm8Xc1Vb5Nh3Jg6Fs0Pa/EoUiYt+k"}"#;

/// Whether the process `pid` is still there (a zombie counts: nobody reaped it).
fn alive(pid: Pid) -> bool {
    kill(pid, None).is_ok()
}

/// Runs credwiz on a profile whose process leaves an escaped child; returns that child's pid once credwiz is done.
fn escaped_child(args: &[&str], succeed: bool) -> Pid {
    let fake = Fake::start(|_| caller_identity("123456789012", "alice"));
    let home = home(None, None);
    let pid_file = home.path().join("escaped.pid");
    let script = home.path().join("process.sh");
    let end = if succeed { format!("printf '{CREDENTIALS}'") } else { "echo 'vault locked' >&2; exit 1".to_string() };
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n(setsid sh -c 'echo $$ > {pid}; exec sleep 300' &)\nwhile [ ! -s {pid} ]; do sleep 0.02; done\n{end}\n",
            pid = pid_file.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::fs::write(
        home.path().join(".aws/config"),
        format!("[profile proc]\ncredential_process = {}\nregion = us-east-1\n", script.display()),
    )
    .expect("config");
    let ran = run(home.path(), Some(&fake.url()), &[], args);
    assert_ne!(ran.code, Some(101), "{args:?}: panicked: {}", ran.stderr);
    assert_ne!(ran.code, Some(2), "{args:?}: could not run: {}", ran.stderr);
    let pid = std::fs::read_to_string(&pid_file).expect("the escaped child wrote its pid");
    Pid::from_raw(pid.trim().parse().expect("a pid"))
}

#[test]
fn a_child_that_escapes_with_setsid_does_not_outlive_the_run() {
    for (args, succeed) in [
        (&["check", "--timeout", "5", "--profile", "proc", "--json"][..], true),
        (&["check", "--timeout", "5", "--profile", "proc"], false),
        (&["scan", "--timeout", "5", "--json"], true),
    ] {
        let pid = escaped_child(args, succeed);
        // credwiz has exited: the child must be gone (a short grace for the kernel to finish).
        let grace = Instant::now() + Duration::from_secs(2);
        while alive(pid) && Instant::now() < grace {
            std::thread::sleep(Duration::from_millis(20));
        }
        let survived = alive(pid);
        if survived {
            let _ = kill(pid, Signal::SIGKILL);
        }
        assert!(!survived, "{args:?}: the escaped child {pid} outlived credwiz");
    }
}
