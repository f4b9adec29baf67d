//! Keys in the overlays: the yes/no questions (save diff, MFA session), the
//! quit prompt (save, discard, stay), the help and the full-screen guide
//! (scrolling), the profile picker (filter, move, switch) and the session
//! renewal (its code). Esc always goes back. Part of `update`: pure.

use crate::diagnose::input::options::MfaCode;
use crate::tui::app::picker::{self, Picker};
use crate::tui::app::{App, Modal, Notice};
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use crate::tui::remedy;
use tui_input::InputRequest;

impl App {
    pub(crate) fn on_overlay(&mut self, action: Action) -> Vec<Effect> {
        let Some(modal) = self.view.modal.take() else { return Vec::new() };
        if let Action::Quit = action {
            // Ctrl-C: leave the overlay, then quit as q does.
            return self.request_quit();
        }
        if let (Action::Help, false) = (action, matches!(modal, Modal::Help { .. })) {
            self.view.open(Modal::Help { from: modal.mode(), back: Some(Box::new(modal)) });
            return Vec::new();
        }
        if let Modal::Guide(_) = modal
            && let Some(effects) = self.on_guide_search(action)
        {
            self.view.modal = Some(modal);
            return effects;
        }
        if let (Modal::Help { back, .. }, Action::Cancel) = (&modal, action) {
            self.view.modal = back.clone().map(|b| *b);
            return Vec::new();
        }
        match (modal, action) {
            (modal, Action::Up | Action::Down | Action::PageUp | Action::PageDown)
                if !matches!(modal, Modal::Picker(_)) =>
            {
                // A page is the overlay's height, less two lines kept for context.
                let page = crate::tui::layout::modal_height(self, &modal).saturating_sub(2).max(1);
                let step = if matches!(action, Action::PageUp | Action::PageDown) { page } else { 1 };
                self.view.modal_scroll = if matches!(action, Action::Up | Action::PageUp) {
                    self.view.modal_scroll.saturating_sub(step)
                } else {
                    self.view.modal_scroll.saturating_add(step).min(crate::tui::layout::modal_max_scroll(self, &modal))
                };
                self.view.modal = Some(modal);
                Vec::new()
            }
            (Modal::ConfirmSave(_), Action::Confirm) => vec![self.save_effect()],
            (Modal::ConfirmSession(target), Action::Confirm) => self.write_session(target),
            (Modal::ConfirmQuit(_), Action::SaveAndQuit) => {
                self.quit_after_save = true;
                vec![self.save_effect()]
            }
            (Modal::ConfirmQuit(_), Action::DiscardAndQuit) => {
                self.summary.discarded = true;
                self.quit = true;
                vec![Effect::Quit]
            }
            (Modal::Guide(cause), Action::Copy) => {
                let finding =
                    self.report.steps.iter().flat_map(|s| &s.checks).find(|c| c.cause == Some(cause)).cloned();
                match finding.and_then(|f| remedy::copy_text(self, &f)) {
                    Some((title, text)) => {
                        self.view.open(Modal::Copied { title, text: text.clone() });
                        vec![Effect::Copy(text)]
                    }
                    None => {
                        self.view.modal = Some(Modal::Guide(cause));
                        Vec::new()
                    }
                }
            }
            (Modal::Picker(picker), action) => self.on_picker(picker, action),
            (Modal::Renew(renewal), action) => self.on_renew(renewal, action),
            (modal @ (Modal::ConfirmSave(_) | Modal::ConfirmSession(_) | Modal::ConfirmQuit(_)), action)
                if action != Action::Cancel =>
            {
                // A key that does not answer leaves the question open.
                self.view.modal = Some(modal);
                Vec::new()
            }
            (modal @ Modal::Guide(_), action) if action != Action::Cancel => {
                self.view.modal = Some(modal);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    fn write_session(&mut self, target: String) -> Vec<Effect> {
        if self.draft.is_dirty() {
            self.view.notice =
                Some(Notice::error("save (s) or undo your edits first: writing the session reloads the files"));
            return Vec::new();
        }
        vec![Effect::WriteSession { facts: Box::new(self.facts()), outcomes: self.run.outcomes().clone(), target }]
    }

    /// Opens the profile picker, its filter empty, on the current profile.
    pub(crate) fn open_picker(&mut self) {
        let names = self.draft.view.profiles.keys().map(String::as_str);
        let selected = picker::matches(names, "").iter().position(|m| m.name == self.form.profile).unwrap_or(0);
        self.view.open(Modal::Picker(Picker { query: String::new(), selected, failing_only: false }));
    }

    /// The profiles the picker shows for its filter (only the failing ones with `f`).
    pub fn picker_matches(&self, picker: &Picker) -> Vec<picker::Match> {
        let failing = |name: &str| self.profiles.get(name).is_some_and(|p| p.status == crate::diagnose::Status::Fail);
        let names = self.draft.view.profiles.keys().map(String::as_str).filter(|n| !picker.failing_only || failing(n));
        picker::matches(names, &picker.query)
    }

    fn on_picker(&mut self, mut picker: Picker, action: Action) -> Vec<Effect> {
        let matches = self.picker_matches(&picker);
        match action {
            // `f` filters by status only before a filter is typed; after, it is a letter of the filter.
            Action::FailingOnly if picker.query.is_empty() => {
                picker.failing_only = !picker.failing_only;
                picker.selected = 0;
            }
            Action::FailingOnly if picker.query.len() < 256 => picker.query.push('f'),
            Action::Cancel => return Vec::new(),
            Action::Up => picker.selected = picker.selected.checked_sub(1).unwrap_or(matches.len().saturating_sub(1)),
            Action::Down => {
                picker.selected = if picker.selected + 1 >= matches.len() { 0 } else { picker.selected + 1 }
            }
            Action::Edit(InputRequest::InsertChar(c)) if !c.is_control() && picker.query.len() < 256 => {
                picker.query.push(c);
                picker.selected = 0;
            }
            Action::Edit(InputRequest::DeletePrevChar) => {
                picker.query.pop();
                picker.selected = 0;
            }
            Action::Edit(InputRequest::DeleteLine) => {
                picker.query.clear();
                picker.selected = 0;
            }
            Action::Confirm => {
                let typed = picker.query.trim();
                let chosen = matches
                    .get(picker.selected)
                    .map(|m| m.name.clone())
                    .or_else(|| (!typed.is_empty() && !typed.contains(char::is_whitespace)).then(|| typed.to_string()));
                return match chosen {
                    Some(profile) => self.switch_profile(profile),
                    None => Vec::new(),
                };
            }
            _ => {}
        }
        self.view.modal = Some(Modal::Picker(picker));
        Vec::new()
    }

    /// Switches the wizard to another profile and checks it.
    pub(crate) fn switch_profile(&mut self, profile: String) -> Vec<Effect> {
        if profile == self.form.profile {
            return Vec::new();
        }
        self.view.notice = Some(Notice::info(format!("switched to profile {profile}")));
        self.form.profile = profile;
        self.form.options.mfa_code = None;
        self.form.renewing = None;
        self.view.navigated = false;
        self.show_step(crate::diagnose::Step::Credentials);
        self.start_run()
    }

    fn on_renew(&mut self, mut renewal: crate::tui::app::renew::Renewal, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => {
                if self.form.renewing.take().is_some() {
                    // Back to the expired profile the renewal started from.
                    self.form.profile = renewal.target;
                    self.form.options.mfa_code = None;
                    return self.start_run();
                }
                return Vec::new();
            }
            Action::Edit(InputRequest::InsertChar(c)) if c.is_ascii_digit() && renewal.code.len() < 6 => {
                renewal.code.push(c);
            }
            Action::Edit(InputRequest::DeletePrevChar) => {
                renewal.code.pop();
            }
            Action::Edit(InputRequest::DeleteLine) => renewal.code.clear(),
            Action::Confirm => match MfaCode::parse(&renewal.code) {
                Ok(code) if !self.draft.is_dirty() => {
                    self.view.notice = Some(Notice::info(format!(
                        "getting a new session from profile {} for profile {}…",
                        renewal.base, renewal.target
                    )));
                    self.form.profile = renewal.base.clone();
                    self.form.options.mfa_code = Some(code);
                    renewal.error = None;
                    self.form.renewing = Some(renewal);
                    self.view.navigated = true;
                    self.show_step(crate::diagnose::Step::Mfa);
                    return self.start_run();
                }
                Ok(_) => {
                    renewal.error = Some("save (s) or undo your edits first: the renewal rewrites the files".into())
                }
                Err(why) => renewal.error = Some(why),
            },
            _ => {}
        }
        self.view.modal = Some(Modal::Renew(renewal));
        Vec::new()
    }
}
