//! The resolved chain as data: hops (base first), each with its source and
//! the settings that configure it (file and line), the problems found before
//! any call, the settings the SDK ignores, and where the Rust SDK and the AWS
//! CLI would disagree. Pure.

use crate::hops::{Cause, Fix, ToolDifference};
use crate::profile::Origin;
use crate::vocabulary::SourceKind;
use secrecy::SecretString;
use std::fmt;

/// One setting of a hop, as written: never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    /// The file line, for settings from a file; `None` for the environment.
    pub origin: Option<Origin>,
}

impl Setting {
    /// A setting from an environment variable.
    pub fn env(name: &str, value: &str) -> Self {
        Setting { key: name.to_string(), value: value.to_string(), origin: None }
    }
}

/// Static keys of a profile. `Debug` masks the key id and hides the secrets.
#[derive(Clone)]
pub struct StaticKeys {
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    pub session_token: Option<SecretString>,
    /// `aws_account_id`, when set.
    pub account_id: Option<String>,
}

impl fmt::Debug for StaticKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticKeys")
            .field("access_key_id", &crate::base::display::mask_key_id(&self.access_key_id))
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("account_id", &self.account_id)
            .finish_non_exhaustive()
    }
}

/// The named sources of `credential_source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedSource {
    Environment,
    Ec2InstanceMetadata,
    EcsContainer,
}

impl NamedSource {
    /// The SDK's lookup: case-insensitive (botocore's is exact).
    pub fn parse(value: &str) -> Option<NamedSource> {
        [NamedSource::Environment, NamedSource::Ec2InstanceMetadata, NamedSource::EcsContainer]
            .into_iter()
            .find(|n| n.name().eq_ignore_ascii_case(value))
    }

    /// The documented spelling.
    pub fn name(self) -> &'static str {
        match self {
            NamedSource::Environment => "Environment",
            NamedSource::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            NamedSource::EcsContainer => "EcsContainer",
        }
    }
}

/// An AssumeRole hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSpec {
    pub role_arn: String,
    pub external_id: Option<String>,
    pub mfa_serial: Option<String>,
    pub role_session_name: Option<String>,
    /// As written; the Rust SDK ignores it, the AWS CLI sends it.
    pub duration_seconds: Option<String>,
}

/// An AssumeRoleWithWebIdentity hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentitySpec {
    pub role_arn: String,
    pub token_file: String,
    pub session_name: Option<String>,
    /// From `AWS_ROLE_ARN` / `AWS_WEB_IDENTITY_TOKEN_FILE` rather than a profile.
    pub from_env: bool,
    /// A CI job's own token instead of a file (`token_file` is empty).
    pub job_token: Option<JobToken>,
}

/// Where a CI job's token comes from, when not from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobToken {
    /// GitHub Actions: the job's token endpoint, asked for this audience.
    Github { audience: String },
    /// GitLab CI without a token file: the variable that holds an `id_tokens`
    /// token, when one does (the SDKs read only files).
    Gitlab { variable: Option<String> },
}

/// An IAM Identity Center hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoSpec {
    /// The `[sso-session NAME]`; `None` for the legacy style.
    pub session_name: Option<String>,
    pub start_url: String,
    pub region: String,
    pub account_id: String,
    pub role_name: String,
}

/// A `credential_process` hop. The command may hold secrets in its
/// arguments: show [`ProcessSpec::program`] only.
#[derive(Clone, PartialEq, Eq)]
pub struct ProcessSpec {
    pub command: String,
    /// `aws_account_id` of the profile (used when the output has none).
    pub account_id: Option<String>,
}

impl ProcessSpec {
    /// The program (first word) and whether arguments follow, for display.
    pub fn program(&self) -> String {
        let trimmed = self.command.trim();
        let (program, rest) = trimmed.split_once(char::is_whitespace).unwrap_or((trimmed, ""));
        let program = crate::hops::text::escape(program, 200);
        if rest.trim().is_empty() { program } else { format!("{program} (arguments hidden)") }
    }
}

impl fmt::Debug for ProcessSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessSpec").field("command", &self.program()).finish_non_exhaustive()
    }
}

/// A console `aws login` session hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSpec {
    pub session_arn: String,
}

/// Where one hop gets its credentials.
#[derive(Debug, Clone)]
pub enum HopSource {
    StaticKeys(StaticKeys),
    /// `credential_source`, as the SDK resolves it (`None`: unknown) and as written.
    Named {
        source: Option<NamedSource>,
        written: String,
    },
    AssumeRole(RoleSpec),
    WebIdentity(WebIdentitySpec),
    Sso(SsoSpec),
    Process(ProcessSpec),
    Login(LoginSpec),
}

/// One hop of a chain.
#[derive(Debug, Clone)]
pub struct Hop {
    /// The profile that configures it (`None`: the environment).
    pub profile: Option<String>,
    pub source: HopSource,
    /// The settings that configure it, for the wizard's fields.
    pub settings: Vec<Setting>,
}

impl Hop {
    /// The kind of source this hop is (SPEC 4's `source.kind`): static keys are
    /// the environment's, the config file's or the credentials file's, by where
    /// the key id was read.
    pub fn kind(&self) -> SourceKind {
        match &self.source {
            HopSource::StaticKeys(_) => {
                let file = self.settings.iter().find_map(|s| s.origin.filter(|_| s.key == "aws_access_key_id"));
                match (self.profile.as_ref(), file.map(|o| o.file)) {
                    (None, _) => SourceKind::Env,
                    (Some(_), Some(crate::profile::FileKind::Config)) => SourceKind::ConfigFile,
                    (Some(_), _) => SourceKind::SharedCredentialsFile,
                }
            }
            HopSource::Named { source: Some(NamedSource::Ec2InstanceMetadata), .. } => SourceKind::Imds,
            HopSource::Named { source: Some(NamedSource::EcsContainer), .. } => SourceKind::Container,
            HopSource::Named { .. } => SourceKind::Env,
            HopSource::AssumeRole(_) => SourceKind::AssumeRole,
            HopSource::WebIdentity(_) => SourceKind::WebIdentity,
            HopSource::Sso(_) => SourceKind::Sso,
            HopSource::Process(_) => SourceKind::Process,
            HopSource::Login(_) => SourceKind::Login,
        }
    }

    /// Whether the credentials this hop yields are a role session (AssumeRole
    /// from them is role chaining, limited to one hour).
    pub fn yields_role_session(&self) -> bool {
        matches!(
            self.source,
            HopSource::AssumeRole(_)
                | HopSource::WebIdentity(_)
                | HopSource::Sso(_)
                | HopSource::Named { source: Some(NamedSource::Ec2InstanceMetadata | NamedSource::EcsContainer), .. }
        )
    }

    /// A one-line title, safe to show.
    pub fn title(&self) -> String {
        use crate::hops::text::escape;
        let of = self.profile.as_deref().map(|p| format!(" (profile {})", escape(p, 100))).unwrap_or_default();
        let what = match &self.source {
            HopSource::StaticKeys(keys) => {
                format!("static keys {}", crate::base::display::mask_key_id(&keys.access_key_id))
            }
            HopSource::Named { written, .. } => format!("credential_source {}", escape(written, 100)),
            HopSource::AssumeRole(role) => format!("AssumeRole {}", escape(&role.role_arn, 300)),
            HopSource::WebIdentity(web) => format!("AssumeRoleWithWebIdentity {}", escape(&web.role_arn, 300)),
            HopSource::Sso(sso) => format!(
                "IAM Identity Center account {} role {}",
                escape(&sso.account_id, 40),
                escape(&sso.role_name, 100)
            ),
            HopSource::Process(process) => format!("credential_process {}", process.program()),
            HopSource::Login(login) => format!("aws login session {}", escape(&login.session_arn, 300)),
        };
        format!("{what}{of}")
    }

    /// The setting with this key, if the hop has it.
    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }
}

/// A problem found before any call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub cause: Cause,
    /// The profile to fix.
    pub profile: String,
    /// The key to fix, when one key is at fault.
    pub key: Option<String>,
    pub origin: Option<Origin>,
    /// What is wrong, safe to show.
    pub message: String,
    /// Existing names to pick from (closest first), for a dangling reference.
    pub suggestions: Vec<String>,
    /// The edit that fixes it, when it is certain.
    pub fix: Option<Fix>,
    /// Whether the Rust SDK itself refuses the chain before any call (else
    /// AWS would refuse the value at call time).
    pub stops_sdk: bool,
}

/// A setting the SDK reads past: another setting wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadowed {
    pub profile: String,
    pub key: String,
    pub origin: Option<Origin>,
    /// Why it is ignored, safe to show.
    pub reason: String,
}

/// Whether the SDK's profile provider yields anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainState {
    /// The hops are complete; the first is the base.
    Ready,
    /// The profile provider yields nothing and the SDK's default chain moves on
    /// to the next source (web identity from env, container, IMDS).
    NotLoaded(String),
    /// The chain cannot yield credentials (`problems` says why, first is
    /// first). `sdk_moves_on`: the Rust SDK does not report this error: its
    /// default chain silently moves on to the next source.
    Broken { sdk_moves_on: bool },
}

/// A profile's resolved chain.
#[derive(Debug, Clone)]
pub struct Chain {
    pub profile: String,
    /// Base first. When broken, the hops resolved before the break.
    pub hops: Vec<Hop>,
    pub state: ChainState,
    /// Problems in order: the one that stops the SDK first, then values AWS
    /// would refuse, base hop first.
    pub problems: Vec<Problem>,
    pub shadowed: Vec<Shadowed>,
    pub differences: Vec<ToolDifference>,
}

impl Chain {
    /// The first problem, which is the primary cause when there is one.
    pub fn primary_problem(&self) -> Option<&Problem> {
        self.problems.first()
    }

    /// The hop that yields the profile's final credentials.
    pub fn last(&self) -> Option<&Hop> {
        self.hops.last()
    }

    /// The profiles the chain visits, top first.
    pub fn profiles(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for hop in self.hops.iter().rev() {
            if let Some(p) = hop.profile.as_deref()
                && seen.insert(p)
            {
                names.push(p);
            }
        }
        names
    }
}
