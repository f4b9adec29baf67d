//! "What would change the answer": the request re-evaluated with MFA
//! present (a fresh MFA session), in `us-east-1`, and without the
//! permissions boundary; each variant whose verdict differs is returned
//! with the decision (and so the statement) that decides it. The diagnosis
//! routes them: allowed with MFA to `mfa-required`, allowed in another
//! region to the region step, allowed without the boundary to
//! `permissions-boundary`. Pure.

use super::context::{ContextEntry, ContextValue, RequestContext};
use super::decision::Decision;
use super::evaluate::{Layer, PolicySet, evaluate, evaluate_with_boundary};
use std::fmt;

/// The region tried by the region variant.
pub const OTHER_REGION: &str = "us-east-1";

/// The MFA age (seconds) of the MFA variant: a session made just now.
pub const FRESH_MFA_AGE_SECONDS: u64 = 60;

/// A change to the request or the policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `aws:MultiFactorAuthPresent` true and `aws:MultiFactorAuthAge` small.
    MfaPresent,
    /// `aws:RequestedRegion` set to this region.
    Region(String),
    /// The permissions boundary removed.
    BoundaryRemoved,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::MfaPresent => write!(f, "with MFA"),
            Change::Region(region) => write!(f, "in {region}"),
            Change::BoundaryRemoved => write!(f, "without the permissions boundary"),
        }
    }
}

/// A change and the decision it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub change: Change,
    pub decision: Decision,
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.change, self.decision)
    }
}

/// The variants whose verdict differs from the request's own.
pub fn what_would_change(policies: &PolicySet, context: &RequestContext) -> Vec<Variant> {
    let base = evaluate(policies, context).verdict;
    let mut variants = Vec::new();
    let has = |key: &str, value: &str| matches!(context.entry(key), Some(ContextEntry::Known(ContextValue::Single(v))) if v.eq_ignore_ascii_case(value));
    if !has("aws:MultiFactorAuthPresent", "true") {
        let with_mfa = context.clone().with_mfa(true, Some(FRESH_MFA_AGE_SECONDS));
        variants.push(Variant { change: Change::MfaPresent, decision: evaluate(policies, &with_mfa) });
    }
    if !has("aws:RequestedRegion", OTHER_REGION) {
        let elsewhere = context.clone().with_region(OTHER_REGION);
        variants
            .push(Variant { change: Change::Region(OTHER_REGION.into()), decision: evaluate(policies, &elsewhere) });
    }
    if !matches!(policies.boundary, Layer::Absent) {
        let decision = evaluate_with_boundary(policies, &Layer::Absent, context);
        variants.push(Variant { change: Change::BoundaryRemoved, decision });
    }
    variants.retain(|variant| variant.decision.verdict != base);
    variants
}
