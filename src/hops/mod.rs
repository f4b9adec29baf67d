//! Every credential source, hop by hop (SPEC section 3b). A profile that gets
//! its credentials from somewhere else (roles, SSO, a process, a web identity
//! token, `aws login`, the container endpoint, IMDS) is resolved offline into
//! an ordered chain of hops (`resolve`, pure), then each hop runs on its own
//! with the credentials of the hop before it and returns an [`Outcome`]:
//! status, duration, evidence that is safe to show, a [`Cause`] and the
//! credentials it produced.
//!
//! Modules: `resolve` (offline, pure), `process`, `jwt` + `web_identity`,
//! `assume_role`, `sso`, `login`, `metadata` (container endpoint and IMDS),
//! `run` (the hops of a chain in order), `clients` (the SDK clients the hops
//! call through), `text` (escaping and scrubbing). Only the hop runners do
//! IO: `resolve`, `jwt`, `cause`, `text` and the types here are pure.

pub mod access;
pub mod assume_role;
pub mod clients;
pub mod github;
pub mod job_https;
pub mod json;
pub mod jwt;
pub mod login;
pub mod metadata;
pub mod process;
pub mod refusal;
pub mod resolve;
pub mod run;
pub mod sso;
mod sts_error;
pub mod text;
pub mod web_exchange;
pub mod web_identity;
pub mod workload;

pub use crate::vocabulary::{Cause, SourceKind};
pub use clients::{Clients, SdkClients};
pub use resolve::{Chain, Hop, HopSource, Problem, resolve};
pub use text::{Scrub, Scrubber};

use crate::base::environment::Environment;
use chrono::{DateTime, Utc};
use secrecy::SecretString;
use std::fmt;
use std::time::Duration;

/// The outcome of one hop or stage: the report's own statuses.
pub use crate::vocabulary::Status;

/// Credentials a hop produced. The secret and the token stay secret; `Debug`
/// masks the key id too.
#[derive(Clone)]
pub struct HopCredentials {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: Option<SecretString>,
    pub expiration: Option<DateTime<Utc>>,
    /// The account, when the source says (role ARN, SSO account, `AccountId`).
    pub account_id: Option<String>,
    /// The ARN of the assumed role session, when the hop assumed a role.
    pub assumed_role_arn: Option<String>,
    /// Whether these are role session credentials (AssumeRole from them is role chaining).
    pub role_session: bool,
}

impl From<&HopCredentials> for crate::aws::live::SigningKeys {
    fn from(hop: &HopCredentials) -> Self {
        crate::aws::live::SigningKeys {
            access_key_id: crate::vocabulary::keyid::AccessKeyId::new(hop.access_key_id.clone()),
            secret: hop.secret_access_key.clone(),
            token: hop.session_token.clone(),
        }
    }
}

impl fmt::Debug for HopCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HopCredentials")
            .field("access_key_id", &crate::base::display::mask_key_id(&self.access_key_id))
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiration", &self.expiration)
            .field("account_id", &self.account_id)
            .field("assumed_role_arn", &self.assumed_role_arn)
            .field("role_session", &self.role_session)
            .finish()
    }
}

/// A tool that reads the same files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    /// The Rust SDK's own provider chain (`aws-config`).
    RustSdk,
    /// The AWS CLI and boto3 (botocore).
    AwsCli,
}

impl Tool {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Tool::RustSdk => "the Rust SDK",
            Tool::AwsCli => "the AWS CLI and boto3",
        }
    }
}

/// Where the Rust SDK and the AWS CLI / boto3 would behave differently.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ToolDifference {
    /// The setting or behaviour concerned (`duration_seconds`, `mfa_serial`, `imds-v1`...).
    pub topic: String,
    /// The tool that would fail where the other works, when one would.
    pub fails_in: Option<Tool>,
    /// What each tool does, in a sentence (safe to show).
    pub note: String,
}

/// A change to the files that fixes the cause with certainty (one key press).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fix {
    /// The profile to edit.
    pub profile: String,
    pub key: String,
    /// The new value; `None` removes the key.
    pub value: Option<String>,
    /// Why this value (safe to show).
    pub reason: String,
}

/// One step inside a hop (reading a cache, a token request, a call...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stage {
    pub name: String,
    pub status: Status,
    pub duration_ms: u64,
    pub evidence: Vec<String>,
}

/// An account and role the SSO portal lists for the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SsoAssignment {
    pub account_id: String,
    pub account_name: Option<String>,
    pub role_name: String,
}

/// What one hop did. Every string in it is safe to show: escaped, bounded and
/// scrubbed of secrets.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The kind of source the hop is (`assume-role`, `sso`, `process`...).
    pub kind: SourceKind,
    /// A one-line title (`AssumeRole arn:aws:iam::123456789012:role/ops`).
    pub title: String,
    pub status: Status,
    pub duration: Duration,
    pub evidence: Vec<String>,
    pub stages: Vec<Stage>,
    pub cause: Option<Cause>,
    /// The AWS error code, when a call was refused.
    pub error_code: Option<String>,
    pub credentials: Option<HopCredentials>,
    pub differences: Vec<ToolDifference>,
    pub fix: Option<Fix>,
    /// For `sso-no-access`: the pairs the portal lists.
    pub assignments: Vec<SsoAssignment>,
    /// A web identity token's claims (decoded, not verified; never the token).
    pub claims: Option<jwt::Claims>,
    /// The precise fix for the cause (a command, a block to add), when one is
    /// certain and is not a profile edit (`fix`); safe to show.
    pub advice: Option<String>,
}

impl Outcome {
    /// An outcome with nothing in it yet.
    pub fn new(kind: SourceKind, title: impl Into<String>) -> Self {
        Outcome {
            kind,
            title: title.into(),
            status: Status::Skip,
            duration: Duration::ZERO,
            evidence: Vec::new(),
            stages: Vec::new(),
            cause: None,
            error_code: None,
            credentials: None,
            differences: Vec::new(),
            fix: None,
            assignments: Vec::new(),
            claims: None,
            advice: None,
        }
    }

    /// Marks the outcome failed with a cause.
    pub fn fail(&mut self, cause: Cause) {
        self.status = Status::Fail;
        self.cause = Some(cause);
    }

    /// Marks the outcome passed with the credentials produced.
    pub fn pass(&mut self, credentials: HopCredentials) {
        self.status = Status::Pass;
        self.credentials = Some(credentials);
    }

    /// Milliseconds the hop took.
    pub fn millis(&self) -> u64 {
        u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX)
    }

    /// Adds an evidence line (the caller made it safe).
    pub fn note(&mut self, line: impl Into<String>) {
        self.evidence.push(line.into());
    }
}

/// What every hop runner needs besides its own settings.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The environment the SDK would see (HOME, AWS_* variables, proxies).
    pub env: &'a Environment,
    /// The local clock, for expiry decisions.
    pub now: DateTime<Utc>,
    /// The budget of one network call or one process run.
    pub timeout: Duration,
    /// Every outside text (process stderr, error messages) goes through it.
    pub scrubber: &'a dyn Scrub,
}

impl<'a> Context<'a> {
    /// A context at the current time.
    pub fn new(env: &'a Environment, timeout: Duration, scrubber: &'a dyn Scrub) -> Self {
        Context { env, now: Utc::now(), timeout, scrubber }
    }

    /// Outside text made safe: scrubbed, escaped, at most `max` characters.
    pub fn safe(&self, text: &str, max: usize) -> String {
        text::escape(&self.scrubber.scrub(text), max)
    }
}
