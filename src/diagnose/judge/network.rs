//! The network path in the credentials step: when a check got no answer from
//! AWS, the probe's stages (resolver, proxy, connection, TLS, answer) become
//! the evidence and the first failing stage names the cause (SPEC 3c); and
//! whenever an endpoint setting sends the requests elsewhere than AWS, a
//! warning says where it comes from and whether an emulator answers. Pure.

use crate::aws::live::Failure;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::outcomes::Outcomes;
use crate::netpath::{EmulatorSigns, OverrideNotice, PathReport};
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Step};

/// The verdict on a call that got no AWS answer: the probe's cause, or `endpoint-unreachable`.
pub fn unreachable(facts: &Facts, outcomes: &Outcomes, id: &'static str, failure: &Failure) -> Finding {
    let endpoint = facts.endpoint.as_ref().map_or_else(|_| "the STS endpoint".to_string(), |t| t.display_url());
    let failed = crate::diagnose::judge::failure_text(failure);
    let Some(report) = outcomes.path() else {
        return Finding::fail(
            id,
            Cause::EndpointUnreachable,
            format!("{endpoint} did not answer: {failed}"),
            Cause::EndpointUnreachable.short_fix(),
        );
    };
    let cause = report.cause.and_then(|c| Cause::from_id(c.id())).unwrap_or(Cause::EndpointUnreachable);
    let summary = match report.cause {
        Some(_) => report.summary.clone(),
        None => format!("{endpoint} did not answer the check ({failed}), though every stage of the path worked"),
    };
    let fix = report.cause.map_or_else(|| cause.short_fix().to_string(), |c| c.short_fix().to_string());
    let mut finding = Finding::fail(id, cause, summary, fix).in_step(Step::Credentials);
    finding.evidence.push(format!("the check: {failed}"));
    finding.evidence.extend(stage_lines(report));
    finding
}

/// One line per stage of the path, then its evidence, indented.
pub fn stage_lines(report: &PathReport) -> Vec<String> {
    let mut lines = Vec::new();
    for stage in &report.stages {
        lines.push(format!(
            "{} {}: {} ({} ms)",
            stage.status.symbol(),
            stage.kind.label(),
            stage.summary,
            stage.duration_ms
        ));
        lines.extend(stage.evidence.iter().map(|line| format!("    {line}")));
    }
    lines
}

/// A hop that could not reach its endpoint gets the cause the probe names, with its stages.
pub fn explain_hop(finding: &mut Finding, outcomes: &Outcomes) {
    let Some(report) = outcomes.path() else { return };
    if finding.cause != Some(Cause::EndpointUnreachable) {
        return;
    }
    if let Some(cause) = report.cause.and_then(|c| Cause::from_id(c.id())) {
        finding.cause = Some(cause);
        finding.fix = report.cause.map(|c| c.short_fix().to_string());
    }
    finding.evidence.extend(stage_lines(report));
}

/// The warning that an endpoint override is in effect (always, failing or not).
pub fn override_warning(facts: &Facts, outcomes: &Outcomes) -> Option<Finding> {
    let target = facts.endpoint.as_ref().ok()?;
    let mut notice = OverrideNotice::for_target(target)?;
    if let Some(caller) = outcomes.caller() {
        notice = notice.with_signs(EmulatorSigns::from_account(&caller.account));
    }
    if let Some(report) = outcomes.path().and_then(|r| r.override_notice.clone()) {
        notice = notice.with_signs(report.emulator);
    }
    let fix = format!("{} if you meant to reach AWS", notice.remove);
    Some(Finding::warn("endpoint-override", Cause::EndpointOverride, notice.describe(), fix).in_step(Step::Credentials))
}
