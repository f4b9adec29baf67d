//! The MFA step: the device (`mfa_serial`, ListMFADevices), the serial's
//! validity, the session from `--mfa-code` (GetSessionToken and its errors),
//! and `mfa-required` when a policy denies the user's action for lack of MFA.

use crate::aws::decode::{DenyKind, Meaning};
use crate::aws::live::Failure;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::{diagnostic_read_failed, with_error};
use crate::diagnose::run::check::{LiveCheck, LiveValue};
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::keyid::AccessKeyId;
use crate::vocabulary::{Cause, Step};

/// What is wrong with an `mfa_serial` value's shape, if anything.
pub fn serial_problem(serial: &str) -> Option<String> {
    if serial.starts_with("arn:") {
        let parts: Vec<&str> = serial.splitn(6, ':').collect();
        if parts.len() < 6 || parts[2] != "iam" {
            return Some("is not an IAM ARN".into());
        }
        if parts[5].starts_with("user/") {
            return Some("is the user's ARN, not the MFA device's (it must contain :mfa/, not :user/)".into());
        }
        if !parts[5].starts_with("mfa/") {
            return Some("is not an MFA device ARN (arn:aws:iam::ACCOUNT:mfa/NAME)".into());
        }
        if parts[4].len() != 12 || !parts[4].chars().all(|c| c.is_ascii_digit()) {
            return Some("does not hold a 12-digit account id".into());
        }
        return None;
    }
    let hardware = serial.len() >= 9 && serial.chars().all(|c| c.is_ascii_alphanumeric());
    (!hardware).then(|| "is neither an MFA device ARN nor a hardware token serial".into())
}

/// Whether the active credentials can carry MFA (only a session can).
fn carries_no_mfa(facts: &Facts) -> bool {
    facts.active_key_id().is_none_or(AccessKeyId::is_long_term)
}

/// The user's MFA devices: from ListMFADevices, else `mfa_serial`.
pub(super) fn has_device(facts: &Facts, outcomes: &Outcomes) -> bool {
    outcomes.any_mfa_device_listed() || facts.mfa_serial().is_some()
}

/// Whether an explicit identity-policy denial of the user's action is MFA's doing.
pub fn mfa_explains(facts: &Facts, outcomes: &Outcomes, kind: DenyKind) -> bool {
    kind == DenyKind::ExplicitIdentity && has_device(facts, outcomes) && carries_no_mfa(facts)
}

/// The MFA step's findings.
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let mut out = Vec::new();
    let devices = outcomes.mfa_device_check();
    let listed = outcomes.mfa_devices();
    match (facts.mfa_serial(), listed) {
        (Some(serial), _) if serial_problem(serial).is_some() => {
            let problem = serial_problem(serial).unwrap_or_default();
            let fix = listed.and_then(|d| d.first()).map_or_else(
                || "set mfa_serial to the device ARN IAM lists for your user".to_string(),
                |d| format!("set mfa_serial = {d}"),
            );
            out.push(Finding::fail(
                "mfa-device",
                Cause::MfaSerialInvalid,
                format!("mfa_serial {serial} {problem}"),
                fix,
            ));
        }
        (Some(serial), Some(list)) if !list.is_empty() && !list.iter().any(|d| d == serial) => {
            out.push(Finding::fail(
                "mfa-device",
                Cause::MfaSerialInvalid,
                format!("mfa_serial {serial} is not one of this user's MFA devices ({})", list.join(", ")),
                format!("set mfa_serial = {}", list[0]),
            ));
        }
        (Some(serial), _) => out.push(Finding::pass("mfa-device", Step::Mfa, format!("MFA device {serial}"))),
        (None, Some(list)) if !list.is_empty() => out.push(Finding::pass(
            "mfa-device",
            Step::Mfa,
            format!("the user has MFA device {} (not set as mfa_serial in the profile)", list.join(", ")),
        )),
        (None, Some(_)) => out.push(Finding::pass("mfa-device", Step::Mfa, "the user has no MFA device")),
        (None, None) => match devices {
            Some(o) => out.push(diagnostic_read_failed(
                facts,
                outcomes,
                "mfa-device",
                Step::Mfa,
                "list the MFA devices (iam:ListMFADevices)",
                o,
            )),
            None => out.push(Finding::skip(
                "mfa-device",
                Step::Mfa,
                "no mfa_serial in the profile, and the device list needs working credentials",
            )),
        },
    }
    session(facts, outcomes, &mut out);
    out.extend(needs_mfa_session(facts, outcomes));
    required(facts, outcomes, &mut out);
    out
}

fn session(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "mfa-session";
    if facts.options.mfa_code.is_none() {
        if facts.mfa_serial().is_some() {
            out.push(Finding::skip(ID, Step::Mfa, "give an MFA code to test getting a session"));
        }
        return;
    }
    if facts.active_key_id().is_some_and(AccessKeyId::is_temporary) {
        out.push(Finding::fail(
            ID,
            Cause::MfaSessionCredentials,
            "GetSessionToken needs long-term keys, but the active credentials are already a session (ASIA)",
            "use the profile that holds your long-term AKIA key",
        ));
        return;
    }
    let Some(outcome) = outcomes.session_check() else {
        if outcomes.caller().is_some() {
            out.push(Finding::skip(ID, Step::Mfa, "no MFA device to get a session with: set mfa_serial"));
        } else {
            out.push(Finding::skip(ID, Step::Mfa, "the session check needs working long-term credentials first"));
        }
        return;
    };
    match &outcome.call.result {
        Ok(LiveValue::Session(session)) => {
            let until = session.expiration.map(|e| format!(" until {}", e.to_rfc3339())).unwrap_or_default();
            let mut f =
                Finding::pass(ID, Step::Mfa, format!("the MFA code works: GetSessionToken gave a session{until}"));
            f.duration_ms = Some(outcome.call.millis());
            out.push(f);
        }
        Err(Failure::Aws(error)) => {
            let (cause, summary) = match error.meaning() {
                Meaning::MfaCodeInvalid => (
                    Cause::MfaCodeInvalid,
                    "AWS rejected the MFA code: mistyped, expired, or the device's clock drifted",
                ),
                Meaning::MfaSerialInvalid => (
                    Cause::MfaSerialInvalid,
                    "AWS could not validate the code against this MFA serial: it is not this user's device",
                ),
                Meaning::SessionCredentialsNotAllowed => {
                    (Cause::MfaSessionCredentials, "GetSessionToken was called with session credentials")
                }
                Meaning::SignatureExpired => (Cause::ClockSkew, "AWS rejected the request time"),
                _ => {
                    out.push(with_error(
                        Finding::skip(ID, Step::Mfa, format!("GetSessionToken failed: {}", error.describe())),
                        error,
                        outcome,
                    ));
                    return;
                }
            };
            out.push(with_error(
                Finding::fail(ID, cause, summary, cause.short_fix()).in_step(Step::Mfa),
                error,
                outcome,
            ));
        }
        Err(other) => out.push(Finding::skip(
            ID,
            Step::Mfa,
            format!("GetSessionToken failed: {}", crate::diagnose::judge::failure_text(other)),
        )),
        Ok(_) => {}
    }
}

/// `iam-needs-mfa-session`: temporary credentials of an IAM user (GetSessionToken
/// without MFA) that STS accepts and IAM refuses with InvalidClientTokenId.
/// Not an unknown key: the user needs a session made with an MFA code. A
/// refusal of credwiz's own reads is a warning; of the user's action, a failure.
fn needs_mfa_session(facts: &Facts, outcomes: &Outcomes) -> Option<Finding> {
    let temporary = facts.active_key_id().is_some_and(AccessKeyId::is_temporary);
    let user = outcomes.caller().and_then(|c| c.user_name())?;
    if !temporary {
        return None;
    }
    let refused = |o: &&crate::diagnose::run::check::Outcome| {
        matches!(o.check.signer(), Some(crate::diagnose::run::check::Who::Active))
            && !matches!(o.check, LiveCheck::CallerIdentity { .. })
            && matches!(o.meaning(), Some(Meaning::InvalidToken))
    };
    let refused: Vec<&crate::diagnose::run::check::Outcome> = outcomes.all().iter().filter(refused).collect();
    let first = refused.first()?;
    let users_own = refused.iter().any(|o| matches!(o.check, LiveCheck::TryAction { .. }));
    let summary = format!(
        "STS accepts these temporary credentials of IAM user {user}, but IAM refuses them ({}): a session from GetSessionToken without an MFA code cannot call IAM",
        first.check.label()
    );
    let fix = "get a session with an MFA code in the MFA step, and use it for IAM";
    let finding = if users_own {
        Finding::fail("mfa-session-iam", Cause::IamNeedsMfaSession, summary, fix)
    } else {
        Finding::warn("mfa-session-iam", Cause::IamNeedsMfaSession, summary, fix)
    };
    Some(finding.with_evidence(
        "IAM answered InvalidClientTokenId, the same code as a deleted key; the key is not unknown: STS knows it",
    ))
}

fn required(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    let denied_action = outcomes.all().iter().find_map(|o| match (&o.check, o.meaning()) {
        (LiveCheck::TryAction { action, .. }, Some(Meaning::Denied(d))) if mfa_explains(facts, outcomes, d.kind) => {
            Some(action.to_string())
        }
        (LiveCheck::Simulate { action, .. }, _) => match &o.call.result {
            Ok(LiveValue::Simulation(simulation))
                if simulation.decision == "explicitDeny"
                    && simulation.allowed_by_organizations != Some(false)
                    && simulation.allowed_by_boundary != Some(false)
                    && mfa_explains(facts, outcomes, DenyKind::ExplicitIdentity) =>
            {
                Some(action.to_string())
            }
            _ => None,
        },
        _ => None,
    });
    let pasted = facts.options.error.as_deref().map(crate::aws::decode::parse_pasted).and_then(|e| match e.meaning() {
        Meaning::Denied(d) if mfa_explains(facts, outcomes, d.kind) => {
            Some(d.action.unwrap_or_else(|| "the action".into()))
        }
        _ => None,
    });
    if let Some(action) = denied_action.or(pasted) {
        out.push(Finding::fail(
            "mfa-required",
            Cause::MfaRequired,
            format!("{action} is denied by an identity policy while these credentials carry no MFA, and the user has an MFA device: the policy requires MFA"),
            "enter a code in the MFA step to get an MFA session, and use it",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::serial_problem;

    #[test]
    fn serials() {
        assert_eq!(serial_problem("arn:aws:iam::123456789012:mfa/alice"), None);
        assert!(serial_problem("arn:aws:iam::123456789012:user/alice").is_some_and(|p| p.contains(":user/")));
        assert_eq!(serial_problem("GAHT12345678"), None);
        assert!(serial_problem("alice").is_some());
    }
}
