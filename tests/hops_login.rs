//! The `login_session` hop (`aws login`): the console session cache under
//! `AWS_LOGIN_CACHE_DIRECTORY` or `~/.aws/login/cache`, named by the sha256
//! of the trimmed session ARN; valid, about to expire, expired, missing,
//! unusable. No credential from the cache ever shows.

mod hops_fakes;

use credwiz::hops::login;
use credwiz::hops::resolve::LoginSpec;
use credwiz::hops::{Cause, Context, Outcome, Scrubber, Status};
use std::time::Duration;

const ARN: &str = "arn:aws:iam::123456789012:user/Admin";

fn document(expires_in: i64) -> String {
    let at =
        (chrono::Utc::now() + chrono::Duration::seconds(expires_in)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    format!(
        r#"{{"accessToken": {{"accessKeyId": "ASIALOGIN", "secretAccessKey": "login-SECRET-KEY", "sessionToken": "login-SECRET-TOKEN", "accountId": "123456789012", "expiresAt": "{at}"}}, "tokenType": "aws_sigv4", "refreshToken": "login-SECRET-REFRESH", "clientId": "arn:aws:signin:::devtools/same-device", "dpopKey": "-----BEGIN EC PRIVATE KEY-----\nSECRET\n-----END EC PRIVATE KEY-----\n"}}"#
    )
}

fn run(pairs: &[(&str, &str)], home: &std::path::Path) -> (Outcome, String) {
    let env = hops_fakes::env(home, pairs);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let out = login::run(&LoginSpec { session_arn: format!("  {ARN} ") }, &ctx);
    let text = format!("{out:?}");
    assert!(!text.contains("SECRET"), "{text}");
    (out, text)
}

fn write(home: &std::path::Path, doc: &str) {
    let env = hops_fakes::env(home, &[]);
    let path = login::cache_path(&env, ARN).expect("path");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(path, doc).expect("write");
}

#[test]
fn a_valid_console_session_gives_its_credentials() {
    let home = tempfile::tempdir().expect("home");
    write(home.path(), &document(3600));
    let (out, _) = run(&[], home.path());
    assert_eq!(out.status, Status::Pass);
    let creds = out.credentials.expect("credentials");
    assert_eq!((creds.access_key_id.as_str(), creds.account_id.as_deref()), ("ASIALOGIN", Some("123456789012")));
    write(home.path(), &document(120));
    let (out, text) = run(&[], home.path());
    assert_eq!(out.status, Status::Warn, "about to expire: the SDK would refresh it now: {text}");
}

#[test]
fn login_session_expired_missing_or_unusable() {
    let home = tempfile::tempdir().expect("home");
    let (out, text) = run(&[], home.path());
    assert_eq!(out.cause, Some(Cause::LoginSessionExpired));
    assert!(text.contains("aws login"), "{text}");
    write(home.path(), &document(-60));
    let (out, text) = run(&[], home.path());
    assert_eq!(out.cause, Some(Cause::LoginSessionExpired));
    assert!(text.contains("expired"), "{text}");
    write(home.path(), r#"{"accessToken": {"accessKeyId": "A"}}"#);
    let (out, text) = run(&[], home.path());
    assert_eq!(out.cause, Some(Cause::LoginSessionExpired));
    assert!(text.contains("accessToken.secretAccessKey"), "{text}");
}

#[test]
fn the_cache_directory_variable_wins() {
    let home = tempfile::tempdir().expect("home");
    let elsewhere = tempfile::tempdir().expect("dir");
    let dir = elsewhere.path().display().to_string();
    let env = hops_fakes::env(home.path(), &[("AWS_LOGIN_CACHE_DIRECTORY", &dir)]);
    let path = login::cache_path(&env, ARN).expect("path");
    assert!(path.starts_with(elsewhere.path()));
    std::fs::write(&path, document(3600)).expect("write");
    let (out, _) = run(&[("AWS_LOGIN_CACHE_DIRECTORY", &dir)], home.path());
    assert_eq!(out.status, Status::Pass);
}
