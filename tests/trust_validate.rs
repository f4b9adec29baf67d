//! `credwiz set` refuses, with exit status 2 and nothing written, every name,
//! key and value that would make the AWS SDKs read something other than what
//! was asked (injected sections, truncated values, swapped arguments), and
//! never echoes a secret or a raw control sequence while refusing.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn credwiz(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CREDWIZ_LOG_DIR", home.join("log"))
        .output()
        .expect("run credwiz")
}

fn aws_dir(home: &Path) -> std::path::PathBuf {
    let aws = home.join(".aws");
    fs::create_dir_all(&aws).expect("mkdir");
    fs::write(aws.join("config"), "[default]\nregion = us-east-1\n").expect("write");
    fs::write(aws.join("credentials"), "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n").expect("write");
    aws
}

fn files(aws: &Path) -> (String, String) {
    (
        fs::read_to_string(aws.join("config")).expect("config"),
        fs::read_to_string(aws.join("credentials")).expect("credentials"),
    )
}

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRET12";

/// Every refusal: exit 2, nothing written, no raw control character and no secret on either stream.
fn assert_refused(home: &Path, args: &[&str], reason: &str) -> String {
    let aws = aws_dir(home);
    let before = files(&aws);
    let out = credwiz(home, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let all = format!("{}{err}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(out.status.code(), Some(2), "{args:?} must be refused ({reason}); got: {all}");
    assert_eq!(files(&aws), before, "{args:?} wrote something");
    assert!(!all.contains("SECRET1") && !all.contains("zzSECRET"), "{args:?}: secret echoed: {all}");
    assert!(
        !all.chars().any(|c| (c.is_control() && c != '\n') || ('\u{202a}'..='\u{202e}').contains(&c)),
        "{args:?}: raw control characters on the terminal: {all:?}"
    );
    assert!(err.to_lowercase().contains(reason), "{args:?}: the reason `{reason}` is not given: {err}");
    err
}

#[test]
fn injected_and_malformed_names_are_refused() {
    let home = tempfile::tempdir().expect("dir");
    let h = home.path();
    let evil = "x]\n[profile evil]\ncredential_process = sh -c \"touch /tmp/pwned\"\n[y";
    assert_refused(h, &["set", "region", "x", "--profile", evil], "profile");
    assert_refused(h, &["set", &format!("profile.{evil}.region"), "x"], "profile");
    assert_refused(h, &["set", "profile..region", "x"], "profile");
    assert_refused(h, &["set", "region", "x", "--profile", " default"], "profile");
    assert_refused(h, &["set", "region", "x", "--profile", "default "], "profile");
    assert_refused(h, &["set", "region", "x", "--profile", "dev\u{1b}]0;pwned\u{7}"], "profile");
    assert_refused(h, &["set", "region", "x", "--profile", "dev\u{202e}lave"], "profile");
    assert_refused(h, &["set", "region", "x", "--profile", ""], "profile");
}

#[test]
fn malformed_keys_are_refused() {
    let home = tempfile::tempdir().expect("dir");
    let h = home.path();
    assert_refused(h, &["set", "--", "--region", "x"], "key");
    assert_refused(h, &["set", "region]\n[evil", "x"], "key");
    assert_refused(h, &["set", "reg\u{1b}[2Jion", "x"], "key");
    assert_refused(h, &["set", "s3.max_concurrent_requests", "10"], "key");
    assert_refused(h, &["set", "", "x"], "key");
}

#[test]
fn swapped_arguments_are_refused_without_echoing_the_secret() {
    let home = tempfile::tempdir().expect("dir");
    let h = home.path();
    let err = assert_refused(h, &["set", SECRET, "aws_secret_access_key"], "swap");
    // One character short of a real secret: still not echoed.
    assert_refused(h, &["set", &SECRET[1..], "aws_secret_access_key"], "swap");
    assert!(!err.contains("wJalr"), "{err}");
    assert_refused(h, &["set", &format!("profile.dev.{SECRET}"), "aws_secret_access_key"], "swap");
    // A secret-shaped key is refused even without a key name as the value.
    assert_refused(h, &["set", SECRET, "x"], "secret");
}

#[test]
fn values_the_sdk_would_read_differently_are_refused_with_the_reason() {
    let home = tempfile::tempdir().expect("dir");
    let h = home.path();
    assert_refused(h, &["set", "region", "eu-west-1 # c"], "comment");
    assert_refused(h, &["set", "region", "eu-west-1\t; c"], "comment");
    assert_refused(h, &["set", "region", "# c"], "comment");
    assert_refused(h, &["set", "region", " eu-west-1"], "space");
    assert_refused(h, &["set", "region", "eu-west-1 "], "space");
    assert_refused(h, &["set", "region", "eu-west-1\n[profile evil]"], "line break");
    assert_refused(h, &["set", "region", "eu-west-1\r"], "line break");
    assert_refused(h, &["set", "region", "eu\u{1b}[2J"], "control");
    assert_refused(h, &["set", "region", "eu\u{9b}31m"], "control");
    assert_refused(h, &["set", "region", "eu\u{7f}"], "control");
    assert_refused(h, &["set", "region", "eu\u{202e}1-tsew"], "invisible");
    assert_refused(h, &["set", "region", "eu\u{200b}west"], "invisible");
    let long = "a".repeat(100 * 1024);
    assert_refused(h, &["set", "region", &long], "long");
    // A value with a secret in it is refused without echoing it.
    assert_refused(h, &["set", "aws_secret_access_key", &format!("{SECRET} # note")], "comment");
}

#[test]
fn ordinary_values_are_still_written() {
    let home = tempfile::tempdir().expect("dir");
    let h = home.path();
    let aws = aws_dir(h);
    for (key, value) in [
        ("region", "eu-west-1"),
        ("profile.dev.role_arn", "arn:aws:iam::123456789012:role/a#b"),
        ("profile.dev.credential_process", "/usr/bin/helper --profile x;y"),
        ("output", ""),
    ] {
        let out = credwiz(h, &["set", key, value]);
        assert!(out.status.success(), "{key}={value}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let (config, _) = files(&aws);
    assert!(config.contains("role_arn = arn:aws:iam::123456789012:role/a#b\n"), "{config}");
    assert!(config.contains("credential_process = /usr/bin/helper --profile x;y\n"), "{config}");
}

#[test]
fn store_errors_show_hostile_paths_escaped() {
    let home = tempfile::tempdir().expect("dir");
    let hostile = home.path().join("\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}");
    fs::create_dir_all(hostile.join("config")).expect("mkdir");
    let out = Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(["set", "region", "eu-west-1"])
        .env_clear()
        .env("HOME", home.path())
        .env("CREDWIZ_LOG_DIR", home.path().join("log"))
        .env("AWS_CONFIG_FILE", hostile.join("config"))
        .output()
        .expect("run credwiz");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("directory") && err.contains("\\e]0;pwned\\x07"), "{err}");
    assert!(!err.chars().any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'), "raw control characters: {err:?}");
}
