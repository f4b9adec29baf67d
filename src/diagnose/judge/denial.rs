//! How a denial is reported in the IAM & SCP step: the cause it gets (the
//! policy type AWS names, refined by the local verdict when AWS names none,
//! `mfa-required` when MFA would lift it), its summary and fix (naming the
//! deciding statement when the local verdict has it), and the evidence
//! lines that compare AWS's answer with the local one. Pure.

use crate::aws::decode::DenyKind;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::mfa::mfa_explains;
use crate::diagnose::judge::policy_verdict::Local;
use crate::diagnose::run::outcomes::Outcomes;
use crate::policy::{LayerKind, StatementRef, Unknown, Verdict};
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Step};

/// The cause of a denial AWS gave: its policy type, refined by the local
/// verdict when AWS named none; MFA when a policy requires it.
pub(super) fn denial_cause(
    facts: &Facts,
    outcomes: &Outcomes,
    kind: DenyKind,
    named: bool,
    local: Option<&Local>,
) -> Cause {
    let lifted_by_mfa = local.is_some_and(|l| l.allowed_with_mfa().is_some() || l.deny_lifted_by_mfa());
    if lifted_by_mfa && matches!(kind, DenyKind::ExplicitIdentity | DenyKind::NoIdentityAllow) {
        return Cause::MfaRequired;
    }
    if mfa_explains(facts, outcomes, kind) {
        return Cause::MfaRequired;
    }
    match local.and_then(Local::cause) {
        Some(cause) if !named => cause,
        _ => kind.cause(),
    }
}

/// The deciding statement of the local verdict, when it points to this cause.
pub(super) fn deciding(local: Option<&Local>, cause: Cause) -> Option<&StatementRef> {
    local.filter(|l| l.cause() == Some(cause)).and_then(|l| l.decision.statement.as_ref())
}

/// When AWS's answer points to a layer credwiz could not read: say so, and how to have the statement named.
pub(super) fn unread_layer(cause: Cause, local: Option<&Local>) -> Option<String> {
    let layer = match cause {
        Cause::ExplicitDenyScp => LayerKind::Scp,
        Cause::PermissionsBoundary => LayerKind::Boundary,
        Cause::ExplicitDenyIdentity | Cause::NoIdentityAllow | Cause::MfaRequired => LayerKind::Identity,
        _ => return None,
    };
    let unknown = local?.decision.depends_on.contains(&Unknown::Layer(layer));
    unknown.then(|| {
        format!(
            "AWS's answer points to the {} layer, which credwiz could not read with these credentials; given that layer's policy text (start credwiz with `--policy {}=FILE`), it names the statement that decides",
            layer.noun(),
            layer.id()
        )
    })
}

/// What the evidence says when AWS's answer and the local one disagree.
pub(super) fn disagreement(aws_said: &str, cause: Option<Cause>, local: &Local) -> Option<String> {
    let differs = match local.decision.verdict {
        Verdict::Undetermined => false,
        Verdict::Allowed => cause.is_some(),
        _ => local.cause() != cause,
    };
    differs.then(|| {
        format!(
            "AWS's answer decides: {aws_said}, while the local evaluation says {} (a policy or a condition credwiz cannot see)",
            local.decision_line()
        )
    })
}

pub(super) fn deny_finding(
    outcomes: &Outcomes,
    action: &str,
    cause: Cause,
    principal: Option<&str>,
    statement: Option<&StatementRef>,
) -> Finding {
    let account = outcomes.caller().map(|i| i.account.clone()).unwrap_or_else(|| "this account".into());
    let who = principal
        .map(str::to_string)
        .or_else(|| outcomes.caller().map(|i| i.arn.clone()))
        .unwrap_or_else(|| "the caller".into());
    let (summary, fix) = match cause {
        Cause::MfaRequired => match statement {
            Some(s) => (
                format!("{action} is denied for {who}: {s} denies it without MFA"),
                format!("get an MFA session in the MFA step (the Deny of {s} does not apply with MFA)"),
            ),
            None => (
                format!("{action} is denied for {who}: an identity policy requires MFA"),
                "get an MFA session in the MFA step".to_string(),
            ),
        },
        Cause::ExplicitDenyScp => (
            format!("{action} is denied for {who} by a service control policy of the organisation"),
            match statement {
                Some(s) => format!(
                    "ask the organisation's administrators to allow {action} for account {account} ({s} decides)"
                ),
                None => format!("ask the organisation's administrators to allow {action} for account {account}"),
            },
        ),
        Cause::ExplicitDenyIdentity => (
            format!("{action} is explicitly denied by an identity-based policy of {who}"),
            match statement {
                Some(s) => format!("change the Deny of {s}"),
                None => "find the Deny statement in the user's, group's or role's policies and change it".to_string(),
            },
        ),
        Cause::PermissionsBoundary => (
            format!("{action} is outside the permissions boundary of {who}"),
            match statement {
                Some(s) => format!("change {s}, or widen the permissions boundary, or use another identity"),
                None => "widen the permissions boundary, or use another identity".to_string(),
            },
        ),
        Cause::DeniedOtherPolicy => (
            format!("{action} is denied for {who} by a session, resource-based or resource control policy"),
            match statement {
                Some(s) => format!("change {s}"),
                None => "change the policy the message names".to_string(),
            },
        ),
        _ => (
            format!("no identity-based policy allows {action} for {who}"),
            format!("attach a policy that allows {action} on the resource you need (least privilege)"),
        ),
    };
    Finding::fail("action", cause, summary, fix).in_step(Step::IamScp)
}
