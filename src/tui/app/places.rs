//! Where things are in the panels, as questions about the state: the order a
//! step's checks are shown in (failures first, then warnings, then the rest),
//! where the primary cause's failure sits (the step it is shown in can differ
//! from the step its cause belongs to: a role that does not trust the caller
//! fails in the chain of step 1), and the order `n` visits problems in
//! (actionable ones first). Pure.

use super::{App, Item};
use crate::diagnose::{Cause, Status, Step};
use crate::tui::remedy::{self, Remedy};

/// The rank of a check in its panel: failures, warnings, then the rest.
fn rank(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Warn => 1,
        _ => 2,
    }
}

impl App {
    /// The indices of a step's checks in the order the panel shows them.
    pub fn check_order(&self, step: Step) -> Vec<usize> {
        let Some(report) = self.report.step(step) else { return Vec::new() };
        let mut order: Vec<usize> = (0..report.checks.len()).collect();
        order.sort_by_key(|i| report.checks.get(*i).map_or(2, |c| rank(c.status)));
        order
    }

    /// The step and check index of the primary cause's failure, where the panels show it.
    pub fn primary_place(&self) -> Option<(Step, usize)> {
        let primary = self.report.causes.first()?;
        let found = self.report.steps.iter().find_map(|s| {
            s.checks
                .iter()
                .position(|c| c.status == Status::Fail && c.cause == primary.cause && c.summary == primary.summary)
                .or_else(|| s.checks.iter().position(|c| c.status == Status::Fail && c.cause == primary.cause))
                .map(|i| (s.step, i))
        });
        found.or(Some((primary.step, usize::MAX)))
    }

    /// Every problem (a failure, a warning, or a fix) as (step, check index):
    /// the ones Enter acts on first, then the others, each in screen order.
    pub fn problems(&self) -> Vec<(Step, usize)> {
        let mut all: Vec<(bool, Step, usize)> = Vec::new();
        for step in &self.report.steps {
            for i in self.check_order(step.step) {
                let Some(check) = step.checks.get(i) else { continue };
                if matches!(check.status, Status::Fail | Status::Warn) || check.repair.is_some() {
                    let acts = remedy::remedy(self, check) != Remedy::Nothing;
                    all.push((!acts, step.step, i));
                }
            }
        }
        all.sort_by_key(|(passive, _, _)| *passive);
        all.into_iter().map(|(_, step, i)| (step, i)).collect()
    }

    /// Shows `step` with the cursor on its check `index` (its first item when there is none).
    pub(crate) fn show_check(&mut self, step: Step, index: usize) {
        if step != self.view.step {
            self.show_step(step);
        }
        self.view.cursor = self.items().iter().position(|i| *i == Item::Check(index)).unwrap_or(0);
        self.follow_cursor();
    }
}

impl App {
    /// "checked 12 s ago": how long ago the newest run finished, by the clock last reported.
    pub fn checked_ago(&self) -> Option<String> {
        let (at, now) = (self.checked_at?, self.view.clock?);
        let seconds = (now - at).num_seconds().max(0);
        Some(match seconds {
            0..60 => format!("checked {seconds} s ago"),
            60..3600 => format!("checked {} min ago", seconds / 60),
            _ => format!("checked {} h ago", seconds / 3600),
        })
    }

    /// The cause whose guide the step shows: its first failure, else its first warning.
    pub fn guide_cause(&self) -> Option<Cause> {
        let step = self.report.step(self.view.step)?;
        let first = |status| step.checks.iter().filter(|c| c.status == status).find_map(|c| c.cause);
        first(Status::Fail).or_else(|| first(Status::Warn))
    }

    /// The cause of the guide `g` opens: the check under the cursor's, else the step's, else the primary one.
    pub fn chosen_guide(&self) -> Option<Cause> {
        self.current_check()
            .and_then(|c| c.cause)
            .or_else(|| self.guide_cause())
            .or_else(|| self.report.causes.first().and_then(|c| c.cause))
    }
}
