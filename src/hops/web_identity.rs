//! The AssumeRoleWithWebIdentity hop: the token file read (bounded, regular
//! files only) and its claims decoded locally (missing, unreadable, empty,
//! not a JWT, expired: `web-identity-token-invalid` before any call), then
//! the call through an STS client the caller built, its refusals classified
//! (InvalidIdentityToken, ExpiredTokenException, the trust, durations).
//! IO: the token file and the STS call.

use super::resolve::WebIdentitySpec;
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
        Ok(None) => Some(format!("the token file {} does not exist", quote(&shown))),
        Err(ReadError::Io(e)) => {
            Some(format!("the token file {} cannot be read: {}", quote(&shown), ctx.safe(&e.to_string(), 200)))
        }
        Err(e) => Some(format!("the token file {}: {e}", quote(&shown))),
        Ok(Some(bytes)) if bytes.iter().all(u8::is_ascii_whitespace) => {
            Some(format!("the token file {} is empty", quote(&shown)))
        }
        Ok(Some(bytes)) if std::str::from_utf8(bytes).is_err() => {
            Some(format!("the token file {} is not UTF-8 text (the SDK refuses it)", quote(&shown)))
        }
        Ok(Some(_)) => None,
    };
    let token = match (problem, read) {
        (Some(why), _) => {
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.note(why);
            out.duration = started.elapsed();
            out.fail(Cause::WebIdentityTokenInvalid);
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
    match super::jwt::decode(raw) {
        Err(e) => {
            let why = format!("the token in {} is unusable: {}", quote(&shown), e.describe());
            stage.evidence.push(why.clone());
            out.stages.push(stage);
            out.note(why);
            out.duration = started.elapsed();
            out.fail(Cause::WebIdentityTokenInvalid);
            return out;
        }
        Ok(claims) => {
            stage.evidence.extend(claims.describe());
            if claims.is_expired(ctx.now) {
                let why = format!(
                    "the token expired at {} (exp, decoded locally without verifying); this computer's clock says {}",
                    claims.expires_at().map(|e| e.to_rfc3339()).unwrap_or_default(),
                    ctx.now.to_rfc3339()
                );
                stage.evidence.push(why.clone());
                out.stages.push(stage);
                out.note(why);
                out.note(
                    "the token's source (the Kubernetes service account projection, the CI job) must write a fresh one",
                );
                out.duration = started.elapsed();
                out.fail(Cause::WebIdentityTokenInvalid);
                return out;
            }
            stage.status = Status::Pass;
            out.stages.push(stage);
            out.evidence.extend(claims.describe());
        }
    }
    let session_name = spec.session_name.clone().unwrap_or_else(|| {
        let base = if spec.from_env { "web-identity-token" } else { "web-identity-token-profile" };
        super::assume_role::default_session_name(base, ctx.now)
    });
    let result = client
        .call(
            {
                client
                    .api
                    .assume_role_with_web_identity()
                    .role_arn(&spec.role_arn)
                    .role_session_name(&session_name)
                    .web_identity_token(raw)
                    .send()
            },
            |o| super::assume_role::sts_credentials(o.credentials(), o.assumed_role_user().map(|u| u.arn())),
        )
        .await;
    out.duration = started.elapsed();
    if super::sts_error::record_success(&result, &mut out, &spec.role_arn) {
        return out;
    }
    // An expired *token* is not expired credentials of a hop before: no common mapping.
    if let Err(crate::aws::live::Failure::Aws(error)) = &result.result
        && matches!(error.code.as_deref(), Some("ExpiredTokenException" | "ExpiredToken"))
    {
        out.error_code = error.code.clone();
        out.note(format!("AWS answered {}", ctx.safe(&error.describe(), 600)));
        out.note("STS says the token expired (its clock against the token's exp)");
        out.fail(Cause::WebIdentityTokenInvalid);
        return out;
    }
    let Some(error) = super::sts_error::record_failure(&result, &mut out, ctx) else { return out };
    let code = error.code.as_deref().unwrap_or_default();
    let message = error.message.as_deref().unwrap_or_default();
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
        _ if code.starts_with("AccessDenied") => {
            out.fail(Cause::AssumeRoleDenied);
            out.note("the role's trust policy does not allow this token: it must trust the issuer as a federated principal, with conditions on aud and sub that match the claims above");
        }
        _ => {}
    }
    out
}
