//! The `login_session` hop (`aws login`): the console session's token cache,
//! `AWS_LOGIN_CACHE_DIRECTORY` or `~/.aws/login/cache`, file named by the
//! sha256 of the trimmed session ARN (aws-config's `login/cache.rs`), read
//! within a size limit and parsed with the SDK's required fields; a missing
//! or expired session is `login-session-expired`. credwiz does not refresh
//! it: that needs the Sign-In service and a DPoP key, which aws-config only
//! has with its `credentials-login` feature. IO: reads the cache file.

use super::json;
use super::resolve::LoginSpec;
use super::text::quote;
use super::{Cause, Context, HopCredentials, Outcome, Stage, Status, ToolDifference};
use crate::base::bounded::read_regular;
use crate::base::environment::Environment;
use crate::vocabulary::SourceKind;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::time::Instant;

/// The SDK refreshes a login token this long before it expires.
const REFRESH_BUFFER_SECS: i64 = 5 * 60;

/// The cache file of a session ARN.
pub fn cache_path(env: &Environment, session_arn: &str) -> Option<PathBuf> {
    let dir = match env.get("AWS_LOGIN_CACHE_DIRECTORY") {
        Some(dir) => PathBuf::from(dir),
        None => env.home()?.join(".aws/login/cache"),
    };
    let digest = Sha256::digest(session_arn.trim().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(dir.join(format!("{hex}.json")))
}

/// Parses the cache document as the SDK requires it (field names ignore case).
pub fn parse(bytes: &[u8]) -> Result<HopCredentials, String> {
    let map = json::parse_object(bytes).map_err(|p| p.describe())?;
    let token = json::get_ci(&map, "accessToken").and_then(|v| v.as_object());
    let inner = |name: &str| token.and_then(|t| json::get_str(t, name).ok().flatten()).map(str::to_string);
    let outer = |name: &str| json::get_str(&map, name).ok().flatten().map(str::to_string);
    let required = |value: Option<String>, name: &str| value.ok_or(format!("`{name}` is missing"));
    let access_key_id = required(inner("accessKeyId"), "accessToken.accessKeyId")?;
    let secret = required(inner("secretAccessKey"), "accessToken.secretAccessKey")?;
    let session = required(inner("sessionToken").or_else(|| inner("token")), "accessToken.sessionToken")?;
    let account_id = required(inner("accountId"), "accessToken.accountId")?;
    required(outer("clientId"), "clientId")?;
    required(outer("dpopKey"), "dpopKey")?;
    required(outer("refreshToken"), "refreshToken")?;
    let expires = required(inner("expiresAt").or_else(|| inner("expiration")), "accessToken.expiresAt")?;
    let expiration = DateTime::parse_from_rfc3339(expires.trim())
        .map_err(|_| "`accessToken.expiresAt` is not an RFC 3339 time".to_string())?
        .with_timezone(&Utc);
    Ok(HopCredentials {
        access_key_id,
        secret_access_key: SecretString::from(secret),
        session_token: Some(SecretString::from(session)),
        expiration: Some(expiration),
        account_id: Some(account_id),
        assumed_role_arn: None,
        role_session: false,
    })
}

/// Runs the hop.
pub fn run(spec: &LoginSpec, ctx: &Context<'_>) -> Outcome {
    let started = Instant::now();
    let mut out =
        Outcome::new(SourceKind::Login, format!("aws login session {}", super::text::escape(&spec.session_arn, 300)));
    out.differences.push(ToolDifference {
        topic: "login_session".into(),
        fails_in: None,
        note: "the SDKs refresh an expiring console session with its refresh token (Sign-In CreateOAuth2Token); credwiz only reads the cache".into(),
    });
    let Some(path) = cache_path(ctx.env, &spec.session_arn) else {
        out.note("no home directory and no AWS_LOGIN_CACHE_DIRECTORY: the login cache cannot be found");
        out.fail(Cause::LoginSessionExpired);
        return out;
    };
    let shown = crate::base::display::display_path(ctx.env, &path);
    let mut stage = Stage { name: "login cache".into(), status: Status::Fail, duration_ms: 0, evidence: Vec::new() };
    let outcome = match read_regular(&path, 64 * 1024) {
        Ok(None) => Err(format!(
            "no cached console session at {}: not logged in with `aws login` on this computer",
            quote(&shown)
        )),
        Ok(Some(bytes)) => parse(&bytes)
            .map_err(|why| format!("the login cache {} is unusable: {}", quote(&shown), ctx.safe(&why, 200))),
        Err(e) => Err(format!("the login cache {} cannot be read: {}", quote(&shown), ctx.safe(&e.to_string(), 200))),
    };
    stage.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(0);
    out.duration = started.elapsed();
    let credentials = match outcome {
        Ok(c) => c,
        Err(why) => {
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.note(why);
            out.note("log in again: `aws login`");
            out.fail(Cause::LoginSessionExpired);
            return out;
        }
    };
    let expires = credentials.expiration.unwrap_or(ctx.now);
    let left = (expires - ctx.now).num_seconds();
    let line = format!("{}: session credentials until {}", shown, expires.to_rfc3339());
    stage.evidence.push(line.clone());
    out.note(line);
    if left <= 0 {
        stage.evidence.push("expired".into());
        out.stages.push(stage);
        out.note("the console session expired: log in again with `aws login` (an SDK with credentials-login would first try its refresh token)");
        out.fail(Cause::LoginSessionExpired);
        return out;
    }
    stage.status = Status::Pass;
    out.stages.push(stage);
    out.pass(credentials);
    if left <= REFRESH_BUFFER_SECS {
        out.status = Status::Warn;
        out.note(format!("it expires in {left} s: the SDK would refresh it now"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_file_is_the_sha256_of_the_trimmed_arn() {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/home/someuser".into()));
        let want = PathBuf::from(
            "/home/someuser/.aws/login/cache/36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json",
        );
        assert_eq!(cache_path(&env, "arn:aws:iam::0123456789012:user/Admin"), Some(want.clone()));
        assert_eq!(cache_path(&env, "  arn:aws:iam::0123456789012:user/Admin  "), Some(want));
        let env = Environment::from_pairs([("AWS_LOGIN_CACHE_DIRECTORY", "/c")], None);
        assert!(cache_path(&env, "x").is_some_and(|p| p.starts_with("/c")));
    }

    #[test]
    fn required_fields_as_the_sdk() {
        let doc = br#"{"accessToken": {"accessKeyId": "AKID", "secretAccessKey": "S", "sessionToken": "T",
            "accountId": "123456789012", "expiresAt": "2021-12-25T21:30:00Z"}, "tokenType": "aws_sigv4", "dpopKey": "k",
            "refreshToken": "r"}"#;
        assert_eq!(parse(doc).err(), Some("`clientId` is missing".into()));
    }
}
