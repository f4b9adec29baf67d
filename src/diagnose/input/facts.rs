//! The facts: everything known before the network, built by a pure function
//! from what [`crate::diagnose::input::gather`] read (the environment, both files, the side
//! files), the selected profile, the user's options and the clock: the SDK's
//! view of the files, the credential chain, the region. No IO.

use crate::aws::live::SigningKeys;
use crate::base::environment::{Environment, ProfileChoice};
use crate::diagnose::input::common::{Common, ProfileIndex};
use crate::diagnose::input::gather::{CaBundle, Gathered, SideFiles, SsoCacheEntry, SsoToken};
use crate::diagnose::input::options::Options;
use crate::diagnose::input::sources::Source;
use crate::diagnose::input::sources::{self, Chain, Keys, Located, SourceKind};
use crate::hops::resolve::{ChainState, NamedSource};
use crate::hops::{self, Hop, HopSource};
use crate::profile::file_location;
use crate::profile::view::Section;
use crate::profile::{ProfileFiles, SdkView};
use crate::vocabulary::keyid::AccessKeyId;
use crate::vocabulary::regions;
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use std::sync::Arc;

/// Everything known before any network call.
#[derive(Debug, Clone)]
pub struct Facts {
    pub env: Environment,
    pub profile: String,
    pub choice: ProfileChoice,
    /// The files, their view and the side files: shared by every profile's facts (see [`Common`]).
    pub files: Arc<ProfileFiles>,
    pub view: Arc<SdkView>,
    pub side: Arc<SideFiles>,
    /// Lookups over every profile (key holders, SSO sessions), built once with the view.
    pub index: Arc<ProfileIndex>,
    pub chain: Chain,
    /// The hops of the winning source when it gets its credentials from
    /// somewhere else (role, SSO, process, web identity, login, container,
    /// IMDS), resolved offline; `None` for static keys.
    pub hops: Option<hops::Chain>,
    /// The region and where it came from.
    pub region: Option<Located<String>>,
    /// The STS endpoint the checks call, and how its URL came about (or why none can be built).
    pub endpoint: Result<crate::netpath::Target, String>,
    pub options: Options,
    pub now: DateTime<Utc>,
}

/// The SSO token of the selected profile, as far as the gathered cache tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsoState<'a> {
    /// The profile does not use SSO.
    NotSso,
    /// The cache was not read for this profile's session (the files changed since).
    NotRead,
    /// The cache file, as read.
    Cached { path: &'a str, token: &'a Result<Option<SsoToken>, String> },
}

impl Facts {
    /// Builds the facts from what was gathered (pure).
    pub fn new(gathered: Gathered, profile_flag: Option<&str>, options: Options, now: DateTime<Utc>) -> Self {
        let Gathered { env, files, side } = gathered;
        Self::with_common(env, &Common::new(files, side), profile_flag, options, now)
    }

    /// Builds the facts of one profile on what every profile shares (pure;
    /// costs the profile's own chain, not the size of the files).
    pub fn with_common(
        env: Environment,
        common: &Common,
        profile_flag: Option<&str>,
        options: Options,
        now: DateTime<Utc>,
    ) -> Self {
        let (profile, choice) = env.active_profile(profile_flag);
        let Common { files, view, side, index } = common.clone();
        let imds_plausible = !env.imds_disabled()
            && (side.ec2_host
                || env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").is_some()
                || view.profiles.get(&profile).is_some_and(|p| p.get("ec2_metadata_service_endpoint").is_some()));
        let mut chain = sources::chain(&env, &view, &profile, imds_plausible);
        super::workload::add_github_source(&mut chain, &env, &options);
        let hops = match chain.winner() {
            Some(w) if super::workload::is_job_source(w) => {
                super::workload::job_hop(&env, &options).map(|hop| single_hop(&profile, hop))
            }
            winner => credential_chain(&env, &view, &profile, winner),
        };
        let region = resolve_region(&env, &view, &profile);
        let endpoint = crate::diagnose::input::endpoint::sts_target(&env, &view, &profile, region.as_ref());
        Facts { env, profile, choice, files, view, side, index, chain, hops, region, endpoint, options, now }
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
    pub fn active_key_id(&self) -> Option<&AccessKeyId> {
        self.active_keys().and_then(|k| k.access_key_id.as_ref()).map(|k| &k.value)
    }

    /// Whether the active credentials are a long-term key read directly by credwiz.
    pub fn active_is_long_term_key(&self) -> bool {
        self.chain.winner().is_some_and(|s| s.kind.is_static())
            && self.active_key_id().is_some_and(AccessKeyId::is_long_term)
    }

    /// The selected profile's own complete static keys, when env keys win over them.
    pub fn profile_keys(&self) -> Option<&Keys> {
        if self.chain.winner().map(|s| s.kind) != Some(SourceKind::Env) {
            return None;
        }
        self.chain.profile_source().filter(|s| s.yields).and_then(|s| s.keys.as_ref())
    }

    /// A value of the selected profile, trimmed; `None` when unset or empty.
    pub fn profile_value(&self, key: &str) -> Option<&str> {
        self.view.profiles.get(&self.profile).and_then(|p| p.get(key)).map(str::trim).filter(|v| !v.is_empty())
    }

    /// The profile's `mfa_serial`.
    pub fn mfa_serial(&self) -> Option<&str> {
        self.profile_value("mfa_serial")
    }

    /// The SSO token cache entry of the selected profile.
    pub fn sso_token(&self) -> SsoState<'_> {
        let Some(key) = self.profile_value("sso_session").or_else(|| self.profile_value("sso_start_url")) else {
            return SsoState::NotSso;
        };
        match self.side.sso_cache.get(key) {
            Some(SsoCacheEntry { path, token }) => SsoState::Cached { path, token },
            None => SsoState::NotRead,
        }
    }

    /// The CA bundle the checks trust on top of the system's roots, and where
    /// it is named: `AWS_CA_BUNDLE`, else the profile's `ca_bundle` (read by the
    /// AWS CLI and boto3; the Rust SDK ignores it).
    pub fn ca_bundle(&self) -> Option<(&CaBundle, String)> {
        if let Some(path) = self.env.get("AWS_CA_BUNDLE") {
            return self.side.ca_bundles.get(path.trim()).map(|b| (b, "AWS_CA_BUNDLE".to_string()));
        }
        let path = self.profile_value("ca_bundle")?;
        let at = self.view.profiles.get(&self.profile)?.properties.get("ca_bundle")?;
        self.side.ca_bundles.get(path).map(|b| (b, format!("ca_bundle ({})", file_location(&self.env, at.origin))))
    }

    /// Whether a hop of the chain takes the MFA code (then no other check spends it).
    pub fn chain_takes_mfa_code(&self) -> bool {
        self.hops.as_ref().is_some_and(|c| {
            c.hops.iter().any(|h| matches!(&h.source, HopSource::AssumeRole(r) if r.mfa_serial.is_some()))
        })
    }

    /// Other profiles with complete static keys, in name order (for looking at
    /// a rejected key from outside). Lazy: callers take the first few, so a
    /// file of thousands of profiles costs each check only what it asks for.
    pub fn other_profiles_with_keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.others_with_keys().map(|(name, _)| name)
    }

    /// The sections behind `other_profiles_with_keys`, with their names.
    fn others_with_keys(&self) -> impl Iterator<Item = (&str, &Section)> + '_ {
        self.view
            .profiles
            .iter()
            .filter(|(name, section)| {
                *name != &self.profile
                    && section.get("aws_access_key_id").is_some()
                    && section.get("aws_secret_access_key").is_some()
            })
            .map(|(name, section)| (name.as_str(), section))
    }

    /// The keys the active credentials sign with (static sources only).
    pub(crate) fn signing_keys_active(&self) -> Option<SigningKeys> {
        self.chain.winner().filter(|s| s.kind.is_static()).and_then(|s| s.keys.as_ref()).and_then(signing_keys)
    }

    /// The profile's own keys, when the environment's win over them.
    pub(crate) fn signing_keys_profile(&self) -> Option<SigningKeys> {
        self.profile_keys().and_then(signing_keys)
    }

    /// The environment's keys when another source wins over them (a CI job
    /// testing its role with `--role-arn`): they may still read IAM.
    pub(crate) fn signing_keys_env_shadowed(&self) -> Option<SigningKeys> {
        let winner = self.chain.winner;
        let (at, source) = self.chain.sources.iter().enumerate().find(|(_, s)| s.kind == SourceKind::Env)?;
        (Some(at) != winner).then_some(source).and_then(|s| s.keys.as_ref()).and_then(signing_keys)
    }

    /// The keys of the first `count` other profiles that hold complete static keys.
    pub(crate) fn signing_keys_others(&self, count: usize) -> Vec<(String, SigningKeys)> {
        self.others_with_keys()
            .take(count)
            .filter_map(|(name, section)| {
                let keys = SigningKeys {
                    access_key_id: section.get("aws_access_key_id")?.into(),
                    secret: section.get("aws_secret_access_key")?.to_string().into(),
                    token: section.get("aws_session_token").map(|t| t.to_string().into()),
                };
                Some((name.to_string(), keys))
            })
            .collect()
    }
}

/// A chain of one hop (a source of the environment).
fn single_hop(profile: &str, hop: Hop) -> hops::Chain {
    hops::Chain {
        profile: profile.to_string(),
        problems: hops::resolve::check_hop(&hop),
        hops: vec![hop],
        state: ChainState::Ready,
        shadowed: Vec::new(),
        differences: Vec::new(),
    }
}

/// The hops of the winning source, when it is not static keys.
fn credential_chain(env: &Environment, view: &SdkView, profile: &str, winner: Option<&Source>) -> Option<hops::Chain> {
    let winner = winner?;
    let named = |source: NamedSource, written: &str, variables: &[&str]| Hop {
        profile: None,
        source: HopSource::Named { source: Some(source), written: written.to_string() },
        settings: variables
            .iter()
            .filter_map(|v| env.get(v).map(|value| hops::resolve::Setting::env(v, value)))
            .collect(),
    };
    let single = |hop: Hop| single_hop(profile, hop);
    match winner.kind {
        SourceKind::WebIdentity if winner.location == "AWS_WEB_IDENTITY_TOKEN_FILE" => {
            hops::resolve::env_web_identity(env).map(single)
        }
        SourceKind::AssumeRole
        | SourceKind::WebIdentity
        | SourceKind::Sso
        | SourceKind::Process
        | SourceKind::Login => Some(hops::resolve(env, view, profile)),
        SourceKind::Container => Some(single(named(
            NamedSource::EcsContainer,
            "the container credentials endpoint",
            &["AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"],
        ))),
        SourceKind::Imds => Some(single(named(
            NamedSource::Ec2InstanceMetadata,
            "EC2 instance metadata",
            &["AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
        ))),
        _ => None,
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
        location: file_location(env, prop.origin),
        origin: Some(prop.origin),
        key: "region".into(),
    })
}
