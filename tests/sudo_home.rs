//! `home-mismatch` with the system's real user database: credwiz runs as if
//! through sudo (`SUDO_USER` set, `HOME` another directory) inside a mount
//! namespace of its own, where a private passwd file is bind-mounted over
//! `/etc/passwd`, so `getpwnam` finds the test's user and the real `/etc` is
//! never touched. Every other test of this cause uses a user directory of
//! its own (tests/elsewhere_fakes.rs).

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "needs a mount namespace (`unshare -m`: root and util-linux); scripts/test runs it where it can"]
fn through_sudo_the_invoking_users_home_comes_from_the_user_database() {
    let namespace = Command::new("unshare").args(["-m", "true"]).status();
    assert!(namespace.is_ok_and(|s| s.success()), "`unshare -m` does not work here: run this test as root");
    let (alice, root, etc) = (tempdir(), tempdir(), tempdir());
    std::fs::create_dir_all(alice.path().join(".aws")).expect("mkdir");
    std::fs::write(alice.path().join(".aws/config"), "[profile dev]\nregion = eu-west-1\n").expect("config");
    std::fs::write(
        alice.path().join(".aws/credentials"),
        "[dev]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n",
    )
    .expect("credentials");
    let passwd = etc.path().join("passwd");
    let users = format!("root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000:Alice:{}:/bin/sh\n", alice.path().display());
    std::fs::write(&passwd, users).expect("passwd");
    let script = "mount --bind \"$CREDWIZ_TEST_PASSWD\" /etc/passwd && exec \"$@\"";
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh", env!("CARGO_BIN_EXE_credwiz"), "check", "--json"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", root.path())
        .env("SUDO_USER", "alice")
        .env("AWS_PROFILE", "dev")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env("CREDWIZ_TEST_PASSWD", &passwd)
        .output()
        .expect("run credwiz in a mount namespace");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no report ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(report["causes"][0]["cause"], "home-mismatch", "{report:#}");
    let summary = report["causes"][0]["summary"].as_str().unwrap_or_default();
    let theirs = alice.path().join(".aws/config");
    assert!(summary.contains("SUDO_USER=alice") && summary.contains(&theirs.display().to_string()), "{summary}");
    assert!(Path::new("/etc/passwd").exists(), "the real file is still there, untouched");
}

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}
