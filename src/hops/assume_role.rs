//! The AssumeRole hop: one call with the parameters the profile sets, through
//! an STS client the caller built with the credentials of the hop before.
//! `DurationSeconds` is sent when set (as the AWS CLI and boto3 do; the Rust
//! SDK's provider ignores it), and an MFA code when one is given (a code
//! serves one call). Refusals are classified: AccessDenied with what can and
//! cannot be ruled out, duration limits with the limit AWS stated, session
//! names, MFA codes. IO: the STS call.

use super::resolve::RoleSpec;
use super::resolve::{role_arn_parts, valid_session_name};
use super::text::quote;
use super::{Cause, Context, Fix, HopCredentials, Outcome};
use crate::aws::decode::{AwsError, DenyKind, parse_denial};
use crate::aws::live::Client;
use crate::vocabulary::SourceKind;
use chrono::{DateTime, Utc};
use secrecy::SecretString;

/// The per-call inputs beyond the profile's settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct RoleCall<'a> {
    /// The profile to fix (for one-key fixes).
    pub profile: Option<&'a str>,
    /// A fresh MFA code, sent with `mfa_serial` (one code serves one call).
    pub mfa_code: Option<&'a str>,
    /// The caller's credentials are a role session: role chaining, at most one hour.
    pub chained: bool,
}

/// The session name the Rust SDK's profile provider uses when none is set.
pub fn default_session_name(base: &str, now: DateTime<Utc>) -> String {
    format!("{base}-{}", now.timestamp_millis())
}

/// Credentials from an STS answer.
pub(crate) fn sts_credentials(
    credentials: Option<&aws_sdk_sts::types::Credentials>,
    assumed_arn: Option<&str>,
) -> Option<HopCredentials> {
    let c = credentials?;
    let expiration = DateTime::<Utc>::from_timestamp(c.expiration().secs(), c.expiration().subsec_nanos());
    Some(HopCredentials {
        access_key_id: c.access_key_id().to_string(),
        secret_access_key: SecretString::from(c.secret_access_key().to_string()),
        session_token: Some(SecretString::from(c.session_token().to_string())),
        expiration,
        account_id: assumed_arn.and_then(|a| a.split(':').nth(4)).map(str::to_string),
        assumed_role_arn: assumed_arn.map(str::to_string),
        role_session: true,
    })
}

/// Runs the hop.
pub async fn run(
    client: &Client<aws_sdk_sts::Client>,
    spec: &RoleSpec,
    call_in: RoleCall<'_>,
    ctx: &Context<'_>,
) -> Outcome {
    let mut out =
        Outcome::new(SourceKind::AssumeRole, format!("AssumeRole {}", super::text::escape(&spec.role_arn, 300)));
    let session_name =
        spec.role_session_name.clone().unwrap_or_else(|| default_session_name("assume-role-from-profile", ctx.now));
    if spec.role_session_name.is_none() {
        out.note(format!("RoleSessionName {} (the Rust SDK's default naming)", quote(&session_name)));
    }
    let duration = spec.duration_seconds.as_deref().and_then(|d| d.trim().parse::<i32>().ok());
    if let Some(d) = duration {
        out.note(format!(
            "DurationSeconds {d} sent, as the AWS CLI and boto3 send it (the Rust SDK's own provider ignores duration_seconds and asks for 3600)"
        ));
    }
    if let Some(id) = &spec.external_id {
        out.note(format!("ExternalId {} sent", quote(id)));
    }
    let mfa = match (&spec.mfa_serial, call_in.mfa_code) {
        (Some(serial), Some(code)) => {
            out.note(format!("MFA: SerialNumber {} with the code given", quote(serial)));
            Some((serial.clone(), code.trim().to_string()))
        }
        (Some(_), None) => {
            out.note("mfa_serial is set but no MFA code was given: called without MFA, as the Rust SDK does (the AWS CLI would prompt for a code)");
            None
        }
        (None, Some(_)) => {
            out.note("an MFA code was given but this hop has no mfa_serial: not sent");
            None
        }
        (None, None) => None,
    };
    let result = client
        .call(
            {
                client
                    .api
                    .assume_role()
                    .role_arn(&spec.role_arn)
                    .role_session_name(&session_name)
                    .set_external_id(spec.external_id.clone())
                    .set_duration_seconds(duration)
                    .set_serial_number(mfa.as_ref().map(|m| m.0.clone()))
                    .set_token_code(mfa.as_ref().map(|m| m.1.clone()))
                    .send()
            },
            |o| sts_credentials(o.credentials(), o.assumed_role_user().map(|u| u.arn())),
        )
        .await;
    out.duration = result.elapsed;
    if super::sts_error::record_success(&result, &mut out, &spec.role_arn) {
        return out;
    }
    let Some(error) = super::sts_error::record_failure(&result, &mut out, ctx) else { return out };
    if out.cause.is_some() {
        return out;
    }
    classify(error, spec, &session_name, mfa.is_some(), call_in, &mut out, ctx);
    out
}

/// Classifies a refusal that is specific to AssumeRole.
fn classify(
    error: &AwsError,
    spec: &RoleSpec,
    session_name: &str,
    mfa_sent: bool,
    call_in: RoleCall<'_>,
    out: &mut Outcome,
    ctx: &Context<'_>,
) {
    let code = error.code.as_deref().unwrap_or_default();
    let message = error.message.as_deref().unwrap_or_default();
    let fix = |key: &str, value: String, reason: String| {
        call_in.profile.map(|p| Fix { profile: p.into(), key: key.into(), value: Some(value), reason })
    };
    if code == "ValidationError" || code == "ValidationException" {
        if message.contains("role chaining") {
            out.fail(Cause::RoleDurationTooLong);
            out.note("AWS's limit: 3600 s (one hour) for a role assumed with role credentials");
            out.fix = fix("duration_seconds", "3600".into(), "the limit AWS stated for role chaining".into());
        } else if message.contains("MaxSessionDuration") {
            out.fail(Cause::RoleDurationTooLong);
            let name = role_arn_parts(&spec.role_arn).map(|(_, n)| n).unwrap_or_default();
            out.note(format!(
                "AWS's limit: the role's MaxSessionDuration, which the error does not state (between 3600 and 43200 s); `aws iam get-role --role-name {} --query Role.MaxSessionDuration` shows it",
                super::text::escape(name, 100)
            ));
            out.fix = fix("duration_seconds", "3600".into(), "every role allows 3600 s".into());
        } else if message.contains("'roleSessionName'") {
            out.fail(Cause::RoleConfigInvalid);
            let valid = valid_session_name(session_name);
            out.note(format!("the session name {} breaks AWS's rule (2 to 64 of [\\w+=,.@-])", quote(session_name)));
            out.fix =
                fix("role_session_name", valid.clone(), format!("{} keeps the name, within AWS's rule", quote(&valid)));
        } else if message.contains("'tokenCode'") {
            out.fail(Cause::MfaCodeInvalid);
            out.note("the MFA code is not six digits");
        } else if message.contains("'serialNumber'") {
            out.fail(Cause::MfaSerialInvalid);
        } else {
            out.fail(Cause::RoleConfigInvalid);
            if message.contains("'durationSeconds'") {
                out.note("duration_seconds is outside 900..43200");
            }
        }
        return;
    }
    if let Some(refusal) = super::refusal::tag_session(message) {
        out.fail(refusal.cause);
        out.evidence.extend(refusal.notes);
        out.advice = refusal.fix;
        return;
    }
    let denial = parse_denial(message);
    if code.starts_with("AccessDenied") || message.contains("not authorized to perform") {
        out.fail(Cause::AssumeRoleDenied);
        for line in ruled_out(spec, &denial, mfa_sent, call_in.chained) {
            out.note(ctx.safe(&line, 600));
        }
    }
}

/// What the single AccessDenied wording can and cannot mean here, and how to tell.
fn ruled_out(spec: &RoleSpec, denial: &crate::aws::decode::Denial, mfa_sent: bool, chained: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let caller = denial.principal.clone().unwrap_or_else(|| "the caller".into());
    let caller_account = denial.principal.as_deref().and_then(|p| p.split(':').nth(4)).map(str::to_string);
    let (role_account, role_name) = role_arn_parts(&spec.role_arn).unwrap_or(("?", "?"));
    if matches!(denial.kind, DenyKind::ExplicitIdentity | DenyKind::Scp | DenyKind::Boundary | DenyKind::Other)
        && denial.policy_type.is_some()
    {
        let policy = denial.policy_type.clone().unwrap_or_default();
        lines.push(format!(
            "ruled out: the role's trust policy. The caller's own side refuses: an explicit deny in a {policy} stops {caller} before the trust policy is read"
        ));
        return lines;
    }
    lines.push(format!("AWS words five different refusals the same way; for {caller} on {}:", spec.role_arn));
    lines.push(format!(
        "the role may not exist: AWS does not say. Check with the role's owner, or `aws iam get-role --role-name {role_name}` with credentials of account {role_account}"
    ));
    let same_account = caller_account.as_deref() == Some(role_account);
    if same_account {
        lines.push(format!(
            "the trust policy may not trust the caller: in one account it must name {caller} (or the account, and then the caller's own policy must allow sts:AssumeRole)"
        ));
    } else {
        lines.push(format!(
            "the trust policy may not trust the caller: cross-account ({} to {role_account}), it must name the caller or its account, and the caller's own policy must allow sts:AssumeRole on the role",
            caller_account.as_deref().unwrap_or("?")
        ));
    }
    if chained {
        lines.push("the caller is itself a role session (role chaining): the trust policy must name that role's ARN, not a user".into());
    }
    match &spec.external_id {
        Some(_) => lines.push(
            "ExternalId: one was sent; if the trust requires another value (sts:ExternalId), that is the reason; ask the role's owner for the value".into(),
        ),
        None => lines.push(
            "ExternalId: none was sent; a third-party role usually requires one (sts:ExternalId): set external_id if its owner gave you one".into(),
        ),
    }
    if mfa_sent {
        lines.push("ruled out: MFA. A code was sent and accepted (a wrong code has its own error)".into());
    } else if spec.mfa_serial.is_some() {
        lines.push(
            "MFA: mfa_serial is set but no code was sent; if the trust requires MFA, run again with a code".into(),
        );
    } else {
        lines.push(
            "MFA: none was sent; if the trust requires aws:MultiFactorAuthPresent, add mfa_serial and give a code"
                .into(),
        );
    }
    lines.push(format!(
        "the caller's own permission: `aws iam simulate-principal-policy --policy-source-arn {caller} --action-names sts:AssumeRole --resource-arns {}` tells whether its policies allow the call",
        spec.role_arn
    ));
    lines
}
