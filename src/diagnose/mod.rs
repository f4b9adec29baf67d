//! The diagnosis engine.
//!
//! - `gather` reads everything from disk that the diagnosis needs before the
//!   network (both files, the SSO token cache, the CA bundle); `facts` builds
//!   the [`Facts`] from it with a pure function.
//! - `plan` (pure) decides the live checks (`check`), `runner` runs them
//!   concurrently through `live` and `actions` (the SDK, the only network
//!   IO), and [`Outcomes`] answers every question about what they returned.
//! - `assess` turns facts plus outcomes into findings, one file per step;
//!   `report` orders them by root cause into the report of SPEC section 4.
//!   [`conclude`] is that pair, shared by `check` and the wizard.
//! - The vocabulary: `cause` (steps, cause ids, one-line fixes, guides),
//!   `options`, `keyid`, `sources` (the credential chain), `lints`,
//!   `decode` (error texts), `regions`, `finding`, `session` (writing an MFA
//!   session to a profile: file IO through the safe store).
//! - `scan` (every profile at once, SPEC 7) and `crossprofile` (what only a
//!   view of all profiles can tell; pure).

pub mod actions;
pub mod assess;
pub mod cause;
pub mod check;
pub mod common;
pub mod crossprofile;
pub mod decode;
pub mod endpoint;
pub mod execute;
pub mod facts;
pub mod finding;
pub mod gather;
pub mod keyid;
pub mod limits;
pub mod lints;
pub mod live;
pub mod options;
pub mod outcomes;
pub mod plan;
pub mod policies;
pub mod regions;
pub mod report;
pub mod runner;
pub mod scan;
mod sdk_error;
pub mod session;
pub mod sources;

pub use cause::{Cause, Status, Step};
pub use facts::Facts;
pub use finding::{Finding, Repair};
pub use gather::{Gathered, gather};
pub use options::Options;
pub use outcomes::Outcomes;
pub use report::Report;

use std::time::Duration;

/// A finished diagnosis: the report and the live outcomes behind it.
#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub report: Report,
    pub outcomes: Outcomes,
}

/// The report for these facts and outcomes: every step assessed, causes ordered.
pub fn conclude(facts: &Facts, outcomes: &Outcomes, elapsed: Duration) -> Report {
    report::assemble(facts, outcomes, assess::all(facts, outcomes), elapsed)
}

/// Runs the live checks of run `run` within the budget and concludes,
/// telling `on_event` each check as it starts and finishes.
pub async fn diagnose_run(facts: &Facts, run: runner::RunId, on_event: impl FnMut(runner::RunEvent)) -> Diagnosis {
    let started = std::time::Instant::now();
    let deadline = tokio::time::Instant::now() + facts.options.timeout;
    let attempt = facts.options.timeout.mul_f64(0.45).clamp(Duration::from_millis(500), Duration::from_secs(4));
    let outcomes = if plan::initial(facts).is_empty() {
        Outcomes::new()
    } else {
        let ca_bundle = facts.ca_bundle().and_then(|(b, _)| b.pem.as_deref().ok());
        let ends = started + facts.options.timeout;
        // Both futures are large (every SDK operation the checks may call): on the heap, not the stack.
        let live =
            Box::pin(live::Live::load(&facts.env, &facts.profile, facts.signing_region(), attempt, ca_bundle, ends))
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
