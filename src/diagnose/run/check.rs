//! Live checks as data: which call, signed by whom, what it returned, and
//! the step each one informs. The planner decides which to run, the runner
//! runs them, [`crate::diagnose::run::outcomes::Outcomes`] answers questions about them.

use crate::aws::decode::Meaning;
use crate::aws::live::{Call, SigningKeys};
use crate::aws::policies::{IamPrincipal, IdentityPolicies, OrgPolicies};
use crate::diagnose::input::options::{ActionName, MfaCode};
use crate::vocabulary::Step;
use chrono::{DateTime, Utc};
use serde::Serialize;

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
            Who::Other(p) if p == ENV_KEYS => "the environment's keys".into(),
            Who::Other(p) => format!("profile {p}"),
            Who::Session => "the new MFA session".into(),
        }
    }
}

/// The name `Who::Other` gives the environment's keys when another source wins over them.
pub const ENV_KEYS: &str = "(env)";

/// One live check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LiveCheck {
    /// Run the hops of the credential chain in order (role, SSO, process, web
    /// identity, login, container, IMDS), each with the credentials of the one before.
    Chain,
    /// Probe the network path to the STS endpoint, stage by stage (after a
    /// check got no answer from AWS).
    ProbePath,
    /// sts:GetCallerIdentity; `region` overrides the user's region.
    CallerIdentity { who: Who, region: Option<String> },
    /// sts:GetAccessKeyInfo: the account a key id belongs to.
    AccessKeyInfo { who: Who, key_id: String },
    /// iam:ListAccessKeys for the caller; through another profile, the keys
    /// of the active key's owner (`key_owner`: found as `scan` finds them).
    ListAccessKeys { who: Who },
    /// iam:GetAccessKeyLastUsed.
    KeyLastUsed { who: Who, key_id: String },
    /// iam:ListMFADevices for the caller.
    ListMfaDevices { who: Who },
    /// iam:ListAccountAliases: the account's alias, for the identity line.
    AccountAlias { who: Who },
    /// sts:GetSessionToken with an MFA code.
    SessionToken { serial: String, code: MfaCode },
    /// Call a read action credwiz knows; `user` is the caller's IAM user name, for user-scoped reads.
    TryAction { who: Who, action: ActionName, user: Option<String> },
    /// iam:SimulatePrincipalPolicy for an action credwiz cannot call.
    Simulate { who: Who, arn: String, action: ActionName },
    /// The identity's policies, for evidence when an action cannot be tested.
    ListPolicies { who: Who, user: String },
    /// sts:DecodeAuthorizationMessage for an encoded message in a pasted error.
    DecodeMessage { message: String },
    /// The identity's own policies, boundary and tags (several IAM reads), for the local evaluation.
    IdentityPolicies { who: Who, principal: IamPrincipal },
    /// The SCPs and RCPs over the account (AWS Organizations), for the local evaluation.
    OrgPolicies { who: Who, account: String },
    /// iam:GetRole: the trust policy of a role a web identity token was refused by.
    RoleTrust { who: Who, role: String },
}

/// Who AWS says the caller is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
    /// The account's alias (iam:ListAccountAliases), when readable.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_alias: Option<String>,
}

impl Identity {
    /// The account id, with its alias when known: `123456789012, alias acme-prod`.
    pub fn account_named(&self) -> String {
        match &self.account_alias {
            Some(alias) => format!("{}, alias {alias}", self.account),
            None => self.account.clone(),
        }
    }

    /// The IAM user name, when the caller is an IAM user.
    pub fn user_name(&self) -> Option<&str> {
        self.arn.split_once(":user/").map(|(_, path)| path.rsplit('/').next().unwrap_or(path))
    }
}

/// Temporary credentials obtained with an MFA code.
#[derive(Debug, Clone)]
pub struct Session {
    pub keys: SigningKeys,
    pub expiration: Option<DateTime<Utc>>,
}

/// The answer of iam:SimulatePrincipalPolicy for one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub decision: String,
    pub allowed_by_organizations: Option<bool>,
    pub allowed_by_boundary: Option<bool>,
    pub matched: Vec<String>,
}

/// What a successful check returned.
#[derive(Debug, Clone)]
pub enum LiveValue {
    /// The outcome of every hop that ran, base first (the run stops at the first failure).
    Chain(Vec<crate::hops::Outcome>),
    Identity(Identity),
    Account(String),
    AccessKeys(Vec<KeyInfo>),
    LastUsed {
        date: Option<DateTime<Utc>>,
        service: Option<String>,
    },
    MfaDevices(Vec<String>),
    Session(Session),
    Allowed,
    Simulation(Simulation),
    Policies(Vec<String>),
    /// The decoded authorization message (JSON text from AWS).
    Decoded(String),
    /// The account's alias (`None`: the account has none).
    Alias(Option<String>),
    /// What the probe of the network path found.
    Path(Box<crate::netpath::PathReport>),
    /// What the identity's policy reads gave (each layer known, absent or unknown).
    IdentityPolicies(Box<IdentityPolicies>),
    /// What the organisation's policy reads gave.
    OrgPolicies(Box<OrgPolicies>),
    /// A role's trust policy (JSON text, decoded).
    TrustPolicy(String),
}

/// One IAM access key's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub id: String,
    pub active: bool,
    pub created: Option<DateTime<Utc>>,
}

impl KeyInfo {
    /// Whole days since the key was created, when IAM said.
    pub fn age_days(&self, now: DateTime<Utc>) -> Option<i64> {
        self.created.map(|created| (now - created).num_days())
    }

    /// Whether the key is older than the rotation limit (`KEY_MAX_AGE_DAYS`).
    pub fn due_for_rotation(&self, now: DateTime<Utc>) -> bool {
        self.age_days(now).is_some_and(|days| days > crate::vocabulary::keyid::KEY_MAX_AGE_DAYS)
    }
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
            LiveCheck::Chain | LiveCheck::ProbePath => None,
            LiveCheck::SessionToken { .. } | LiveCheck::DecodeMessage { .. } => Some(&Who::Active),
            LiveCheck::CallerIdentity { who, .. }
            | LiveCheck::AccessKeyInfo { who, .. }
            | LiveCheck::ListAccessKeys { who }
            | LiveCheck::KeyLastUsed { who, .. }
            | LiveCheck::ListMfaDevices { who }
            | LiveCheck::AccountAlias { who }
            | LiveCheck::TryAction { who, .. }
            | LiveCheck::Simulate { who, .. }
            | LiveCheck::ListPolicies { who, .. }
            | LiveCheck::IdentityPolicies { who, .. }
            | LiveCheck::OrgPolicies { who, .. }
            | LiveCheck::RoleTrust { who, .. } => Some(who),
        }
    }

    /// The step whose findings this check informs.
    pub fn step(&self) -> Step {
        match self {
            LiveCheck::Chain | LiveCheck::ProbePath | LiveCheck::CallerIdentity { .. } => Step::Credentials,
            LiveCheck::AccessKeyInfo { .. } | LiveCheck::ListAccessKeys { .. } | LiveCheck::KeyLastUsed { .. } => {
                Step::Expiry
            }
            LiveCheck::ListMfaDevices { .. } | LiveCheck::SessionToken { .. } => Step::Mfa,
            LiveCheck::AccountAlias { .. } => Step::AccountRegion,
            LiveCheck::TryAction { .. }
            | LiveCheck::Simulate { .. }
            | LiveCheck::ListPolicies { .. }
            | LiveCheck::DecodeMessage { .. }
            | LiveCheck::IdentityPolicies { .. }
            | LiveCheck::OrgPolicies { .. }
            | LiveCheck::RoleTrust { .. } => Step::IamScp,
        }
    }

    /// Whether a step's verdict waits for this check: its own step, and every
    /// step while the credentials are still being tried.
    pub fn feeds(&self, step: Step) -> bool {
        self.step() == step || self.step() == Step::Credentials
    }

    /// A short label for logs and the interface (never holds a secret or an MFA code).
    pub fn label(&self) -> String {
        match self {
            LiveCheck::Chain => "the credential chain, hop by hop".into(),
            LiveCheck::ProbePath => "the network path to STS".into(),
            LiveCheck::CallerIdentity { who, region } => format!(
                "sts:GetCallerIdentity as {} in {}",
                who.describe(),
                region.as_deref().unwrap_or("the user's region")
            ),
            LiveCheck::AccessKeyInfo { who, .. } => format!("sts:GetAccessKeyInfo as {}", who.describe()),
            LiveCheck::ListAccessKeys { who } => format!("iam:ListAccessKeys as {}", who.describe()),
            LiveCheck::KeyLastUsed { who, .. } => format!("iam:GetAccessKeyLastUsed as {}", who.describe()),
            LiveCheck::ListMfaDevices { who } => format!("iam:ListMFADevices as {}", who.describe()),
            LiveCheck::AccountAlias { who } => format!("iam:ListAccountAliases as {}", who.describe()),
            LiveCheck::SessionToken { .. } => "sts:GetSessionToken with the MFA code".into(),
            LiveCheck::TryAction { action, .. } => format!("{action} (called)"),
            LiveCheck::Simulate { action, .. } => format!("{action} (simulated)"),
            LiveCheck::ListPolicies { .. } => "the identity's policies".into(),
            LiveCheck::DecodeMessage { .. } => "sts:DecodeAuthorizationMessage".into(),
            LiveCheck::IdentityPolicies { principal, .. } => format!("the policies of {}", principal.describe()),
            LiveCheck::OrgPolicies { .. } => "the organisation's SCPs and RCPs".into(),
            LiveCheck::RoleTrust { who, role } => {
                format!("iam:GetRole {role} (its trust policy) as {}", who.describe())
            }
        }
    }

    /// The action a TryAction or Simulate check tests.
    pub fn tested_action(&self) -> Option<&ActionName> {
        match self {
            LiveCheck::TryAction { action, .. } | LiveCheck::Simulate { action, .. } => Some(action),
            _ => None,
        }
    }
}

impl Outcome {
    /// The hops of a chain check, when it ran.
    pub fn hops(&self) -> Option<&[crate::hops::Outcome]> {
        match &self.call.result {
            Ok(LiveValue::Chain(hops)) => Some(hops),
            _ => None,
        }
    }

    /// The identity, if this was a successful caller-identity check.
    pub fn identity(&self) -> Option<&Identity> {
        match &self.call.result {
            Ok(LiveValue::Identity(identity)) => Some(identity),
            _ => None,
        }
    }

    /// The decoded meaning of the error, if AWS answered with one.
    pub fn meaning(&self) -> Option<Meaning> {
        self.call.aws_error().map(|e| e.meaning())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_check_knows_its_step() {
        let id = LiveCheck::CallerIdentity { who: Who::Active, region: None };
        assert_eq!(id.step(), Step::Credentials);
        assert!(id.feeds(Step::IamScp), "nothing is known anywhere until the credentials are tried");
        let keys = LiveCheck::ListAccessKeys { who: Who::Active };
        assert_eq!(keys.step(), Step::Expiry);
        assert!(!keys.feeds(Step::Mfa));
        let user = Identity {
            account: "1".into(),
            arn: "arn:aws:iam::1:user/team/alice".into(),
            user_id: "x".into(),
            account_alias: None,
        };
        assert_eq!(user.user_name(), Some("alice"));
    }
}
