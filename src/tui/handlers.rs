//! Key handling of the wizard: navigation, editing fields, one-key fixes,
//! and the confirmations of save and MFA session. Part of `App::update`:
//! pure, returns effects.

use super::app::{App, Item, Modal, Notice, apply_field};
use super::fields::Field;
use super::keymap::{self, Action};
use super::msg::Effect;
use crate::diagnose::Step;
use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(modal) = self.modal.clone() {
            return self.on_modal_key(modal, key);
        }
        if self.editing.is_some() {
            return self.on_edit_key(key);
        }
        let Some(action) = keymap::action(&key) else { return Vec::new() };
        self.notice = None;
        if matches!(
            action,
            Action::NextStep | Action::PrevStep | Action::Jump(_) | Action::NextField | Action::PrevField
        ) {
            self.navigated = true;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                vec![Effect::Quit]
            }
            Action::Help => {
                self.modal = Some(Modal::Help);
                Vec::new()
            }
            Action::Rerun => self.start_run(),
            Action::Save => self.ask_save(),
            Action::NextField | Action::PrevField => {
                let forward = action == Action::NextField;
                let order = Field::ALL;
                let now = match self.current() {
                    Some(Item::Field(f)) => order.iter().position(|x| *x == f),
                    _ => None,
                };
                let next = match (now, forward) {
                    (Some(i), true) => order[(i + 1) % order.len()],
                    (Some(i), false) => order[(i + order.len() - 1) % order.len()],
                    (None, true) => Field::of_step(self.step).next().unwrap_or(Field::Profile),
                    (None, false) => Field::of_step(self.step).last().unwrap_or(Field::PastedError),
                };
                self.focus_field(next);
                Vec::new()
            }
            Action::NextStep | Action::PrevStep => {
                let i = Step::ALL.iter().position(|s| *s == self.step).unwrap_or(0);
                let n = Step::ALL.len();
                self.step = Step::ALL[if action == Action::NextStep { (i + 1) % n } else { (i + n - 1) % n }];
                self.cursor = 0;
                Vec::new()
            }
            Action::Jump(step) => {
                self.step = step;
                self.cursor = 0;
                Vec::new()
            }
            Action::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Vec::new()
            }
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.items().len().saturating_sub(1));
                Vec::new()
            }
            Action::Reveal => {
                self.reveal = !self.reveal;
                Vec::new()
            }
            Action::IgnoreEnv => {
                self.ignore_env = !self.ignore_env;
                self.notice = Some(Notice {
                    error: false,
                    text: if self.ignore_env {
                        "ignoring AWS_ACCESS_KEY_ID/SECRET/SESSION_TOKEN of the environment".into()
                    } else {
                        "using the environment's key variables again".into()
                    },
                });
                self.start_run()
            }
            Action::Activate => self.activate(),
        }
    }

    fn focus_field(&mut self, field: Field) {
        self.step = field.step();
        self.cursor = self.items().iter().position(|i| *i == Item::Field(field)).unwrap_or(0);
    }

    fn activate(&mut self) -> Vec<Effect> {
        match self.current() {
            Some(Item::Field(field)) => {
                let value = self.value(field);
                self.editing = Some((field, Input::new(value)));
                Vec::new()
            }
            Some(Item::Check(index)) => self.apply_fix(index),
            None => Vec::new(),
        }
    }

    fn on_edit_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.editing = None;
                self.recompute();
                Vec::new()
            }
            KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab => {
                let Some((field, input)) = self.editing.take() else { return Vec::new() };
                self.commit(field, input.value().trim_end_matches(['\n', '\r']));
                if key.code == KeyCode::Tab {
                    let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
                    self.focus_field(Field::ALL[(i + 1) % Field::ALL.len()]);
                }
                self.start_run()
            }
            _ => {
                if let (Some((_, input)), Some(request)) = (self.editing.as_mut(), keymap::edit_request(&key)) {
                    input.handle(request);
                    self.recompute();
                }
                Vec::new()
            }
        }
    }

    /// Keeps a field's new value: in the draft files, or in the run options.
    fn commit(&mut self, field: Field, value: &str) {
        match field {
            Field::Profile => {
                let name = value.trim();
                if !name.is_empty() {
                    self.profile = name.to_string();
                }
            }
            Field::MfaCode => self.mfa_code = value.trim().to_string(),
            Field::ExpectAccount => self.expect_account = value.trim().to_string(),
            Field::Action => self.action = value.to_string(),
            Field::PastedError => self.pasted_error = value.to_string(),
            _ => apply_field(&mut self.draft, &self.profile, field, value),
        }
    }

    fn apply_fix(&mut self, index: usize) -> Vec<Effect> {
        let Some(finding) = self.report.step(self.step).and_then(|s| s.checks.get(index)).cloned() else {
            return Vec::new();
        };
        if finding.cause == Some(crate::diagnose::Cause::EnvOverridesProfile) && !self.ignore_env {
            self.ignore_env = true;
            self.notice = Some(Notice {
                error: false,
                text: format!(
                    "checks now ignore the environment's keys; in your shell: {}",
                    finding.fix.unwrap_or_default()
                ),
            });
            return self.start_run();
        }
        let Some(repair) = finding.repair else {
            self.notice =
                Some(Notice { error: false, text: "no one-key fix for this check: see the guide below".into() });
            return Vec::new();
        };
        super::repair::apply(&mut self.draft, &repair);
        self.notice = Some(Notice { error: false, text: "fixed in the draft: press s to review and save".into() });
        self.start_run()
    }

    fn ask_save(&mut self) -> Vec<Effect> {
        let diff = super::diff::draft_diff(&self.env, &self.files, &self.draft);
        if diff.is_empty() {
            self.notice =
                Some(Notice { error: false, text: "nothing to save: the files already hold these values".into() });
        } else {
            self.modal = Some(Modal::ConfirmSave(diff));
        }
        Vec::new()
    }

    fn on_modal_key(&mut self, modal: Modal, key: KeyEvent) -> Vec<Effect> {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Enter);
        self.modal = None;
        match modal {
            Modal::Help => Vec::new(),
            Modal::ConfirmSave(_) if yes => vec![Effect::Save {
                files: Box::new(self.files.clone()),
                config: Box::new(self.draft.config.document.clone()),
                credentials: Box::new(self.draft.credentials.document.clone()),
            }],
            Modal::ConfirmSession(target) if yes => {
                vec![Effect::WriteSession { facts: Box::new(self.facts()), outcomes: self.outcomes.clone(), target }]
            }
            _ => Vec::new(),
        }
    }
}
