//! `F`: one fix for every profile with the same cause. The one-key repair of
//! the check under the cursor (or of the first fixable failure) is built for
//! each profile whose files show the same cause (each profile's offline
//! checks over the draft: a quoted or padded secret, a misspelled key...),
//! all into the draft as one undoable edit, then the one save diff across
//! both files is shown before anything is written. Part of `update`: pure.

use crate::diagnose::{self, Cause, Facts, Finding, Outcomes, Repair};
use crate::tui::app::{App, Modal, Notice};
use crate::tui::msg::Effect;
use crate::tui::remedy::{self, Remedy};

impl App {
    /// The check `F` acts on: the one under the cursor, else the first one-key fix of the report.
    fn fix_all_finding(&self) -> Option<Finding> {
        let fixable = |f: &&Finding| f.cause.is_some() && remedy::remedy(self, f) == Remedy::Repair;
        self.current_check()
            .filter(fixable)
            .or_else(|| self.report.steps.iter().flat_map(|s| &s.checks).find(fixable))
            .cloned()
    }

    /// The repair of `cause` in each other profile whose own checks (offline, on the draft) show it.
    pub fn same_cause_repairs(&self, cause: Cause) -> Vec<(String, Repair)> {
        let profiles: Vec<String> =
            self.draft.view.profiles.keys().filter(|p| **p != self.form.profile).cloned().collect();
        profiles
            .into_iter()
            .filter_map(|profile| {
                let gathered = self.draft.gathered(&profile, None);
                let facts = Facts::new(gathered, Some(&profile), self.form.options.clone(), self.now);
                let report = diagnose::conclude(&facts, &Outcomes::new(), std::time::Duration::ZERO);
                let repair = report
                    .steps
                    .iter()
                    .flat_map(|s| &s.checks)
                    .find(|c| c.cause == Some(cause) && c.repair.is_some())
                    .and_then(|c| c.repair.clone())?;
                (!matches!(repair, Repair::IgnoreEnvKeys)).then_some((profile, repair))
            })
            .collect()
    }

    /// `F`: the fix under the cursor for this profile and every other one with the same cause, then the diff.
    pub(crate) fn fix_all(&mut self) -> Vec<Effect> {
        let finding = self.fix_all_finding();
        let Some(cause) = finding.as_ref().and_then(|f| f.cause).or(self.form.fixed) else {
            self.view.notice = Some(Notice::info("no one-key fix here to apply to other profiles"));
            return Vec::new();
        };
        let own = finding.and_then(|f| f.repair);
        let others = self.same_cause_repairs(cause);
        if own.is_none() && others.is_empty() {
            self.view.notice = Some(Notice::info(format!("no other profile shows {}", cause.id())));
            return Vec::new();
        }
        let count = others.len() + usize::from(own.is_some());
        self.draft.remember(format!("the fix of {} in {count} profiles", cause.id()));
        self.form.fixed = Some(cause);
        for repair in own.iter().chain(others.iter().map(|(_, r)| r)) {
            crate::tui::repair::apply(&mut self.draft, repair);
        }
        let own_name = own.as_ref().map(|_| self.form.profile.as_str());
        let names: Vec<&str> = own_name.into_iter().chain(others.iter().map(|(p, _)| p.as_str())).collect();
        self.view.notice = Some(Notice::info(format!(
            "fixed {} in {count} profiles ({}) in the draft: y saves them, u undoes",
            cause.id(),
            names.join(", ")
        )));
        let effects = self.start_run();
        let diff = crate::tui::diff::draft_diff(&self.draft.env, &self.draft.saved, &self.draft.edited);
        if !diff.is_empty() {
            self.view.open(Modal::ConfirmSave(diff));
        }
        effects
    }
}
