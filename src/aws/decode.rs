//! The error decoder: AWS error codes and messages (from a live call or pasted
//! by the user in any of the AWS CLI, SDK or console formats) mapped to what
//! they mean. Pure text processing; no IO.

use crate::vocabulary::cause::Cause;

/// An AWS error as received or pasted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsError {
    pub code: Option<String>,
    pub message: Option<String>,
    pub request_id: Option<String>,
    pub http_status: Option<u16>,
    /// The operation named in a pasted CLI error.
    pub operation: Option<String>,
}

/// The policy type an AccessDenied message names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenyKind {
    /// "because no identity-based policy allows", or no policy named at all.
    NoIdentityAllow,
    ExplicitIdentity,
    Scp,
    Boundary,
    /// Session, resource-based or resource control policy.
    Other,
}

impl DenyKind {
    /// The cause this kind of denial points to.
    pub fn cause(self) -> Cause {
        match self {
            DenyKind::NoIdentityAllow => Cause::NoIdentityAllow,
            DenyKind::ExplicitIdentity => Cause::ExplicitDenyIdentity,
            DenyKind::Scp => Cause::ExplicitDenyScp,
            DenyKind::Boundary => Cause::PermissionsBoundary,
            DenyKind::Other => Cause::DeniedOtherPolicy,
        }
    }
}

/// A parsed AccessDenied message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub principal: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub kind: DenyKind,
    /// The policy type as worded ("session policy", "resource-based policy"...).
    pub policy_type: Option<String>,
    /// An encoded authorization message, if the error carried one.
    pub encoded_message: Option<String>,
}

/// What an error means, before the context (lints, other results) picks the root cause.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    /// The key id is unknown to AWS (or rejected in this region).
    InvalidToken,
    /// The signature did not match: wrong secret, unless a lint explains it.
    SignatureMismatch,
    /// Skew: the server said how far off the request time was (seconds, + = local clock behind).
    SignatureExpired,
    /// The region in the credential scope is not a real region.
    InvalidRegionScope,
    Expired,
    Denied(Denial),
    MfaCodeInvalid,
    MfaSerialInvalid,
    SessionCredentialsNotAllowed,
    MissingAuthentication,
    Throttled,
    /// A code credwiz has no rule for: shown as it is.
    Unknown,
}

impl AwsError {
    fn message(&self) -> &str {
        self.message.as_deref().unwrap_or_default()
    }

    /// Classifies the error.
    pub fn meaning(&self) -> Meaning {
        let code = self.code.as_deref().unwrap_or_default();
        let msg = self.message();
        let lower = msg.to_ascii_lowercase();
        if lower.contains("signature expired") || lower.contains("signature not yet current") {
            return Meaning::SignatureExpired;
        }
        if lower.contains("scoped to a valid region") {
            return Meaning::InvalidRegionScope;
        }
        if lower.contains("invalid mfa one time pass code") {
            return Meaning::MfaCodeInvalid;
        }
        if lower.contains("unable to validate mfa code") || lower.contains("mfa serial number is valid") {
            return Meaning::MfaSerialInvalid;
        }
        if lower.contains("cannot call getsessiontoken with session credentials") {
            return Meaning::SessionCredentialsNotAllowed;
        }
        match code {
            "InvalidClientTokenId"
            | "InvalidAccessKeyId"
            | "UnrecognizedClientException"
            | "AuthFailure"
            | "InvalidToken" => Meaning::InvalidToken,
            "SignatureDoesNotMatch" | "InvalidSignatureException" => Meaning::SignatureMismatch,
            "ExpiredToken" | "ExpiredTokenException" | "RequestExpired" | "TokenRefreshRequired" => Meaning::Expired,
            "MissingAuthenticationToken" | "MissingAuthenticationTokenException" | "IncompleteSignature" => {
                Meaning::MissingAuthentication
            }
            "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => {
                Meaning::Throttled
            }
            _ if code.starts_with("AccessDenied")
                || code == "UnauthorizedOperation"
                || code == "AuthorizationError"
                || lower.contains("not authorized to perform") =>
            {
                Meaning::Denied(parse_denial(msg))
            }
            _ if lower.contains("security token included in the request is invalid") => Meaning::InvalidToken,
            _ if lower.contains("security token included in the request is expired") => Meaning::Expired,
            _ if lower.contains("request signature we calculated does not match") => Meaning::SignatureMismatch,
            _ => Meaning::Unknown,
        }
    }

    /// A one-line description: `CODE: message (request id X)`.
    pub fn describe(&self) -> String {
        let mut s = self.code.clone().unwrap_or_else(|| "error".into());
        if let Some(m) = &self.message {
            s.push_str(": ");
            s.push_str(m);
        }
        if let Some(id) = &self.request_id {
            s.push_str(&format!(" (request id {id})"));
        }
        s
    }
}

/// Parses "User: ARN is not authorized to perform: ACTION on resource: RES with an
/// explicit deny in a service control policy" and its variants.
pub fn parse_denial(message: &str) -> Denial {
    let lower = message.to_ascii_lowercase();
    let principal = between(message, "User: ", " is not authorized").map(str::to_string);
    let action = after(message, "perform: ").map(|rest| first_word(rest).to_string());
    let resource = after(message, "on resource: ").map(|rest| first_word(rest).to_string());
    let encoded_message =
        after(message, "Encoded authorization failure message: ").map(|rest| first_word(rest).to_string());
    let named = [
        "service control policy",
        "resource control policy",
        "permissions boundary",
        "session policy",
        "resource-based policy",
        "identity-based policy",
    ]
    .into_iter()
    .find(|p| lower.contains(p));
    let explicit = lower.contains("explicit deny");
    let kind = match named {
        Some("service control policy") => DenyKind::Scp,
        Some("permissions boundary") => DenyKind::Boundary,
        Some("identity-based policy") if explicit => DenyKind::ExplicitIdentity,
        Some("identity-based policy") | None => DenyKind::NoIdentityAllow,
        Some(_) => DenyKind::Other,
    };
    Denial { principal, action, resource, kind, policy_type: named.map(str::to_string), encoded_message }
}

fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    text.find(marker).map(|i| &text[i + marker.len()..])
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = after(text, start)?;
    rest.find(end).map(|i| &rest[..i])
}

fn first_word(text: &str) -> &str {
    let end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
    text[..end].trim_end_matches(['.', ',', ';', '"', '\''])
}

/// Parses an error message pasted by the user, in any of the usual formats:
/// - AWS CLI: `An error occurred (Code) when calling the Op operation: message`
/// - SDKs: `Code: message`, `... service error: Code: message`, `api error Code: message`
/// - console and plain text: just the message.
pub fn parse_pasted(text: &str) -> AwsError {
    let text = text.trim();
    let mut error = AwsError::default();
    if let Some(rest) = after(text, "An error occurred (")
        && let Some(close) = rest.find(')')
    {
        error.code = Some(rest[..close].to_string());
        let tail = &rest[close + 1..];
        error.operation = between(tail, "when calling the ", " operation").map(str::to_string);
        error.message = after(tail, ": ").map(|m| m.trim().to_string());
    }
    if error.code.is_none() {
        // `Code: message`, possibly after a prefix such as `api error` or `service error:`.
        for candidate in text.split([' ', '\n']).filter(|w| !w.is_empty()) {
            let word = candidate.trim_end_matches(':').trim_matches(['(', ')', '"', '\'', ',']);
            let is_code = word.len() > 3
                && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
                && word.chars().any(|c| c.is_ascii_lowercase())
                && KNOWN_CODES.iter().any(|k| word.eq_ignore_ascii_case(k) || word.ends_with(k));
            if is_code {
                error.code = Some(word.rsplit('.').next().unwrap_or(word).to_string());
                let rest = &text[text.find(candidate).map_or(0, |i| i + candidate.len())..];
                error.message = Some(rest.trim_start_matches([':', ' ']).trim().to_string()).filter(|m| !m.is_empty());
                break;
            }
        }
    }
    if error.message.is_none() {
        error.message = Some(text.to_string());
    }
    let lower = text.to_ascii_lowercase();
    error.request_id = ["request id: ", "requestid: ", "request-id: "]
        .iter()
        .find_map(|marker| lower.find(marker).map(|at| first_word(&text[at + marker.len()..]).to_string()))
        .filter(|id| !id.is_empty());
    error
}

/// Error codes worth recognising in pasted text.
const KNOWN_CODES: &[&str] = &[
    "InvalidClientTokenId",
    "InvalidAccessKeyId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthFailure",
    "MissingAuthenticationToken",
    "IncompleteSignature",
    "InvalidToken",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_cli_sdk_and_console_errors() {
        let cli = parse_pasted(
            "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security token included in the request is invalid.",
        );
        assert_eq!(cli.code.as_deref(), Some("InvalidClientTokenId"));
        assert_eq!(cli.operation.as_deref(), Some("GetCallerIdentity"));
        assert_eq!(cli.meaning(), Meaning::InvalidToken);
        let sdk = parse_pasted(
            "Error: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: abc-1, api error SignatureDoesNotMatch: Signature expired: 20260101T000000Z is now earlier than 20260101T001000Z (20260101T001500Z - 5 min.)",
        );
        assert_eq!(sdk.code.as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(sdk.meaning(), Meaning::SignatureExpired);
        assert_eq!(sdk.request_id.as_deref(), Some("abc-1"));
        let console = parse_pasted(
            "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::b with an explicit deny in a service control policy",
        );
        let Meaning::Denied(d) = console.meaning() else { panic!("not a denial") };
        assert_eq!(d.kind, DenyKind::Scp);
        assert_eq!(d.action.as_deref(), Some("s3:ListBucket"));
        assert_eq!(d.resource.as_deref(), Some("arn:aws:s3:::b"));
        assert_eq!(d.principal.as_deref(), Some("arn:aws:iam::123456789012:user/alice"));
    }

    #[test]
    fn denial_kinds() {
        let k = |m: &str| parse_denial(m).kind;
        assert_eq!(
            k(
                "User: a is not authorized to perform: iam:ListUsers because no identity-based policy allows the iam:ListUsers action"
            ),
            DenyKind::NoIdentityAllow
        );
        assert_eq!(k("User: a is not authorized to perform: iam:ListUsers"), DenyKind::NoIdentityAllow);
        assert_eq!(k("... with an explicit deny in an identity-based policy"), DenyKind::ExplicitIdentity);
        assert_eq!(k("... because no permissions boundary allows the x action"), DenyKind::Boundary);
        assert_eq!(k("... with an explicit deny in a resource-based policy"), DenyKind::Other);
        assert_eq!(k("... because no session policy allows the x action"), DenyKind::Other);
    }
}
