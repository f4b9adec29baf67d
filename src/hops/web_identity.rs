//! The AssumeRoleWithWebIdentity hop: the token file read (bounded, regular
//! files only) and its claims decoded locally (missing, unreadable by this
//! user, empty, not a JWT, expired: found before any call), then the call
//! through an STS client the caller built, its refusals classified by
//! [`super::refusal`] (provider, audience, thumbprint, trust). A GitHub
//! Actions job gets its token from the job's endpoint instead
//! ([`super::github`]); both trade it through [`super::web_exchange`].
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
    let exchange_with = super::web_exchange::Exchange {
        role_arn: &spec.role_arn,
        session_name: &session_name,
        duration_seconds: None,
        token: raw,
        requested_audience: None,
        source: format!("the token in {}", quote(&shown)),
    };
    super::web_exchange::exchange(client, exchange_with, &mut out, started, ctx).await;
    out
}
