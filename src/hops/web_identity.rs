//! The AssumeRoleWithWebIdentity hop: the token file read (bounded, regular
//! files only) and its claims decoded locally (missing, unreadable by this
//! user, empty, not a JWT, expired: found before any call), then the call
//! through an STS client the caller built, its refusals classified by
//! [`super::refusal`] (provider, audience, thumbprint, trust). A GitHub
//! Actions job gets its token from the job's endpoint instead
//! ([`super::github`]); both share [`exchange`].
//! IO: the token file and the STS call.

use super::resolve::{JobToken, WebIdentitySpec};
use super::text::quote;
use super::{Cause, Context, Outcome, Stage, Status};
use crate::aws::live::Client;
use crate::base::bounded::{ReadError, read_regular};
use crate::vocabulary::SourceKind;
use std::path::Path;
use std::time::Instant;

/// The most credwiz reads of a token file.
const MAX_FILE: u64 = 64 * 1024;

/// Runs the hop.
pub async fn run(client: &Client<aws_sdk_sts::Client>, spec: &WebIdentitySpec, ctx: &Context<'_>) -> Outcome {
    match &spec.job_token {
        Some(JobToken::Github { audience }) => return super::github::run(client, spec, audience, ctx).await,
        Some(JobToken::Gitlab { variable }) => return super::github::gitlab(spec, variable.as_deref()),
        None => {}
    }
    let mut out = Outcome::new(
        SourceKind::WebIdentity,
        format!("AssumeRoleWithWebIdentity {}", super::text::escape(&spec.role_arn, 300)),
    );
    let started = Instant::now();
    let path = Path::new(&spec.token_file);
    let shown = crate::base::display::display_path(ctx.env, path);
    let mut stage = Stage { name: "token file".into(), status: Status::Fail, duration_ms: 0, evidence: Vec::new() };
    let read = read_regular(path, MAX_FILE);
    let problem = match &read {
        Ok(None) => Some((Cause::WebIdentityTokenInvalid, format!("the token file {} does not exist", quote(&shown)))),
        Err(ReadError::Io(e)) if super::access::is_denied(e) => Some((
            Cause::WebIdentityTokenUnreadable,
            format!("the token file {}", super::access::describe_denied(path, &quote(&shown))),
        )),
        Err(ReadError::Io(e)) => Some((
            Cause::WebIdentityTokenInvalid,
            format!("the token file {} cannot be read: {}", quote(&shown), ctx.safe(&e.to_string(), 200)),
        )),
        Err(e) => Some((Cause::WebIdentityTokenInvalid, format!("the token file {}: {e}", quote(&shown)))),
        Ok(Some(bytes)) if bytes.iter().all(u8::is_ascii_whitespace) => {
            Some((Cause::WebIdentityTokenInvalid, format!("the token file {} is empty", quote(&shown))))
        }
        Ok(Some(bytes)) if std::str::from_utf8(bytes).is_err() => Some((
            Cause::WebIdentityTokenInvalid,
            format!("the token file {} is not UTF-8 text (the SDK refuses it)", quote(&shown)),
        )),
        Ok(Some(_)) => None,
    };
    if let Some(workload) = super::workload::of_web_identity(None, Some(&spec.token_file), ctx.env) {
        out.note(format!("workload: {}", workload.describe()));
    }
    let token = match (problem, read) {
        (Some((cause, why)), _) => {
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.evidence.insert(0, why);
            out.duration = started.elapsed();
            out.fail(cause);
            if cause == Cause::WebIdentityTokenUnreadable {
                out.advice = Some(
                    "run as a user that can read the token: set securityContext.fsGroup (or runAsUser) in the pod spec"
                        .into(),
                );
            }
            return out;
        }
        (None, Ok(Some(bytes))) => secrecy::SecretString::from(String::from_utf8_lossy(&bytes).into_owned()),
        (None, _) => return out,
    };
    use secrecy::ExposeSecret;
    let raw = token.expose_secret();
    if raw.trim().len() != raw.len() {
        stage.evidence.push("the file has spaces or a newline around the token; the SDK sends them as they are".into());
    }
    stage.status = Status::Pass;
    out.stages.push(stage);
    let session_name = spec.session_name.clone().unwrap_or_else(|| {
        let base = if spec.from_env { "web-identity-token" } else { "web-identity-token-profile" };
        super::assume_role::default_session_name(base, ctx.now)
    });
    let exchange_with = Exchange {
        role_arn: &spec.role_arn,
        session_name: &session_name,
        duration_seconds: None,
        token: raw,
        requested_audience: None,
        source: format!("the token in {}", quote(&shown)),
    };
    exchange(client, exchange_with, &mut out, started, ctx).await;
    out
}

/// One AssumeRoleWithWebIdentity: the role, the session, the token and where it came from.
pub struct Exchange<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub duration_seconds: Option<i32>,
    /// The token itself: sent, never shown.
    pub token: &'a str,
    /// The audience credwiz asked for (a GitHub job), for the evidence.
    pub requested_audience: Option<&'a str>,
    /// Where the token came from, for messages.
    pub source: String,
}

/// Decodes the token's claims (a failure or an expired token ends the hop),
/// then trades it for credentials and classifies a refusal.
pub async fn exchange(
    client: &Client<aws_sdk_sts::Client>,
    call: Exchange<'_>,
    out: &mut Outcome,
    started: Instant,
    ctx: &Context<'_>,
) {
    let mut stage = Stage { name: "claims".into(), status: Status::Fail, duration_ms: 0, evidence: Vec::new() };
    let claims = match super::jwt::decode(call.token) {
        Err(e) => {
            let why = format!("{} is unusable: {}", call.source, e.describe());
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.evidence.insert(0, why);
            out.duration = started.elapsed();
            out.fail(Cause::WebIdentityTokenInvalid);
            return;
        }
        Ok(claims) => claims,
    };
    stage.evidence.push("decoded locally, not verified".into());
    if let Some(line) = super::workload::of_web_identity(claims.iss.as_deref(), None, ctx.env)
        .map(|w| format!("workload: {}", w.describe()))
        && !out.evidence.contains(&line)
    {
        out.note(line);
    }
    if let Some(both) = super::workload::both_note(ctx.env) {
        out.note(both);
    }
    out.claims = Some(claims.clone());
    if claims.is_expired(ctx.now) {
        let why = format!(
            "the token expired at {} (exp, decoded locally without verifying); this computer's clock says {}",
            claims.expires_at().map(|e| e.to_rfc3339()).unwrap_or_default(),
            ctx.now.to_rfc3339()
        );
        stage.evidence.push(why.clone());
        out.stages.push(stage);
        out.evidence.insert(0, why);
        out.note("the token's source (the Kubernetes service account projection, the CI job) must write a fresh one");
        out.duration = started.elapsed();
        out.fail(Cause::WebIdentityTokenInvalid);
        return;
    }
    stage.status = Status::Pass;
    out.stages.push(stage);
    out.evidence.extend(claims.describe());
    let result = client
        .call(
            {
                client
                    .api
                    .assume_role_with_web_identity()
                    .role_arn(call.role_arn)
                    .role_session_name(call.session_name)
                    .set_duration_seconds(call.duration_seconds)
                    .web_identity_token(call.token)
                    .send()
            },
            |o| super::assume_role::sts_credentials(o.credentials(), o.assumed_role_user().map(|u| u.arn())),
        )
        .await;
    out.duration = started.elapsed();
    if super::sts_error::record_success(&result, out, call.role_arn) {
        return;
    }
    refused(&result, out, &claims, &call, ctx);
}

/// Classifies STS's refusal of the token.
fn refused(
    result: &crate::aws::live::Call<Option<super::HopCredentials>>,
    out: &mut Outcome,
    claims: &super::jwt::Claims,
    call: &Exchange<'_>,
    ctx: &Context<'_>,
) {
    // An expired *token* is not expired credentials of a hop before: no common mapping.
    if let Err(crate::aws::live::Failure::Aws(error)) = &result.result
        && matches!(error.code.as_deref(), Some("ExpiredTokenException" | "ExpiredToken"))
    {
        out.error_code = error.code.clone();
        out.note(format!("AWS answered {}", ctx.safe(&error.describe(), 600)));
        out.note("STS says the token expired (its clock against the token's exp)");
        out.fail(Cause::WebIdentityTokenInvalid);
        return;
    }
    let Some(error) = super::sts_error::record_failure(result, out, ctx) else { return };
    let code = error.code.as_deref().unwrap_or_default();
    let message = error.message.as_deref().unwrap_or_default();
    if let Some(refusal) =
        super::refusal::classify(code, message, Some(claims), Some(call.role_arn), call.requested_audience)
    {
        out.fail(refusal.cause);
        // The notes and the fix are credwiz's words around escaped claims: not scrubbed as outside text.
        let mut notes = refusal.notes.into_iter();
        if let Some(first) = notes.next() {
            out.evidence.insert(0, first);
        }
        out.evidence.extend(notes);
        out.advice = refusal.fix;
        return;
    }
    match code {
        "InvalidIdentityToken" | "InvalidIdentityTokenException" | "IDPRejectedClaim" | "IDPRejectedClaimException" => {
            out.fail(Cause::WebIdentityTokenInvalid);
            out.note(
                "STS refused the token: check that its issuer (iss) is an OIDC provider registered in IAM with this audience (aud), and that the provider's keys are reachable",
            );
        }
        "IDPCommunicationError" | "IDPCommunicationErrorException" => {
            out.fail(Cause::WebIdentityTokenInvalid);
            out.note("STS could not reach the token issuer to verify it");
        }
        "ValidationError" if message.contains("MaxSessionDuration") => out.fail(Cause::RoleDurationTooLong),
        "ValidationError" => out.fail(Cause::RoleConfigInvalid),
        _ => {}
    }
}
