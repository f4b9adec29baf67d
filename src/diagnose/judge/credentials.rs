//! The credentials step: the verdict of GetCallerIdentity with its root cause
//! (a lint, the clock, the region, an env override, an inactive key) chosen
//! over the raw error it explains. The offline findings (the profile, its
//! files, the lints of the keys) are `offline`'s.

use crate::aws::decode::Meaning;
use crate::aws::live::Failure;
use crate::base::environment::ProfileChoice;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::judge::{expiry, regional, with_error};
use crate::diagnose::run::check::{LiveValue, Outcome, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::keyid::AccessKeyId;
use crate::vocabulary::{Cause, Status, Step};

mod offline;
pub use offline::lints;

/// The credential-shaped causes a lint can hold, which explain a rejection.
const EXPLAINING_LINTS: [Cause; 8] = [
    Cause::MissingCredentialField,
    Cause::CredentialWhitespace,
    Cause::CredentialMalformed,
    Cause::KeySecretSwapped,
    Cause::ExampleCredentials,
    Cause::SessionTokenMissing,
    Cause::SessionTokenUnexpected,
    Cause::ProfileMisnamedSection,
];

fn explaining_lint(lints: &[Finding]) -> Option<Cause> {
    lints.iter().filter(|f| f.status == Status::Fail).filter_map(|f| f.cause).find(|c| EXPLAINING_LINTS.contains(c))
}

/// The verdict on the credentials in use, and the env-override comparison.
pub fn assess(facts: &Facts, outcomes: &Outcomes, lints: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(winner) = facts.chain.winner() else {
        if !lints.iter().any(|f| {
            f.status == Status::Fail
                && matches!(
                    f.cause,
                    Some(Cause::ProfileNotFound | Cause::ProfileMisnamedSection | Cause::MissingCredentialField)
                )
        }) {
            let checked: Vec<String> =
                facts.chain.sources.iter().map(|s| format!("{} ({})", s.detail, s.location)).collect();
            let mut f = Finding::fail(
                "credential-source",
                Cause::NoCredentials,
                format!("no source gives credentials for profile `{}`", facts.profile),
                "add an access key to the profile, or set up SSO with `aws configure sso`",
            );
            f.evidence = checked;
            out.push(f);
        }
        return out;
    };
    let mut source = Finding::pass(
        "credential-source",
        Step::Credentials,
        format!("credentials come from {} ({})", winner.detail, winner.location),
    );
    source.evidence = facts.chain.shadowed().map(|s| format!("shadowed: {} ({})", s.detail, s.location)).collect();
    if winner.kind == SourceKind::Env && facts.choice == ProfileChoice::Flag {
        source.evidence.push("the AWS CLI ignores AWS_ACCESS_KEY_ID when --profile is given; the SDKs do not".into());
    }
    out.push(source);
    // A chain that produced no credentials has its verdict in its hops (`chain.rs`).
    let Some(identity) = outcomes.active_identity_check() else {
        return out;
    };
    out.push(identity_verdict(facts, outcomes, identity, lints));
    if let Some(profile) = outcomes.identity_check_of(&Who::Profile) {
        out.extend(env_override(facts, identity, profile));
    }
    out
}

fn identity_verdict(facts: &Facts, outcomes: &Outcomes, identity: &Outcome, lints: &[Finding]) -> Finding {
    const ID: &str = "sts-caller-identity";
    let error = match &identity.call.result {
        Ok(LiveValue::Identity(caller)) => {
            let mut f = Finding::pass(ID, Step::Credentials, format!("AWS accepts the credentials: {}", caller.arn));
            f.duration_ms = Some(identity.call.millis());
            return f;
        }
        Ok(_) => return Finding::skip(ID, Step::Credentials, "unexpected answer"),
        Err(Failure::Aws(error)) => error,
        // Keys that cannot even be sent (a control character in the key id or token): the lint that
        // says what is wrong with them is the cause, else they are malformed.
        Err(Failure::Unsendable(why)) => {
            let cause = explaining_lint(lints).unwrap_or(Cause::CredentialMalformed);
            return Finding::fail(ID, cause, format!("the keys were not sent: {why}"), cause.short_fix())
                .in_step(Step::Credentials);
        }
        Err(failure) => {
            let mut f = crate::diagnose::judge::network::unreachable(facts, outcomes, ID, failure);
            f.duration_ms = Some(identity.call.millis());
            return f;
        }
    };
    let lint = explaining_lint(lints);
    let (cause, summary) = match error.meaning() {
        Meaning::InvalidToken => match lint {
            Some(cause) => (
                cause,
                "AWS rejects the key id (InvalidClientTokenId), because of the problem found in the key itself"
                    .to_string(),
            ),
            None => rejected_key(facts, outcomes),
        },
        Meaning::SignatureMismatch => match lint {
            Some(cause) => (
                cause,
                "AWS rejects the signature (SignatureDoesNotMatch), because of the problem found in the keys"
                    .to_string(),
            ),
            None => (
                Cause::SecretMismatch,
                "AWS knows the key id but the secret does not match it (SignatureDoesNotMatch)".to_string(),
            ),
        },
        Meaning::SignatureExpired => {
            (Cause::ClockSkew, "AWS rejects the request time: this computer's clock is off".to_string())
        }
        Meaning::InvalidRegionScope => {
            (Cause::RegionInvalid, "AWS rejects the signature because the region is not a valid region".to_string())
        }
        Meaning::Expired => {
            (Cause::CredentialsExpired, "AWS says the session token has expired (ExpiredToken)".to_string())
        }
        Meaning::MissingAuthentication => {
            (lint.unwrap_or(Cause::CredentialMalformed), "AWS could not read the request's signature".to_string())
        }
        Meaning::Denied(denial) => (denial.kind.cause(), "AWS denied GetCallerIdentity".to_string()),
        Meaning::MfaCodeInvalid
        | Meaning::MfaSerialInvalid
        | Meaning::SessionCredentialsNotAllowed
        | Meaning::Throttled
        | Meaning::Unknown => {
            let mut f = with_error(
                Finding::new(ID, Step::Credentials, Status::Fail, format!("AWS answered {}", error.describe())),
                error,
                identity,
            );
            f.fix = Some("look the error code up in the AWS documentation; credwiz has no rule for it".into());
            return f;
        }
    };
    let (cause, summary, fix) = match env_override_cause(facts, outcomes) {
        Some(env) => (
            env,
            format!(
                "AWS rejects the keys from the environment ({}), while profile `{}`'s own keys work",
                error.code.as_deref().unwrap_or("error"),
                facts.profile
            ),
            format!("run `{}`", unset_line(facts)),
        ),
        None => (cause, summary, precise_fix(facts, outcomes, cause).unwrap_or_else(|| cause.short_fix().to_string())),
    };
    let mut finding = with_error(Finding::fail(ID, cause, summary, fix).in_step(Step::Credentials), error, identity);
    if cause == Cause::EnvOverridesProfile {
        finding = finding.with_repair(Repair::IgnoreEnvKeys);
    }
    // Nothing is wrong with a key that is still spreading: a warning, to wait for.
    if cause == Cause::KeyNotYetActive {
        finding.status = Status::Warn;
    }
    finding
}

/// The fix of a regional verdict (it names the region or setting), when it is the cause.
fn precise_fix(facts: &Facts, outcomes: &Outcomes, cause: Cause) -> Option<String> {
    regional::verdict(facts, outcomes).filter(|r| r.cause() == cause).map(|r| r.fix(facts))
}

/// Why a well-formed key id was rejected: another partition, a v1 token in an
/// opt-in region, a disabled region, an inactive key, or unknown. The fix when
/// it is more precise than the cause's own.
fn rejected_key(facts: &Facts, outcomes: &Outcomes) -> (Cause, String) {
    if let Some(regional) = regional::verdict(facts, outcomes) {
        return (regional.cause(), regional.summary());
    }
    if let Some(evidence) = expiry::inactive_key_evidence(facts, outcomes) {
        return (Cause::KeyInactive, format!("AWS rejects the key: {evidence}"));
    }
    if let Some(evidence) = expiry::new_key_evidence(facts, outcomes) {
        return (Cause::KeyNotYetActive, format!("AWS refuses the key for now, and it is brand new: {evidence}"));
    }
    if facts.active_key_id().is_some_and(AccessKeyId::is_temporary) {
        return (Cause::UnknownAccessKey, "AWS does not recognise this temporary key id with its session token: the session is gone or the token belongs to another key".to_string());
    }
    (Cause::UnknownAccessKey, "AWS does not know this access key id (InvalidClientTokenId): it was deleted, deactivated or mistyped (STS refused it in every partition asked)".to_string())
}

/// `env-overrides-profile` when env keys fail and the profile's own keys work.
fn env_override_cause(facts: &Facts, outcomes: &Outcomes) -> Option<Cause> {
    let profile = outcomes.identity_check_of(&Who::Profile)?;
    (facts.chain.winner().map(|s| s.kind) == Some(SourceKind::Env) && profile.identity().is_some())
        .then_some(Cause::EnvOverridesProfile)
}

fn unset_line(facts: &Facts) -> String {
    let mut vars = vec!["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
    if facts.env.get("AWS_SESSION_TOKEN").is_some() {
        vars.push("AWS_SESSION_TOKEN");
    }
    if facts.env.get("AWS_CREDENTIAL_EXPIRATION").is_some() {
        vars.push("AWS_CREDENTIAL_EXPIRATION");
    }
    format!("unset {}", vars.join(" "))
}

fn env_override(facts: &Facts, active: &Outcome, profile: &Outcome) -> Option<Finding> {
    const ID: &str = "env-override";
    let unset = unset_line(facts);
    match (active.identity().map(|i| &i.arn), profile.identity().map(|i| &i.arn)) {
        (None, Some(arn)) => Some(
            Finding::fail(
                ID,
                Cause::EnvOverridesProfile,
                format!("AWS_ACCESS_KEY_ID in the environment wins over profile `{}`, and only the profile's keys work ({arn})", facts.profile),
                format!("run `{unset}`, then remove the export from your shell start-up files"),
            )
            .with_evidence(format!("the environment's key is rejected: {}", active.call.aws_error().map(|e| e.describe()).unwrap_or_default()))
            .with_repair(Repair::IgnoreEnvKeys),
        ),
        (Some(env_arn), Some(profile_arn)) if env_arn != profile_arn => Some(Finding::warn(
            ID,
            Cause::EnvOverridesProfile,
            format!("the environment's keys ({env_arn}) are used instead of profile `{}` ({profile_arn})", facts.profile),
            format!("run `{unset}` to use the profile"),
        ).with_repair(Repair::IgnoreEnvKeys)),
        (Some(_), Some(_)) => Some(Finding::pass(ID, Step::Credentials, format!("the environment's keys win over profile `{}`, and both are the same identity", facts.profile))),
        _ => None,
    }
}
