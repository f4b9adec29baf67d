//! Bounded answers and honest failures (issue 9, items 6, 7 and 10): a 1 GB
//! error body, streamed or declared, costs a megabyte and moments, not
//! minutes and gigabytes; a 404 page, a redirect or an HTML 200 from
//! something that is not AWS is never reported as "AWS answered"; a control
//! character in a key id or token is a report with exit 1, never a panic (101).

mod trust_support;

use std::time::Duration;
use trust_support::{Answer, Fake, assert_terminal_safe, home, run};

const KEYS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "AKIAI44QH8DHBEXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
    ("AWS_REGION", "us-east-1"),
];

const GIB: u64 = 1024 * 1024 * 1024;
/// What one connection may have taken before credwiz stopped reading: the
/// 1 MiB limit plus what the kernel buffers on loopback (a few MB).
const CHEAP: u64 = 16 * 1024 * 1024;

/// Every string of a JSON value, one per line.
fn strings(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => format!("{s}\n"),
        serde_json::Value::Array(items) => items.iter().map(strings).collect(),
        serde_json::Value::Object(map) => map.values().map(strings).collect(),
        _ => String::new(),
    }
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

#[test]
fn a_gigabyte_answer_costs_a_megabyte() {
    let prefix = b"<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>".to_vec();
    for (status, chunked) in [(403, true), (403, false), (200, true)] {
        let prefix = prefix.clone();
        let fake =
            Fake::start(move |_| Answer::Stream { status, prefix: prefix.clone(), filler: b'A', total: GIB, chunked });
        let home = home(None, None);
        let ran = run(home.path(), Some(&fake.url()), &KEYS, &["check", "--json", "--timeout", "30"]);
        // The counts are final once each connection is closed: credwiz has exited.
        std::thread::sleep(Duration::from_millis(200));
        let sent = fake.most_on_one.load(std::sync::atomic::Ordering::Relaxed);
        let what = format!("HTTP {status}, chunked {chunked}");
        let total = fake.sent.load(std::sync::atomic::Ordering::Relaxed);
        eprintln!("{what}: at most {sent} bytes on one connection, {total} in all; credwiz took {:?}", ran.elapsed);
        assert!(sent < CHEAP, "{what}: one connection took {sent} bytes before credwiz stopped reading");
        assert!(ran.elapsed < Duration::from_secs(20), "{what}: took {:?}", ran.elapsed);
        assert_eq!(ran.code, Some(1), "{what}: {}", ran.stderr);
        let report = json(&ran.stdout);
        let text = strings(&report);
        assert!(!text.contains("AWS said") && !text.contains("AWS answered"), "{what}: {text}");
        assert!(text.contains("1024 KiB"), "{what}: the limit is not named: {text}");
        assert!(text.len() < 64 * 1024, "{what}: the report holds the body");
    }
}

#[test]
fn a_server_that_is_not_aws_is_not_reported_as_aws() {
    type Case = (&'static str, fn() -> Answer);
    let answers: Vec<Case> = vec![
        ("HTTP 404 with text/html titled \"Not Found\"", || {
            Answer::with_type(404, "text/html; charset=utf-8", "<html><head><title>Not Found</title></head></html>")
        }),
        ("HTTP 307, a redirect to https://login.example/sso", || Answer::Http {
            status: 307,
            headers: vec![("Location".into(), "https://login.example/sso".into())],
            body: Vec::new(),
        }),
        ("HTTP 200 with text/html", || {
            Answer::with_type(200, "text/html", "<html><body>Welcome to nginx!</body></html>")
        }),
        ("HTTP 502 with text/plain", || Answer::with_type(502, "text/plain", "Bad Gateway")),
    ];
    for (expected, answer) in answers {
        let fake = Fake::start(move |_| answer());
        let home = home(None, None);
        let ran = run(home.path(), Some(&fake.url()), &KEYS, &["check", "--json", "--timeout", "5"]);
        let report = json(&ran.stdout);
        let text = strings(&report);
        assert!(!text.contains("AWS said") && !text.contains("AWS answered"), "{expected}: {text}");
        assert!(text.contains(expected) && text.contains("not an AWS"), "{expected} not in the evidence: {text}");
        let primary = report["causes"][0]["cause"].as_str().unwrap_or_default().to_string();
        assert!(primary.starts_with("endpoint-"), "{expected}: primary cause {primary}");
        assert_eq!(ran.code, Some(1));
    }
}

#[test]
fn a_control_character_in_a_key_id_or_token_is_a_report_not_a_panic() {
    let fake = Fake::start(|_| trust_support::aws_error(403, "InvalidClientTokenId", "invalid"));
    for (name, id, token) in [
        ("key id with SOH", "AKIA\u{1}IOSFODNN7EXAMPLE", None),
        ("key id with ESC", "AKIA\u{1b}[2JIOSFODNN7EXAMPLE", None),
        ("key id with DEL", "AKIAIOSFODNN7EXAMPL\u{7f}", None),
        ("token with a line break", "ASIAIOSFODNN7EXAMPLE", Some("canary-token\nInjected: header")),
    ] {
        let home = home(None, None);
        let mut env = vec![
            ("AWS_ACCESS_KEY_ID", id),
            ("AWS_SECRET_ACCESS_KEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"),
            ("AWS_REGION", "us-east-1"),
        ];
        if let Some(token) = token {
            env.push(("AWS_SESSION_TOKEN", token));
        }
        let readable = run(home.path(), Some(&fake.url()), &env, &["check", "--timeout", "5"]);
        assert_eq!(readable.code, Some(1), "{name}: {}\n{}", readable.stdout, readable.stderr);
        assert!(readable.stdout.contains("Primary cause"), "{name}: no report: {}", readable.stdout);
        assert_terminal_safe(name, &readable.stdout);
        assert_terminal_safe(name, &readable.stderr);
        let ran = run(home.path(), Some(&fake.url()), &env, &["check", "--json", "--timeout", "5"]);
        assert_eq!(ran.code, Some(1), "{name}: {}", ran.stderr);
        json(&ran.stdout);
    }
    // The same key id in the credentials file.
    let home = home(
        Some(
            "[default]\naws_access_key_id = AKIA\u{7}IOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n",
        ),
        Some("[default]\nregion = us-east-1\n"),
    );
    let ran = run(home.path(), Some(&fake.url()), &[], &["check", "--timeout", "5"]);
    assert_eq!(ran.code, Some(1), "{}\n{}", ran.stdout, ran.stderr);
    assert_terminal_safe("stdout", &ran.stdout);
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    // `credwiz check | head -c 1`: the reader goes away before the report is written.
    let fake = Fake::start(|_| trust_support::aws_error(403, "InvalidClientTokenId", "invalid"));
    let home = home(None, None);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_credwiz"))
        .args(["check", "--timeout", "5"])
        .env_clear()
        .env("HOME", home.path())
        .env("CREDWIZ_LOG_DIR", home.path().join("log"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", fake.url())
        .envs(KEYS)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run credwiz");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
