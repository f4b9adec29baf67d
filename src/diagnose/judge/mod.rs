//! Assessment: facts plus live outcomes in, findings out, one file per step.
//! Pure functions; the root-cause precedence is decided here, where the
//! evidence meets (a lint that explains a rejection takes its place).
//! `crossprofile` (pure) tells what only a view of all profiles can tell.

pub mod account_region;
pub mod action_name;
pub mod chain;
pub mod compat;
pub mod credentials;
pub mod crossprofile;
pub mod denial;
pub mod expiry;
pub mod home;
pub mod iam_scp;
pub mod mfa;
pub mod network;
pub mod other_profiles;
pub mod pasted;
pub mod policy_layers;
pub mod policy_request;
pub mod policy_services;
pub mod policy_verdict;
pub mod regional;
pub mod tools;
pub mod web_trust;

use crate::aws::decode::{AwsError, Meaning};
use crate::aws::live::Failure;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::check::Outcome;
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Status};

/// Every finding of every step.
pub fn all(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let lints = credentials::lints(facts);
    let mut findings = Vec::new();
    findings.extend(credentials::assess(facts, outcomes, &lints));
    findings.extend(lints);
    findings.extend(chain::assess(facts, outcomes));
    findings.extend(compat::assess(facts));
    findings.extend(home::assess(facts));
    if !has_failure(&findings, Cause::EndpointOverride) {
        findings.extend(network::override_warning(facts, outcomes));
    }
    findings.extend(expiry::assess(facts, outcomes));
    findings.extend(mfa::assess(facts, outcomes));
    findings.extend(account_region::assess(facts, outcomes));
    findings.extend(iam_scp::assess(facts, outcomes));
    findings.extend(other_profiles::assess(facts, outcomes));
    findings
}

/// The fix of an `mfa-required` denial: an MFA session.
pub const MFA_SESSION_FIX: &str = "enter a code in the MFA step to get an MFA session, and use it";

/// A finding for a diagnostic read that failed: a denial is a warning (credwiz's
/// own read, not the user's), anything else a skip with the reason.
pub fn diagnostic_read_failed(
    facts: &Facts,
    outcomes: &Outcomes,
    id: &'static str,
    step: crate::vocabulary::Step,
    what: &str,
    outcome: &Outcome,
) -> Finding {
    match &outcome.call.result {
        Err(Failure::Aws(error)) => match error.meaning() {
            Meaning::Denied(denial) => {
                let cause = if mfa::mfa_explains(facts, outcomes, denial.kind) {
                    Cause::MfaRequired
                } else {
                    denial.kind.cause()
                };
                let policy = denial.policy_type.as_deref().unwrap_or("policy");
                let read = denial.action.as_deref().unwrap_or("the read");
                // A denial for lack of MFA is an MFA matter: shown in the MFA step, not the read's,
                // and likely what failed for the user too (their policies deny without MFA).
                let finding = if cause == Cause::MfaRequired {
                    Finding::warn(
                        id,
                        cause,
                        format!(
                            "likely what failed for you: {policy} denies {read} to these credentials without MFA (credwiz could not {what}), and the user has an MFA device: the policy requires an MFA session"
                        ),
                        MFA_SESSION_FIX,
                    )
                } else {
                    Finding::warn(
                        id,
                        cause,
                        format!("credwiz could not {what}: {policy} denies {read}"),
                        "nothing to fix for your own use; grant the read to let credwiz check this",
                    )
                    .in_step(step)
                };
                finding.with_evidence(error.describe())
            }
            _ => Finding::skip(id, step, format!("credwiz could not {what}: {}", error.describe())),
        },
        Err(other) => Finding::skip(id, step, format!("credwiz could not {what}: {}", failure_text(other))),
        Ok(_) => Finding::new(id, step, Status::Skip, format!("credwiz could not {what}")),
    }
}

/// A failure as one line of text.
pub fn failure_text(failure: &Failure) -> String {
    failure.text()
}

/// Fills a finding's error fields from an AWS error.
pub fn with_error(mut finding: Finding, error: &AwsError, outcome: &Outcome) -> Finding {
    finding.error_code = error.code.clone();
    finding.request_id = error.request_id.clone();
    finding.duration_ms = Some(outcome.call.millis());
    if let Some(message) = &error.message {
        finding.evidence.push(format!("AWS said: {message}"));
    }
    finding
}

/// Whether any finding already fails with this cause.
pub fn has_failure(findings: &[Finding], cause: Cause) -> bool {
    findings.iter().any(|f| f.status == Status::Fail && f.cause == Some(cause))
}
