//! How the layers' allows combine into a verdict: the organization's
//! guardrails, the identity path and the resource policy, what lacks for an
//! implicit deny and which statement grants; and the undetermined verdict,
//! naming what is unknown.

use super::*;

/// How the allows combine: the organization's guardrails, then the grant.
pub(super) struct Grant {
    pub(super) scp_allow: Tri,
    identity_allow: Tri,
    boundary_allow: Tri,
    identity_path: Tri,
    rp_direct: Tri,
    rp_underlying: Tri,
    same_account: bool,
    pub(super) allowed: Tri,
}

impl Grant {
    pub(super) fn new(policies: &PolicySet, scanned: &Scanned<'_>, context: &RequestContext) -> Grant {
        // Every SCP level must allow; RCP levels always do (RCPFullAWSAccess).
        let scp_allow = Tri::all(scanned.scps.iter().map(|(_, scan)| scan.direct().tri));
        let rcp_allow = if matches!(policies.rcps, Layer::Unknown) { Tri::Unknown } else { Tri::Yes };
        let boundary_allow = restricts(scanned.boundary_layer, &scanned.boundary);
        let session_allow = restricts(&policies.session, &scanned.session);
        let identity_allow = scanned.identity.direct().tri;
        let identity_path = identity_allow.and(boundary_allow).and(session_allow);
        let [rp_account, rp_underlying, rp_direct] = [0, 1, 2].map(|i| scanned.resource.allow[i].tri);
        let same_account = context.same_account();
        let core = if same_account {
            identity_path.or(rp_direct).or(rp_underlying.and(boundary_allow).and(session_allow))
        } else {
            rp_direct.or(rp_underlying).or(rp_account).and(identity_path)
        };
        let allowed = scp_allow.and(rcp_allow).and(core);
        Grant {
            scp_allow,
            identity_allow,
            boundary_allow,
            identity_path,
            rp_direct,
            rp_underlying,
            same_account,
            allowed,
        }
    }

    /// The layer that lacks an allow, for an implicit deny.
    pub(super) fn lacking(&self, scanned: &Scanned<'_>) -> Lacking {
        if self.scp_allow == Tri::No {
            let level =
                scanned.scps.iter().find(|(_, scan)| scan.direct().tri == Tri::No).map(|(name, _)| name.clone());
            return Lacking { layer: LayerKind::Scp, level };
        }
        if !self.same_account && self.identity_path != Tri::No {
            return Lacking { layer: LayerKind::Resource, level: None };
        }
        let identity_side = if self.identity_allow == Tri::No
            && (!self.same_account || (self.rp_direct == Tri::No && self.rp_underlying == Tri::No))
        {
            LayerKind::Identity
        } else if self.boundary_allow == Tri::No {
            LayerKind::Boundary
        } else {
            LayerKind::Session
        };
        Lacking { layer: identity_side, level: None }
    }

    /// The statement that grants an allowed request.
    pub(super) fn statement(&self, scanned: &Scanned<'_>) -> Option<StatementRef> {
        if !self.same_account {
            return scanned.identity.direct().statement.clone();
        }
        [
            (self.identity_path, scanned.identity.direct()),
            (self.rp_direct, scanned.resource.direct()),
            (self.rp_underlying, &scanned.resource.allow[1]),
        ]
        .into_iter()
        .find(|(tri, _)| *tri == Tri::Yes)
        .and_then(|(_, found)| found.statement.clone())
    }
}

/// Undetermined: names what is unknown and the statement it hinges on.
pub(super) fn undetermined(policies: &PolicySet, scanned: &Scanned<'_>, denies: &[&Found]) -> Decision {
    let layers = [
        (LayerKind::Scp, matches!(policies.scps, Layer::Unknown)),
        (LayerKind::Rcp, matches!(policies.rcps, Layer::Unknown)),
        (LayerKind::Resource, matches!(scanned.resource_layer, Layer::Unknown)),
        (LayerKind::Identity, matches!(policies.identity, Layer::Unknown)),
        (LayerKind::Boundary, matches!(scanned.boundary_layer, Layer::Unknown)),
        (LayerKind::Session, matches!(policies.session, Layer::Unknown)),
    ];
    let mut depends_on: Vec<Unknown> =
        layers.iter().filter(|(_, unknown)| *unknown).map(|(layer, _)| Unknown::Layer(*layer)).collect();
    let all_found = denies.iter().copied().chain(scanned.scps.iter().flat_map(|(_, scan)| scan.allow.iter())).chain(
        [&scanned.identity, &scanned.boundary, &scanned.session, &scanned.resource]
            .into_iter()
            .flat_map(|scan| scan.allow.iter()),
    );
    let mut keys: Vec<String> =
        all_found.filter(|found| found.tri == Tri::Unknown).flat_map(|found| found.unknown_keys.clone()).collect();
    keys.sort();
    keys.dedup();
    depends_on.extend(keys.into_iter().map(|key| match key.as_str() {
        UNKNOWN_RESOURCE_KEY => Unknown::Resource,
        _ => Unknown::ContextKey(key),
    }));
    let hinge = denies
        .iter()
        .find(|found| found.tri == Tri::Unknown)
        .and_then(|found| found.statement.clone())
        .or_else(|| scanned.identity.direct().statement.clone())
        .or_else(|| scanned.resource.allow.iter().rev().find_map(|found| found.statement.clone()));
    Decision { verdict: Verdict::Undetermined, statement: hinge, lacking: None, depends_on }
}
