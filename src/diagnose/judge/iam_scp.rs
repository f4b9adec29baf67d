//! The IAM/SCP step: each `--action` tested (called when credwiz knows it,
//! else simulated) and judged locally against the policy layers credwiz
//! could read (`policy_layers`, `policy_verdict`), and a pasted `--error`
//! decoded and routed to the step it points to.
//!
//! How the answers combine: AWS's own answer (the call, the simulator, the
//! pasted error) decides whether the action is allowed, and beats the
//! local one when they disagree (the evidence says so); the local verdict
//! names the deciding layer, policy and statement, and names the cause when
//! AWS's message names no policy type, or when AWS could not be asked.
//! "Allowed with MFA" routes to `mfa-required`, "allowed in us-east-1" adds
//! a finding to the region step.

use crate::aws::decode::{DenyKind, Meaning, parse_pasted};
use crate::aws::live::Failure;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::denial::{deciding, denial_cause, deny_finding, disagreement, unread_layer};
use crate::diagnose::judge::pasted::pasted_error;
use crate::diagnose::judge::policy_layers::{self, Layers, State};
use crate::diagnose::judge::policy_request::ResourceSource;
use crate::diagnose::judge::policy_verdict::{self, Local};
use crate::diagnose::judge::{failure_text, with_error};
use crate::diagnose::run::check::{LiveCheck, LiveValue, Outcome};
use crate::diagnose::run::outcomes::Outcomes;
use crate::diagnose::run::plan::judges_actions;
use crate::policy::Verdict;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Status, Step};

pub use crate::diagnose::judge::pasted::pasted_step;

/// The IAM/SCP step's findings (and the pasted error's, in its own step).
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let judge = Judge::new(facts, outcomes);
    let mut out = Vec::new();
    for (index, action) in facts.options.actions.iter().enumerate() {
        let resource =
            facts.options.resource_for(index).map_or(ResourceSource::Unsaid, |r| ResourceSource::Given(r.as_str()));
        let local = judge.as_ref().map(|j| j.judge(action.as_str(), resource));
        let action_text = action.as_str();
        let finding = match (outcomes.action_check(action), &local) {
            (Some(outcome), _) => action_finding(facts, outcomes, action_text, outcome, local.as_ref()),
            (None, Some(local)) if local.decision.verdict != Verdict::Undetermined => {
                local_finding(outcomes, action_text, local, "AWS was not asked")
            }
            (None, _) if outcomes.caller().is_none() => Finding::skip(
                "action",
                Step::IamScp,
                format!("{action}: can be tested once AWS accepts the credentials"),
            ),
            (None, _) => Finding::skip("action", Step::IamScp, format!("{action}: not tested")),
        };
        let finding = match &local {
            Some(local) if finding.status == Status::Skip => with_lines(finding, local.evidence()),
            _ => finding,
        };
        routes(&mut out, facts, outcomes, action_text, &finding, local.as_ref());
        out.push(finding);
        out.extend(super::action_name::check(action_text));
    }
    if facts.options.actions.is_empty() && facts.options.error.is_none() {
        out.push(Finding::skip(
            "action",
            Step::IamScp,
            "no action to test (SERVICE:ACTION) and no pasted error: give either to test a permission",
        ));
    }
    if let Some(text) = &facts.options.error {
        let (finding, judged) = pasted_error(facts, outcomes, text, judge.as_ref());
        if let Some((action, local)) = &judged {
            routes(&mut out, facts, outcomes, action, &finding, Some(local));
        }
        out.push(finding);
    }
    if let Some(judge) = &judge {
        out.push(judge.layers_finding());
    }
    out
}

/// The local evaluation's inputs for this run: the caller and the layers.
pub(super) struct Judge<'a> {
    facts: &'a Facts,
    outcomes: &'a Outcomes,
    pub principal: String,
    layers: Layers,
}

impl<'a> Judge<'a> {
    /// When an action is judged and the caller is known (from AWS, or named
    /// by the pasted error when policy files are given).
    fn new(facts: &'a Facts, outcomes: &'a Outcomes) -> Option<Judge<'a>> {
        if !judges_actions(facts) {
            return None;
        }
        let named = || {
            let pasted = facts.options.error.as_deref().map(parse_pasted)?;
            match pasted.meaning() {
                Meaning::Denied(denial) if !facts.options.policy_files.is_empty() => denial.principal,
                _ => None,
            }
        };
        let principal = outcomes.caller().map(|c| c.arn.clone()).or_else(named)?;
        let layers = policy_layers::assemble(facts, outcomes, &principal);
        Some(Judge { facts, outcomes, principal, layers })
    }

    pub(super) fn judge(&self, action: &str, resource: ResourceSource<'_>) -> Local {
        policy_verdict::judge(self.facts, self.outcomes, &self.layers, &self.principal, action, resource)
    }

    /// The layers the local evaluation used: a warning when AWS denied a read.
    fn layers_finding(&self) -> Finding {
        const ID: &str = "policy-layers";
        let states: Vec<String> =
            self.layers.views.iter().map(|v| format!("{} {}", layer_word(v.layer.id()), v.state.word())).collect();
        let summary = states.join(", ");
        let lines: Vec<String> = self
            .layers
            .views
            .iter()
            .map(|v| format!("layer {v}"))
            .chain(self.layers.notes.iter().map(|n| format!("note: {n}")))
            .collect();
        let denied = self.layers.failures.iter().filter(|f| f.is_denied()).find_map(|f| match f.failure.as_ref() {
            Failure::Aws(error) => match error.meaning() {
                Meaning::Denied(denial) => Some((f, denial.kind)),
                _ => Some((f, DenyKind::NoIdentityAllow)),
            },
            _ => None,
        });
        let requests: Vec<&str> = self.layers.failures.iter().map(|f| f.request.as_str()).collect();
        let finding = match denied {
            Some((failure, kind)) => {
                let cause = if crate::diagnose::judge::mfa::mfa_explains(self.facts, self.outcomes, kind) {
                    Cause::MfaRequired
                } else {
                    kind.cause()
                };
                let fix = if cause == Cause::MfaRequired {
                    super::MFA_SESSION_FIX
                } else {
                    "nothing to fix for your own use; grant credwiz iam:Get*, iam:List*, organizations:Describe* and organizations:List* to judge the actions fully"
                };
                let without_mfa = if cause == Cause::MfaRequired { " without MFA" } else { "" };
                Finding::warn(
                    ID,
                    cause,
                    format!(
                        "credwiz could not read every policy{without_mfa} ({}): layers {summary}",
                        requests.join(", ")
                    ),
                    fix,
                )
                .in_step(Step::IamScp)
                .with_evidence(format!("{} was denied", failure.request))
            }
            None if !requests.is_empty() => Finding::skip(
                ID,
                Step::IamScp,
                format!("some policies could not be read ({}): layers {summary}", requests.join(", ")),
            ),
            None if self.layers.views.iter().any(|v| v.state == State::Unknown) => {
                Finding::skip(ID, Step::IamScp, format!("policy layers: {summary}"))
            }
            None => Finding::pass(ID, Step::IamScp, format!("policy layers read: {summary}")),
        };
        with_lines(finding, lines)
    }
}

/// The layer's name in a list of states (`SCPs`, `RCPs`, else its id).
fn layer_word(id: &str) -> String {
    match id {
        "scp" => "SCPs".into(),
        "rcp" => "RCPs".into(),
        other => other.to_string(),
    }
}

/// A finding with evidence lines added.
pub(super) fn with_lines(mut finding: Finding, lines: Vec<String>) -> Finding {
    finding.evidence.extend(lines);
    finding
}

/// The finding of an action AWS could not answer for, from the local verdict alone.
fn local_finding(outcomes: &Outcomes, action: &str, local: &Local, why_local: &str) -> Finding {
    let finding = match (local.decision.verdict, local.cause()) {
        (Verdict::Allowed, _) => {
            Finding::pass("action", Step::IamScp, format!("{action} is allowed by the local evaluation ({why_local})"))
        }
        (_, Some(cause)) => deny_finding(outcomes, action, cause, None, deciding(Some(local), cause))
            .with_evidence(format!("the local evaluation decides ({why_local})")),
        _ => Finding::skip(
            "action",
            Step::IamScp,
            format!("{action}: the local evaluation cannot decide ({why_local}): {}", local.decision),
        ),
    };
    with_lines(finding, local.evidence())
}

fn action_finding(
    facts: &Facts,
    outcomes: &Outcomes,
    action: &str,
    outcome: &Outcome,
    local: Option<&Local>,
) -> Finding {
    let local_lines = || local.map(Local::evidence).unwrap_or_default();
    match (&outcome.check, &outcome.call.result) {
        (_, Ok(LiveValue::Allowed)) => {
            let mut f = Finding::pass(
                "action",
                Step::IamScp,
                format!("{action} is allowed: credwiz called it and AWS answered"),
            );
            f.duration_ms = Some(outcome.call.millis());
            f.evidence.extend(local.and_then(|l| disagreement("AWS allowed the call", None, l)));
            with_lines(f, local_lines())
        }
        (_, Ok(LiveValue::Simulation(simulation))) => {
            let kind = match simulation.decision.as_str() {
                "allowed" => None,
                _ if simulation.allowed_by_organizations == Some(false) => Some(DenyKind::Scp),
                _ if simulation.allowed_by_boundary == Some(false) => Some(DenyKind::Boundary),
                "explicitDeny" => Some(DenyKind::ExplicitIdentity),
                _ => Some(DenyKind::NoIdentityAllow),
            };
            let mut f = match kind {
                None => Finding::pass("action", Step::IamScp, format!("{action} is allowed (policy simulation)")),
                Some(kind) => {
                    // The simulator knows only the policies IAM holds: its implicit deny names no
                    // layer, and the local verdict (with the policy files given) may name one.
                    let named = kind != DenyKind::NoIdentityAllow;
                    let cause = denial_cause(facts, outcomes, kind, named, local);
                    deny_finding(outcomes, action, cause, None, deciding(local, cause))
                }
            };
            f.evidence.push(format!("iam:SimulatePrincipalPolicy decision: {}", simulation.decision));
            f.evidence.extend(simulation.matched.iter().map(|m| format!("matching statement in {m}")));
            let said = format!("the policy simulator says {}", simulation.decision);
            f.evidence.extend(local.and_then(|l| disagreement(&said, f.cause, l)));
            f.evidence.extend(f.cause.and_then(|cause| unread_layer(cause, local)));
            with_lines(f, local_lines())
        }
        (_, Err(Failure::Aws(error))) => match (&outcome.check, error.meaning()) {
            (LiveCheck::TryAction { .. }, Meaning::Denied(denial)) => {
                let cause = denial_cause(facts, outcomes, denial.kind, denial.policy_type.is_some(), local);
                let f = deny_finding(outcomes, action, cause, denial.principal.as_deref(), deciding(local, cause));
                let mut f = with_error(f, error, outcome).with_evidence(format!("credwiz called {action}"));
                f.evidence.extend(local.and_then(|l| disagreement("AWS denied the call", Some(cause), l)));
                f.evidence.extend(unread_layer(cause, local));
                with_lines(f, local_lines())
            }
            (LiveCheck::Simulate { .. }, _) => {
                let code = error.code.as_deref().unwrap_or("error");
                match local.filter(|l| l.decision.verdict != Verdict::Undetermined) {
                    Some(local) => local_finding(outcomes, action, local, &format!("policy simulation failed: {code}")),
                    None => {
                        let mut f = Finding::skip(
                            "action",
                            Step::IamScp,
                            format!(
                                "{action} cannot be tested: credwiz cannot call it, and policy simulation failed ({code})"
                            ),
                        );
                        match outcomes.policies() {
                            Some(list) if !list.is_empty() => {
                                f.evidence.extend(list.iter().map(|p| format!("policy: {p}")))
                            }
                            Some(_) => {
                                f.evidence.push("the identity has no attached or inline policies, no groups".into())
                            }
                            None => f.evidence.push("the identity's policies could not be listed either".into()),
                        }
                        f
                    }
                }
            }
            _ => with_error(
                Finding::skip("action", Step::IamScp, format!("{action}: AWS answered {}", error.describe())),
                error,
                outcome,
            ),
        },
        (_, Err(other)) => match local.filter(|l| l.decision.verdict != Verdict::Undetermined) {
            Some(local) => local_finding(outcomes, action, local, &failure_text(other)),
            None => Finding::skip("action", Step::IamScp, format!("{action}: {}", failure_text(other))),
        },
        _ => Finding::skip("action", Step::IamScp, format!("{action}: unexpected answer")),
    }
}

/// Whether the MFA step already reports `mfa-required` from AWS's answers (`mfa::required`).
fn mfa_step_reports(facts: &Facts, outcomes: &Outcomes) -> bool {
    let explains = |kind| crate::diagnose::judge::mfa::mfa_explains(facts, outcomes, kind);
    let live = outcomes.all().iter().any(|o| match (&o.check, &o.call.result) {
        (LiveCheck::TryAction { .. }, _) => matches!(o.meaning(), Some(Meaning::Denied(d)) if explains(d.kind)),
        (LiveCheck::Simulate { .. }, Ok(LiveValue::Simulation(s))) => {
            s.decision == "explicitDeny"
                && s.allowed_by_organizations != Some(false)
                && s.allowed_by_boundary != Some(false)
                && explains(DenyKind::ExplicitIdentity)
        }
        _ => false,
    });
    let pasted = facts.options.error.as_deref().map(parse_pasted).is_some_and(|e| match e.meaning() {
        Meaning::Denied(d) => explains(d.kind),
        _ => false,
    });
    live || pasted
}

/// Where a failing action's local verdict sends the user besides: the
/// region step when another region allows it, the MFA step when MFA does.
fn routes(
    out: &mut Vec<Finding>,
    facts: &Facts,
    outcomes: &Outcomes,
    action: &str,
    finding: &Finding,
    local: Option<&Local>,
) {
    let (Status::Fail, Some(local)) = (finding.status, local) else { return };
    if let (Some(variant), Some(cause)) = (local.allowed_elsewhere(), finding.cause) {
        let region = facts.signing_region().unwrap_or_else(|| "this region".into());
        let other = variant.change.to_string();
        out.push(
            Finding::fail(
                "action-region",
                cause,
                format!("{action} is denied in {region} but allowed {other}: a policy limits the regions"),
                format!("use the region the policy allows for {action} ({other}), or ask the policy's owner to allow {region}"),
            )
            .in_step(Step::AccountRegion)
            .with_evidence(format!("local evaluation in {region}: {}", local.decision_line()))
            .with_evidence(format!("local evaluation {variant}")),
        );
    }
    let mfa_lifts = local.allowed_with_mfa();
    if let (Some(variant), Some(Cause::MfaRequired)) = (mfa_lifts, finding.cause)
        && !mfa_step_reports(facts, outcomes)
        && !out.iter().any(|f| f.id == "mfa-required")
    {
        out.push(
            Finding::fail(
                "mfa-required",
                Cause::MfaRequired,
                format!("{action} is denied without MFA and allowed with it: {}", local.decision_line()),
                "enter a code in the MFA step to get an MFA session, and use it",
            )
            .with_evidence(format!("local evaluation {variant}")),
        );
    }
}
