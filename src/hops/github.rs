//! The GitHub Actions hop: in a job (`GITHUB_ACTIONS=true`) with a role to
//! assume, credwiz does what `configure-aws-credentials` does. It asks the
//! job's token endpoint for an OpenID Connect token exactly as
//! `core.getIDToken` does (GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD`,
//! the audience percent-encoded as `encodeURIComponent` does,
//! `Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, the token in the
//! JSON answer's `value`), shows its claims decoded (never the token), then
//! trades it with `AssumeRoleWithWebIdentity` as the action does (session
//! `GitHubActions`, 3600 s, no session tags). Without the two variables the
//! job lacks `permissions: id-token: write`.
//! IO: the token request (plain http, or https verified with the SDK's
//! roots) and the STS call.

use super::resolve::WebIdentitySpec;
use super::text::escape;
use super::{Cause, Context, Outcome, Stage, Status};
use crate::aws::live::Client;
use crate::base::http1::{Limits, Url};
use crate::vocabulary::SourceKind;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::{ExposeSecret, SecretString};
use std::time::{Duration, Instant};

/// What `encodeURIComponent` leaves as it is.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// configure-aws-credentials' role session name for OIDC.
pub const SESSION_NAME: &str = "GitHubActions";
/// configure-aws-credentials' session duration for OIDC (seconds).
pub const DURATION_SECONDS: i32 = 3600;
/// The audience configure-aws-credentials asks for.
pub const DEFAULT_AUDIENCE: &str = "sts.amazonaws.com";
pub use super::refusal::PERMISSIONS_BLOCK;

/// The URL `core.getIDToken(audience)` asks.
pub fn token_url(base: &str, audience: &str) -> String {
    format!("{base}&audience={}", utf8_percent_encode(audience, URI_COMPONENT))
}

/// The largest answer credwiz reads from the token endpoint.
const MAX_ANSWER: usize = 64 * 1024;

/// Asks the job's endpoint for a token.
async fn request(audience: &str, ctx: &Context<'_>, stage: &mut Stage) -> Result<SecretString, String> {
    let (Some(base), Some(bearer)) =
        (ctx.env.get("ACTIONS_ID_TOKEN_REQUEST_URL"), ctx.env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"))
    else {
        return Err(
            "GITHUB_ACTIONS=true, but ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set: the job lacks `permissions: id-token: write`, so GitHub gives it no OpenID Connect token"
                .into(),
        );
    };
    let target = Url::parse(&token_url(base, audience))
        .map_err(|why| format!("ACTIONS_ID_TOKEN_REQUEST_URL is not a URL: {why}"))?;
    stage.evidence.push(format!(
        "GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience={} ({}://{}) with Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN",
        escape(audience, 200),
        if target.is_https() { "https" } else { "http" },
        escape(&target.authority(), 200),
    ));
    let limits = Limits {
        connect: Duration::from_secs(3).min(ctx.timeout),
        answer: Duration::from_secs(5).min(ctx.timeout),
        max_body: MAX_ANSWER,
    };
    let authorization = format!("Bearer {bearer}");
    let headers = [("Authorization", authorization.as_str()), ("Accept", "application/json")];
    let answer = if target.is_https() {
        let bundle = ctx
            .env
            .get("AWS_CA_BUNDLE")
            .and_then(|p| crate::base::bounded::read_regular(std::path::Path::new(p), 1024 * 1024).ok().flatten());
        match crate::netpath::sdk_trust(bundle.as_deref(), limits.connect).await {
            Some(trust) => super::job_https::get(&target, &headers, &trust, limits).await,
            None => return Err("the system's certificate store did not load in time".into()),
        }
    } else {
        crate::base::http1::send("GET", &target, &headers, None, limits)
            .await
            .map_err(|f| super::metadata::http::describe(&f, &target, &limits))
    };
    let response = answer.map_err(|why| format!("the token endpoint did not answer: {why}"))?;
    if response.status() != 200 {
        return Err(format!(
            "the token endpoint refused: HTTP {}: {}",
            response.status(),
            super::metadata::body_excerpt(&response.body, ctx)
        ));
    }
    let json: serde_json::Value = serde_json::from_slice(&response.body)
        .map_err(|_| "the token endpoint answered HTTP 200, but not with JSON".to_string())?;
    match json.get("value").and_then(serde_json::Value::as_str) {
        Some(value) if !value.trim().is_empty() => Ok(SecretString::from(value.to_string())),
        _ => Err("the token endpoint's answer has no `value` (the ID token)".into()),
    }
}

/// Runs the hop for `spec.role_arn`, asking for a token for `audience`.
pub async fn run(
    client: &Client<aws_sdk_sts::Client>,
    spec: &WebIdentitySpec,
    audience: &str,
    ctx: &Context<'_>,
) -> Outcome {
    let mut out = Outcome::new(
        SourceKind::WebIdentity,
        format!("GitHub Actions OIDC: AssumeRoleWithWebIdentity {}", escape(&spec.role_arn, 300)),
    );
    let started = Instant::now();
    let mut stage = Stage { name: "token request".into(), status: Status::Fail, duration_ms: 0, evidence: Vec::new() };
    let token = request(audience, ctx, &mut stage).await;
    stage.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    out.note(format!("workload: {}", super::workload::Workload::GithubActions.describe()));
    let token = match token {
        Ok(token) => token,
        Err(why) => {
            // credwiz's words around escaped parts and a scrubbed answer excerpt.
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.evidence.insert(0, why);
            out.duration = started.elapsed();
            out.fail(Cause::OidcTokenUnavailable);
            out.advice = Some(format!(
                "add to the workflow (or the job): {PERMISSIONS_BLOCK}; a called workflow needs it in its caller too"
            ));
            return out;
        }
    };
    stage.status = Status::Pass;
    out.stages.push(stage);
    let call = super::web_exchange::Exchange {
        role_arn: &spec.role_arn,
        session_name: SESSION_NAME,
        duration_seconds: Some(DURATION_SECONDS),
        token: token.expose_secret(),
        requested_audience: Some(audience),
        source: "the job's token".into(),
    };
    super::web_exchange::exchange(client, call, &mut out, started, ctx).await;
    out
}

/// A GitLab CI job with a role but no token file: the SDKs have no token to
/// send. `variable`: an `id_tokens` variable that holds one (it must be
/// written to a file for the SDKs). No IO.
pub fn gitlab(spec: &WebIdentitySpec, variable: Option<&str>) -> Outcome {
    let mut out = Outcome::new(
        SourceKind::WebIdentity,
        format!("GitLab CI OIDC: AssumeRoleWithWebIdentity {}", escape(&spec.role_arn, 300)),
    );
    out.note(match variable {
        None => "GITLAB_CI=true and a role is set, but the job has no OpenID Connect token: no id_tokens: entry gives it one, and AWS_WEB_IDENTITY_TOKEN_FILE is not set".to_string(),
        Some(name) => format!(
            "the job's id_tokens token is in ${}, but the SDKs read a web identity token only from the file named by AWS_WEB_IDENTITY_TOKEN_FILE",
            escape(name, 100)
        ),
    });
    out.note(format!("workload: {}", super::workload::Workload::GitlabCi.describe()));
    out.fail(Cause::OidcTokenUnavailable);
    out.advice = Some(match variable {
        None => "add to the job: id_tokens: { AWS_ID_TOKEN: { aud: sts.amazonaws.com } }, write $AWS_ID_TOKEN to a file and set AWS_WEB_IDENTITY_TOKEN_FILE to it".into(),
        Some(name) => format!("write ${} to a file in the job's script and set AWS_WEB_IDENTITY_TOKEN_FILE to that file", escape(name, 100)),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audience_is_encoded_as_get_id_token_encodes_it() {
        assert_eq!(
            token_url("http://h/idtoken?api-version=2.0", "sts.amazonaws.com"),
            "http://h/idtoken?api-version=2.0&audience=sts.amazonaws.com"
        );
        assert_eq!(
            token_url("u?x", "https://github.com/octo org"),
            "u?x&audience=https%3A%2F%2Fgithub.com%2Focto%20org"
        );
    }
}
