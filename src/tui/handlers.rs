//! Key handling of the wizard: navigation, editing fields, one-key fixes,
//! and the confirmations of save and MFA session. Part of `App::update`:
//! pure, returns effects.

use super::app::{App, Editing, Item, Modal, Notice, draft::apply_field};
use super::fields::Field;
use super::keymap::{self, Action, Mode};
use super::msg::Effect;
use crate::diagnose::{Repair, Step};
use crossterm::event::KeyEvent;
use tui_input::Input;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let mode = if self.view.modal.is_some() {
            Mode::Modal
        } else if self.form.editing.is_some() {
            Mode::Editing
        } else {
            Mode::Normal
        };
        let Some(action) = keymap::action(mode, &key) else { return Vec::new() };
        match mode {
            Mode::Modal => self.on_modal(action),
            Mode::Editing => self.on_edit(action),
            Mode::Normal => self.on_action(action),
        }
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        self.view.notice = None;
        if matches!(
            action,
            Action::NextStep | Action::PrevStep | Action::Jump(_) | Action::NextField | Action::PrevField
        ) {
            self.view.navigated = true;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::Help => {
                self.view.modal = Some(Modal::Help);
                Vec::new()
            }
            Action::Rerun => self.start_run(),
            Action::Save => self.ask_save(),
            Action::NextField | Action::PrevField => {
                let now = match self.current() {
                    Some(Item::Field(f)) => Some(f),
                    _ => None,
                };
                let next = match now {
                    Some(field) => field.cycle(action == Action::NextField),
                    None if action == Action::NextField => {
                        Field::of_step(self.view.step).next().unwrap_or(Field::Profile)
                    }
                    None => Field::of_step(self.view.step).last().unwrap_or(Field::PastedError),
                };
                self.focus_field(next);
                Vec::new()
            }
            Action::NextStep | Action::PrevStep => {
                self.show_step(self.view.step.cycle(action == Action::NextStep));
                Vec::new()
            }
            Action::Jump(step) => {
                self.show_step(step);
                Vec::new()
            }
            Action::Up => {
                self.view.cursor = self.view.cursor.saturating_sub(1);
                Vec::new()
            }
            Action::Down => {
                self.view.cursor = (self.view.cursor + 1).min(self.items().len().saturating_sub(1));
                Vec::new()
            }
            Action::Reveal => {
                self.view.reveal = !self.view.reveal;
                Vec::new()
            }
            Action::IgnoreEnv => {
                self.draft.ignore_env = !self.draft.ignore_env;
                self.view.notice = Some(Notice::info(if self.draft.ignore_env {
                    "ignoring AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN of the environment"
                } else {
                    "using the environment's key variables again"
                }));
                self.start_run()
            }
            Action::Activate => self.activate(),
            Action::Keep | Action::KeepAndNext | Action::Cancel | Action::Edit(_) | Action::Confirm => Vec::new(),
        }
    }

    fn show_step(&mut self, step: Step) {
        self.view.step = step;
        self.view.cursor = 0;
    }

    fn focus_field(&mut self, field: Field) {
        self.view.step = field.step();
        self.view.cursor = self.items().iter().position(|i| *i == Item::Field(field)).unwrap_or(0);
    }

    fn activate(&mut self) -> Vec<Effect> {
        match self.current() {
            Some(Item::Field(field)) => {
                let value = self.value(field);
                self.form.editing = Some(Editing { field, input: Input::new(value) });
                Vec::new()
            }
            Some(Item::Check(index)) => self.apply_fix(index),
            None => Vec::new(),
        }
    }

    fn on_edit(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => {
                self.form.editing = None;
                self.recompute();
                Vec::new()
            }
            Action::Keep | Action::KeepAndNext => {
                let Some(Editing { field, input }) = self.form.editing.take() else { return Vec::new() };
                if let Err(why) = self.commit(field, input.value().trim_end_matches(['\n', '\r'])) {
                    self.view.notice = Some(Notice::error(format!("{}: {why}", field.label())));
                    self.form.editing = Some(Editing { field, input });
                    return Vec::new();
                }
                if action == Action::KeepAndNext {
                    self.focus_field(field.cycle(true));
                }
                self.start_run()
            }
            Action::Edit(request) => {
                if let Some(editing) = self.form.editing.as_mut() {
                    editing.input.handle(request);
                    self.recompute();
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Keeps a field's new value: in the draft files, or in the form.
    fn commit(&mut self, field: Field, value: &str) -> Result<(), String> {
        if field.file_key().is_some() {
            apply_field(&mut self.draft.edited, &self.form.profile, field, value);
            Ok(())
        } else {
            self.form.commit(field, value)
        }
    }

    fn apply_fix(&mut self, index: usize) -> Vec<Effect> {
        let Some(finding) = self.report.step(self.view.step).and_then(|s| s.checks.get(index)).cloned() else {
            return Vec::new();
        };
        let Some(repair) = finding.repair else {
            self.view.notice = Some(Notice::info("no one-key fix for this check: see the guide below"));
            return Vec::new();
        };
        super::repair::apply(&mut self.draft, &repair);
        self.view.notice = Some(Notice::info(match repair {
            Repair::IgnoreEnvKeys => {
                format!("checks now ignore the environment's keys; in your shell: {}", finding.fix.unwrap_or_default())
            }
            _ => "fixed in the draft: press s to review and save".to_string(),
        }));
        self.start_run()
    }

    fn ask_save(&mut self) -> Vec<Effect> {
        let diff = super::diff::draft_diff(&self.draft.env, &self.draft.saved, &self.draft.edited);
        if diff.is_empty() {
            self.view.notice = Some(Notice::info("nothing to save: the files already hold these values"));
        } else {
            self.view.modal = Some(Modal::ConfirmSave(diff));
        }
        Vec::new()
    }

    fn on_modal(&mut self, action: Action) -> Vec<Effect> {
        let Some(modal) = self.view.modal.take() else { return Vec::new() };
        match (modal, action) {
            (Modal::ConfirmSave(_), Action::Confirm) => vec![Effect::Save {
                files: Box::new(self.draft.saved.clone()),
                config: Box::new(self.draft.edited.config.document.clone()),
                credentials: Box::new(self.draft.edited.credentials.document.clone()),
            }],
            (Modal::ConfirmSession(target), Action::Confirm) => vec![Effect::WriteSession {
                facts: Box::new(self.facts()),
                outcomes: self.run.outcomes().clone(),
                target,
            }],
            _ => Vec::new(),
        }
    }
}
