//! Pieces of secrets (issue 19, items 1 and 2), through the real binary: a
//! session token and a secret key each split by one space in an endpoint's
//! error, or a secret wrapped over two lines of a failing
//! `credential_process`'s stderr, leave no run of 16 characters of either in
//! any sink (`check`, `check --json`, `check --mfa-code --action`,
//! `scan --json`, stderr, the log at trace); a session token's public
//! prefix is not masked in unrelated text; and a secret of 60,000 `A`
//! against a body of `A` is redacted within `--timeout`.

mod trust_support;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;
use trust_support::{Answer, Fake, Ran, aws_error, home, run, xml_escape};

/// The length of a piece that must never reach a sink.
const PIECE: usize = 16;
/// Every session token starts with this (not secret).
const PUBLIC: &str = "IQoJb3JpZ2luX2Vj";
const KEY_ID: &str = "ASIAZZZZZZZZZZZZ0001";
const SECRET: &str = "q7Rw2Zt9Kd4Lm8Xc1Vb5Nh3Jg6Fs0Pa/EoUiYt+k";

/// A session token as STS writes them: the public prefix, then 360 characters that are not.
fn token() -> String {
    let body: String = (0..360u32)
        .map(|i| {
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            char::from(alphabet[usize::try_from(i.wrapping_mul(2_654_435_761) >> 7).unwrap_or(0) % 64])
        })
        .collect();
    format!("{PUBLIC}EJr//////////wEaCXVz{body}")
}

/// The runs of `PIECE` characters of `secret` (those past its public prefix) found in `text`.
fn pieces_in(text: &str, secret: &str) -> Vec<String> {
    let public = if secret.starts_with(PUBLIC) { PUBLIC.len() } else { 0 };
    let pieces: std::collections::BTreeSet<&str> =
        (0..=secret.len() - PIECE).filter(|&at| at + PIECE > public).map(|at| &secret[at..at + PIECE]).collect();
    pieces.into_iter().filter(|piece| text.contains(piece)).map(str::to_string).collect()
}

fn assert_no_piece(what: &str, ran: &Ran, secrets: &[&str]) {
    assert_ne!(ran.code, Some(101), "{what}: panicked: {}", ran.stderr);
    assert_ne!(ran.code, Some(2), "{what}: could not run: {}", ran.stderr);
    for (sink, text) in ran.sinks() {
        for secret in secrets {
            let found = pieces_in(text, secret);
            assert!(found.is_empty(), "{what}: {sink} holds pieces {found:?} of a secret:\n{text}");
        }
    }
}

/// Every way of running credwiz that shows an endpoint's error text.
const RUNS: [&[&str]; 4] = [
    &["check", "--timeout", "5"],
    &["check", "--timeout", "5", "--json"],
    &["check", "--timeout", "5", "--mfa-code", "123456", "--action", "s3:ListBucket"],
    &["scan", "--timeout", "5", "--json"],
];

const TRACE: (&str, &str) = ("CREDWIZ_LOG", "trace,aws_smithy_runtime=trace,aws_config=trace");

#[test]
fn a_token_and_a_secret_split_by_a_space_in_an_error_leave_no_piece() {
    let token = token();
    for cut in [20, 33] {
        let split = |s: &str| format!("{} {}", &s[..cut], &s[cut..]);
        let message = format!("The security token {} is invalid; secret {} too", split(&token), split(SECRET));
        let fake = Fake::start(move |_| aws_error(403, "InvalidClientTokenId", &xml_escape(&message)));
        let credentials = format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {token}\nregion = us-east-1\n"
        );
        let home = home(Some(&credentials), Some("[default]\nregion = us-east-1\n"));
        for args in RUNS {
            let ran = run(home.path(), Some(&fake.url()), &[TRACE], args);
            assert_no_piece(&format!("cut at {cut}, {args:?}"), &ran, &[&token, SECRET]);
            assert!(ran.stdout.contains("****************"), "{args:?}: no mask shown:\n{}", ran.stdout);
        }
    }
}

#[test]
fn a_secret_wrapped_over_two_lines_of_process_stderr_leaves_no_piece() {
    let home = home(
        Some(&format!("[other]\naws_access_key_id = AKIAZZZZZZZZZZZZ0002\naws_secret_access_key = {SECRET}\n")),
        None,
    );
    let script = home.path().join("process.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf 'aws_secret_access_key={}\\n{}\\n' >&2\nexit 1\n", &SECRET[..20], &SECRET[20..]),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    std::fs::write(
        home.path().join(".aws/config"),
        format!("[profile proc]\ncredential_process = {}\nregion = us-east-1\n", script.display()),
    )
    .expect("config");
    for args in [
        &["check", "--timeout", "5", "--profile", "proc"][..],
        &["check", "--timeout", "5", "--profile", "proc", "--json"],
        &["scan", "--timeout", "5", "--json"],
    ] {
        let ran = run(home.path(), Some("http://127.0.0.1:9"), &[TRACE], args);
        assert_no_piece(&format!("{args:?}"), &ran, &[SECRET]);
        assert!(ran.stdout.contains("aws_secret_access_key="), "{args:?}: the stderr is not shown:\n{}", ran.stdout);
    }
}

#[test]
fn a_session_tokens_public_prefix_is_not_masked_in_other_text() {
    let token = token();
    let fake = Fake::start(|_| {
        aws_error(403, "InvalidClientTokenId", "Tokens begin IQoJb3JpZ2luX2Vj and FwoGZXIvYXdz; this one is invalid")
    });
    let credentials = format!(
        "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\naws_session_token = {token}\n"
    );
    let home = home(Some(&credentials), Some("[default]\nregion = us-east-1\n"));
    let ran = run(home.path(), Some(&fake.url()), &[], &["check", "--timeout", "5", "--json"]);
    assert!(ran.stdout.contains("Tokens begin IQoJb3JpZ2luX2Vj and FwoGZXIvYXdz"), "{}", ran.stdout);
}

#[test]
fn a_repetitive_sso_token_against_a_repetitive_body_ends_within_the_timeout() {
    let home = home(
        None,
        Some(
            "[profile sso]\nsso_session = s\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\nregion = us-east-1\n\n[sso-session s]\nsso_start_url = https://d-000000.awsapps.com/start\nsso_region = us-east-1\n",
        ),
    );
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).expect("cache dir");
    let token = "A".repeat(60_000);
    let cached = serde_json::json!({
        "accessToken": token,
        "expiresAt": "2099-01-01T00:00:00Z",
        "region": "us-east-1",
        "startUrl": "https://d-000000.awsapps.com/start",
    });
    std::fs::write(cache.join(format!("{}.json", sha1_smol::Sha1::from("s").digest())), cached.to_string())
        .expect("cache file");
    let body = serde_json::json!({ "message": format!("bad token {}", "A".repeat(200_000)) }).to_string();
    let fake = Fake::start(move |_| Answer::Http {
        status: 401,
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("x-amzn-ErrorType".into(), "UnauthorizedException".into()),
        ],
        body: body.clone().into_bytes(),
    });
    for args in [&["check", "--timeout", "5", "--profile", "sso", "--json"][..], &["scan", "--timeout", "5", "--json"]]
    {
        let ran = run(home.path(), Some(&fake.url()), &[], args);
        assert!(!fake.requests.lock().expect("requests").is_empty(), "{args:?}: the portal was never asked");
        assert_no_piece(&format!("{args:?}"), &ran, &[&token]);
        // The contract of --timeout: the run ends at most a second past it.
        assert!(ran.elapsed < Duration::from_secs(6), "{args:?} took {:?}", ran.elapsed);
    }
}
