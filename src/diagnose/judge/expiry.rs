//! The expiry step: expiry fields and the SSO token cache, ExpiredToken,
//! clock skew from the server's `Date` header, and the key's status, age and
//! last use in IAM (including an inactive key seen through another profile).

use crate::aws::decode::Meaning;
pub use crate::base::time::{humanize, parse_expiry};
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::facts::SsoState;
use crate::diagnose::input::gather::SsoToken;
use crate::diagnose::judge::diagnostic_read_failed;
use crate::diagnose::run::check::{LiveValue, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::keyid::{AccessKeyId, KEY_MAX_AGE_DAYS};
use crate::vocabulary::{Cause, Step};

/// Skew beyond which AWS rejects signatures.
pub const SKEW_FAIL_SECONDS: i64 = 300;
/// Skew beyond which TOTP codes start to fail.
pub const SKEW_WARN_SECONDS: i64 = 30;

/// Evidence that the rejected key is Inactive, seen through another profile.
pub fn inactive_key_evidence(facts: &Facts, outcomes: &Outcomes) -> Option<String> {
    let key_id = facts.active_key_id()?;
    outcomes.keys_seen_by_others().find_map(|(profile, keys)| {
        keys.iter()
            .find(|k| key_id == k.id.as_str() && !k.active)
            .map(|_| format!("IAM lists key {} as Inactive (seen through profile {profile})", key_id.masked()))
    })
}

/// How long after its creation a key may still be refused while it spreads to every region.
pub const NEW_KEY_SECONDS: i64 = 60;

/// Why a refused key may just be too new: IAM (seen through another profile of
/// the same user) lists it as Active, created less than [`NEW_KEY_SECONDS`]
/// before AWS refused it (both times by AWS's clock when it sent one).
pub fn new_key_evidence(facts: &Facts, outcomes: &Outcomes) -> Option<String> {
    let key_id = facts.active_key_id()?;
    let refused = outcomes.active_identity_check()?;
    let at = refused.call.server_date.unwrap_or(refused.call.local_date);
    outcomes.keys_seen_by_others().find_map(|(profile, keys)| {
        let key = keys.iter().find(|k| key_id == k.id.as_str() && k.active)?;
        let created = key.created?;
        let age = at.signed_duration_since(created).num_seconds();
        // A few seconds of clock difference between IAM and STS are no reason to doubt it.
        (-5..NEW_KEY_SECONDS).contains(&age).then(|| {
            format!(
                "IAM lists key {} as Active, created {}s before AWS refused it ({} UTC, seen through profile {profile})",
                key_id.masked(),
                age.max(0),
                created.format("%H:%M:%S")
            )
        })
    })
}

/// The expiry step's findings.
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let mut out = Vec::new();
    expiry_fields(facts, outcomes, &mut out);
    sso(facts, &mut out);
    clock(outcomes, &mut out);
    key_status(facts, outcomes, &mut out);
    out
}

fn expiry_fields(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "session-expiry";
    let expired_live = outcomes.active_identity_check().is_some_and(|o| matches!(o.meaning(), Some(Meaning::Expired)));
    let field = facts.active_keys().and_then(|k| k.expiration.as_ref());
    if let Some(field) = field {
        match parse_expiry(&field.value) {
            Some(at) if at <= facts.now => out.push(
                Finding::fail(
                    ID,
                    Cause::CredentialsExpired,
                    format!(
                        "the credentials expired {} ago ({} = {})",
                        humanize((facts.now - at).num_seconds()),
                        field.key,
                        at.to_rfc3339()
                    ),
                    "get a new session (MFA step) or log in again",
                )
                .at(field.location.clone()),
            ),
            Some(at) => out.push(
                Finding::pass(
                    ID,
                    Step::Expiry,
                    format!(
                        "the session expires in {} ({})",
                        humanize((at - facts.now).num_seconds()),
                        at.to_rfc3339()
                    ),
                )
                .at(field.location.clone()),
            ),
            None => out.push(
                Finding::skip(
                    ID,
                    Step::Expiry,
                    format!("{} = `{}` is not a date credwiz can read", field.key, field.value),
                )
                .at(field.location.clone()),
            ),
        }
    }
    if expired_live && !out.iter().any(|f| f.cause == Some(Cause::CredentialsExpired)) {
        out.push(Finding::fail(
            ID,
            Cause::CredentialsExpired,
            "AWS answered ExpiredToken: the session these keys belong to has expired",
            "get a new session (MFA step) or log in again",
        ));
    } else if field.is_none() && facts.active_key_id().is_some_and(AccessKeyId::is_long_term) {
        out.push(Finding::pass(ID, Step::Expiry, "long-term access key: it does not expire"));
    }
}

fn sso(facts: &Facts, out: &mut Vec<Finding>) {
    const ID: &str = "sso-token";
    let (path, token) = match facts.sso_token() {
        SsoState::NotSso => return,
        SsoState::NotRead => {
            out.push(Finding::skip(ID, Step::Expiry, "the SSO token cache is read when the checks run"));
            return;
        }
        SsoState::Cached { path, token } => (path, token),
    };
    let login = format!("aws sso login --profile {}", facts.profile);
    match token {
        Ok(None) => out.push(
            Finding::fail(
                ID,
                Cause::SsoSessionExpired,
                "no SSO token is cached for this profile: you have not logged in, or the cache was cleared",
                format!("run `{login}`"),
            )
            .at(path),
        ),
        Err(why) => out.push(
            Finding::fail(
                ID,
                Cause::SsoSessionExpired,
                format!("the SSO token cache file cannot be used: {why}"),
                format!("run `{login}`"),
            )
            .at(path),
        ),
        Ok(Some(token @ SsoToken { expires_at: Some(at), .. })) if *at <= facts.now && token.refreshable(facts.now) => {
            out.push(
                Finding::pass(
                    ID,
                    Step::Expiry,
                    format!(
                        "the SSO token expired {} ago; the SDK refreshes it with the cached refresh token",
                        humanize((facts.now - *at).num_seconds())
                    ),
                )
                .at(path),
            );
        }
        Ok(Some(SsoToken { expires_at: Some(at), .. })) if *at <= facts.now => {
            out.push(
                Finding::fail(
                    ID,
                    Cause::SsoSessionExpired,
                    format!("the SSO token expired {} ago", humanize((facts.now - *at).num_seconds())),
                    format!("run `{login}`"),
                )
                .at(path),
            );
        }
        Ok(Some(SsoToken { expires_at: Some(at), .. })) => out.push(
            Finding::pass(
                ID,
                Step::Expiry,
                format!("the SSO token is valid for {} more", humanize((*at - facts.now).num_seconds())),
            )
            .at(path),
        ),
        Ok(Some(SsoToken { expires_at: None, .. })) => {
            out.push(Finding::skip(ID, Step::Expiry, "the SSO token cache entry has no readable expiresAt").at(path))
        }
    }
}

fn clock(outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "clock-skew";
    let rejected_time = outcomes.request_time_rejected();
    match outcomes.largest_skew() {
        Some(skew) if skew.abs() > SKEW_FAIL_SECONDS || rejected_time => {
            let direction = if skew > 0 { "behind" } else { "ahead of" };
            out.push(
                Finding::fail(
                    ID,
                    Cause::ClockSkew,
                    format!("this computer's clock is {} {direction} AWS's (the limit is 5 min)", humanize(skew)),
                    "sync the clock with NTP",
                )
                .with_evidence("measured from the Date header of AWS's answers"),
            );
        }
        Some(skew) if skew.abs() > SKEW_WARN_SECONDS => {
            let direction = if skew > 0 { "behind" } else { "ahead of" };
            out.push(Finding::warn(
                ID,
                Cause::ClockSkew,
                format!("this computer's clock is {} {direction} AWS's: enough to make MFA codes fail", humanize(skew)),
                "sync the clock with NTP",
            ));
        }
        Some(skew) => {
            out.push(Finding::pass(ID, Step::Expiry, format!("the clock is within {} of AWS's", humanize(skew.max(1)))))
        }
        None if rejected_time => out.push(Finding::fail(
            ID,
            Cause::ClockSkew,
            "AWS rejected the request time (Signature expired)",
            "sync the clock with NTP",
        )),
        None => out.push(Finding::skip(ID, Step::Expiry, "no answer from AWS to compare the clock with")),
    }
}

fn key_status(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "key-status";
    if let Some(evidence) = inactive_key_evidence(facts, outcomes) {
        out.push(Finding::fail(ID, Cause::KeyInactive, evidence, "reactivate the key in IAM, or rotate it"));
        return;
    }
    let Some(list) = outcomes.access_keys_check(&Who::Active) else {
        return;
    };
    let key_id = facts.active_key_id().map(AccessKeyId::as_str).unwrap_or_default();
    let keys = match &list.call.result {
        Ok(LiveValue::AccessKeys(keys)) => keys,
        _ => {
            out.push(diagnostic_read_failed(
                facts,
                outcomes,
                ID,
                Step::Expiry,
                "read the key's age and status (iam:ListAccessKeys)",
                list,
            ));
            return;
        }
    };
    let Some(key) = keys.iter().find(|k| k.id == key_id) else {
        out.push(Finding::skip(ID, Step::Expiry, "the key in use is not one of the user's listed keys"));
        return;
    };
    let last_used = outcomes.last_used().map(|(date, service)| {
        format!(
            "last used {} ago{}",
            humanize((facts.now - date).num_seconds()),
            service.map(|s| format!(" with {s}")).unwrap_or_default()
        )
    });
    let mut finding = match key.age_days(facts.now) {
        Some(days) if key.due_for_rotation(facts.now) => Finding::warn(
            ID,
            Cause::KeyOld,
            format!("the access key is active but {days} days old (more than {KEY_MAX_AGE_DAYS})"),
            "rotate: create a new key, switch to it, delete the old one",
        ),
        Some(days) => Finding::pass(ID, Step::Expiry, format!("the access key is active, created {days} days ago")),
        None => Finding::pass(ID, Step::Expiry, "the access key is active"),
    };
    finding.evidence.extend(last_used);
    out.push(finding);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    #[test]
    fn parses_expiry_formats() {
        let want = DateTime::parse_from_rfc3339("2026-11-21T23:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        assert_eq!(parse_expiry("2026-11-21T23:00:00Z"), want);
        assert_eq!(parse_expiry("2026-11-21 23:00:00"), want);
        assert_eq!(parse_expiry("2026-11-21T23:00:00"), want);
        assert_eq!(parse_expiry("2026-11-22T00:00:00+01:00"), want);
        assert_eq!(parse_expiry("2026-11-21T23:00:00.000Z"), want);
        assert_eq!(parse_expiry("soon"), None);
        assert_eq!(humanize(900), "15 min");
    }
}
