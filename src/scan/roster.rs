//! The scan's offline pass, linear in the size of the files: one SDK view of
//! both files, then for every profile (and `(env)` when the environment holds
//! keys; and the profile this shell uses when the files lack it) its credential chain, the lints of the keys it would use, the
//! offline problems of its hops, the SDK settings that decide its endpoints
//! (profiles with equal settings share one loaded SDK configuration and its
//! connections), its SSO session; and the cross-profile findings that need
//! no network. Pure: built from what `gather` read.

use crate::base::environment::{Environment, ProfileChoice};
use crate::diagnose::input::gather::Gathered;
use crate::diagnose::input::lints::{LintTarget, lint_keys};
use crate::diagnose::input::sources::{self, SourceKind};
use crate::diagnose::judge::crossprofile::{self, CrossFinding, KeyHolder};
use crate::diagnose::{Cause, Status};
use crate::hops;
use crate::profile::SdkView;
use crate::scan::ENV_KEY_VARIABLES;
use chrono::{DateTime, Utc};

/// The name of the environment's keys in a scan.
pub const ENV_ROW: &str = "(env)";

/// Profile keys that do not change the SDK configuration credwiz loads (the
/// credentials and identity settings, the region, which every check sets
/// itself, and settings of other tools): profiles that differ only in these
/// can share one configuration. Every other key (endpoint_url, services,
/// use_fips_endpoint...) separates them.
const NOT_ENDPOINT_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "aws_expiration",
    "expiration",
    "x_security_token_expires",
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    "credential_process",
    "web_identity_token_file",
    "login_session",
    "cli_pager",
    "cli_timestamp_format",
    "cli_binary_format",
    "cli_follow_urlparam",
    "cli_history",
    "cli_auto_prompt",
    "s3",
    "parameter_validation",
    "tcp_keepalive",
];

/// One line of the scan: a profile, or the environment's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The profile's name, or [`ENV_ROW`].
    pub name: String,
    /// Diagnosed with the environment's key variables (only the `(env)` row);
    /// every profile is judged on its own configuration, as `aws --profile P` uses it.
    pub env_keys: bool,
    /// The `--profile` its facts are built with (`None`: as the environment chooses).
    pub flag: Option<String>,
    /// The kind of the source that would win.
    pub source: SourceKind,
    /// A failure known before any call (status and cause), for an early status.
    pub offline: Option<Cause>,
    /// Profiles with the same key share one loaded SDK configuration.
    pub endpoint: String,
    /// The SSO cache key, for profiles on an SSO session (they run the first one alone).
    pub sso: Option<String>,
}

impl Entry {
    /// The status known before the network: a failure, or nothing yet.
    pub fn offline_status(&self) -> Option<(Status, Cause)> {
        self.offline.map(|c| (Status::Fail, c))
    }
}

/// Everything the scan knows before the network.
#[derive(Debug, Clone)]
pub struct Roster {
    pub entries: Vec<Entry>,
    /// Every static key held, `(env)` included (secrets only as fingerprints).
    pub holders: Vec<KeyHolder>,
    /// Cross-profile findings that need no network.
    pub findings: Vec<CrossFinding>,
    /// The profile this shell uses (AWS_PROFILE, the scan's `--profile`, else `default`).
    pub active: String,
}

/// Whether instance metadata is a plausible source for a profile (as `Facts` decides it).
fn imds_plausible(env: &Environment, gathered: &Gathered, view: &SdkView, profile: &str) -> bool {
    !env.imds_disabled()
        && (gathered.side.ec2_host
            || env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").is_some()
            || view.profiles.get(profile).is_some_and(|p| p.get("ec2_metadata_service_endpoint").is_some()))
}

/// The settings of a profile that decide its SDK configuration, as one string.
fn endpoint_key(view: &SdkView, profile: &str) -> String {
    let Some(section) = view.profiles.get(profile) else { return String::new() };
    let mut key = String::new();
    for (name, property) in &section.properties {
        if NOT_ENDPOINT_KEYS.contains(&name.as_str()) {
            continue;
        }
        key.push_str(name);
        key.push('=');
        key.push_str(&property.value);
        key.push('\n');
        if name == "services"
            && let Some(services) = view.other_sections.get(&format!("services {}", property.value.trim()))
        {
            for (service_key, value) in &services.properties {
                key.push_str(&format!("  {service_key}={}\n", value.value));
            }
        }
    }
    key
}

/// The first failure known offline for a profile in an environment.
fn offline_cause(env: &Environment, gathered: &Gathered, view: &SdkView, profile: &str) -> (SourceKind, Option<Cause>) {
    if !view.failures.is_empty() {
        return (SourceKind::None, Some(Cause::ProfileNotFound));
    }
    let chain = sources::chain(env, view, profile, imds_plausible(env, gathered, view, profile));
    let Some(winner) = chain.winner() else {
        let lint = chain.sources.iter().find_map(|s| {
            let keys = s.keys.as_ref()?;
            first_failure(lint_keys(&LintTarget { source: s, profile, in_use: true }, keys))
        });
        let missing = if view.profiles.contains_key(profile) || profile == "default" {
            Cause::NoCredentials
        } else {
            Cause::ProfileNotFound
        };
        return (SourceKind::None, Some(lint.unwrap_or(missing)));
    };
    let cause = match (&winner.keys, winner.kind) {
        (Some(keys), _) => first_failure(lint_keys(&LintTarget { source: winner, profile, in_use: true }, keys)),
        (None, SourceKind::AssumeRole | SourceKind::Sso | SourceKind::Process | SourceKind::Login) => {
            hop_problem(&hops::resolve(env, view, profile))
        }
        (None, SourceKind::WebIdentity) if winner.location != "AWS_WEB_IDENTITY_TOKEN_FILE" => {
            hop_problem(&hops::resolve(env, view, profile))
        }
        _ => None,
    };
    (winner.kind, cause)
}

fn first_failure(findings: Vec<crate::diagnose::Finding>) -> Option<Cause> {
    findings.into_iter().find(|f| f.status == Status::Fail).and_then(|f| f.cause)
}

fn hop_problem(chain: &hops::Chain) -> Option<Cause> {
    chain.problems.first().and_then(|p| Cause::from_id(p.cause.id()))
}

impl Roster {
    /// The offline pass over what was gathered. `active_flag`: the `--profile`
    /// given to the scan (it decides the profile the `(env)` keys are used with).
    pub fn build(gathered: &Gathered, active_flag: Option<&str>, now: DateTime<Utc>) -> Roster {
        let view = gathered.files.view();
        let env = &gathered.env;
        let plain = env.without(&ENV_KEY_VARIABLES);
        let (active, _) = plain.active_profile(active_flag);
        let mut entries = Vec::with_capacity(view.profiles.len() + 1);
        let mut holders = crossprofile::key_holders(&view);
        if let Some(keys) = sources::env_keys(env) {
            let (source, offline) = offline_cause(env, gathered, &view, &active);
            if let (Some(id), Some(secret)) = (&keys.access_key_id, &keys.secret) {
                holders.push(KeyHolder::new(ENV_ROW, id.value.as_str(), &secret.value));
            }
            entries.push(Entry {
                name: ENV_ROW.to_string(),
                env_keys: true,
                flag: active_flag.map(str::to_string),
                source,
                offline,
                endpoint: endpoint_key(&view, &active),
                sso: None,
            });
        }
        for name in view.profiles.keys() {
            let (source, offline) = offline_cause(&plain, gathered, &view, name);
            // As `check` would choose it: no flag when the environment picks this profile anyway.
            let chosen_anyway = active_flag.is_none() && *name == active;
            entries.push(Entry {
                name: name.clone(),
                env_keys: false,
                flag: (!chosen_anyway).then(|| name.clone()),
                source,
                offline,
                endpoint: endpoint_key(&view, name),
                sso: (source == SourceKind::Sso).then(|| crossprofile::sso_key(&view, name)).flatten(),
            });
        }
        // The profile this shell uses, when the files do not have it: named by
        // AWS_PROFILE or --profile (then `check` says it is not found), or
        // `default` made of the environment's other sources (web identity, container).
        let (_, choice) = plain.active_profile(active_flag);
        if !view.profiles.contains_key(&active) {
            let (source, offline) = offline_cause(&plain, gathered, &view, &active);
            if choice != ProfileChoice::Default || source != SourceKind::None {
                entries.push(Entry {
                    name: active.clone(),
                    env_keys: false,
                    flag: active_flag.map(str::to_string),
                    source,
                    offline,
                    endpoint: String::new(),
                    sso: None,
                });
            }
        }
        let findings = crossprofile::offline(&view, env, &gathered.side, &holders, now);
        Roster { entries, holders, findings, active }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::input::gather::SideFiles;
    use crate::profile::ProfileFiles;

    fn gathered(vars: &[(&str, &str)], config: &str, credentials: &str) -> Gathered {
        let mut all = vec![("AWS_EC2_METADATA_DISABLED", "true")];
        all.extend_from_slice(vars);
        let env = Environment::from_pairs(all, None);
        let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
        Gathered { env, files, side: SideFiles::default() }
    }

    const GOOD: &str =
        "aws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";

    #[test]
    fn every_profile_and_the_environment_get_a_line_with_what_is_known_offline() {
        let g = gathered(
            &[("AWS_ACCESS_KEY_ID", "AKIAENVENVENVENVENV1"), ("AWS_SECRET_ACCESS_KEY", "x")],
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nowhere\n[profile empty]\nregion = eu-west-1\n",
            &format!(
                "[good]\n{GOOD}[spaced]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n"
            ),
        );
        let roster = Roster::build(&g, None, Utc::now());
        let lines: Vec<(&str, SourceKind, Option<Cause>)> =
            roster.entries.iter().map(|e| (e.name.as_str(), e.source, e.offline)).collect();
        assert_eq!(
            lines,
            [
                (ENV_ROW, SourceKind::Env, Some(Cause::CredentialMalformed)),
                ("empty", SourceKind::None, Some(Cause::NoCredentials)),
                ("good", SourceKind::SharedCredentialsFile, None),
                ("role", SourceKind::AssumeRole, Some(Cause::SourceProfileMissing)),
                ("spaced", SourceKind::SharedCredentialsFile, Some(Cause::CredentialWhitespace)),
            ]
        );
        // The environment's keys are only the (env) line's: the profiles are judged on their own.
        assert!(roster.entries[0].env_keys && !roster.entries[2].env_keys);
    }

    #[test]
    fn profiles_with_the_same_endpoint_settings_share_a_key() {
        let g = gathered(
            &[],
            "[profile a]\nregion = eu-west-1\n[profile b]\nregion = us-east-1\noutput = json\n[profile c]\nendpoint_url = http://127.0.0.1:1\n[profile d]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:2\n",
            "",
        );
        let roster = Roster::build(&g, None, Utc::now());
        let key = |name: &str| roster.entries.iter().find(|e| e.name == name).map(|e| e.endpoint.clone());
        assert_eq!(key("a"), key("b"));
        assert_ne!(key("a"), key("c"));
        assert!(key("d").is_some_and(|k| k.contains("127.0.0.1:2")), "{:?}", key("d"));
    }
}
