//! The report of SPEC section 4 (schema 1): the source, identity and region,
//! each step with its checks, the failing causes (primary first) and the
//! warnings. Assembly is pure; secrets never reach it (key ids are masked).

use super::finding::Finding;
use super::plan::Outcome;
use super::sources::SourceKind;
use super::{Cause, Facts, Status, Step};
use crate::display::mask_key_id;
use serde::Serialize;
use std::time::Duration;

#[derive(Debug, Clone, Serialize)]
pub struct Shadowed {
    pub kind: SourceKind,
    pub location: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub kind: SourceKind,
    pub location: Option<String>,
    pub access_key_id: Option<String>,
    pub shadowed: Vec<Shadowed>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    pub account: String,
    pub arn: String,
    pub user_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionReport {
    pub value: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    pub step: Step,
    pub status: Status,
    pub checks: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CauseEntry {
    pub cause: Option<Cause>,
    pub step: Step,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: u32,
    pub profile: String,
    pub source: SourceReport,
    pub identity: Option<Identity>,
    pub region: RegionReport,
    pub steps: Vec<StepReport>,
    pub causes: Vec<CauseEntry>,
    pub warnings: Vec<CauseEntry>,
    pub duration_ms: u64,
}

impl Report {
    /// Whether any check failed.
    pub fn has_failure(&self) -> bool {
        self.steps.iter().any(|s| s.status == Status::Fail)
    }

    /// The step's report.
    pub fn step(&self, step: Step) -> Option<&StepReport> {
        self.steps.iter().find(|s| s.step == step)
    }
}

/// A step's status from its checks: any fail, else any warn, else any pass, else skip.
pub fn step_status(checks: &[Finding]) -> Status {
    for status in [Status::Fail, Status::Warn, Status::Pass] {
        if checks.iter().any(|c| c.status == status) {
            return status;
        }
    }
    Status::Skip
}

fn entry(f: &Finding) -> CauseEntry {
    CauseEntry {
        cause: f.cause,
        step: f.cause.map_or(f.step, Cause::step),
        summary: f.summary.clone(),
        fix: f.fix.clone(),
        location: f.location.clone(),
    }
}

/// Orders failing causes: root causes come first by construction (a lint that
/// explains a rejection replaces it), then step order, then table order. Each
/// cause appears once, with its most specific finding.
pub fn causes(findings: &[Finding], status: Status) -> Vec<CauseEntry> {
    let mut picked: Vec<&Finding> = findings.iter().filter(|f| f.status == status).collect();
    picked.sort_by_key(|f| (f.cause.map_or(Step::IamScp, Cause::step), f.cause.is_none(), f.cause));
    let mut out: Vec<CauseEntry> = Vec::new();
    for f in picked {
        if f.cause.is_some() && out.iter().any(|e| e.cause == f.cause) {
            continue;
        }
        if f.cause.is_none() && status == Status::Warn {
            continue;
        }
        out.push(entry(f));
    }
    out
}

/// Assembles the report from the facts, the live outcomes and the findings.
pub fn assemble(facts: &Facts, outcomes: &[Outcome], findings: Vec<Finding>, elapsed: Duration) -> Report {
    let winner = facts.chain.winner();
    let source = SourceReport {
        kind: winner.map_or(SourceKind::None, |s| s.kind),
        location: winner.map(|s| s.location.clone()),
        access_key_id: facts.active_key_id().map(mask_key_id),
        shadowed: facts.chain.shadowed().map(|s| Shadowed { kind: s.kind, location: s.location.clone() }).collect(),
    };
    let identity = outcomes
        .iter()
        .filter(|o| matches!(o.check, super::plan::LiveCheck::CallerIdentity { who: super::plan::Who::Active, .. }))
        .find_map(|o| match &o.call.result {
            Ok(super::plan::LiveValue::Identity { account, arn, user_id }) => {
                Some(Identity { account: account.clone(), arn: arn.clone(), user_id: user_id.clone() })
            }
            _ => None,
        });
    let region = RegionReport {
        value: facts.region.as_ref().map(|r| r.value.clone()),
        source: facts.region.as_ref().map(|r| r.location.clone()),
    };
    let causes_list = causes(&findings, Status::Fail);
    let warnings = causes(&findings, Status::Warn);
    let steps = Step::ALL
        .iter()
        .map(|&step| {
            let checks: Vec<Finding> = findings.iter().filter(|f| f.step == step).cloned().collect();
            StepReport { step, status: step_status(&checks), checks }
        })
        .collect();
    Report {
        schema: 1,
        profile: facts.profile.clone(),
        source,
        identity,
        region,
        steps,
        causes: causes_list,
        warnings,
        duration_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    }
}
