//! Fetching the policies that decide a request, for the local evaluation of
//! the IAM & SCP step: the identity's own (`iam`: inline, attached with
//! their default version, its groups', its permissions boundary and tags,
//! or `iam:GetAccountAuthorizationDetails` when the reads one by one are
//! denied) and the organisation's (`org`: the SCPs and RCPs of the account
//! and every parent up to the root). IO: every request goes through
//! [`Live`]; the types here are plain data for `Outcomes` and the
//! assessment. Every read is bounded (counts, pages, sizes), and a read
//! that fails leaves its layer unknown with the reason, never an error of
//! the run.

pub mod iam;
pub mod org;

use crate::aws::live::{Call, Failure};
use std::time::Duration;

/// Inline policies read per user, group or role (AWS allows any number within 2 KiB-10 KiB in total).
pub const MAX_INLINE_POLICIES: usize = 20;
/// Managed policies read per user, group or role (AWS's quota is 10, at most 20).
pub const MAX_ATTACHED_POLICIES: usize = 20;
/// Groups read per user (AWS's limit is 10).
pub const MAX_GROUPS: usize = 10;
/// Pages of `iam:GetAccountAuthorizationDetails` read before giving up on finding the identity.
pub const MAX_AUTHORIZATION_DETAIL_PAGES: usize = 5;
/// Organisation levels read from the account up (AWS nests OUs five deep under the root).
pub const MAX_ORG_DEPTH: usize = 7;
/// SCPs or RCPs read per level (AWS attaches at most 5 of each).
pub const MAX_ORG_POLICIES_PER_LEVEL: usize = 10;

/// A policy document as read: the name decisions call it by, and its JSON text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyText {
    pub name: String,
    pub text: String,
}

/// A read that failed: the request credwiz sent (`iam:GetPolicyVersion`) and what came back.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadFailure {
    pub request: String,
    /// Boxed: a failure is rare and large.
    pub failure: Box<Failure>,
}

impl ReadFailure {
    /// Whether AWS refused the read: an access denial, or a 403 whose body
    /// could not be read (an emulator answering a JSON service in XML).
    pub fn is_denied(&self) -> bool {
        match self.failure.as_ref() {
            Failure::Aws(error) => {
                matches!(error.meaning(), crate::aws::decode::Meaning::Denied(_))
                    || (error.code.is_none() && error.http_status == Some(403))
            }
            _ => false,
        }
    }

    /// A failure that is not AWS's answer (a bound reached, an empty answer).
    pub fn other(request: &str, why: impl Into<String>) -> ReadFailure {
        ReadFailure { request: request.to_string(), failure: Box::new(Failure::Other(why.into())) }
    }
}

/// What the reads of one layer gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched<T> {
    /// Read.
    Known(T),
    /// Does not apply to the caller, and why.
    Absent(String),
    /// Could not be read.
    Unknown(ReadFailure),
}

impl<T> Fetched<T> {
    /// The same state with the known value mapped.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Fetched<U> {
        match self {
            Fetched::Known(value) => Fetched::Known(f(value)),
            Fetched::Absent(why) => Fetched::Absent(why),
            Fetched::Unknown(failure) => Fetched::Unknown(failure),
        }
    }

    /// The failure, when the layer could not be read.
    pub fn failure(&self) -> Option<&ReadFailure> {
        match self {
            Fetched::Unknown(failure) => Some(failure),
            _ => None,
        }
    }
}

/// The IAM identity whose policies are read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IamPrincipal {
    User(String),
    Role(String),
}

impl IamPrincipal {
    /// `user alice`, `role Deploy`.
    pub fn describe(&self) -> String {
        match self {
            IamPrincipal::User(name) => format!("user {name}"),
            IamPrincipal::Role(name) => format!("role {name}"),
        }
    }
}

/// The identity's own policies.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityPolicies {
    pub principal: IamPrincipal,
    /// Inline and attached policies, and (for a user) its groups'.
    pub policies: Fetched<Vec<PolicyText>>,
    pub boundary: Fetched<PolicyText>,
    /// Its tags (`aws:PrincipalTag/...`).
    pub tags: Fetched<Vec<(String, String)>>,
    /// A role's ARN with its path (`aws:PrincipalArn` of its sessions).
    pub role_arn: Option<String>,
    /// How the policies were read, for evidence.
    pub via: &'static str,
}

/// The SCPs or RCPs attached to one level of the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgLevelPolicies {
    /// The root (`r-...`), an OU (`ou-...`) or the account id.
    pub target: String,
    pub policies: Vec<PolicyText>,
}

/// The organisation's policies over the account.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgPolicies {
    /// The organisation's id (`aws:PrincipalOrgID`); absent when the account is in none.
    pub organization: Fetched<String>,
    /// `aws:PrincipalOrgPaths`: `o-.../r-.../ou-.../`, when the parents were read.
    pub org_path: Option<String>,
    /// Levels from the root down to the account.
    pub scps: Fetched<Vec<OrgLevelPolicies>>,
    pub rcps: Fetched<Vec<OrgLevelPolicies>>,
}

/// A call's value, or the failure named by its request.
pub(crate) fn read<T>(request: &str, call: Call<T>) -> Result<T, ReadFailure> {
    call.result.map_err(|failure| ReadFailure { request: request.to_string(), failure: Box::new(failure) })
}

/// A policy document as IAM returns it (URL-encoded, RFC 3986) or as text;
/// refused above the evaluator's size limit.
pub(crate) fn document(request: &str, name: &str, raw: &str) -> Result<PolicyText, ReadFailure> {
    let trimmed = raw.trim_start();
    let text = if trimmed.starts_with('{') {
        raw.to_string()
    } else {
        percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| ReadFailure::other(request, format!("the document of {name} is not UTF-8")))?
            .into_owned()
    };
    if text.len() > crate::policy::MAX_POLICY_BYTES {
        return Err(ReadFailure::other(
            request,
            format!("the document of {name} is larger than {} bytes", crate::policy::MAX_POLICY_BYTES),
        ));
    }
    Ok(PolicyText { name: name.to_string(), text })
}

/// A call made of several requests: its value, with the time they took.
pub(crate) fn combined<T>(value: T, elapsed: Duration) -> Call<T> {
    Call { result: Ok(value), elapsed, server_date: None, local_date: chrono::Utc::now() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_come_url_encoded_or_plain_and_bounded() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            document("iam:GetUserPolicy", "p", encoded).map(|d| d.text),
            Ok(r#"{"Version":"2012-10-17","Statement":[]}"#.to_string())
        );
        let plain = r#"{"Statement": [{"Sid": "100%"}]}"#;
        assert_eq!(document("iam:GetUserPolicy", "p", plain).map(|d| d.text), Ok(plain.to_string()));
        let huge = format!("{{{}}}", " ".repeat(crate::policy::MAX_POLICY_BYTES));
        assert!(document("iam:GetPolicyVersion", "big", &huge).is_err());
    }
}
