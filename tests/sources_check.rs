//! Every credential source through `credwiz check`, hop by hop: each test
//! builds a world of its own (files in a temp HOME, scripts, local fakes of
//! STS and the container endpoint on loopback), names the cause id it
//! expects, checks that the wizard reaches the same verdict, and that no
//! secret of the world reaches stdout, stderr or the log.

mod hops_fakes;
mod support;

use hops_fakes::{Fake, Reply, sts_credentials, sts_error};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

const KEY_ID: &str = "AKIAQWERTYUIOPASDFGH";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz";
const BASE: &str = "[base]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = 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\n";

/// Runs `check --json` for profile `dev`, asserts the primary cause, the
/// wizard's agreement and that none of `secrets` leaked; returns the report.
fn expect(home: &Path, endpoint: &str, env: &[(&str, &str)], cause: &str, secrets: &[&str]) -> serde_json::Value {
    let mut env = env.to_vec();
    env.push(("AWS_PROFILE", "dev"));
    let (report, out) = support::check_json(home, endpoint, &env, &[]);
    assert_eq!(support::primary(&report), cause, "{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    assert_eq!(out.status.code(), Some(if cause.is_empty() { 0 } else { 1 }));
    let log = std::fs::read_to_string(home.join("logs/credwiz.log")).unwrap_or_default();
    let printed = format!("{}{}{log}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for secret in secrets.iter().chain([&SECRET]) {
        assert!(!printed.contains(secret), "a secret reached the output or the log");
    }
    support::contract::wizard_agrees(home, endpoint, &env, &[], &report);
    report
}

fn chain_evidence(report: &serde_json::Value) -> String {
    report["steps"][0]["checks"]
        .as_array()
        .map(|c| {
            c.iter().filter(|c| c["id"] == "credential-chain").map(|c| c.to_string()).collect::<Vec<_>>().join("\n")
        })
        .unwrap_or_default()
}

fn script(home: &Path, name: &str, body: &str) -> String {
    let path = home.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}")).expect("script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    path.display().to_string()
}

#[test]
fn offline_chain_problems_are_named_without_a_call() {
    let nobody = format!("http://127.0.0.1:{}", hops_fakes::closed_port());
    for (config, cause) in [
        (
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = bsae\n",
            "source-profile-missing",
        ),
        (
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = other\n[profile other]\nrole_arn = arn:aws:iam::123456789012:role/y\nsource_profile = dev\n",
            "source-profile-loop",
        ),
        (
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\ncredential_source = Environment\n",
            "role-config-invalid",
        ),
        (
            "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
            "sso-config-incomplete",
        ),
        ("[profile dev]\nlogin_session = arn:aws:iam::123456789012:user/alice\n", "login-session-expired"),
    ] {
        let home = support::home(Some(BASE), Some(config));
        let report = expect(home.path(), &nobody, &[], cause, &[]);
        assert!(report["duration_ms"].as_u64().is_some_and(|ms| ms < 5_000), "{cause}");
    }
}

#[test]
fn a_dangling_source_profile_offers_the_closest_name_as_a_fix() {
    let home = support::home(
        Some(BASE),
        Some("[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = bsae\n"),
    );
    let nobody = format!("http://127.0.0.1:{}", hops_fakes::closed_port());
    let report = expect(home.path(), &nobody, &[], "source-profile-missing", &[]);
    assert!(chain_evidence(&report).contains("base"), "{report}");
}

#[test]
fn credential_process_banner_is_process_output_invalid_and_stderr_secrets_stay_hidden() {
    let home = support::home(None, None);
    let banner = script(
        home.path(),
        "banner.sh",
        &format!(
            "echo 'Fetching credentials...'\necho '{{\"Version\": 1, \"AccessKeyId\": \"{KEY_ID}\", \"SecretAccessKey\": \"{SECRET}\"}}'\n"
        ),
    );
    std::fs::write(home.path().join(".aws/config"), format!("[profile dev]\ncredential_process = {banner}\n"))
        .expect("config");
    let report = expect(home.path(), "http://127.0.0.1:9", &[], "process-output-invalid", &[]);
    assert!(chain_evidence(&report).contains("line 1"), "the first bad byte is named: {report}");

    let canary = "Zq9vX2kP7mN4bR8tW1yC5hJ3dF6gL0sA2eU7iO9n";
    let failing = script(home.path(), "fail.sh", &format!("echo 'vault refused secret {canary}' >&2\nexit 3\n"));
    std::fs::write(home.path().join(".aws/config"), format!("[profile dev]\ncredential_process = {failing}\n"))
        .expect("config");
    let report = expect(home.path(), "http://127.0.0.1:9", &[], "process-failed", &[canary]);
    assert!(chain_evidence(&report).contains("3"), "the exit status is shown: {report}");
}

#[test]
fn an_expired_web_identity_token_is_web_identity_token_invalid() {
    let home = support::home(None, None);
    // A JWT whose `exp` is in 2001 (header.payload.signature, not verified).
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjEwMDAwMDAwMDAsImlzcyI6Imh0dHBzOi8vb2lkYy5leGFtcGxlIn0.c2lnbmF0dXJl";
    std::fs::write(home.path().join("token"), token).expect("token");
    let config = format!(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/app\nweb_identity_token_file = {}\n",
        home.path().join("token").display()
    );
    std::fs::write(home.path().join(".aws/config"), config).expect("config");
    let report = expect(home.path(), "http://127.0.0.1:9", &[], "web-identity-token-invalid", &[token]);
    assert!(chain_evidence(&report).contains("2001"), "the exp claim is shown: {report}");
}

#[test]
fn assume_role_refusals_name_the_hop() {
    let denied = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy";
    let fake = Fake::start(move |request| match request.form("RoleArn").as_deref() {
        Some(arn) if arn.ends_with("role/deploy") => sts_error(403, "AccessDenied", denied),
        Some(arn) if arn.ends_with("role/long") => sts_error(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        ),
        Some(arn) => sts_credentials("AssumeRole", arn, "s", "ASIAFAKEFAKEFAKEFAKE"),
        None => Reply::status(400, "text/plain", "unexpected"),
    });
    let config =
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = us-east-1\n";
    let home = support::home(Some(BASE), Some(config));
    let report = expect(home.path(), &fake.url(), &[], "assume-role-denied", &[]);
    assert!(chain_evidence(&report).contains("ruled out") || chain_evidence(&report).contains("trust"), "{report}");

    let config = "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/long\nsource_profile = base\nduration_seconds = 43200\nregion = us-east-1\n";
    let home = support::home(Some(BASE), Some(config));
    expect(home.path(), &fake.url(), &[], "role-duration-too-long", &[]);
}

#[test]
fn a_container_endpoint_answering_404_is_container_credentials_unavailable() {
    let container = Fake::start(|_| Reply::status(404, "text/plain", "no such task"));
    let home = support::home(None, Some("[profile dev]\nregion = us-east-1\n"));
    let uri = format!("{}/v2/credentials/task", container.url());
    expect(
        home.path(),
        "http://127.0.0.1:9",
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri)],
        "container-credentials-unavailable",
        &[],
    );
}
