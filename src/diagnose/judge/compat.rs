//! Other tools reading the same files: `tools-disagree` (the AWS tool
//! families would pick different sources from the selected profile, by the
//! table of [`super::tools`]) and `sso-session-unsupported` (an `sso_session`
//! profile that tools on older SDKs cannot read, with the one-key fix that
//! writes the session's own values as the legacy keys). Offline and pure.

use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::tools::{self, Family, Holds, Pick};
use crate::hops::HopSource;
use crate::profile::view::{SdkView, Section};
use crate::profile::{FileKind, SectionName, file_location};
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::{Cause, Step};

/// The legacy SSO keys an `sso_session` profile may repeat from its session.
const LEGACY_SSO_KEYS: [&str; 2] = ["sso_start_url", "sso_region"];

/// Both findings, when they apply to the selected profile's chain.
pub fn assess(facts: &Facts) -> Vec<Finding> {
    let mut out: Vec<Finding> = tools_disagree(facts).into_iter().collect();
    out.extend(sso_session_unsupported(facts));
    out
}

/// What a profile holds, as the tool families' rules test it.
pub fn holds(view: &SdkView, profile: &Section) -> Holds {
    let has = |key: &str| profile.get(key).is_some_and(|v| !v.trim().is_empty());
    let static_in = |file: FileKind| profile.properties.get("aws_access_key_id").is_some_and(|p| p.origin.file == file);
    let session = profile.get("sso_session").and_then(|name| view.sso_sessions.get(name.trim()));
    let differs = |key: &str| match (profile.get(key), session.and_then(|s| s.get(key))) {
        (Some(own), theirs) => Some(own.trim()) != theirs.map(str::trim),
        (None, _) => false,
    };
    Holds {
        role_arn: has("role_arn"),
        source_profile: has("source_profile"),
        credential_source: has("credential_source"),
        web_identity_token_file: has("web_identity_token_file"),
        sso_account_or_role: has("sso_account_id") || has("sso_role_name"),
        sso_legacy: LEGACY_SSO_KEYS.iter().any(|k| has(k)),
        sso_legacy_differs: has("sso_session") && LEGACY_SSO_KEYS.iter().any(|k| differs(k)),
        sso_session: has("sso_session"),
        login_session: has("login_session"),
        credential_process: has("credential_process"),
        static_in_credentials_file: static_in(FileKind::Credentials),
        static_in_config_file: static_in(FileKind::Config),
    }
}

/// The sources a profile holds, each named with its file and line.
fn sources(facts: &Facts, profile: &Section) -> Vec<String> {
    const SOURCES: [(&str, &[&str]); 6] = [
        ("the static keys", &["aws_access_key_id"]),
        ("role_arn", &["role_arn"]),
        ("web_identity_token_file", &["web_identity_token_file"]),
        ("the SSO keys", &["sso_session", "sso_account_id", "sso_role_name", "sso_start_url", "sso_region"]),
        ("credential_process", &["credential_process"]),
        ("login_session", &["login_session"]),
    ];
    SOURCES
        .iter()
        .filter_map(|(label, keys)| {
            let at = keys.iter().find_map(|k| profile.properties.get(*k))?;
            Some(format!("{label} ({})", file_location(&facts.env, at.origin)))
        })
        .collect()
}

/// The families grouped by what they pick, in the order first named.
fn grouped(picks: &[(Family, Pick)]) -> Vec<(Pick, Vec<Family>)> {
    let mut groups: Vec<(Pick, Vec<Family>)> = Vec::new();
    for (family, pick) in picks {
        match groups.iter_mut().find(|(p, _)| p == pick) {
            Some((_, families)) => families.push(*family),
            None => groups.push((*pick, vec![*family])),
        }
    }
    groups
}

/// `tools-disagree`: the families would not use the same source of this profile.
fn tools_disagree(facts: &Facts) -> Option<Finding> {
    let profile = facts.view.profiles.get(&facts.profile)?;
    let picks = tools::disagreement(&holds(&facts.view, profile))?;
    let said: Vec<String> = grouped(&picks)
        .iter()
        .map(|(pick, families)| {
            let names: Vec<&str> = families.iter().map(|f| f.name()).collect();
            format!("{}: {}", names.join(", "), pick.describe())
        })
        .collect();
    let located = sources(facts, profile);
    let fix = match located.len() {
        0 => Cause::ToolsDisagree.short_fix().to_string(),
        _ => format!("keep the source the profile is meant to use and remove the other: {}", located.join(" or ")),
    };
    let mut f = Finding::warn(
        "tool-precedence",
        Cause::ToolsDisagree,
        format!("the AWS tools read profile `{}` differently ({})", facts.profile, said.join("; ")),
        fix,
    )
    .in_step(Step::Credentials);
    f.evidence = located.iter().map(|s| format!("the profile holds {s}")).collect();
    f.evidence.push("credwiz's own checks follow the Rust SDK; each tool's order is in docs/tool-precedence.md, with the file and line of the SDK's source it comes from".into());
    Some(f)
}

/// `sso-session-unsupported`: each profile of the chain that reads its SSO
/// settings from an `[sso-session]` and lacks the legacy keys.
fn sso_session_unsupported(facts: &Facts) -> Vec<Finding> {
    let Some(chain) = &facts.hops else { return Vec::new() };
    chain
        .hops
        .iter()
        .filter_map(|hop| {
            let (HopSource::Sso(sso), Some(name)) = (&hop.source, &hop.profile) else { return None };
            let session = sso.session_name.as_deref()?;
            let profile = facts.view.profiles.get(name)?;
            let values: Vec<(String, String)> = [("sso_start_url", &sso.start_url), ("sso_region", &sso.region)]
                .into_iter()
                .filter(|(key, _)| profile.get(key).is_none())
                .map(|(key, value)| (key.to_string(), value.clone()))
                .collect();
            if values.is_empty() {
                return None;
            }
            let at = profile.properties.get("sso_session").map(|p| file_location(&facts.env, p.origin));
            let mut f = Finding::warn(
                "sso-session",
                Cause::SsoSessionUnsupported,
                format!(
                    "profile `{name}` reads its SSO settings from [sso-session {session}]: tools on SDKs from before late 2022 (older Terraform providers, Go and JavaScript SDKs) cannot read it (\"missing required configuration: sso_region, sso_start_url\")"
                ),
                format!(
                    "add {} to [profile {name}], the session's own values (the Rust SDK then refuses the profile: see the guide)",
                    values.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_repair(Repair::SetValues {
                file: FileKind::Config,
                section: SectionName::profile(FileKind::Config, name),
                values,
            });
            if let Some(at) = at {
                f = f.at(at);
            }
            Some(f)
        })
        .collect()
}
