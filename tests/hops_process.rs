//! `credential_process` run by credwiz: a failure whose stderr holds the
//! secret never shows it; a hang is killed with its children; endless output
//! costs little; a banner before the JSON, a missing field, an expired
//! `Expiration` are each named; valid output gives the credentials.

mod hops_fakes;

use credwiz::hops::process::{self, Exit, Limits};
use credwiz::hops::resolve::ProcessSpec;
use credwiz::hops::{Cause, Context, Outcome, Scrubber, Status};
use secrecy::{ExposeSecret, SecretString};
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// A script in a fresh directory, and the spec that runs it.
fn script(dir: &tempfile::TempDir, body: &str) -> ProcessSpec {
    let path = dir.path().join("creds.sh");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    ProcessSpec { command: path.display().to_string(), account_id: None }
}

async fn run(dir: &tempfile::TempDir, body: &str, scrubber: &Scrubber, timeout: Duration) -> Outcome {
    let env = hops_fakes::env(dir.path(), &[]);
    let ctx = Context::new(&env, timeout, scrubber);
    process::run(&script(dir, body), &ctx).await
}

fn all_text(out: &Outcome) -> String {
    let mut text = format!("{} {:?} {:?}", out.title, out.evidence, out.stages);
    text.push_str(&format!("{out:?}"));
    text
}

#[tokio::test]
async fn process_failed_and_its_stderr_secret_never_shows() {
    let dir = tempfile::tempdir().expect("dir");
    // A secret the scrubber knows, and one it only recognises by its shape.
    let known = "my-vault-password-7781";
    let mut scrubber = Scrubber::new();
    scrubber.add(&SecretString::from(known.to_string()));
    let body =
        format!("echo \"login failed for {known}\" >&2\necho \"aws_secret_access_key={SECRET} rejected\" >&2\nexit 1");
    let out = run(&dir, &body, &scrubber, Duration::from_secs(5)).await;
    assert_eq!(out.cause, Some(Cause::ProcessFailed));
    let text = all_text(&out);
    assert!(text.contains("exit status 1"), "{text}");
    assert!(text.contains("stderr: login failed for"), "the stderr is shown, scrubbed: {text}");
    assert!(!text.contains(known) && !text.contains(SECRET) && !text.contains("wJalrXUtnFEMI"), "{text}");
}

#[tokio::test]
async fn process_failed_when_it_hangs_and_its_children_die_with_it() {
    let dir = tempfile::tempdir().expect("dir");
    // A background child that writes a line every 20 ms for as long as it lives.
    let beat = dir.path().join("heartbeat");
    let body = format!("(while true; do echo x >> {}; sleep 0.02; done) &\nsleep 300", beat.display());
    let started = Instant::now();
    let out = run(&dir, &body, &Scrubber::new(), Duration::from_millis(800)).await;
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    assert_eq!(out.cause, Some(Cause::ProcessFailed));
    assert!(all_text(&out).contains("still running after"), "{}", all_text(&out));
    let size = || std::fs::metadata(&beat).map(|m| m.len()).unwrap_or(0);
    assert!(size() > 0, "the child ran");
    std::thread::sleep(Duration::from_millis(100));
    let after_kill = size();
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(size(), after_kill, "the background child outlived the check");
}

#[tokio::test]
async fn process_failed_on_endless_output_costs_little() {
    let dir = tempfile::tempdir().expect("dir");
    let env = hops_fakes::env(dir.path(), &[]);
    let started = Instant::now();
    let run =
        process::execute("yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &env, Limits::new(Duration::from_secs(10)))
            .await;
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_eq!(run.exit, Exit::TooMuchOutput { stream: "stdout" });
    assert!(run.stdout.overflowed && run.stdout.bytes.len() == 64 * 1024);
    let out = self::run(&dir, "yes", &Scrubber::new(), Duration::from_secs(10)).await;
    assert_eq!(out.cause, Some(Cause::ProcessFailed));
    assert!(all_text(&out).contains("more than 65536 bytes to stdout"), "{}", all_text(&out));
}

#[tokio::test]
async fn process_failed_when_the_program_is_missing() {
    let dir = tempfile::tempdir().expect("dir");
    let env = hops_fakes::env(dir.path(), &[]);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let spec = ProcessSpec { command: "/nonexistent/aws-creds --token s3cr3t".into(), account_id: None };
    let out = process::run(&spec, &ctx).await;
    assert_eq!(out.cause, Some(Cause::ProcessFailed));
    let text = all_text(&out);
    assert!(text.contains("exit status 127") && text.contains("/nonexistent/aws-creds"), "{text}");
    assert!(!text.contains("s3cr3t"), "arguments are never shown: {text}");
}

#[tokio::test]
async fn process_output_invalid_names_the_first_bad_byte_after_a_banner() {
    let dir = tempfile::tempdir().expect("dir");
    let body = format!(
        "echo 'Fetching credentials from the vault...'\nprintf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"ASIAEXAMPLE\", \"SecretAccessKey\": \"{SECRET}\"}}'"
    );
    let out = run(&dir, &body, &Scrubber::new(), Duration::from_secs(5)).await;
    assert_eq!(out.cause, Some(Cause::ProcessOutputInvalid));
    let text = all_text(&out);
    assert!(text.contains("line 1, column 1: found `F`"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn process_output_invalid_names_the_field() {
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        (r#"{"Version": 1, "AccessKeyId": "ASIAEXAMPLE"}"#, "field SecretAccessKey: is missing"),
        (r#"{"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s"}"#, "field Version: is missing"),
        (r#"{"Version": 2, "AccessKeyId": "A", "SecretAccessKey": "s"}"#, "only version 1"),
        (
            r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "2020-01-01T00:00:00Z"}"#,
            "is in the past",
        ),
        (r#"{"Version": 1, "AccessKeyId": "A", "SecretAccessKey": "s", "Expiration": "next week"}"#, "RFC 3339"),
    ];
    for (json, want) in cases {
        let out = run(&dir, &format!("printf '%s' '{json}'"), &Scrubber::new(), Duration::from_secs(5)).await;
        assert_eq!(out.cause, Some(Cause::ProcessOutputInvalid), "{json}");
        assert!(all_text(&out).contains(want), "{json}: {}", all_text(&out));
    }
}

#[tokio::test]
async fn valid_output_gives_the_credentials() {
    let dir = tempfile::tempdir().expect("dir");
    let json = format!(
        r#"{{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "{SECRET}", "SessionToken": "tok", "Expiration": "2099-01-01T00:00:00Z"}}"#
    );
    let out =
        run(&dir, &format!("echo noise >&2\nprintf '%s\\n' '{json}'"), &Scrubber::new(), Duration::from_secs(5)).await;
    assert_eq!(out.status, Status::Pass, "{:?}", out.evidence);
    let creds = out.credentials.as_ref().expect("credentials");
    assert_eq!(creds.access_key_id, "ASIAEXAMPLE");
    assert_eq!(creds.secret_access_key.expose_secret(), SECRET);
    assert!(!all_text(&out).contains(SECRET));
    assert!(out.stages.iter().all(|s| s.status == Status::Pass));
}
