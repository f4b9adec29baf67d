//! One AssumeRoleWithWebIdentity, shared by the token-file hop and a CI
//! job's token: the token's claims decoded locally (a failure or an expired
//! token ends the hop), the call, and STS's refusal classified by
//! [`super::refusal`]. IO: the STS call.

use super::{Cause, Context, Outcome, Stage, Status};
use crate::aws::live::Client;
use std::time::Instant;

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
