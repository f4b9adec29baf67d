//! The IAM Identity Center hop against a fake portal and SSO-OIDC on
//! 127.0.0.1 (routed by path, as the SDK sends them with an endpoint
//! override): a valid token, a missing or expired cache, the SDK's refresh
//! (the cache rewritten, mode 0600), a refused refresh, an expired client
//! registration, "No access" with the assigned pairs listed, the legacy
//! style. No token from the cache ever shows.

mod hops_fakes;

use credwiz::base::environment::Environment;
use credwiz::hops::resolve::SsoSpec;
use credwiz::hops::sso::{self, cache};
use credwiz::hops::{Cause, Context, Outcome, Scrubber, SdkClients, Status};
use hops_fakes::{Fake, Reply};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

const START_URL: &str = "https://d-90670ca6ea.awsapps.com/start";
const VALID: [&str; 2] = ["at-valid-SECRET-ACCESS-TOKEN", "at-refreshed-SECRET-TOKEN"];

fn portal() -> Fake {
    Fake::start(|req| match req.path() {
        "/token" => {
            let body: serde_json::Value = serde_json::from_str(&req.body).unwrap_or_default();
            if body["clientSecret"] != "cs-SECRET-CLIENT" {
                return Reply::json_error(401, "InvalidClientException", "Invalid client provided");
            }
            if body["grantType"] != "refresh_token" || body["refreshToken"] != "rt-SECRET-REFRESH" {
                return Reply::json_error(400, "InvalidGrantException", "Invalid refresh token provided");
            }
            Reply::json(
                200,
                r#"{"accessToken": "at-refreshed-SECRET-TOKEN", "expiresIn": 28800, "refreshToken": "rt-SECRET-NEW", "tokenType": "Bearer"}"#,
            )
        }
        path => {
            let token = req.header("x-amz-sso_bearer_token").unwrap_or_default();
            if !VALID.contains(&token) {
                return Reply::json_error(401, "UnauthorizedException", "Session token not found or invalid");
            }
            match path {
                "/federation/credentials" => {
                    if req.query("account_id").as_deref() == Some("123456789012")
                        && req.query("role_name").as_deref() == Some("ReadOnly")
                    {
                        Reply::json(
                            200,
                            r#"{"roleCredentials": {"accessKeyId": "ASIASSOEXAMPLE", "secretAccessKey": "sso-SECRET-KEY", "sessionToken": "sso-SECRET-SESSION", "expiration": 4102444800000}}"#,
                        )
                    } else {
                        Reply::json_error(403, "ForbiddenException", "No access")
                    }
                }
                "/assignment/accounts" => Reply::json(
                    200,
                    r#"{"accountList": [{"accountId": "123456789012", "accountName": "lab", "emailAddress": "a@example.com"}, {"accountId": "210987654321", "accountName": "prod", "emailAddress": "b@example.com"}]}"#,
                ),
                "/assignment/roles" => {
                    let account = req.query("account_id").unwrap_or_default();
                    Reply::json(
                        200,
                        &format!(r#"{{"roleList": [{{"roleName": "ReadOnly", "accountId": "{account}"}}]}}"#),
                    )
                }
                _ => Reply::json(404, "{}"),
            }
        }
    })
}

struct World {
    home: tempfile::TempDir,
    env: Environment,
}

fn world() -> World {
    let home = tempfile::tempdir().expect("home");
    let env = hops_fakes::env(home.path(), &[]);
    World { home, env }
}

fn stamp(offset_secs: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset_secs)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Writes a cache file as the AWS CLI does.
fn write_cache(
    w: &World,
    identifier: &str,
    token: &str,
    expires_in: i64,
    refresh: Option<(&str, i64)>,
) -> std::path::PathBuf {
    let path = cache::path(&w.env, identifier).expect("path");
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    let mut doc = serde_json::json!({"startUrl": START_URL, "region": "us-east-1", "accessToken": token, "expiresAt": stamp(expires_in)});
    if let Some((refresh_token, registration)) = refresh {
        doc["refreshToken"] = refresh_token.into();
        doc["clientId"] = "cid".into();
        doc["clientSecret"] = "cs-SECRET-CLIENT".into();
        doc["registrationExpiresAt"] = stamp(registration).into();
    }
    std::fs::write(&path, doc.to_string()).expect("cache");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    path
}

fn spec(session: Option<&str>, role: &str) -> SsoSpec {
    SsoSpec {
        session_name: session.map(str::to_string),
        start_url: START_URL.into(),
        region: "us-east-1".into(),
        account_id: "123456789012".into(),
        role_name: role.into(),
    }
}

async fn run(w: &World, fake: &Fake, spec: &SsoSpec) -> (Outcome, String) {
    let scrubber = Scrubber::new();
    let ctx = Context::new(&w.env, Duration::from_secs(5), &scrubber);
    let clients = SdkClients::new(hops_fakes::sdk_config(&fake.url()), None);
    let out = sso::run(&clients, spec, Some("dev"), &ctx).await;
    let text = format!("{out:?}");
    assert!(!text.contains("SECRET"), "a token or key from the cache or portal shows: {text}");
    (out, text)
}

#[tokio::test]
async fn a_valid_cached_token_gets_role_credentials() {
    let (w, fake) = (world(), portal());
    write_cache(&w, "corp", VALID[0], 8 * 3600, Some(("rt-SECRET-REFRESH", 86400)));
    let (out, _) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.status, Status::Pass);
    assert_eq!(out.credentials.as_ref().map(|c| c.access_key_id.as_str()), Some("ASIASSOEXAMPLE"));
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths, vec!["/federation/credentials"], "no refresh for a fresh token");
}

#[tokio::test]
async fn sso_session_expired_without_a_call_when_the_sdk_cannot_refresh() {
    let (w, fake) = (world(), portal());
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.cause, Some(Cause::SsoSessionExpired));
    assert!(text.contains("no cached SSO token") && text.contains("aws sso login --profile dev"), "{text}");
    write_cache(&w, "corp", "at-old-SECRET", -3600, None);
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.cause, Some(Cause::SsoSessionExpired));
    assert!(text.contains("cannot be refreshed"), "{text}");
    // A refresh token, but the client registration expired: the SDK does not try.
    write_cache(&w, "corp", "at-old-SECRET", -3600, Some(("rt-SECRET-REFRESH", -60)));
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.cause, Some(Cause::SsoSessionExpired));
    assert!(text.contains("registration expired"), "{text}");
    assert!(fake.requests().is_empty(), "the SDK fails fast here, and so does credwiz");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_cache_rewritten_as_the_sdk_does() {
    let (w, fake) = (world(), portal());
    let path = write_cache(&w, "corp", "at-old-SECRET", -3600, Some(("rt-SECRET-REFRESH", 86400)));
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.status, Status::Pass, "{text}");
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths, vec!["/token", "/federation/credentials"]);
    assert_eq!(fake.requests()[1].header("x-amz-sso_bearer_token"), Some(VALID[1]), "the new token is used");
    let rewritten = cache::load(&path).expect("cache");
    assert!(rewritten.expires_at > chrono::Utc::now() + chrono::Duration::hours(7));
    let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    assert_eq!(doc["refreshToken"], "rt-SECRET-NEW");
    assert_eq!(doc["startUrl"], START_URL);
    assert!(text.contains("the cache file was rewritten"), "{text}");
    drop(w.home);
}

#[tokio::test]
async fn sso_session_expired_when_the_refresh_is_refused() {
    let (w, fake) = (world(), portal());
    let path = write_cache(&w, "corp", "at-old-SECRET", -3600, Some(("rt-SECRET-REVOKED", 86400)));
    let before = std::fs::read(&path).expect("read");
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "ReadOnly")).await;
    assert_eq!(out.cause, Some(Cause::SsoSessionExpired));
    assert!(text.contains("InvalidGrantException"), "{text}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "a refused refresh leaves the cache alone");
    // As the SDK, the old token is still sent, and the portal refuses it.
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths, vec!["/token", "/federation/credentials"]);
}

#[tokio::test]
async fn sso_no_access_lists_the_assigned_pairs() {
    let (w, fake) = (world(), portal());
    write_cache(&w, "corp", VALID[0], 8 * 3600, None);
    let (out, text) = run(&w, &fake, &spec(Some("corp"), "Admin")).await;
    assert_eq!(out.cause, Some(Cause::SsoNoAccess));
    let pairs: Vec<(&str, &str)> =
        out.assignments.iter().map(|a| (a.account_id.as_str(), a.role_name.as_str())).collect();
    assert_eq!(pairs, vec![("123456789012", "ReadOnly"), ("210987654321", "ReadOnly")]);
    assert!(text.contains("assigned: account 210987654321 (prod) role ReadOnly"), "{text}");
}

#[tokio::test]
async fn legacy_profiles_use_the_start_url_cache_and_send_even_an_expired_token() {
    let (w, fake) = (world(), portal());
    let path = write_cache(&w, START_URL, "at-legacy-SECRET-expired", -60, None);
    assert!(path.ends_with(".aws/sso/cache/720e9f505364d838b3e4f31159b9811f7e8c4805.json"), "sha1 of the start URL");
    let (out, text) = run(&w, &fake, &spec(None, "ReadOnly")).await;
    assert_eq!(out.cause, Some(Cause::SsoSessionExpired), "{text}");
    assert_eq!(fake.requests().len(), 1, "the Rust SDK sends it; the portal decides");
    write_cache(&w, START_URL, VALID[0], 3600, None);
    let (out, _) = run(&w, &fake, &spec(None, "ReadOnly")).await;
    assert_eq!(out.status, Status::Pass);
}
