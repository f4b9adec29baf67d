//! The IAM/SCP step: each `--action` tested (called when credwiz knows it,
//! else simulated, else reported as untestable with the identity's policies),
//! and a pasted `--error` decoded and routed to the step it points to.

use super::{failure_text, with_error};
use crate::diagnose::check::{LiveCheck, LiveValue, Outcome};
use crate::diagnose::decode::{DenyKind, Meaning, parse_pasted};
use crate::diagnose::finding::Finding;
use crate::diagnose::live::Failure;
use crate::diagnose::{Cause, Facts, Outcomes, Status, Step};

/// The IAM/SCP step's findings (and the pasted error's, in its own step).
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let mut out = Vec::new();
    let policies = outcomes.policies();
    for action in &facts.options.actions {
        let action_text = action.as_str();
        out.push(match outcomes.action_check(action) {
            Some(outcome) => action_finding(facts, outcomes, action_text, outcome, policies),
            None if outcomes.caller().is_none() => Finding::skip(
                "action",
                Step::IamScp,
                format!("{action}: can be tested once AWS accepts the credentials"),
            ),
            None => Finding::skip("action", Step::IamScp, format!("{action}: not tested")),
        });
    }
    if facts.options.actions.is_empty() && facts.options.error.is_none() {
        out.push(Finding::skip(
            "action",
            Step::IamScp,
            "no action to test (SERVICE:ACTION) and no pasted error: give either to test a permission",
        ));
    }
    if let Some(text) = &facts.options.error {
        out.push(pasted_error(facts, outcomes, text));
    }
    out
}

fn deny_finding(facts: &Facts, outcomes: &Outcomes, action: &str, kind: DenyKind, principal: Option<&str>) -> Finding {
    let cause = if super::mfa::mfa_explains(facts, outcomes, kind) { Cause::MfaRequired } else { kind.cause() };
    let account = outcomes.caller().map(|i| i.account.clone()).unwrap_or_else(|| "this account".into());
    let who = principal
        .map(str::to_string)
        .or_else(|| outcomes.caller().map(|i| i.arn.clone()))
        .unwrap_or_else(|| "the caller".into());
    let (summary, fix) = match cause {
        Cause::MfaRequired => (
            format!("{action} is denied for {who}: an identity policy requires MFA"),
            "get an MFA session in the MFA step".to_string(),
        ),
        Cause::ExplicitDenyScp => (
            format!("{action} is denied for {who} by a service control policy of the organisation"),
            format!("ask the organisation's administrators to allow {action} for account {account}"),
        ),
        Cause::ExplicitDenyIdentity => (
            format!("{action} is explicitly denied by an identity-based policy of {who}"),
            "find the Deny statement in the user's, group's or role's policies and change it".to_string(),
        ),
        Cause::PermissionsBoundary => (
            format!("{action} is outside the permissions boundary of {who}"),
            "widen the permissions boundary, or use another identity".to_string(),
        ),
        Cause::DeniedOtherPolicy => (
            format!("{action} is denied for {who} by a session, resource-based or resource control policy"),
            "change the policy the message names".to_string(),
        ),
        _ => (
            format!("no identity-based policy allows {action} for {who}"),
            format!("attach a policy that allows {action} on the resource you need (least privilege)"),
        ),
    };
    Finding::fail("action", cause, summary, fix).in_step(Step::IamScp)
}

fn action_finding(
    facts: &Facts,
    outcomes: &Outcomes,
    action: &str,
    outcome: &Outcome,
    policies: Option<&[String]>,
) -> Finding {
    match (&outcome.check, &outcome.call.result) {
        (_, Ok(LiveValue::Allowed)) => {
            let mut f = Finding::pass(
                "action",
                Step::IamScp,
                format!("{action} is allowed: credwiz called it and AWS answered"),
            );
            f.duration_ms = Some(outcome.call.millis());
            f
        }
        (_, Ok(LiveValue::Simulation(simulation))) => {
            let mut f = match simulation.decision.as_str() {
                "allowed" => Finding::pass("action", Step::IamScp, format!("{action} is allowed (policy simulation)")),
                _ if simulation.allowed_by_organizations == Some(false) => {
                    deny_finding(facts, outcomes, action, DenyKind::Scp, None)
                }
                _ if simulation.allowed_by_boundary == Some(false) => {
                    deny_finding(facts, outcomes, action, DenyKind::Boundary, None)
                }
                "explicitDeny" => deny_finding(facts, outcomes, action, DenyKind::ExplicitIdentity, None),
                _ => deny_finding(facts, outcomes, action, DenyKind::NoIdentityAllow, None),
            };
            f.evidence.push(format!("iam:SimulatePrincipalPolicy decision: {}", simulation.decision));
            f.evidence.extend(simulation.matched.iter().map(|m| format!("matching statement in {m}")));
            f
        }
        (_, Err(Failure::Aws(error))) => match (&outcome.check, error.meaning()) {
            (LiveCheck::TryAction { .. }, Meaning::Denied(denial)) => with_error(
                deny_finding(facts, outcomes, action, denial.kind, denial.principal.as_deref()),
                error,
                outcome,
            )
            .with_evidence(format!("credwiz called {action}")),
            (LiveCheck::Simulate { .. }, _) => {
                let mut f = Finding::skip(
                    "action",
                    Step::IamScp,
                    format!(
                        "{action} cannot be tested: credwiz cannot call it, and policy simulation failed ({})",
                        error.code.as_deref().unwrap_or("error")
                    ),
                );
                match policies {
                    Some(list) if !list.is_empty() => f.evidence.extend(list.iter().map(|p| format!("policy: {p}"))),
                    Some(_) => f.evidence.push("the identity has no attached or inline policies, no groups".into()),
                    None => f.evidence.push("the identity's policies could not be listed either".into()),
                }
                f
            }
            _ => with_error(
                Finding::skip("action", Step::IamScp, format!("{action}: AWS answered {}", error.describe())),
                error,
                outcome,
            ),
        },
        (_, Err(other)) => Finding::skip("action", Step::IamScp, format!("{action}: {}", failure_text(other))),
        _ => Finding::skip("action", Step::IamScp, format!("{action}: unexpected answer")),
    }
}

/// The step a pasted error points to.
pub fn pasted_step(meaning: &Meaning) -> Step {
    match meaning {
        Meaning::Expired | Meaning::SignatureExpired => Step::Expiry,
        Meaning::MfaCodeInvalid | Meaning::MfaSerialInvalid | Meaning::SessionCredentialsNotAllowed => Step::Mfa,
        Meaning::InvalidRegionScope => Step::AccountRegion,
        Meaning::Denied(_) => Step::IamScp,
        _ => Step::Credentials,
    }
}

fn pasted_error(facts: &Facts, outcomes: &Outcomes, text: &str) -> Finding {
    const ID: &str = "pasted-error";
    let error = parse_pasted(text);
    let meaning = error.meaning();
    let step = pasted_step(&meaning);
    let code = error.code.clone();
    let mut f = match &meaning {
        Meaning::Denied(denial) => {
            let action = denial.action.clone().unwrap_or_else(|| "the action".into());
            let mut f = deny_finding(facts, outcomes, &action, denial.kind, denial.principal.as_deref());
            f.id = ID;
            if let Some(resource) = &denial.resource {
                f.evidence.push(format!("resource: {resource}"));
            }
            if denial.encoded_message.is_some() {
                f.evidence.extend(decoded_evidence(outcomes));
            }
            f
        }
        Meaning::Unknown => Finding::skip(
            ID,
            step,
            format!(
                "credwiz has no rule for this error{}",
                code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
            ),
        ),
        _ => {
            let live_verdict = outcomes.active_identity_check().map(|o| o.identity().is_some());
            let summary = format!(
                "the pasted error ({}) points to the {} step",
                code.as_deref().unwrap_or("error"),
                step.title()
            );
            match live_verdict {
                Some(true) => Finding::new(
                    ID,
                    step,
                    Status::Warn,
                    format!(
                        "{summary}, but the credentials credwiz tested work now: the error came from other credentials (another shell, tool or profile), or was fixed"
                    ),
                ),
                _ => Finding::new(ID, step, Status::Pass, format!("{summary}; the live checks give its cause")),
            }
        }
    };
    f.error_code = code;
    f.request_id = error.request_id.clone();
    f.step = step;
    f
}

/// What a decoded authorization message says: the decision and the matched
/// statements, or why it could not be decoded.
fn decoded_evidence(outcomes: &Outcomes) -> Vec<String> {
    let Some(outcome) = outcomes.decoded_message_check() else {
        return vec![
            "the error carries an encoded authorization message; credwiz decodes it once AWS accepts the credentials"
                .into(),
        ];
    };
    match &outcome.call.result {
        Ok(LiveValue::Decoded(text)) => {
            let json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let mut lines = vec![format!(
                "decoded authorization message: allowed = {}, explicit deny = {}",
                json["allowed"], json["explicitDeny"]
            )];
            if let Some(statements) = json["matchedStatements"]["items"].as_array() {
                for st in statements {
                    lines.push(format!("matched statement: {} {} in {}", st["effect"], st["sid"], st["source"]["arn"]));
                }
            }
            lines
        }
        Err(failure) => {
            vec![format!("the encoded authorization message could not be decoded: {}", failure_text(failure))]
        }
        Ok(_) => Vec::new(),
    }
}
