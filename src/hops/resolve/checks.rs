//! The values of each hop that AWS would refuse at call time, checked before
//! any call (`role_arn` not a role ARN, a session name AWS's pattern rejects,
//! `duration_seconds` out of range or above the role-chaining hour, SSO
//! values of the wrong shape), with the one-key fix when it is certain; and
//! where the Rust SDK and the AWS CLI / boto3 read the same files
//! differently. Pure.

use super::types::*;
use crate::hops::text::quote;
use crate::hops::{Cause, Fix, Tool, ToolDifference};
use crate::profile::SdkView;

/// AWS's character class for role session names: `[\w+=,.@-]`.
pub fn session_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_+=,.@-".contains(c)
}

/// A session name AWS accepts, made from `name`: invalid characters become
/// `-`, cut to 64, padded to 2.
pub fn valid_session_name(name: &str) -> String {
    let mut fixed: String = name.trim().chars().map(|c| if session_name_char(c) { c } else { '-' }).take(64).collect();
    while fixed.chars().count() < 2 {
        fixed.push_str("-session");
        fixed = fixed.chars().take(64).collect();
    }
    fixed
}

/// Why a value is not a role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`), if it is not.
pub fn role_arn_problem(arn: &str) -> Option<String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let shape = "a role ARN looks like arn:aws:iam::123456789012:role/NAME";
    if parts.len() != 6 || parts[0] != "arn" || parts[1].is_empty() {
        return Some(format!("{} is not an ARN: {shape}", quote(arn)));
    }
    if parts[2] != "iam" {
        return Some(format!("{} is an ARN of service {}, not IAM: {shape}", quote(arn), quote(parts[2])));
    }
    if parts[4].len() != 12 || !parts[4].bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("the account in {} is not 12 digits", quote(arn)));
    }
    let resource = parts[5];
    if let Some(kind) =
        ["user/", "assumed-role/", "group/", "policy/", "mfa/", "root"].into_iter().find(|k| resource.starts_with(k))
    {
        let kind = kind.trim_end_matches('/');
        return Some(format!("{} names an IAM {kind}, not a role: {shape}", quote(arn)));
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Some(format!("{} does not name a role: {shape}", quote(arn)));
    };
    let name = path_and_name.rsplit('/').next().unwrap_or_default();
    if name.is_empty() || !name.chars().all(session_name_char) {
        return Some(format!("the role name in {} is empty or has characters IAM does not allow", quote(arn)));
    }
    None
}

/// The account and role name of a role ARN, when it is one.
pub fn role_arn_parts(arn: &str) -> Option<(&str, &str)> {
    if role_arn_problem(arn).is_some() {
        return None;
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    Some((parts[4], parts[5].rsplit('/').next().unwrap_or_default()))
}

/// Why an MFA serial is not one AWS accepts, if it is not.
fn mfa_serial_problem(serial: &str) -> Option<String> {
    let len = serial.chars().count();
    if !(9..=256).contains(&len) || !serial.chars().all(|c| session_name_char(c) || c == '/' || c == ':') {
        return Some(format!("{} is not an MFA serial (9 to 256 of [\\w+=/:,.@-])", quote(serial)));
    }
    if serial.starts_with("arn:") && !serial.contains(":mfa/") {
        let hint = if serial.contains(":user/") { " (it names the user; the device is :mfa/NAME)" } else { "" };
        return Some(format!("{} is not an MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME){hint}", quote(serial)));
    }
    None
}

fn problem(hop: &Hop, cause: Cause, key: &str, message: String, fix: Option<String>) -> Problem {
    let profile = hop.profile.clone().unwrap_or_default();
    Problem {
        cause,
        fix: fix.map(|value| Fix {
            profile: profile.clone(),
            key: key.into(),
            value: Some(value.clone()),
            reason: format!("{} is the closest value AWS accepts", quote(&value)),
        }),
        profile,
        key: Some(key.into()),
        origin: hop.setting(key).and_then(|s| s.origin),
        message,
        suggestions: Vec::new(),
        stops_sdk: false,
    }
}

fn session_name_problem(hop: &Hop, key: &str, name: &str) -> Option<Problem> {
    let len = name.chars().count();
    let bad: Vec<String> =
        name.chars().filter(|c| !session_name_char(*c)).map(crate::hops::text::escape_char).collect();
    let message = if !bad.is_empty() {
        format!(
            "{key} {} has characters AWS refuses ({}): only letters, digits and _+=,.@- are allowed",
            quote(name),
            bad.join(" ")
        )
    } else if len > 64 {
        format!("{key} is {len} characters long: AWS allows at most 64")
    } else if len < 2 {
        format!("{key} {} is shorter than the 2 characters AWS requires", quote(name))
    } else {
        return None;
    };
    Some(problem(hop, Cause::RoleConfigInvalid, key, message, Some(valid_session_name(name))))
}

/// The values of one hop that AWS would refuse.
pub(super) fn hop_problems(hop: &Hop) -> Vec<Problem> {
    let mut out = Vec::new();
    let session_key = if hop.profile.is_some() { "role_session_name" } else { "AWS_ROLE_SESSION_NAME" };
    let arn_key = if hop.profile.is_some() { "role_arn" } else { "AWS_ROLE_ARN" };
    match &hop.source {
        HopSource::AssumeRole(role) => {
            if let Some(why) = role_arn_problem(&role.role_arn) {
                out.push(problem(hop, Cause::RoleConfigInvalid, "role_arn", why, None));
            }
            if let Some(name) = &role.role_session_name {
                out.extend(session_name_problem(hop, "role_session_name", name));
            }
            if let Some(raw) = &role.duration_seconds {
                match raw.trim().parse::<i64>() {
                    Ok(d) if (900..=43200).contains(&d) => {}
                    Ok(d) => out.push(problem(
                        hop,
                        Cause::RoleConfigInvalid,
                        "duration_seconds",
                        format!("duration_seconds = {d} is outside 900..43200, the range AWS accepts"),
                        Some(d.clamp(900, 43200).to_string()),
                    )),
                    Err(_) => out.push(problem(
                        hop,
                        Cause::RoleConfigInvalid,
                        "duration_seconds",
                        format!("duration_seconds = {} is not a whole number of seconds", quote(raw)),
                        None,
                    )),
                }
            }
            if let Some(id) = &role.external_id {
                let len = id.chars().count();
                if !(2..=1224).contains(&len) || !id.chars().all(|c| session_name_char(c) || c == ':' || c == '/') {
                    out.push(problem(
                        hop,
                        Cause::RoleConfigInvalid,
                        "external_id",
                        format!("external_id {} is not 2 to 1224 of [\\w+=,.@:/-]", quote(id)),
                        None,
                    ));
                }
            }
            if let Some(serial) = &role.mfa_serial
                && let Some(why) = mfa_serial_problem(serial)
            {
                out.push(problem(hop, Cause::MfaSerialInvalid, "mfa_serial", why, None));
            }
        }
        HopSource::WebIdentity(web) => {
            if let Some(why) = role_arn_problem(&web.role_arn) {
                out.push(problem(hop, Cause::RoleConfigInvalid, arn_key, why, None));
            }
            if let Some(name) = &web.session_name {
                out.extend(session_name_problem(hop, session_key, name));
            }
            if web.token_file.trim().is_empty() && web.job_token.is_none() {
                out.push(problem(
                    hop,
                    Cause::WebIdentityTokenInvalid,
                    "web_identity_token_file",
                    "the token file setting is empty".into(),
                    None,
                ));
            }
        }
        HopSource::Sso(sso) => {
            if !(sso.account_id.len() == 12 && sso.account_id.bytes().all(|b| b.is_ascii_digit())) {
                let msg = format!("sso_account_id {} is not a 12-digit account id", quote(&sso.account_id));
                out.push(problem(hop, Cause::SsoConfigIncomplete, "sso_account_id", msg, None));
            }
            if !sso.start_url.starts_with("https://") {
                let msg = format!("sso_start_url {} is not an https:// URL", quote(&sso.start_url));
                out.push(problem(hop, Cause::SsoConfigIncomplete, "sso_start_url", msg, None));
            }
            if crate::vocabulary::regions::lookup(&sso.region).is_none() {
                let mut p = problem(
                    hop,
                    Cause::SsoConfigIncomplete,
                    "sso_region",
                    format!("sso_region {} is not a region code", quote(&sso.region)),
                    None,
                );
                p.suggestions =
                    crate::vocabulary::regions::suggest(&sso.region, 3).into_iter().map(str::to_string).collect();
                out.push(p);
            }
        }
        _ => {}
    }
    out
}

/// Adds the value problems of every hop (after the SDK's own), base first,
/// and the role-chaining hour, which depends on the hop before.
pub(super) fn check_values(_view: &SdkView, chain: &mut Chain) {
    let mut found = Vec::new();
    for (i, hop) in chain.hops.iter().enumerate() {
        found.extend(hop_problems(hop));
        let chained = i > 0 && chain.hops[i - 1].yields_role_session();
        if let HopSource::AssumeRole(role) = &hop.source
            && chained
            && let Some(d) = role.duration_seconds.as_deref().and_then(|d| d.trim().parse::<i64>().ok())
            && (3601..=43200).contains(&d)
        {
            found.push(problem(
                hop,
                Cause::RoleDurationTooLong,
                "duration_seconds",
                format!(
                    "duration_seconds = {d}, but this role is assumed with role credentials (role chaining), which AWS limits to 3600 s"
                ),
                Some("3600".into()),
            ));
        }
    }
    if !found.is_empty() && chain.state == ChainState::Ready {
        chain.state = ChainState::Broken { sdk_moves_on: false };
    }
    chain.problems.extend(found);
}

fn difference(topic: &str, fails_in: Option<Tool>, note: String) -> ToolDifference {
    ToolDifference { topic: topic.into(), fails_in, note }
}

/// Where the Rust SDK and the AWS CLI / boto3 read this chain differently.
pub(super) fn note_differences(view: &SdkView, chain: &mut Chain) {
    let mut notes = Vec::new();
    for (i, hop) in chain.hops.iter().enumerate() {
        match &hop.source {
            HopSource::AssumeRole(role) => {
                if let Some(d) = &role.duration_seconds {
                    notes.push(difference(
                        "duration_seconds",
                        None,
                        format!(
                            "the AWS CLI and boto3 send DurationSeconds = {}; the Rust SDK ignores duration_seconds and asks for one hour",
                            quote(d)
                        ),
                    ));
                }
                if role.mfa_serial.is_some() {
                    notes.push(difference(
                        "mfa_serial",
                        None,
                        "the AWS CLI and boto3 prompt for an MFA code and send it; the Rust SDK never sends one, so it fails where the role's trust requires MFA".into(),
                    ));
                }
            }
            HopSource::Named { source: Some(named), written } if written != named.name() => notes.push(difference(
                "credential_source",
                Some(Tool::AwsCli),
                format!(
                    "credential_source = {} works in the Rust SDK (it ignores case) but botocore accepts only {}",
                    quote(written),
                    named.name()
                ),
            )),
            HopSource::Named { .. } if i + 1 == chain.hops.len() => notes.push(difference(
                "credential_source",
                Some(Tool::AwsCli),
                "credential_source without role_arn: the Rust SDK uses the named source directly; the AWS CLI ignores it".into(),
            )),
            HopSource::Login(_) => notes.push(difference(
                "login_session",
                None,
                "aws-config reads login_session only when built with its credentials-login feature (credwiz's build is not); AWS CLI v2.32 and later read it".into(),
            )),
            _ => {}
        }
    }
    for hop in &chain.hops {
        let (HopSource::Sso(sso), Some(name)) = (&hop.source, &hop.profile) else { continue };
        let Some(profile) = sso.session_name.as_ref().and(view.profiles.get(name)) else { continue };
        for key in ["sso_start_url", "sso_region"].into_iter().filter(|k| profile.get(k).is_some()) {
            notes.push(difference(
                key,
                Some(Tool::RustSdk),
                format!("the profile repeats the session's {key}: the AWS CLI and the Go, JavaScript and Java SDKs accept equal values, the Rust SDK (aws-config) refuses any"),
            ));
        }
    }
    chain.differences.extend(notes);
}
