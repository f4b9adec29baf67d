//! The state of the checks: no run yet, a run in progress (gathering its
//! files, then its live checks, with the outcomes so far), or a finished run
//! with its outcomes. One enum, so a stale flag cannot contradict it. Pure.

use crate::diagnose::Outcomes;
use crate::diagnose::run::check::LiveCheck;
use crate::diagnose::run::runner::RunId;

/// Where the checks are.
#[derive(Debug, Clone, Default)]
pub enum RunState {
    /// Nothing has run yet.
    #[default]
    Idle,
    /// Run `id` is in progress: the checks started and not finished, and the outcomes so far.
    Running { id: RunId, in_flight: Vec<LiveCheck>, outcomes: Outcomes },
    /// Run `id` finished with these outcomes.
    Finished { id: RunId, outcomes: Outcomes },
}

impl RunState {
    /// The current run's id (0 before the first run).
    pub fn id(&self) -> RunId {
        match self {
            RunState::Idle => 0,
            RunState::Running { id, .. } | RunState::Finished { id, .. } => *id,
        }
    }

    /// Whether checks are running.
    pub fn is_running(&self) -> bool {
        matches!(self, RunState::Running { .. })
    }

    /// The outcomes of the current run (so far).
    pub fn outcomes(&self) -> &Outcomes {
        static NONE: std::sync::OnceLock<Outcomes> = std::sync::OnceLock::new();
        match self {
            RunState::Idle => NONE.get_or_init(Outcomes::new),
            RunState::Running { outcomes, .. } | RunState::Finished { outcomes, .. } => outcomes,
        }
    }

    /// The checks of the current run that started and have not finished.
    pub fn in_flight(&self) -> &[LiveCheck] {
        match self {
            RunState::Running { in_flight, .. } => in_flight,
            _ => &[],
        }
    }
}
