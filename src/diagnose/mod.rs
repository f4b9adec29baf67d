//! The diagnosis engine, in four stages; a later stage may use an earlier
//! one, never the reverse (tests/layers.rs keeps it so):
//!
//! 1. `input`: everything before the network: `gather` reads the disk,
//!    `facts` builds the [`Facts`] from it with a pure function, `options`,
//!    `sources` (the chain), `lints`, `endpoint`.
//! 2. `run`: the live checks: `check` (as data), the pure `plan`, the
//!    concurrent `runner`, `execute` through the SDK layer, and [`Outcomes`],
//!    which answers every question about what they returned.
//! 3. `judge`: facts plus outcomes become findings, one file per step.
//! 4. `report`: findings ordered by root cause into the report of SPEC 4;
//!    [`conclude`] is judge plus report, shared by `check` and the wizard.
//!
//! `session` writes an MFA session to a profile after a run (file IO through
//! the safe store). This file is the engine's facade: front ends use the
//! names it re-exports.

pub mod input;
pub mod judge;
pub mod report;
pub mod run;
pub mod session;

pub use crate::vocabulary::{Cause, Finding, Repair, Status, Step};
pub use input::facts::Facts;
pub use input::gather::{Gathered, gather};
pub use input::options::Options;
pub use report::Report;
pub use run::outcomes::Outcomes;
pub use run::runner;

use std::time::Duration;

/// A finished diagnosis: the report and the live outcomes behind it.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub report: Report,
    pub outcomes: Outcomes,
}

/// The report for these facts and outcomes: every step assessed, causes ordered.
pub fn conclude(facts: &Facts, outcomes: &Outcomes, elapsed: Duration) -> Report {
    report::assemble(facts, outcomes, judge::all(facts, outcomes), elapsed)
}

/// Runs the live checks of run `run` within the budget and concludes,
/// telling `on_event` each check as it starts and finishes.
pub async fn diagnose_run(facts: &Facts, run: runner::RunId, on_event: impl FnMut(runner::RunEvent)) -> Diagnosis {
    let started = std::time::Instant::now();
    let deadline = tokio::time::Instant::now() + facts.options.timeout;
    let attempt = facts.options.timeout.mul_f64(0.45).clamp(Duration::from_millis(500), Duration::from_secs(4));
    let outcomes = if run::plan::initial(facts).is_empty() {
        Outcomes::new()
    } else {
        let ca_bundle = facts.ca_bundle().and_then(|(b, _)| b.pem.as_deref().ok());
        let ends = started + facts.options.timeout;
        // Both futures are large (every SDK operation the checks may call): on the heap, not the stack.
        let live = Box::pin(crate::aws::live::Live::load(
            &facts.env,
            &facts.profile,
            facts.signing_region(),
            attempt,
            ca_bundle,
            ends,
        ))
        .await;
        Box::pin(runner::run(&live, facts, run, deadline, on_event)).await
    };
    let report = conclude(facts, &outcomes, started.elapsed());
    Diagnosis { report, outcomes }
}

/// `diagnose_run` without a live view.
pub async fn diagnose(facts: &Facts) -> Diagnosis {
    diagnose_run(facts, 1, |_| {}).await
}
