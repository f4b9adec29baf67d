//! What STS's refusal of `AssumeRoleWithWebIdentity` means, from its code
//! and message (live, or pasted): no OpenID Connect provider for the issuer,
//! an audience the provider does not accept, a stale certificate
//! thumbprint, an unverifiable or expired token, or the role's trust. Each
//! with the evidence the token's claims give and the exact fix (the command
//! that creates the provider, adds the audience, updates the thumbprint).
//! Pure.

use super::jwt::Claims;
use super::text::escape;
use crate::hops::Cause;

/// The workflow lines that give a job its token.
pub const PERMISSIONS_BLOCK: &str = "permissions: { id-token: write, contents: read }";

/// The audience configure-aws-credentials requests.
pub const DEFAULT_AUDIENCE: &str = "sts.amazonaws.com";

/// A refusal, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub cause: Cause,
    pub notes: Vec<String>,
    /// The precise fix (a command), when one is certain.
    pub fix: Option<String>,
}

/// `arn:aws:iam::ACCOUNT:oidc-provider/HOST` from the role's ARN and the issuer.
fn provider_arn(role_arn: Option<&str>, issuer: &str) -> String {
    match role_arn {
        Some(role) => crate::policy::trust::provider_arn(role, issuer),
        None => format!("arn:aws:iam::ACCOUNT:oidc-provider/{}", crate::policy::trust::provider_host(issuer)),
    }
}

fn issuer_remarks(issuer: &str) -> Vec<String> {
    let mut notes = Vec::new();
    if issuer.ends_with('/') {
        notes.push(
            "the issuer ends with `/`: IAM providers are named without it, so this token's issuer never matches one"
                .into(),
        );
    }
    if issuer.starts_with("http://") {
        notes.push("the issuer is http://, IAM providers are https:// only".into());
    }
    if issuer.ends_with("/_services/token") {
        notes.push("this is a GitHub Enterprise Server issuer (https://HOST/_services/token): it needs its own IAM provider, token.actions.githubusercontent.com's does not cover it".into());
    }
    notes
}

/// A refusal of session tags: "not authorized to perform: sts:TagSession".
pub fn tag_session(message: &str) -> Option<Refusal> {
    let lower = message.to_ascii_lowercase();
    (lower.contains("sts:tagsession") && lower.contains("not authorized")).then(|| Refusal {
        cause: Cause::TagSessionDenied,
        notes: vec![
            "the caller asked for session tags (configure-aws-credentials tags every AssumeRole made with keys or in role chaining; EKS Pod Identity tags its sessions), and the role's trust policy does not allow sts:TagSession".into(),
        ],
        fix: Some("add \"sts:TagSession\" to the Action of the trust statement that trusts the caller, or stop tagging (role-skip-session-tagging: true)".into()),
    })
}

/// An error text the user pasted from a failing CI step (configure-aws-credentials,
/// an SDK in a pod), when it is one of these refusals or a job without a token.
pub fn pasted(text: &str) -> Option<Refusal> {
    let lower = text.to_ascii_lowercase();
    if let Some(refusal) = tag_session(text) {
        return Some(refusal);
    }
    if lower.contains("actions_id_token_request")
        || lower.contains("credentials could not be loaded")
        || (lower.contains("getidtoken") && lower.contains("fail"))
    {
        return Some(Refusal {
            cause: Cause::OidcTokenUnavailable,
            notes: vec!["the job had no OpenID Connect token to trade: GitHub sets ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN only for jobs with `permissions: id-token: write`".into()],
            fix: Some(format!("add to the workflow (or the job): {}", PERMISSIONS_BLOCK)),
        });
    }
    let issuer = lower.find("found in your account for ").map(|at| {
        text[at + "found in your account for ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .trim_end_matches(['.', ',', '"', '\''])
            .to_string()
    });
    let claims = issuer.map(|iss| Claims { iss: Some(iss), ..Claims::default() });
    let code = if lower.contains("accessdenied") { "AccessDenied" } else { "" };
    if lower.contains("assumerolewithwebidentity")
        || lower.contains("openidconnect")
        || lower.contains("incorrect token audience")
    {
        return classify(code, text, claims.as_ref(), None, None);
    }
    None
}

/// Classifies an STS error of AssumeRoleWithWebIdentity. `requested`: the
/// audience credwiz asked for (GitHub), `None` for a token file.
pub fn classify(
    code: &str,
    message: &str,
    claims: Option<&Claims>,
    role_arn: Option<&str>,
    requested: Option<&str>,
) -> Option<Refusal> {
    let lower = message.to_ascii_lowercase();
    let issuer = claims.and_then(|c| c.iss.as_deref()).map_or_else(|| "ISSUER".into(), |i| escape(i, 300));
    let audience = claims.and_then(|c| c.aud.first()).map(|a| escape(a, 300));
    if lower.contains("no openidconnect provider found") {
        let mut notes = vec![format!(
            "the token's issuer (iss) is {issuer}; the account has no IAM OpenID Connect provider for it"
        )];
        notes.extend(issuer_remarks(&issuer));
        let client = audience.clone().unwrap_or_else(|| DEFAULT_AUDIENCE.into());
        let fix = format!("aws iam create-open-id-connect-provider --url {issuer} --client-id-list {client}");
        return Some(Refusal { cause: Cause::OidcProviderMissing, notes, fix: Some(fix) });
    }
    if lower.contains("incorrect token audience") {
        let aud = claims
            .map(|c| c.aud.iter().map(|a| escape(a, 300)).collect::<Vec<_>>().join(", "))
            .filter(|a| !a.is_empty())
            .unwrap_or_else(|| "-".into());
        let mut notes = vec![format!(
            "the token's audience (aud) is {aud}; the provider {} does not list it among its client IDs",
            provider_arn(role_arn, &issuer)
        )];
        if aud.starts_with("https://github.com/") {
            notes.push("https://github.com/OWNER is GitHub's default audience: the token was requested without one (configure-aws-credentials asks for sts.amazonaws.com)".into());
        }
        if let Some(requested) = requested {
            notes.push(format!("credwiz requested the audience {} (--audience changes it)", escape(requested, 300)));
        }
        let fix = format!(
            "request the audience the provider accepts (sts.amazonaws.com), or add this one: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn {} --client-id {}",
            provider_arn(role_arn, &issuer),
            audience.unwrap_or_else(|| "AUDIENCE".into())
        );
        return Some(Refusal { cause: Cause::OidcAudienceMismatch, notes, fix: Some(fix) });
    }
    if lower.contains("thumbprint") {
        let arn = provider_arn(role_arn, &issuer);
        let notes = vec![format!(
            "the provider {arn} holds a certificate thumbprint that no longer matches {issuer}'s certificate"
        )];
        let fix = format!(
            "aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn {arn} --thumbprint-list NEW_THUMBPRINT (the guide says how to compute it)"
        );
        return Some(Refusal { cause: Cause::OidcThumbprintMismatch, notes, fix: Some(fix) });
    }
    if code.starts_with("AccessDenied") || lower.contains("not authorized to perform sts:assumerolewithwebidentity") {
        let notes = vec!["STS accepted the token but the role's trust policy refused it: it does not trust this provider for sts:AssumeRoleWithWebIdentity, or a condition on the token's claims fails (AWS does not say which)".into()];
        return Some(Refusal { cause: Cause::WebIdentityTrustMismatch, notes, fix: None });
    }
    None
}
