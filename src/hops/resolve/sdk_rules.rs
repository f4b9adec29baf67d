//! aws-config 1.13's chain rules, step for step (`repr.rs`: `resolve_chain`
//! and `chain_provider`; `exec.rs`: `from_repr`; `credentials.rs`: which
//! errors make the default chain move on); one profile is read by
//! `profile_sources`. Kept in the SDK's order so the first problem is the one
//! the SDK hits. Pure.

use super::profile_sources::{BaseError, Profile, STATIC_KEYS, base_hop, role_hop, static_keys};
use super::types::*;
use crate::base::environment::Environment;
use crate::hops::Cause;
use crate::hops::text::quote;
use crate::profile::SdkView;

/// Names closest to `missing` among the profiles.
fn closest_profiles(view: &SdkView, missing: &str) -> Vec<String> {
    crate::vocabulary::regions::closest(missing, view.profile_names(), 3).into_iter().map(str::to_string).collect()
}

/// The chain's structure by the SDK's rules; values are checked afterwards.
pub(super) fn resolve_structure(_env: &Environment, view: &SdkView, profile: &str) -> Chain {
    let mut chain = Chain {
        profile: profile.to_string(),
        hops: Vec::new(),
        state: ChainState::Ready,
        problems: Vec::new(),
        shadowed: Vec::new(),
        differences: Vec::new(),
    };
    if view.profiles.is_empty() {
        chain.state = ChainState::NotLoaded("no profile is defined in either file".into());
        return chain;
    }
    if profile == "default" && !view.profiles.contains_key("default") {
        chain.state = ChainState::NotLoaded("there is no default profile".into());
        return chain;
    }
    let (base, mut roles) = walk(view, profile, &mut chain.shadowed);
    roles.reverse();
    match base {
        Ok(base) => {
            chain.hops.push(base);
            chain.hops.extend(roles);
            exec_checks(&mut chain);
        }
        Err(BaseError::NoCredentials) => {
            chain.state = ChainState::NotLoaded(format!("profile {} holds no credentials", quote(profile)));
        }
        Err(BaseError::Invalid { problem, moves_on }) => {
            chain.hops = roles;
            chain.state = ChainState::Broken { sdk_moves_on: moves_on };
            chain.problems.push(*problem);
        }
    }
    chain
}

/// What one profile of the walk leads to: the next profile, or the end.
enum Next<'a> {
    /// `source_profile` names another profile.
    Profile(&'a str),
    /// The base provider, or why there is none.
    Base(Result<Hop, BaseError>),
}

/// `resolve_chain`: follows `source_profile` from `profile` to the base
/// provider; returns it and the roles met on the way, the selected profile's first.
fn walk<'v>(view: &'v SdkView, profile: &'v str, shadowed: &mut Vec<Shadowed>) -> (Result<Hop, BaseError>, Vec<Hop>) {
    // In order (for the loop's path) and as a set (a chain thousands of profiles long stays linear).
    let mut visited: Vec<&str> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut roles: Vec<Hop> = Vec::new();
    let mut name = profile;
    let base = loop {
        let Some((key, section)) = view.profiles.get_key_value(name) else {
            let problem = missing_profile(view, &visited, name);
            break Err(BaseError::Invalid { problem: Box::new(problem), moves_on: true });
        };
        let p = Profile { name: key.as_str(), section };
        if !seen.insert(p.name) {
            let problem = source_loop(view, &visited, p);
            break Err(BaseError::Invalid { problem: Box::new(problem), moves_on: false });
        }
        visited.push(p.name);
        if visited.len() > 1
            && let Ok(keys) = static_keys(p)
        {
            shadow_role_keys_of_keyed_source(p, shadowed);
            break Ok(keys);
        }
        let Some(role) = role_hop(p) else {
            break base_without_role(view, p, visited.len() == 1, shadowed);
        };
        if visited.len() == 1 {
            shadow_keys_under_role(p, shadowed);
        }
        roles.push(role);
        match role_source(view, p, shadowed) {
            Next::Profile(next) => name = next,
            Next::Base(base) => break base,
        }
    };
    (base, roles)
}

/// A profile the walk reached that is in neither file: the selected one, or a
/// `source_profile` (then the closest existing name is the fix).
fn missing_profile(view: &SdkView, visited: &[&str], name: &str) -> Problem {
    let suggestions = closest_profiles(view, name);
    let Some(last) = visited.last() else {
        return Problem {
            cause: Cause::ProfileNotFound,
            profile: name.into(),
            key: None,
            origin: None,
            message: format!("profile {} is in neither file", quote(name)),
            suggestions,
            fix: None,
            stops_sdk: true,
        };
    };
    let referrer = Profile { name: last, section: &view.profiles[*last] };
    let mut p = referrer.problem(
        Cause::SourceProfileMissing,
        Some("source_profile"),
        format!("source_profile = {} in profile {} names a profile that is in neither file", quote(name), quote(last)),
        true,
    );
    p.fix = suggestions.first().map(|s| crate::hops::Fix {
        profile: last.to_string(),
        key: "source_profile".into(),
        value: Some(s.clone()),
        reason: format!("{} is the existing profile closest to {}", quote(s), quote(name)),
    });
    p.suggestions = suggestions;
    p
}

/// A `source_profile` that leads back to a profile already visited.
fn source_loop(view: &SdkView, visited: &[&str], p: Profile<'_>) -> Problem {
    let last = visited.last().copied().unwrap_or(p.name);
    let referrer = Profile { name: last, section: &view.profiles[last] };
    let mut path: Vec<String> = visited.iter().map(|v| quote(v)).collect();
    path.push(quote(p.name));
    referrer.problem(
        Cause::SourceProfileLoop,
        Some("source_profile"),
        format!("the source_profile references loop: {}", path.join(" → ")),
        true,
    )
}

/// A source profile with its own keys: the SDK uses the keys and ignores its role settings.
fn shadow_role_keys_of_keyed_source(p: Profile<'_>, shadowed: &mut Vec<Shadowed>) {
    for key in ["role_arn", "source_profile", "credential_source", "sso_session", "credential_process"] {
        if p.get(key).is_some() {
            shadowed.push(Shadowed {
                profile: p.name.into(),
                key: key.into(),
                origin: p.origin(key),
                reason: "ignored: this profile is a source profile with its own keys, and the SDK uses the keys".into(),
            });
        }
    }
}

/// The selected profile has a role: its static keys are ignored.
fn shadow_keys_under_role(p: Profile<'_>, shadowed: &mut Vec<Shadowed>) {
    for key in STATIC_KEYS.iter().filter(|k| p.get(k).is_some()) {
        shadowed.push(Shadowed {
            profile: p.name.into(),
            key: key.to_string(),
            origin: p.origin(key),
            reason: "ignored: role_arn in the selected profile wins over its keys".into(),
        });
    }
}

/// A profile without a role ends the walk with its base provider. Past the
/// selected profile, no credentials is a broken source profile and the SDK
/// does not move on.
fn base_without_role(
    view: &SdkView,
    p: Profile<'_>,
    first: bool,
    shadowed: &mut Vec<Shadowed>,
) -> Result<Hop, BaseError> {
    base_hop(view, p, shadowed).map_err(|e| match e {
        BaseError::NoCredentials if !first => BaseError::Invalid {
            problem: Box::new(p.problem(
                Cause::NoCredentials,
                None,
                format!("source profile {} holds no credentials", quote(p.name)),
                true,
            )),
            moves_on: false,
        },
        BaseError::Invalid { problem, moves_on } => BaseError::Invalid { problem, moves_on: moves_on && first },
        other => other,
    })
}

/// Whose credentials assume a profile's role: exactly one of `source_profile`
/// (another profile, or itself for its own keys) and `credential_source`.
fn role_source<'a>(view: &SdkView, p: Profile<'a>, shadowed: &mut Vec<Shadowed>) -> Next<'a> {
    let invalid = |key: &str, message: &str| {
        let problem = p.problem(Cause::RoleConfigInvalid, Some(key), message.into(), true);
        Next::Base(Err(BaseError::Invalid { problem: Box::new(problem), moves_on: false }))
    };
    match (p.get("source_profile"), p.get("credential_source")) {
        (Some(_), Some(_)) => {
            invalid("credential_source", "both source_profile and credential_source are set: set only one")
        }
        (None, None) => invalid(
            "role_arn",
            "role_arn needs source_profile or credential_source to say whose credentials assume it",
        ),
        (Some(next), None) if next == p.name => Next::Base(base_hop(view, p, shadowed).map_err(|e| match e {
            BaseError::NoCredentials => BaseError::Invalid {
                problem: Box::new(p.problem(
                    Cause::SourceProfileLoop,
                    Some("source_profile"),
                    format!(
                        "profile {} names itself as source_profile but holds no credentials of its own (the Rust SDK then skips the profile)",
                        quote(p.name)
                    ),
                    true,
                )),
                moves_on: true,
            },
            other => other,
        })),
        (Some(next), None) => Next::Profile(next),
        (None, Some(_)) => Next::Base(base_hop(view, p, shadowed)),
    }
}

/// `from_repr`: a `credential_source` the SDK does not know, and an SSO
/// profile without account and role (a token-only profile), fail here.
fn exec_checks(chain: &mut Chain) {
    let Some(base) = chain.hops.first() else { return };
    let problem = match &base.source {
        HopSource::Named { source: None, written } => Some(Problem {
            cause: Cause::RoleConfigInvalid,
            profile: base.profile.clone().unwrap_or_default(),
            key: Some("credential_source".into()),
            origin: base.setting("credential_source").and_then(|s| s.origin),
            message: format!(
                "credential_source = {} is not one of Environment, Ec2InstanceMetadata, EcsContainer",
                quote(written)
            ),
            suggestions: crate::vocabulary::regions::closest(
                written,
                ["Environment", "Ec2InstanceMetadata", "EcsContainer"].into_iter(),
                1,
            )
            .into_iter()
            .map(str::to_string)
            .collect(),
            fix: None,
            stops_sdk: true,
        }),
        HopSource::Sso(sso) if sso.account_id.is_empty() && sso.role_name.is_empty() => Some(Problem {
            cause: Cause::SsoConfigIncomplete,
            profile: base.profile.clone().unwrap_or_default(),
            key: Some("sso_account_id".into()),
            origin: base.settings.first().and_then(|s| s.origin),
            message: "sso_account_id and sso_role_name are missing: without them the profile gives an SSO token, not credentials".into(),
            suggestions: Vec::new(),
            fix: None,
            stops_sdk: true,
        }),
        _ => None,
    };
    if let Some(problem) = problem {
        let moves_on = problem.cause == Cause::SsoConfigIncomplete;
        chain.problems.push(problem);
        chain.state = ChainState::Broken { sdk_moves_on: moves_on };
    }
}
