//! The local verdict on one action: the request (`policy_request`) decided
//! against the layers (`policy_layers`) by the evaluator, what would change
//! the answer (MFA, another region, no boundary), the cause it points to
//! (`mfa-required` when MFA lifts the deciding Deny and the user has a device),
//! and the evidence lines that name the deciding layer, policy and
//! statement. How it combines with AWS's own answers is the step's business
//! (`iam_scp`). Pure.

use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::policy_layers::{LayerView, Layers, State};
use crate::diagnose::judge::policy_request::{self, ResourceSource};
use crate::diagnose::judge::policy_services::{rcp_layer, resource_layer};
use crate::diagnose::run::outcomes::Outcomes;
use crate::policy::{Change, Decision, LayerKind, PolicySet, Variant, Verdict, evaluate, what_would_change};
use crate::vocabulary::Cause;

/// The local verdict on one action.
#[derive(Debug, Clone)]
pub struct Local {
    pub decision: Decision,
    /// The changes that would give another answer.
    pub variants: Vec<Variant>,
    /// What the request holds, in one line.
    pub request: String,
    /// The action's resource layer (it depends on the action's service).
    pub resource_layer: LayerView,
    /// The RCP layer when it does not apply to this action's service.
    pub rcp_layer: Option<LayerView>,
    /// Whether the user has an MFA device (listed, or `mfa_serial`): a deny MFA lifts is then `mfa-required`.
    pub mfa_device: bool,
}

/// Decides `action` for `principal_arn` against `layers`.
pub fn judge(
    facts: &Facts,
    outcomes: &Outcomes,
    layers: &Layers,
    principal_arn: &str,
    action: &str,
    resource: ResourceSource<'_>,
) -> Local {
    let (context, request) = policy_request::build(facts, outcomes, principal_arn, action, resource);
    let (resource_policies, resource_view) = resource_layer(facts, action);
    let (rcps, rcp_view) = rcp_layer(layers, action);
    let set = PolicySet { resource: resource_policies, rcps, ..layers.set.clone() };
    let decision = evaluate(&set, &context);
    let variants = what_would_change(&set, &context);
    let mfa_device = super::mfa::has_device(facts, outcomes);
    Local { decision, variants, request, resource_layer: resource_view, rcp_layer: rcp_view, mfa_device }
}

/// The cause a layer's denial points to.
fn layer_cause(layer: LayerKind) -> Cause {
    match layer {
        LayerKind::Scp => Cause::ExplicitDenyScp,
        LayerKind::Identity => Cause::NoIdentityAllow,
        LayerKind::Boundary => Cause::PermissionsBoundary,
        LayerKind::Rcp | LayerKind::Resource | LayerKind::Session => Cause::DeniedOtherPolicy,
    }
}

impl Local {
    /// Whether the local answer is a denial (explicit or implicit).
    pub fn denies(&self) -> bool {
        matches!(self.decision.verdict, Verdict::ExplicitDeny | Verdict::ImplicitDeny)
    }

    /// The variant that allows it with MFA, when the answer is a denial that MFA lifts.
    pub fn allowed_with_mfa(&self) -> Option<&Variant> {
        self.variant(|c| *c == Change::MfaPresent).filter(|_| self.denies())
    }

    /// The variant that allows it in another region, when the answer is a denial.
    pub fn allowed_elsewhere(&self) -> Option<&Variant> {
        self.variant(|c| matches!(c, Change::Region(_))).filter(|_| self.denies())
    }

    /// Whether MFA lifts the explicit Deny that decides (the Deny's only
    /// unmet condition is MFA) and the user has an MFA device: whatever the
    /// answer with MFA (allowed, or undetermined by layers credwiz cannot
    /// read), the fix is an MFA session.
    pub fn deny_lifted_by_mfa(&self) -> bool {
        self.mfa_device
            && self.decision.verdict == Verdict::ExplicitDeny
            && self
                .variants
                .iter()
                .any(|v| v.change == Change::MfaPresent && v.decision.verdict != Verdict::ExplicitDeny)
    }

    fn variant(&self, which: impl Fn(&Change) -> bool) -> Option<&Variant> {
        self.variants.iter().find(|v| which(&v.change) && v.decision.is_allowed())
    }

    /// The cause the local answer points to (`None`: allowed or undetermined).
    pub fn cause(&self) -> Option<Cause> {
        if self.allowed_with_mfa().is_some() || self.deny_lifted_by_mfa() {
            return Some(Cause::MfaRequired);
        }
        match (self.decision.verdict, &self.decision.statement, &self.decision.lacking) {
            (Verdict::ExplicitDeny, Some(statement), _) => Some(match statement.layer {
                LayerKind::Identity => Cause::ExplicitDenyIdentity,
                layer => layer_cause(layer),
            }),
            (Verdict::ExplicitDeny, None, _) => Some(Cause::ExplicitDenyIdentity),
            (Verdict::ImplicitDeny, _, Some(lacking)) => Some(layer_cause(lacking.layer)),
            (Verdict::ImplicitDeny, _, None) => Some(Cause::NoIdentityAllow),
            _ => None,
        }
    }

    /// The decision in one line, with the organisation level of an SCP or RCP statement.
    pub fn decision_line(&self) -> String {
        let level = self
            .decision
            .statement
            .as_ref()
            .and_then(|s| s.level.as_deref().filter(|level| *level != s.policy))
            .map(|level| format!(" at level `{}`", crate::base::sanitize::shown(level, 80)))
            .unwrap_or_default();
        format!("{}{level}", self.decision)
    }

    /// The evidence: the decision, the request, the resource layer, what would change it.
    pub fn evidence(&self) -> Vec<String> {
        let mut lines = vec![format!("local evaluation: {}", self.decision_line()), self.request.clone()];
        if self.resource_layer.state != State::Absent || self.decision.verdict != Verdict::Allowed {
            lines.push(format!("layer {}", self.resource_layer));
        }
        lines.extend(self.rcp_layer.as_ref().map(|view| format!("layer {view}")));
        lines.extend(self.variants.iter().map(|v| format!("what would change it: {v}")));
        lines
    }
}
