//! AWS's evaluation logic across policy layers, as the IAM User Guide
//! ("Policy evaluation logic", "Cross-account policy evaluation logic",
//! "Permissions boundaries") lays it out:
//!
//! 1. An explicit Deny in any layer decides (reported in the order SCP,
//!    RCP, resource-based, identity-based, boundary, session).
//! 2. Every SCP level (root, OUs, account) must have an applicable Allow.
//!    RCP levels likewise; AWS attaches `RCPFullAWSAccess` to every level
//!    and it cannot be detached, so a known RCP level always allows and
//!    RCPs only ever deny explicitly.
//! 3. Same account: an Allow in the identity-based policies (within the
//!    boundary and the session policy, when present) grants; so does a
//!    resource-based policy that names the caller itself (user ARN,
//!    session ARN, or `*`), past the boundary and session policy; one that
//!    names the role of the session (or the IAM user of a federated user)
//!    grants only within the boundary and session policy; one that names
//!    the account delegates to the identity-based policies.
//! 4. Cross-account: both the identity side (identity within boundary and
//!    session policy) and the resource-based policy must allow.
//!
//! An action the service authorization catalogue says takes no resource
//! has no resource-based policy: that layer is then absent, whatever is given.
//!
//! Each layer is Known, Unknown or Absent; an unknown layer or context key
//! makes the answer Undetermined unless the known part already decides
//! (an explicit Deny, or a missing Allow that no unknown could supply).
//! Pure: no IO.

use super::context::{RequestContext, UNKNOWN_RESOURCE_KEY};
use super::decision::{Decision, Lacking, LayerKind, StatementRef, Unknown, Verdict};
use super::document::{Effect, Policy, PolicyError};
use super::matching::{PrincipalMatch, statement_applies};
use super::tri::Tri;

/// What is known of one layer.
#[derive(Debug, Clone)]
pub enum Layer<T> {
    /// Read: these policies (possibly none).
    Known(T),
    /// It exists or may exist, but could not be read.
    Unknown,
    /// It does not apply to this request (no boundary, no session policy, no org...).
    Absent,
}

/// One level of an organization (root, an OU, the account) and the SCPs or RCPs attached there.
#[derive(Debug, Clone)]
pub struct OrgLevel {
    /// The level's id or name (`r-abcd`, `ou-abcd-12345678`, an account id).
    pub name: String,
    pub policies: Vec<Policy>,
}

/// Every policy layer that applies to a request.
#[derive(Debug, Clone)]
pub struct PolicySet {
    pub identity: Layer<Vec<Policy>>,
    pub boundary: Layer<Vec<Policy>>,
    pub session: Layer<Vec<Policy>>,
    pub resource: Layer<Vec<Policy>>,
    /// Levels from the root down to the account.
    pub scps: Layer<Vec<OrgLevel>>,
    pub rcps: Layer<Vec<OrgLevel>>,
}

impl Default for PolicySet {
    fn default() -> Self {
        PolicySet::new()
    }
}

impl PolicySet {
    /// No identity-based policy, every other layer absent.
    pub fn new() -> PolicySet {
        PolicySet {
            identity: Layer::Known(Vec::new()),
            boundary: Layer::Absent,
            session: Layer::Absent,
            resource: Layer::Absent,
            scps: Layer::Absent,
            rcps: Layer::Absent,
        }
    }

    /// Checks each policy against its layer's rules (Principal present in
    /// resource-based policies and RCPs, absent elsewhere).
    pub fn validate(&self) -> Result<(), PolicyError> {
        let simple = [(&self.identity, false), (&self.boundary, false), (&self.session, false), (&self.resource, true)];
        for (layer, needs_principal) in simple {
            if let Layer::Known(policies) = layer {
                policies.iter().try_for_each(|policy| policy.check_principal_rule(needs_principal))?;
            }
        }
        for (layer, needs_principal) in [(&self.scps, false), (&self.rcps, true)] {
            if let Layer::Known(levels) = layer {
                for level in levels {
                    level.policies.iter().try_for_each(|policy| policy.check_principal_rule(needs_principal))?;
                }
            }
        }
        Ok(())
    }
}

/// What the statements of one layer (or level) say about the request.
#[derive(Debug, Clone)]
struct Found {
    tri: Tri,
    statement: Option<StatementRef>,
    unknown_keys: Vec<String>,
}

impl Found {
    fn none() -> Found {
        Found { tri: Tri::No, statement: None, unknown_keys: Vec::new() }
    }

    fn unknown() -> Found {
        Found { tri: Tri::Unknown, statement: None, unknown_keys: Vec::new() }
    }

    fn add(&mut self, tri: Tri, statement: impl FnOnce() -> StatementRef, unknown_keys: &[String]) {
        match (self.tri, tri) {
            (Tri::Yes, _) | (_, Tri::No) => {}
            (_, Tri::Yes) => {
                self.tri = Tri::Yes;
                self.statement = Some(statement());
            }
            (current, Tri::Unknown) => {
                if current == Tri::No {
                    self.tri = Tri::Unknown;
                    self.statement = Some(statement());
                }
                self.unknown_keys.extend_from_slice(unknown_keys);
            }
        }
    }
}

/// Denies and allows (by how the Principal names the caller) of one layer.
#[derive(Debug, Clone)]
struct Scan {
    deny: Found,
    /// Indexed by `PrincipalMatch`: Account, Underlying, Direct. Layers
    /// without a Principal element put their allows under Direct.
    allow: [Found; 3],
}

impl Scan {
    fn of(layer: LayerKind, level: Option<&str>, policies: &[Policy], context: &RequestContext, boundary: Tri) -> Scan {
        let mut scan = Scan { deny: Found::none(), allow: [Found::none(), Found::none(), Found::none()] };
        let mut unknown_keys = Vec::new();
        for policy in policies {
            for statement in &policy.statements {
                unknown_keys.clear();
                let applies = statement_applies(statement, context, boundary, &mut unknown_keys);
                if applies.tri == Tri::No {
                    continue;
                }
                let reference = || StatementRef {
                    layer,
                    level: level.map(str::to_string),
                    policy: policy.name().to_string(),
                    sid: statement.sid.clone(),
                    index: statement.index,
                };
                let slot = match statement.effect {
                    Effect::Deny => &mut scan.deny,
                    Effect::Allow => &mut scan.allow[applies.principal.unwrap_or(PrincipalMatch::Direct) as usize],
                };
                slot.add(applies.tri, reference, &unknown_keys);
            }
        }
        scan
    }

    fn unknown() -> Scan {
        Scan { deny: Found::unknown(), allow: [Found::unknown(), Found::unknown(), Found::unknown()] }
    }

    fn absent() -> Scan {
        Scan { deny: Found::none(), allow: [Found::none(), Found::none(), Found::none()] }
    }

    fn direct(&self) -> &Found {
        &self.allow[PrincipalMatch::Direct as usize]
    }
}

fn scan_layer(layer: LayerKind, policies: &Layer<Vec<Policy>>, context: &RequestContext, boundary: Tri) -> Scan {
    match policies {
        Layer::Known(policies) => Scan::of(layer, None, policies, context, boundary),
        Layer::Unknown => Scan::unknown(),
        Layer::Absent => Scan::absent(),
    }
}

fn scan_levels(
    layer: LayerKind,
    levels: &Layer<Vec<OrgLevel>>,
    context: &RequestContext,
    boundary: Tri,
) -> Vec<(String, Scan)> {
    match levels {
        Layer::Known(levels) => levels
            .iter()
            .map(|level| (level.name.clone(), Scan::of(layer, Some(&level.name), &level.policies, context, boundary)))
            .collect(),
        Layer::Unknown => vec![(String::new(), Scan::unknown())],
        Layer::Absent => Vec::new(),
    }
}

/// A layer that restricts (boundary, session policy): absent means no restriction.
fn restricts(layer: &Layer<Vec<Policy>>, scan: &Scan) -> Tri {
    match layer {
        Layer::Absent => Tri::Yes,
        _ => scan.direct().tri,
    }
}

/// Decides the request against every layer.
pub fn evaluate(policies: &PolicySet, context: &RequestContext) -> Decision {
    evaluate_with_boundary(policies, &policies.boundary, context)
}

/// Every layer scanned for one request: what each allows and denies.
struct Scanned<'a> {
    identity: Scan,
    boundary: Scan,
    session: Scan,
    resource: Scan,
    scps: Vec<(String, Scan)>,
    rcps: Vec<(String, Scan)>,
    /// The resource layer as evaluated: absent for an action that takes no resource.
    resource_layer: &'a Layer<Vec<Policy>>,
    boundary_layer: &'a Layer<Vec<Policy>>,
}

impl<'a> Scanned<'a> {
    fn new(policies: &'a PolicySet, boundary_layer: &'a Layer<Vec<Policy>>, context: &RequestContext) -> Self {
        let has_boundary = match boundary_layer {
            Layer::Known(policies) => Tri::from_bool(!policies.is_empty()),
            Layer::Unknown => Tri::Unknown,
            Layer::Absent => Tri::No,
        };
        // An action that takes no resource (the catalogue says so) has no resource-based policy.
        let resource_layer = match super::catalogue::action(context.action()) {
            Some(known) if !known.takes_resource() => &Layer::Absent,
            _ => &policies.resource,
        };
        Scanned {
            identity: scan_layer(LayerKind::Identity, &policies.identity, context, has_boundary),
            boundary: scan_layer(LayerKind::Boundary, boundary_layer, context, has_boundary),
            session: scan_layer(LayerKind::Session, &policies.session, context, has_boundary),
            resource: scan_layer(LayerKind::Resource, resource_layer, context, has_boundary),
            scps: scan_levels(LayerKind::Scp, &policies.scps, context, has_boundary),
            rcps: scan_levels(LayerKind::Rcp, &policies.rcps, context, has_boundary),
            resource_layer,
            boundary_layer,
        }
    }

    /// The explicit denies of every layer, in reporting order.
    fn denies(&self) -> Vec<&Found> {
        self.scps
            .iter()
            .chain(&self.rcps)
            .map(|(_, scan)| &scan.deny)
            .chain([&self.resource.deny, &self.identity.deny, &self.boundary.deny, &self.session.deny])
            .collect()
    }
}

mod grant;
use grant::{Grant, undetermined};

/// `evaluate` with another boundary layer (for "what would change"; no copy of the set).
pub(crate) fn evaluate_with_boundary(
    policies: &PolicySet,
    boundary_layer: &Layer<Vec<Policy>>,
    context: &RequestContext,
) -> Decision {
    let scanned = Scanned::new(policies, boundary_layer, context);
    let denies = scanned.denies();
    // 1. Explicit denies, in reporting order.
    if let Some(deny) = denies.iter().find(|found| found.tri == Tri::Yes) {
        return Decision {
            verdict: Verdict::ExplicitDeny,
            statement: deny.statement.clone(),
            lacking: None,
            depends_on: Vec::new(),
        };
    }
    // 2. Organization guardrails, 3./4. the grant.
    let grant = Grant::new(policies, &scanned, context);
    if grant.allowed == Tri::No {
        let lacking = Some(grant.lacking(&scanned));
        return Decision { verdict: Verdict::ImplicitDeny, statement: None, lacking, depends_on: Vec::new() };
    }
    let deny_possible = Tri::any(denies.iter().map(|found| found.tri));
    if grant.allowed == Tri::Yes && deny_possible == Tri::No {
        let statement = grant.statement(&scanned);
        return Decision { verdict: Verdict::Allowed, statement, lacking: None, depends_on: Vec::new() };
    }
    undetermined(policies, &scanned, &denies)
}
