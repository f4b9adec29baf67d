//! The credential chain, in the credentials step: the problems found before
//! any call (a dangling `source_profile`, a loop, invalid role or SSO
//! settings) and one finding per hop that ran, base first, with its status,
//! duration, evidence, stages and cause. The first failing hop is the one
//! that breaks the chain; the hops after it are not reached. A long chain
//! (`source_profile` after `source_profile`, thousands deep) is shown
//! bounded: its first and last hops and every hop that failed or warned,
//! each run of the others as one line with a count, so a report grows with
//! the chain's problems, not its length (issue 19). Pure.

use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::check::LiveValue;
use crate::diagnose::run::outcomes::Outcomes;
use crate::hops;
use crate::hops::resolve::ChainState;
use crate::profile::file_location;
use crate::profile::set_target;
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::{Cause, Status, Step};

const ID: &str = "credential-chain";
/// Hops shown from the start of a chain, and from its end.
const FIRST_HOPS: usize = 3;
const LAST_HOPS: usize = 2;
/// Hops that failed or warned shown beyond those.
const MORE_PROBLEMS: usize = 5;

/// The chain's findings (none when the credentials are static keys).
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let Some(chain) = &facts.hops else { return Vec::new() };
    let problems = chain.problems.len();
    let mut out = findings(facts, outcomes, chain);
    let hops = out.split_off(problems.min(out.len()));
    out.extend(bounded(hops));
    out
}

/// Each problem of the chain, then one finding per hop.
fn findings(facts: &Facts, outcomes: &Outcomes, chain: &hops::Chain) -> Vec<Finding> {
    let ran = outcomes.chain_check();
    let chain_passed = outcomes.chain_credentials().is_some();
    let mut out: Vec<Finding> = chain.problems.iter().map(|p| problem(facts, p, chain_passed)).collect();
    if let ChainState::Broken { sdk_moves_on: true } | ChainState::NotLoaded(_) = &chain.state
        && let Some(first) = out.first_mut()
    {
        first.evidence.push(
            "the Rust SDK does not report this: its default chain silently moves on to the next source (web identity, container, IMDS)"
                .into(),
        );
    }
    for difference in &chain.differences {
        let who = difference.fails_in.map(|t| format!(" ({} would fail)", t.name())).unwrap_or_default();
        if let Some(first) = out.first_mut() {
            first.evidence.push(format!("{}{who}", difference.note));
        }
    }
    match ran.map(|o| &o.call.result) {
        Some(Ok(LiveValue::Chain(hops))) => {
            out.extend(hops.iter().map(|hop| {
                let mut finding = hop_finding(facts, hop);
                crate::diagnose::judge::network::explain_hop(&mut finding, outcomes);
                crate::diagnose::judge::web_trust::explain(facts, outcomes, hop, &mut finding);
                finding
            }));
            for hop in chain.hops.iter().skip(hops.len()).filter(|_| !hops.is_empty()) {
                out.push(Finding::skip(ID, Step::Credentials, format!("{}: not reached", hop.title())));
            }
        }
        Some(Err(failure)) => out.push(
            Finding::fail(
                ID,
                Cause::NoCredentials,
                format!("the credential chain did not finish: {}", crate::diagnose::judge::failure_text(failure)),
                Cause::NoCredentials.short_fix(),
            )
            .in_step(Step::Credentials),
        ),
        Some(Ok(_)) => {}
        None if chain.problems.iter().any(|p| p.stops_sdk) => {}
        None => out.extend(
            chain
                .hops
                .iter()
                .map(|hop| Finding::skip(ID, Step::Credentials, format!("{}: runs with the checks", hop.title()))),
        ),
    }
    out
}

/// The hop findings of a long chain: the first and last hops and those that
/// failed or warned, each run of the others left out as one line that counts them.
fn bounded(hops: Vec<Finding>) -> Vec<Finding> {
    if hops.len() <= FIRST_HOPS + LAST_HOPS + 1 {
        return hops;
    }
    let last = hops.len() - LAST_HOPS;
    let mut problems = 0;
    let mut out = Vec::new();
    let mut left_out: Vec<Finding> = Vec::new();
    for (at, hop) in hops.into_iter().enumerate() {
        let problem = matches!(hop.status, Status::Fail | Status::Warn) && problems < MORE_PROBLEMS;
        if at < FIRST_HOPS || at >= last || problem {
            problems += usize::from(problem);
            out.extend(summary(&std::mem::take(&mut left_out)));
            out.push(hop);
        } else {
            left_out.push(hop);
        }
    }
    out.extend(summary(&left_out));
    out
}

/// One line for a run of hops left out: how many, with which status, from which to which.
fn summary(left_out: &[Finding]) -> Option<Finding> {
    let (first, last) = (left_out.first()?, left_out.last()?);
    let status = [Status::Fail, Status::Warn, Status::Pass, Status::Skip]
        .into_iter()
        .find(|s| left_out.iter().any(|h| h.status == *s))
        .unwrap_or(Status::Skip);
    let mut counts: Vec<String> = Vec::new();
    for s in [Status::Pass, Status::Skip, Status::Warn, Status::Fail] {
        let n = left_out.iter().filter(|h| h.status == s).count();
        if n > 0 {
            counts.push(format!("{n} {}", s.word()));
        }
    }
    let title = |f: &Finding| f.summary.split(": ").next().unwrap_or_default().to_string();
    let mut finding = Finding::new(
        ID,
        Step::Credentials,
        status,
        format!(
            "{} more hops not shown ({}), from {} to {}",
            left_out.len(),
            counts.join(", "),
            title(first),
            title(last)
        ),
    );
    finding.duration_ms = Some(left_out.iter().filter_map(|h| h.duration_ms).sum());
    Some(finding)
}

/// The engine's cause for a hop's.
fn cause(hop: Cause) -> Cause {
    Cause::from_id(hop.id()).unwrap_or(Cause::NoCredentials)
}

/// The repair for a certain fix: set (or remove) a key of a profile, in the file `aws configure set` writes.
fn repair(facts: &Facts, fix: &hops::Fix) -> Repair {
    let (file, section) = set_target(&fix.key, &fix.profile, &facts.files.config.document);
    match &fix.value {
        Some(value) => Repair::SetValue { file, section, key: fix.key.clone(), value: value.clone().into() },
        None => Repair::RemoveKey { file, section, key: fix.key.clone() },
    }
}

fn problem(facts: &Facts, problem: &hops::Problem, chain_passed: bool) -> Finding {
    let cause = cause(problem.cause);
    let fix = problem.fix.as_ref().map_or_else(|| cause.short_fix().to_string(), |f| f.reason.clone());
    let mut finding = if chain_passed && !problem.stops_sdk {
        Finding::warn(ID, cause, problem.message.clone(), fix)
    } else {
        Finding::fail(ID, cause, problem.message.clone(), fix)
    }
    .in_step(Step::Credentials);
    if let Some(origin) = problem.origin {
        finding = finding.at(file_location(&facts.env, origin));
    }
    if !problem.suggestions.is_empty() {
        finding.evidence.push(format!("existing profiles, closest first: {}", problem.suggestions.join(", ")));
    }
    if let Some(fix) = &problem.fix {
        finding = finding.with_repair(repair(facts, fix));
    }
    finding
}

fn hop_finding(facts: &Facts, hop: &hops::Outcome) -> Finding {
    let status = hop.status;
    let headline = match (status, hop.evidence.first()) {
        (Status::Pass, _) => format!("{}: gave credentials", hop.title),
        (_, Some(first)) => format!("{}: {first}", hop.title),
        (_, None) => hop.title.clone(),
    };
    let mut finding = match hop.cause {
        Some(hop_cause) if matches!(status, Status::Fail | Status::Warn) => {
            let cause = cause(hop_cause);
            let fix = match (&hop.fix, &hop.advice) {
                (Some(fix), _) => fix.reason.clone(),
                (None, Some(advice)) => advice.clone(),
                (None, None) => cause.short_fix().to_string(),
            };
            let f = Finding::fail(ID, cause, headline, fix).in_step(Step::Credentials);
            Finding { status, ..f }
        }
        _ => Finding::new(ID, Step::Credentials, status, headline),
    };
    finding.evidence.extend(hop.evidence.iter().skip(usize::from(status != Status::Pass)).cloned());
    for stage in &hop.stages {
        finding.evidence.push(format!("{} [{}] {} ms", stage.name, stage.status.word(), stage.duration_ms));
        finding.evidence.extend(stage.evidence.iter().map(|line| format!("  {line}")));
    }
    for pair in &hop.assignments {
        let name = pair.account_name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        finding.evidence.push(format!("assigned: account {}{name}, role {}", pair.account_id, pair.role_name));
    }
    for difference in &hop.differences {
        let who = difference.fails_in.map(|t| format!(" ({} would fail)", t.name())).unwrap_or_default();
        finding.evidence.push(format!("{}{who}", difference.note));
    }
    finding.error_code = hop.error_code.clone();
    finding.duration_ms = Some(hop.millis());
    if let Some(fix) = &hop.fix {
        finding = finding.with_repair(repair(facts, fix));
    }
    finding
}
