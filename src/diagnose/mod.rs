//! The diagnosis engine. `Facts` is everything known before the network (the
//! environment, both files and the SDK's view of them, the credential chain,
//! the region, the user's options, the clock); `plan` and `runner` run the
//! live checks; `assess` turns facts plus live outcomes into findings, one
//! file per step; `report` orders them by root cause into the JSON report.
//! Only `gather`, `live` and `runner` do IO.

pub mod actions;
pub mod assess;
pub mod cause;
pub mod decode;
pub mod finding;
pub mod lints;
pub mod live;
pub mod plan;
pub mod regions;
pub mod report;
pub mod runner;
pub mod session;
pub mod sources;

pub use cause::{Cause, Status, Step};
pub use finding::{Finding, Repair};
pub use report::Report;

use crate::environment::{Environment, ProfileChoice};
use crate::profile::{ProfileFiles, SdkView, StoreError};
use chrono::{DateTime, Utc};
use live::SigningKeys;
use plan::{LiveValue, Outcome};
use secrecy::ExposeSecret;
use sources::{Chain, Keys, Located, SourceKind};
use std::time::Duration;

/// What the user asked for, beyond the profile.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--action SERVICE:ACTION`, repeatable.
    pub actions: Vec<String>,
    /// `--error TEXT`: the error the user saw.
    pub error: Option<String>,
    /// `--expect-account`.
    pub expect_account: Option<String>,
    /// `--mfa-code`.
    pub mfa_code: Option<String>,
    /// The whole run's budget.
    pub timeout: Duration,
}

/// An SSO token found in `~/.aws/sso/cache`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoToken {
    pub path: String,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Everything known before any network call.
#[derive(Debug, Clone)]
pub struct Facts {
    pub env: Environment,
    pub profile: String,
    pub choice: ProfileChoice,
    pub files: ProfileFiles,
    pub view: SdkView,
    pub chain: Chain,
    /// The region and where it came from.
    pub region: Option<Located<String>>,
    pub options: Options,
    pub now: DateTime<Utc>,
    /// The SSO token cache entry of the profile, when it uses SSO (`None` inside: missing).
    pub sso_token: Option<Option<SsoToken>>,
}

impl Facts {
    /// Builds the facts from an environment and loaded files (pure).
    pub fn new(
        env: Environment,
        files: ProfileFiles,
        profile_flag: Option<&str>,
        options: Options,
        now: DateTime<Utc>,
    ) -> Self {
        let (profile, choice) = env.active_profile(profile_flag);
        let view = files.view();
        let chain = sources::chain(&env, &view, &profile);
        let region = resolve_region(&env, &view, &profile);
        Facts { env, profile, choice, files, view, chain, region, options, now, sso_token: None }
    }

    /// Reads the files the environment names (and the SSO cache) and builds the facts.
    pub fn gather(env: Environment, profile_flag: Option<&str>, options: Options) -> Result<Self, StoreError> {
        let files = ProfileFiles::load(&env)?;
        let mut facts = Facts::new(env, files, profile_flag, options, Utc::now());
        facts.sso_token = assess::expiry::read_sso_token(&facts);
        Ok(facts)
    }

    /// The region the STS checks sign with: the user's, unless it is not a real region.
    pub fn signing_region(&self) -> Option<String> {
        self.region.as_ref().map(|r| r.value.trim().to_string()).filter(|r| regions::lookup(r).is_some())
    }

    /// The winning source's static keys.
    pub fn active_keys(&self) -> Option<&Keys> {
        self.chain.winner().and_then(|s| s.keys.as_ref())
    }

    /// The active key id (static sources only).
    pub fn active_key_id(&self) -> Option<&str> {
        self.active_keys().and_then(Keys::key_id)
    }

    /// The selected profile's own complete static keys, when env keys win over them.
    pub fn profile_keys(&self) -> Option<&Keys> {
        if self.chain.winner().map(|s| s.kind) != Some(SourceKind::Env) {
            return None;
        }
        self.chain.profile_source().filter(|s| s.yields).and_then(|s| s.keys.as_ref())
    }

    /// A value of the selected profile.
    pub fn profile_value(&self, key: &str) -> Option<&str> {
        self.view.profiles.get(&self.profile).and_then(|p| p.get(key)).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The profile's `mfa_serial`.
    pub fn mfa_serial(&self) -> Option<&str> {
        self.profile_value("mfa_serial")
    }

    /// Other profiles with complete static keys (for looking at a rejected key from outside).
    pub fn other_profiles_with_keys(&self) -> Vec<String> {
        self.view
            .profiles
            .iter()
            .filter(|(name, section)| {
                *name != &self.profile
                    && section.get("aws_access_key_id").is_some()
                    && section.get("aws_secret_access_key").is_some()
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The IAM user name of the active identity, from a finished identity check.
    pub fn identity_user(&self, done: &[Outcome]) -> Option<String> {
        done.iter().find_map(|o| match (&o.check, &o.call.result) {
            (plan::LiveCheck::CallerIdentity { who: plan::Who::Active, .. }, Ok(LiveValue::Identity { arn, .. })) => {
                arn.split_once(":user/").map(|(_, name)| name.rsplit('/').next().unwrap_or(name).to_string())
            }
            _ => None,
        })
    }

    pub(crate) fn signing_keys_active(&self) -> Option<SigningKeys> {
        self.chain.winner().filter(|s| s.kind.is_static()).and_then(|s| s.keys.as_ref()).and_then(signing_keys)
    }

    pub(crate) fn signing_keys_profile(&self) -> Option<SigningKeys> {
        self.profile_keys().and_then(signing_keys)
    }

    pub(crate) fn signing_keys_others(&self) -> Vec<(String, SigningKeys)> {
        self.other_profiles_with_keys()
            .into_iter()
            .filter_map(|name| {
                let section = self.view.profiles.get(&name)?;
                let keys = SigningKeys {
                    access_key_id: section.get("aws_access_key_id")?.to_string(),
                    secret: section.get("aws_secret_access_key")?.to_string().into(),
                    token: section.get("aws_session_token").map(|t| t.to_string().into()),
                };
                Some((name, keys))
            })
            .collect()
    }
}

fn signing_keys(keys: &Keys) -> Option<SigningKeys> {
    Some(SigningKeys {
        access_key_id: keys.access_key_id.as_ref()?.value.clone(),
        secret: keys.secret.as_ref()?.value.expose_secret().to_string().into(),
        token: keys.token.as_ref().map(|t| t.value.clone()),
    })
}

/// The region as the SDKs pick it: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
fn resolve_region(env: &Environment, view: &SdkView, profile: &str) -> Option<Located<String>> {
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Some(value) = env.get(var) {
            return Some(Located {
                value: value.to_string(),
                location: var.to_string(),
                origin: None,
                key: var.to_string(),
            });
        }
    }
    let prop = view.profiles.get(profile)?.properties.get("region")?;
    Some(Located {
        value: prop.value.clone(),
        location: crate::display::file_location(env, prop.origin),
        origin: Some(prop.origin),
        key: "region".into(),
    })
}

/// A finished diagnosis: the report and the raw live outcomes behind it.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub report: Report,
    pub outcomes: Vec<Outcome>,
}

/// Runs the live checks within the budget, assesses, and assembles the report.
pub async fn diagnose_full(facts: &Facts) -> Diagnosis {
    diagnose_run(facts, 1, |_| {}).await
}

/// `diagnose_full` for run `run`, telling `on_event` each check as it starts and finishes.
pub async fn diagnose_run(facts: &Facts, run: runner::RunId, on_event: impl FnMut(runner::RunEvent)) -> Diagnosis {
    let started = std::time::Instant::now();
    let deadline = tokio::time::Instant::now() + facts.options.timeout;
    let attempt = facts.options.timeout.mul_f64(0.45).clamp(Duration::from_millis(500), Duration::from_secs(4));
    let outcomes = if plan::initial(facts).is_empty() {
        Vec::new()
    } else {
        let ca_bundle = facts.env.get("AWS_CA_BUNDLE").and_then(|p| std::fs::read(p).ok());
        let live = live::Live::load(&facts.profile, facts.signing_region(), attempt, ca_bundle).await;
        runner::run(&live, facts, run, deadline, on_event).await
    };
    let findings = assess::all(facts, &outcomes);
    let report = report::assemble(facts, &outcomes, findings, started.elapsed());
    Diagnosis { report, outcomes }
}

/// The report only.
pub async fn diagnose(facts: &Facts) -> Report {
    diagnose_full(facts).await.report
}
