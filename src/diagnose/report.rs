//! The report of SPEC section 4 (schema 1): the source, identity and region,
//! each step with its checks, the failing causes (primary first) and the
//! warnings. Assembly is pure; secrets never reach it (key ids are masked).

use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::run::check::Identity;
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Status, Step};
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

    /// Adds a finding learnt after the report was assembled (a scan's view of
    /// another profile): into its step, with the step's status and the causes
    /// and warnings ordered again.
    pub fn add_finding(&mut self, finding: Finding) {
        if let Some(step) = self.steps.iter_mut().find(|s| s.step == finding.step) {
            step.checks.push(finding);
            step.status = step_status(&step.checks);
        }
        let all: Vec<Finding> = self.steps.iter().flat_map(|s| s.checks.iter().cloned()).collect();
        self.causes = causes(&all, Status::Fail);
        self.warnings = causes(&all, Status::Warn);
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
    // Among warnings, one that likely explains what failed for the user (credwiz's own reads denied
    // without MFA) comes first: the report's top line names it.
    let likely = |f: &Finding| status == Status::Warn && f.cause == Some(Cause::MfaRequired);
    picked.sort_by_key(|f| (!likely(f), f.cause.map_or(Step::IamScp, Cause::step), f.cause.is_none(), f.cause));
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
pub fn assemble(facts: &Facts, outcomes: &Outcomes, findings: Vec<Finding>, elapsed: Duration) -> Report {
    let winner = facts.chain.winner();
    let source = SourceReport {
        kind: winner.map_or(SourceKind::None, |s| s.kind),
        location: winner.map(|s| s.location.clone()),
        access_key_id: facts.active_key_id().map(|k| k.masked()),
        shadowed: facts.chain.shadowed().map(|s| Shadowed { kind: s.kind, location: s.location.clone() }).collect(),
    };
    let identity = outcomes
        .caller()
        .cloned()
        .map(|caller| Identity { account_alias: outcomes.account_alias().map(str::to_string), ..caller });
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failing(cause: Cause) -> Finding {
        Finding::fail("x", cause, cause.id(), cause.short_fix())
    }

    #[test]
    fn causes_come_in_step_then_table_order_each_once() {
        let findings = vec![
            failing(Cause::NoIdentityAllow),
            failing(Cause::RegionInvalid),
            failing(Cause::SecretMismatch),
            failing(Cause::ClockSkew),
            failing(Cause::RegionInvalid),
            failing(Cause::CredentialWhitespace),
        ];
        let order: Vec<Cause> = causes(&findings, Status::Fail).into_iter().filter_map(|c| c.cause).collect();
        assert_eq!(
            order,
            [
                Cause::CredentialWhitespace,
                Cause::SecretMismatch,
                Cause::ClockSkew,
                Cause::RegionInvalid,
                Cause::NoIdentityAllow
            ]
        );
    }

    #[test]
    fn a_cause_shown_in_another_step_is_ordered_by_its_own_step() {
        // The credentials verdict of a skewed clock sits in the credentials step but is an expiry cause.
        let moved = failing(Cause::ClockSkew).in_step(Step::Credentials);
        let entries = causes(&[failing(Cause::RegionMissing), moved], Status::Fail);
        assert_eq!(entries[0].cause, Some(Cause::ClockSkew));
        assert_eq!(entries[0].step, Step::Expiry);
    }

    #[test]
    fn warnings_without_a_cause_are_left_out_and_statuses_roll_up() {
        let plain = Finding::new("y", Step::Expiry, Status::Warn, "no cause");
        let old = Finding::warn("z", Cause::KeyOld, "old", "rotate");
        let entries = causes(&[plain.clone(), old.clone()], Status::Warn);
        assert_eq!(entries.len(), 1);
        assert_eq!(step_status(&[plain, old]), Status::Warn);
        assert_eq!(step_status(&[Finding::skip("s", Step::Mfa, "x")]), Status::Skip);
        assert_eq!(step_status(&[Finding::pass("p", Step::Mfa, "x"), failing(Cause::MfaRequired)]), Status::Fail);
    }
}
