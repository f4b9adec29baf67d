//! Editing a field: the old value selected on entry (the first key typed
//! replaces it), keeping it into the draft or the form, cancelling, and
//! pasted text (bounded, control characters dropped). Part of `update`: pure.

use crate::tui::app::draft::apply_field;
use crate::tui::app::{App, Editing, Modal, Notice};
use crate::tui::fields::Field;
use crate::tui::keymap::Action;
use crate::tui::msg::Effect;
use tui_input::InputRequest;

/// The most a paste may hold (a session token is about 1,000 characters).
const PASTE_LIMIT: usize = 8192;

/// Text as it may enter a field: one line, no control characters, bounded.
pub(crate) fn clean_paste(text: &str) -> String {
    let line = text.trim_matches(['\n', '\r']).lines().next().unwrap_or_default();
    line.chars().filter(|c| !c.is_control()).take(PASTE_LIMIT).collect()
}

impl App {
    pub(crate) fn on_edit(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => {
                self.form.editing = None;
                self.recompute();
                self.view.notice = Some(Notice::info("edit cancelled: the field keeps its old value"));
                Vec::new()
            }
            Action::Keep | Action::KeepAndNext | Action::Profiles => {
                let Some(editing) = self.form.editing.take() else { return Vec::new() };
                let field = editing.field;
                let changed = editing.input.value() != editing.before;
                let path = editing.input.value().trim().to_string();
                if field == Field::CaBundle && changed && !path.is_empty() {
                    // A bundle is kept only once the handshake verifies with it.
                    self.recompute();
                    return match self.facts().endpoint {
                        Ok(target) => {
                            self.view.notice = Some(Notice::info(format!("trying the handshake with {path}…")));
                            vec![Effect::CheckBundle {
                                path,
                                target: Box::new(target),
                                env: Box::new(self.draft.effective_env()),
                            }]
                        }
                        Err(why) => {
                            self.view.notice = Some(Notice::error(format!("no endpoint to try the bundle on: {why}")));
                            self.form.editing = Some(editing);
                            Vec::new()
                        }
                    };
                }
                if let Err(why) = self.commit(field, editing.input.value()) {
                    self.view.notice = Some(Notice::error(format!("{}: {why}", field.label())));
                    self.form.editing = Some(editing);
                    return Vec::new();
                }
                // The hint that led here ("type the right value in ...") is done with.
                self.view.notice = None;
                match action {
                    Action::KeepAndNext => self.start_edit(self.next_field(field, true)),
                    Action::Profiles => self.open_picker(),
                    _ => {}
                }
                if changed { self.start_run() } else { Vec::new() }
            }
            Action::Suspend => vec![Effect::Suspend],
            Action::Reveal => {
                // Only for this edit: the secret is masked again when the edit ends.
                if let Some(editing) = self.form.editing.as_mut() {
                    editing.reveal = !editing.reveal;
                }
                Vec::new()
            }
            Action::Quit => self.request_quit(),
            Action::Help => {
                self.view.open(Modal::Help { from: crate::tui::keymap::Mode::Editing, back: None });
                Vec::new()
            }
            Action::Edit(request) => {
                self.edit(request);
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Starts editing `field` (the picker, for the profile).
    pub(crate) fn start_edit(&mut self, field: Field) {
        self.focus_field(field);
        if field == Field::Profile {
            self.open_picker();
        } else {
            self.form.editing = Some(Editing::new(field, self.value(field)));
        }
    }

    /// One text-editing request on the field being edited.
    fn edit(&mut self, request: InputRequest) {
        let Some(editing) = self.form.editing.as_mut() else { return };
        if std::mem::take(&mut editing.selected) {
            match request {
                InputRequest::InsertChar(_) | InputRequest::DeletePrevChar | InputRequest::DeleteNextChar => {
                    editing.input.handle(InputRequest::DeleteLine);
                    if matches!(request, InputRequest::DeletePrevChar | InputRequest::DeleteNextChar) {
                        self.recompute();
                        return;
                    }
                }
                _ => {}
            }
        }
        // Cursor moves change nothing the diagnosis reads.
        if editing.input.handle(request).is_some_and(|changed| changed.value) {
            self.recompute();
        }
    }

    /// Keeps a field's new value: in the draft files, or in the form.
    pub(crate) fn commit(&mut self, field: Field, value: &str) -> Result<(), String> {
        let value = value.trim_end_matches(['\n', '\r']);
        let result = if field.file_key().is_some() {
            let before = self.draft.edited.clone();
            apply_field(&mut self.draft.edited, &self.form.profile, field, value);
            if self.draft.edited.config.document != before.config.document
                || self.draft.edited.credentials.document != before.credentials.document
            {
                self.draft.remember_before(format!("the edit of {}", field.label()), before);
            }
            Ok(())
        } else {
            self.form.commit(field, value)
        };
        self.recompute();
        result
    }

    pub(crate) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        let text = clean_paste(text);
        match (&mut self.view.modal, &mut self.form.editing) {
            (Some(Modal::Picker(picker)), _) => {
                picker.query.push_str(&text);
                picker.selected = 0;
            }
            (Some(Modal::Renew(renewal)), _) => {
                renewal.code.extend(text.chars().filter(char::is_ascii_digit).take(6));
            }
            (None, Some(editing)) => {
                if std::mem::take(&mut editing.selected) {
                    editing.input.handle(InputRequest::DeleteLine);
                }
                for c in text.chars() {
                    editing.input.handle(InputRequest::InsertChar(c));
                }
                self.recompute();
            }
            _ => {
                self.view.notice = Some(Notice::info("to paste a value, press Enter on a field first"));
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::clean_paste;

    #[test]
    fn pastes_are_one_line_without_control_characters_and_bounded() {
        assert_eq!(clean_paste("AKIA\x1b[31mX\r\nsecond line"), "AKIA[31mX");
        assert_eq!(clean_paste(&"a".repeat(100_000)).len(), 8192);
    }
}
