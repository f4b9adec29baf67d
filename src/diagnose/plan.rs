//! Live checks as data, and the pure planner that decides which to run: the
//! first wave from the facts alone, then follow-ups as each result arrives
//! (a check waits only for the results it needs). The runner executes them.

use super::Facts;
use super::decode::Meaning;
use super::live::{Call, Failure, SigningKeys};
use super::sources::SourceKind;
use chrono::{DateTime, Utc};

/// Whose credentials a call signs with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Who {
    /// The credentials the SDK would use (the chain's winner).
    Active,
    /// The selected profile's own keys, when env keys shadow them.
    Profile,
    /// Another profile of the files (to look at a rejected key from outside).
    Other(String),
    /// The MFA session credwiz just obtained.
    Session,
}

impl Who {
    /// Names the identity for evidence lines.
    pub fn describe(&self) -> String {
        match self {
            Who::Active => "the active credentials".into(),
            Who::Profile => "the profile's own keys".into(),
            Who::Other(p) => format!("profile {p}"),
            Who::Session => "the new MFA session".into(),
        }
    }
}

/// One live check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiveCheck {
    /// Get credentials from the profile's provider (role, SSO, process).
    Provide,
    /// sts:GetCallerIdentity; `region` overrides the user's region.
    CallerIdentity { who: Who, region: Option<String> },
    /// sts:GetAccessKeyInfo: the account a key id belongs to.
    AccessKeyInfo { who: Who, key_id: String },
    /// iam:ListAccessKeys for the caller.
    ListAccessKeys { who: Who },
    /// iam:GetAccessKeyLastUsed.
    KeyLastUsed { who: Who, key_id: String },
    /// iam:ListMFADevices for the caller.
    ListMfaDevices { who: Who },
    /// sts:GetSessionToken with an MFA code.
    SessionToken { serial: String, code: String },
    /// Call a read action credwiz knows.
    TryAction { who: Who, action: String },
    /// iam:SimulatePrincipalPolicy for an action credwiz cannot call.
    Simulate { who: Who, arn: String, action: String },
    /// The identity's policies, for evidence when an action cannot be tested.
    ListPolicies { who: Who, user: String },
    /// sts:DecodeAuthorizationMessage for an encoded message in a pasted error.
    DecodeMessage { message: String },
}

/// What a successful check returned.
#[derive(Debug, Clone)]
pub enum LiveValue {
    Keys(SigningKeys),
    Identity {
        account: String,
        arn: String,
        user_id: String,
    },
    Account(String),
    AccessKeys(Vec<KeyInfo>),
    LastUsed {
        date: Option<DateTime<Utc>>,
        service: Option<String>,
    },
    MfaDevices(Vec<String>),
    Session {
        keys: SigningKeys,
        expiration: Option<DateTime<Utc>>,
    },
    Allowed,
    Simulation {
        decision: String,
        allowed_by_organizations: Option<bool>,
        allowed_by_boundary: Option<bool>,
        matched: Vec<String>,
    },
    Policies(Vec<String>),
    /// The decoded authorization message (JSON text from AWS).
    Decoded(String),
}

/// One IAM access key's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub id: String,
    pub active: bool,
    pub created: Option<DateTime<Utc>>,
}

/// A finished check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub check: LiveCheck,
    pub call: Call<LiveValue>,
}

impl LiveCheck {
    /// Whose keys the check signs with (`None`: it gets credentials instead).
    pub fn signer(&self) -> Option<&Who> {
        match self {
            LiveCheck::Provide => None,
            LiveCheck::SessionToken { .. } | LiveCheck::DecodeMessage { .. } => Some(&Who::Active),
            LiveCheck::CallerIdentity { who, .. }
            | LiveCheck::AccessKeyInfo { who, .. }
            | LiveCheck::ListAccessKeys { who }
            | LiveCheck::KeyLastUsed { who, .. }
            | LiveCheck::ListMfaDevices { who }
            | LiveCheck::TryAction { who, .. }
            | LiveCheck::Simulate { who, .. }
            | LiveCheck::ListPolicies { who, .. } => Some(who),
        }
    }

    /// A short label for logs and the interface (never holds a secret or an MFA code).
    pub fn label(&self) -> String {
        match self {
            LiveCheck::Provide => "provide credentials".into(),
            LiveCheck::CallerIdentity { who, region } => format!(
                "sts:GetCallerIdentity as {} in {}",
                who.describe(),
                region.as_deref().unwrap_or("the user's region")
            ),
            LiveCheck::AccessKeyInfo { who, .. } => format!("sts:GetAccessKeyInfo as {}", who.describe()),
            LiveCheck::ListAccessKeys { who } => format!("iam:ListAccessKeys as {}", who.describe()),
            LiveCheck::KeyLastUsed { who, .. } => format!("iam:GetAccessKeyLastUsed as {}", who.describe()),
            LiveCheck::ListMfaDevices { who } => format!("iam:ListMFADevices as {}", who.describe()),
            LiveCheck::SessionToken { .. } => "sts:GetSessionToken with the MFA code".into(),
            LiveCheck::TryAction { action, .. } => format!("{action} (called)"),
            LiveCheck::Simulate { action, .. } => format!("{action} (simulated)"),
            LiveCheck::ListPolicies { .. } => "the identity's policies".into(),
            LiveCheck::DecodeMessage { .. } => "sts:DecodeAuthorizationMessage".into(),
        }
    }
}

impl Outcome {
    /// The check's label.
    pub fn check_label(&self) -> String {
        self.check.label()
    }

    /// The identity, if this was a successful caller-identity check.
    pub fn identity(&self) -> Option<(&str, &str)> {
        match &self.call.result {
            Ok(LiveValue::Identity { account, arn, .. }) => Some((account, arn)),
            _ => None,
        }
    }

    /// The decoded meaning of the error, if AWS answered with one.
    pub fn meaning(&self) -> Option<Meaning> {
        self.call.aws_error().map(|e| e.meaning())
    }
}

/// STS and IAM read actions credwiz can call directly.
pub const CALLABLE_ACTIONS: &[&str] = &[
    "sts:GetCallerIdentity",
    "iam:GetUser",
    "iam:ListAccessKeys",
    "iam:ListMFADevices",
    "iam:ListUsers",
    "iam:ListRoles",
    "iam:ListGroups",
    "iam:ListPolicies",
    "iam:ListAccountAliases",
    "iam:GetAccountSummary",
    "iam:ListAttachedUserPolicies",
    "iam:ListUserPolicies",
    "iam:ListGroupsForUser",
];

/// The canonical spelling of a callable action, if it is one (case-insensitive).
pub fn callable(action: &str) -> Option<&'static str> {
    CALLABLE_ACTIONS.iter().copied().find(|a| a.eq_ignore_ascii_case(action.trim()))
}

/// The IAM reads about the calling user: its keys (age, status, last use) and MFA devices.
fn user_reads(key_id: &str) -> Vec<LiveCheck> {
    let mut reads =
        vec![LiveCheck::ListAccessKeys { who: Who::Active }, LiveCheck::ListMfaDevices { who: Who::Active }];
    if key_id.starts_with("AKIA") {
        reads.push(LiveCheck::KeyLastUsed { who: Who::Active, key_id: key_id.to_string() });
    }
    reads
}

/// A long-term key is an IAM user's, so its IAM reads need not wait for the
/// identity: the key id when they start in the first wave.
fn reads_start_with_identity(facts: &Facts) -> Option<&str> {
    let static_winner = facts.chain.winner().is_some_and(|s| s.kind.is_static());
    facts.active_key_id().filter(|k| static_winner && k.starts_with("AKIA"))
}

/// The first wave: what can run from the facts alone.
pub fn initial(facts: &Facts) -> Vec<LiveCheck> {
    let mut checks = Vec::new();
    let Some(winner) = facts.chain.winner() else {
        return checks;
    };
    if winner.kind.is_static() {
        checks.push(LiveCheck::CallerIdentity { who: Who::Active, region: facts.signing_region() });
        if let Some(key_id) = reads_start_with_identity(facts) {
            checks.extend(user_reads(key_id));
        }
    } else if matches!(
        winner.kind,
        SourceKind::AssumeRole | SourceKind::WebIdentity | SourceKind::Sso | SourceKind::Process
    ) {
        checks.push(LiveCheck::Provide);
    }
    if winner.kind == SourceKind::Env && facts.profile_keys().is_some() {
        checks.push(LiveCheck::CallerIdentity { who: Who::Profile, region: facts.signing_region() });
    }
    checks
}

/// Follow-ups unlocked by one finished check, given everything done so far.
pub fn followups(facts: &Facts, done: &[Outcome], finished: &Outcome) -> Vec<LiveCheck> {
    let mut next = Vec::new();
    let user_region = facts.signing_region();
    match (&finished.check, &finished.call.result) {
        (LiveCheck::Provide, Ok(_)) => next.push(LiveCheck::CallerIdentity { who: Who::Active, region: user_region }),
        (LiveCheck::CallerIdentity { who: Who::Active, .. }, Ok(LiveValue::Identity { arn, .. })) => {
            let is_user = arn.contains(":user/");
            let key_id = facts.active_key_id();
            let started_early = reads_start_with_identity(facts).is_some();
            if is_user && !started_early {
                next.extend(user_reads(key_id.unwrap_or_default()));
            }
            if let (Some(code), Some(serial)) = (&facts.options.mfa_code, facts.mfa_serial()) {
                next.push(LiveCheck::SessionToken { serial: serial.to_string(), code: code.clone() });
            }
            let encoded =
                facts.options.error.as_deref().map(super::decode::parse_pasted).and_then(|e| match e.meaning() {
                    Meaning::Denied(d) => d.encoded_message,
                    _ => None,
                });
            if let Some(message) = encoded {
                next.push(LiveCheck::DecodeMessage { message });
            }
            for action in &facts.options.actions {
                match callable(action) {
                    Some(action) => next.push(LiveCheck::TryAction { who: Who::Active, action: action.into() }),
                    None => {
                        next.push(LiveCheck::Simulate { who: Who::Active, arn: arn.clone(), action: action.clone() })
                    }
                }
            }
        }
        (LiveCheck::CallerIdentity { who: Who::Active, region }, Err(Failure::Aws(error))) => {
            let rejected = matches!(error.meaning(), Meaning::InvalidToken);
            let in_other_region = region.as_deref().is_some_and(|r| r != "us-east-1");
            if rejected && in_other_region {
                next.push(LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) });
            } else if rejected && facts.active_key_id().is_some_and(|k| k.starts_with("AKIA")) {
                next.extend(
                    facts
                        .other_profiles_with_keys()
                        .into_iter()
                        .take(3)
                        .map(|p| LiveCheck::CallerIdentity { who: Who::Other(p), region: Some("us-east-1".into()) }),
                );
            }
        }
        (LiveCheck::CallerIdentity { who: Who::Other(profile), .. }, Ok(_)) => {
            let already = done.iter().any(|o| matches!(&o.check, LiveCheck::AccessKeyInfo { .. }));
            if let (false, Some(key_id)) = (already, facts.active_key_id()) {
                next.push(LiveCheck::AccessKeyInfo { who: Who::Other(profile.clone()), key_id: key_id.to_string() });
                next.push(LiveCheck::ListAccessKeys { who: Who::Other(profile.clone()) });
            }
        }
        (LiveCheck::ListMfaDevices { who: Who::Active }, Ok(LiveValue::MfaDevices(devices))) => {
            if let (Some(code), None, Some(serial)) = (&facts.options.mfa_code, facts.mfa_serial(), devices.first()) {
                next.push(LiveCheck::SessionToken { serial: serial.clone(), code: code.clone() });
            }
        }
        (LiveCheck::Simulate { who, .. }, Err(Failure::Aws(_))) => {
            let listed = done.iter().any(|o| matches!(o.check, LiveCheck::ListPolicies { .. }));
            let user = facts.identity_user(done);
            if let (false, Some(user)) = (listed, user) {
                next.push(LiveCheck::ListPolicies { who: who.clone(), user });
            }
        }
        _ => {}
    }
    next
}
