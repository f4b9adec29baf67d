//! Key handling of the wizard on the main screen: navigation between steps,
//! items and problems, scrolling, acting on a field or a check, save, quit
//! (through the quit prompt when edits are pending). Editing, the overlays
//! and the mouse have their own files. Part of `App::update`: pure, returns
//! effects.

mod edit;
mod fix_all;
mod mouse;
mod navigation;
mod overlay;
mod search;

use super::app::{App, Editing, Item, Modal, Notice};
use super::fields::Field;
use super::keymap::{self, Action, Mode};
use super::layout;
use super::msg::Effect;
use super::remedy::{self, Remedy};
use crate::diagnose::{Repair, Step};
use crossterm::event::KeyEvent;

impl App {
    /// The key table in force.
    pub fn mode(&self) -> Mode {
        if self.view.search.as_ref().is_some_and(|s| s.typing) {
            return Mode::Search;
        }
        match (&self.view.modal, &self.form.editing) {
            (Some(modal), _) => modal.mode(),
            (None, Some(_)) => Mode::Editing,
            (None, None) => Mode::Normal,
        }
    }

    pub(crate) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let mode = self.mode();
        let Some(action) = keymap::action(mode, &key) else { return Vec::new() };
        match mode {
            Mode::Normal => self.on_action(action),
            Mode::Editing => self.on_edit(action),
            Mode::Search => self.on_search(action),
            _ => self.on_overlay(action),
        }
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let scrolling = matches!(action, Action::PageDown | Action::PageUp | Action::Up | Action::Down);
        let had_notice = !scrolling && self.view.notice.take().is_some();
        if matches!(
            action,
            Action::NextStep
                | Action::PrevStep
                | Action::Jump(_)
                | Action::NextField
                | Action::PrevField
                | Action::NextProblem
                | Action::PrevProblem
        ) {
            self.view.navigated = true;
        }
        match action {
            Action::Quit => self.request_quit(),
            Action::Back if had_notice => Vec::new(),
            Action::Back if self.view.search.take().is_some() => Vec::new(),
            Action::Back => self.request_quit(),
            Action::Help => {
                self.view.open(Modal::Help { from: Mode::Normal, back: None });
                Vec::new()
            }
            Action::Rerun => self.start_run(),
            Action::Save => self.ask_save(),
            Action::NextField
            | Action::PrevField
            | Action::NextStep
            | Action::PrevStep
            | Action::Jump(_)
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown => {
                self.on_navigation(action);
                Vec::new()
            }
            Action::NextProblem | Action::PrevProblem if self.searching() => {
                self.next_match(action == Action::NextProblem);
                Vec::new()
            }
            Action::Search => {
                self.start_search();
                Vec::new()
            }
            Action::FixAll => self.fix_all(),
            Action::NextProblem | Action::PrevProblem => {
                self.jump_problem(action == Action::NextProblem);
                Vec::new()
            }
            Action::Suspend => vec![Effect::Suspend],
            Action::Reveal => {
                self.view.reveal = !self.view.reveal;
                Vec::new()
            }
            Action::IgnoreEnv => self.toggle_env(),
            Action::Guide => {
                self.open_guide();
                Vec::new()
            }
            Action::Copy => self.copy(),
            Action::Choose => self.choose_profile(),
            Action::Undo => self.undo(),
            Action::Yank => self.yank(),
            Action::OpenEditor => self.open_editor(),
            Action::Profiles => {
                self.open_picker();
                Vec::new()
            }
            Action::Activate => self.activate(),
            _ => Vec::new(),
        }
    }

    /// `u`: the working copy as it was before the newest edit (field by field), checked again.
    fn undo(&mut self) -> Vec<Effect> {
        match self.draft.undo() {
            Some(what) => {
                let more = if self.draft.history.is_empty() { "" } else { " (u again: the edit before)" };
                self.view.notice = Some(Notice::info(format!("undid {what}{more}")));
                self.start_run()
            }
            None => {
                self.view.notice = Some(Notice::info("nothing to undo: no edit since the files were read"));
                Vec::new()
            }
        }
    }

    /// `o`: the editor at the file and line the check points to (the draft must be saved first).
    fn open_editor(&mut self) -> Vec<Effect> {
        if self.draft.is_dirty() {
            self.view.notice =
                Some(Notice::error("save (s) or undo (u) your edits first: the files are read again after the editor"));
            return Vec::new();
        }
        match super::editor::target(self) {
            Ok((path, line)) => {
                let env = self.draft.effective_env();
                let argv = super::editor::argv(&env, &path, line);
                self.view.notice = Some(Notice::info(format!("editing with `{}`…", argv.join(" "))));
                vec![Effect::Edit { argv, env: Box::new(env) }]
            }
            Err(why) => {
                self.view.notice = Some(Notice::info(why));
                Vec::new()
            }
        }
    }

    /// `y`: the value under the cursor to the clipboard (never a secret).
    fn yank(&mut self) -> Vec<Effect> {
        match super::yank::value(self) {
            Ok(text) => {
                self.view.notice = Some(Notice::info(format!("copied {} (OSC 52)", super::wrap::outside(&text))));
                vec![Effect::Copy(text)]
            }
            Err(why) => {
                self.view.notice = Some(Notice::info(why));
                Vec::new()
            }
        }
    }

    /// `w`: the profile checked becomes the one to work with (exported on exit).
    fn choose_profile(&mut self) -> Vec<Effect> {
        self.form.chosen = Some(self.form.profile.clone());
        self.view.notice = Some(Notice::info(format!(
            "{} is your working profile: credwiz prints the `export AWS_PROFILE` line to run when you quit",
            self.form.profile
        )));
        Vec::new()
    }

    /// Quits, through the quit prompt when edits are pending.
    pub(crate) fn request_quit(&mut self) -> Vec<Effect> {
        if self.has_pending_edits() {
            if let Some(editing) = self.form.editing.take() {
                // The text being typed is kept as if Enter was pressed, so the prompt's diff shows it.
                if self.commit(editing.field, editing.input.value()).is_err() {
                    self.form.editing = Some(editing);
                }
            }
            let diff = super::diff::draft_diff(&self.draft.env, &self.draft.saved, &self.draft.edited);
            self.view.open(Modal::ConfirmQuit(diff));
            return Vec::new();
        }
        self.quit = true;
        vec![Effect::Quit]
    }

    pub(crate) fn show_step(&mut self, step: Step) {
        self.view.step = step;
        self.view.cursor = 0;
        self.view.scroll = 0;
        self.view.guide_scroll = 0;
        self.view.follow = true;
    }

    pub(crate) fn focus_field(&mut self, field: Field) {
        if self.view.step != field.step() {
            self.show_step(field.step());
        }
        self.view.cursor = self.items().iter().position(|i| *i == Item::Field(field)).unwrap_or(0);
        self.follow_cursor();
    }

    /// Keeps the cursor's item on screen (the panel follows it again).
    pub(crate) fn follow_cursor(&mut self) {
        self.view.follow = true;
        self.view.scroll = layout::panel_top(self);
    }

    /// Scrolls the panel by `lines` (negative: up); the cursor may leave the screen.
    pub(crate) fn scroll_panel(&mut self, lines: isize) {
        let top = layout::panel_top(self);
        self.view.scroll = top.saturating_add_signed(lines).min(layout::panel_max_scroll(self));
        self.view.follow = false;
    }

    /// `n` / `N`: the next (previous) problem in [`App::problems`] order, from the one under the cursor.
    fn jump_problem(&mut self, forward: bool) {
        let problems = self.problems();
        if problems.is_empty() {
            self.view.notice = Some(Notice::info("no failure, warning or fix to go to"));
            return;
        }
        let here = self.current_check_index().and_then(|i| problems.iter().position(|p| *p == (self.view.step, i)));
        let count = problems.len();
        let next = match (here, forward) {
            (Some(at), true) => (at + 1) % count,
            (Some(at), false) => (at + count - 1) % count,
            (None, true) => 0,
            (None, false) => count - 1,
        };
        if let Some(&(step, index)) = problems.get(next) {
            self.show_check(step, index);
        }
    }

    /// The index of the check under the cursor (`None` on a field: before the checks).
    fn current_check_index(&self) -> Option<usize> {
        match self.current() {
            Some(Item::Check(i)) => Some(i),
            _ => None,
        }
    }

    fn activate(&mut self) -> Vec<Effect> {
        match self.current() {
            Some(Item::Field(Field::Profile)) => {
                self.open_picker();
                Vec::new()
            }
            Some(Item::Field(field)) => {
                self.form.editing = Some(Editing::new(field, self.value(field)));
                Vec::new()
            }
            Some(Item::Check(index)) => self.act_on_check(index),
            None => Vec::new(),
        }
    }

    /// Enter on a check: its repair, a renewal, the picker, the field to type in, or why nothing happens.
    fn act_on_check(&mut self, index: usize) -> Vec<Effect> {
        let Some(finding) = self.report.step(self.view.step).and_then(|s| s.checks.get(index)).cloned() else {
            return Vec::new();
        };
        match remedy::remedy(self, &finding) {
            Remedy::Repair => self.apply_fix(finding),
            Remedy::Renew(renewal) => {
                self.view.open(Modal::Renew(*renewal));
                Vec::new()
            }
            Remedy::Login(argv) => {
                self.view.notice = Some(Notice::info(format!("running `{}` in the terminal…", argv.join(" "))));
                vec![Effect::RunCommand { argv, env: Box::new(self.draft.effective_env()) }]
            }
            Remedy::Pick => {
                self.open_picker();
                Vec::new()
            }
            Remedy::Edit(field) => {
                self.focus_field(field);
                self.form.editing = Some(Editing::new(field, self.value(field)));
                self.view.notice = Some(Notice::info(format!(
                    "type the right value in {}: Enter keeps it and the checks run again",
                    field.label()
                )));
                Vec::new()
            }
            Remedy::Nothing => {
                self.view.notice = Some(Notice::info(remedy::explain(&finding)));
                Vec::new()
            }
        }
    }

    fn apply_fix(&mut self, finding: crate::diagnose::Finding) -> Vec<Effect> {
        let Some(repair) = finding.repair else { return Vec::new() };
        self.draft.remember(format!("the fix of {}", finding.cause.map_or("the check", |c| c.id())));
        self.form.fixed = finding.cause;
        super::repair::apply(&mut self.draft, &repair);
        self.view.notice = Some(Notice::info(match repair {
            Repair::IgnoreEnvKeys => format!(
                "checks now ignore the environment's keys; in your shell: {} (printed again when you quit)",
                finding.fix.unwrap_or_default()
            ),
            _ => {
                let others = finding.cause.map_or(0, |c| self.same_cause_repairs(c).len());
                let all = if others > 0 {
                    format!("; {others} other profiles have the same cause: F fixes them all (one diff)")
                } else {
                    String::new()
                };
                format!("fixed in the draft (not saved yet): s shows the diff and saves{all}")
            }
        }));
        self.start_run()
    }

    fn ask_save(&mut self) -> Vec<Effect> {
        let diff = super::diff::draft_diff(&self.draft.env, &self.draft.saved, &self.draft.edited);
        if diff.is_empty() {
            self.view.notice = Some(Notice::info("nothing to save: the files already hold these values"));
        } else {
            self.view.open(Modal::ConfirmSave(diff));
        }
        Vec::new()
    }

    /// The save effect of the draft as it is.
    pub(crate) fn save_effect(&self) -> Effect {
        Effect::Save {
            files: Box::new(self.draft.saved.clone()),
            config: Box::new(self.draft.edited.config.document.clone()),
            credentials: Box::new(self.draft.edited.credentials.document.clone()),
        }
    }

    fn copy(&mut self) -> Vec<Effect> {
        let finding = self.current_check().filter(|c| c.fix.is_some()).cloned().or_else(|| {
            let step = self.report.step(self.view.step)?;
            step.checks.iter().find(|c| c.status == crate::diagnose::Status::Fail && c.fix.is_some()).cloned()
        });
        match finding.and_then(|f| remedy::copy_text(self, &f)) {
            Some((title, text)) => {
                self.view.open(Modal::Copied { title, text: text.clone() });
                vec![Effect::Copy(text)]
            }
            None => {
                self.view.notice = Some(Notice::info("nothing to copy here: no fix in this step"));
                Vec::new()
            }
        }
    }
}
