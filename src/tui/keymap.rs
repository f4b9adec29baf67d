//! Keys to actions, in one table per mode that both matching and the help
//! screen read: what the help lists is what the keys do. Text keys inside a
//! field that the table does not name are typed into the field.

use crate::diagnose::Step;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

/// Which keys apply: the panels, a field being edited, or an open modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Editing,
    Modal,
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Rerun,
    Save,
    NextField,
    PrevField,
    NextStep,
    PrevStep,
    Up,
    Down,
    Activate,
    Reveal,
    IgnoreEnv,
    /// Jump to a step (the table's digit key says which).
    Jump(Step),
    /// Keep the value being edited (Tab: and go to the next field).
    Keep,
    KeepAndNext,
    /// Leave the edit or the modal without acting.
    Cancel,
    /// A text-editing key inside a field.
    Edit(InputRequest),
    /// Yes in a confirmation.
    Confirm,
}

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Code(KeyCode),
    Ctrl(char),
    /// `1`..`5`: the step of that number.
    StepDigit,
    /// Any key not named elsewhere in the mode.
    Other,
}

/// One line of the table.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub mode: Mode,
    pub keys: &'static [Key],
    /// How the help shows the keys.
    pub label: &'static str,
    pub action: Action,
    /// What the help says they do.
    pub help: &'static str,
}

const fn bind(mode: Mode, keys: &'static [Key], label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding { mode, keys, label, action, help }
}

use Action as A;
use KeyCode as C;
use Mode::{Editing, Modal, Normal};

const fn ch(c: char) -> Key {
    Key::Code(KeyCode::Char(c))
}

/// Every binding, in the order the help lists them.
pub const BINDINGS: &[Binding] = &[
    bind(Normal, &[Key::Code(C::Left), ch('h')], "←/→  h/l", A::PrevStep, "previous / next step"),
    bind(Normal, &[Key::Code(C::Right), ch('l')], "", A::NextStep, ""),
    bind(Normal, &[Key::Code(C::Up), ch('k')], "↑/↓  k/j", A::Up, "previous / next field or check in the panel"),
    bind(Normal, &[Key::Code(C::Down), ch('j')], "", A::Down, ""),
    bind(Normal, &[Key::Code(C::Tab)], "Tab / Shift-Tab", A::NextField, "next / previous field (across steps)"),
    bind(Normal, &[Key::Code(C::BackTab)], "", A::PrevField, ""),
    bind(Normal, &[Key::StepDigit], "1-5", A::Jump(Step::Credentials), "jump to a step"),
    bind(Normal, &[Key::Code(C::Enter)], "Enter", A::Activate, "edit the field / apply the check's fix"),
    bind(Normal, &[ch('r')], "r", A::Rerun, "re-run the checks"),
    bind(Normal, &[ch('s')], "s", A::Save, "save the changes to the files (shows the diff first)"),
    bind(Normal, &[ch('v')], "v", A::Reveal, "reveal / hide the secret key and session token"),
    bind(Normal, &[ch('e')], "e", A::IgnoreEnv, "ignore / use the AWS_* key variables of the environment"),
    bind(Normal, &[ch('?')], "?", A::Help, "this help"),
    bind(Normal, &[ch('q'), Key::Code(C::Esc), Key::Ctrl('c')], "q  Esc  Ctrl-C", A::Quit, "quit"),
    bind(Editing, &[Key::Code(C::Enter)], "Enter", A::Keep, "keep the new value (the checks re-run)"),
    bind(Editing, &[Key::Code(C::Tab)], "Tab", A::KeepAndNext, "keep it and edit the next field"),
    bind(Editing, &[Key::Code(C::Esc)], "Esc", A::Cancel, "cancel the edit"),
    bind(Editing, &[Key::Ctrl('u')], "Ctrl-U", A::Edit(InputRequest::DeleteLine), "clear the field"),
    bind(Editing, &[Key::Ctrl('w')], "Ctrl-W", A::Edit(InputRequest::DeletePrevWord), "delete the word before"),
    bind(Editing, &[Key::Ctrl('a'), Key::Code(C::Home)], "Ctrl-A  Home", A::Edit(InputRequest::GoToStart), "start"),
    bind(Editing, &[Key::Ctrl('e'), Key::Code(C::End)], "Ctrl-E  End", A::Edit(InputRequest::GoToEnd), "end"),
    bind(Editing, &[Key::Ctrl('k')], "Ctrl-K", A::Edit(InputRequest::DeleteTillEnd), "delete to the end"),
    bind(Editing, &[Key::Code(C::Backspace)], "", A::Edit(InputRequest::DeletePrevChar), ""),
    bind(Editing, &[Key::Code(C::Delete)], "", A::Edit(InputRequest::DeleteNextChar), ""),
    bind(Editing, &[Key::Code(C::Left)], "", A::Edit(InputRequest::GoToPrevChar), ""),
    bind(Editing, &[Key::Code(C::Right)], "", A::Edit(InputRequest::GoToNextChar), ""),
    bind(Modal, &[ch('y'), Key::Code(C::Enter)], "y  Enter", A::Confirm, "yes (in a confirmation)"),
    bind(Modal, &[Key::Other], "any other key", A::Cancel, "no / close"),
];

impl Key {
    fn matches(self, key: &KeyEvent) -> Option<Option<Step>> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Key::Ctrl(want), KeyCode::Char(got)) if ctrl => (want == got).then_some(None),
            (Key::Code(want), got) if !ctrl => (want == got).then_some(None),
            (Key::StepDigit, KeyCode::Char(c @ '1'..='5')) if !ctrl => {
                Some(Step::ALL.get(usize::from(c as u8 - b'1')).copied())
            }
            _ => None,
        }
    }
}

/// The action of a key in a mode. In `Editing`, a printable key the table
/// does not name is typed; in `Modal`, any other key closes.
pub fn action(mode: Mode, key: &KeyEvent) -> Option<Action> {
    let in_mode = || BINDINGS.iter().filter(move |b| b.mode == mode);
    for binding in in_mode() {
        for k in binding.keys {
            if let Some(step) = k.matches(key) {
                return Some(match (binding.action, step) {
                    (A::Jump(_), Some(step)) => A::Jump(step),
                    (action, _) => action,
                });
            }
        }
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match (mode, key.code) {
        (Editing, KeyCode::Char(c)) if !ctrl => Some(A::Edit(InputRequest::InsertChar(c))),
        (Modal, _) => in_mode().find(|b| b.keys.contains(&Key::Other)).map(|b| b.action),
        _ => None,
    }
}

/// The bindings the help shows for a mode (continuation lines folded into the one above).
pub fn help(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.mode == mode && !b.help.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn vim_keys_and_arrows_agree() {
        assert_eq!(action(Normal, &key(KeyCode::Char('j'))), action(Normal, &key(KeyCode::Down)));
        assert_eq!(action(Normal, &key(KeyCode::Char('l'))), action(Normal, &key(KeyCode::Right)));
        assert_eq!(action(Normal, &key(KeyCode::Char('3'))), Some(A::Jump(Step::Mfa)));
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action(Normal, &ctrl_c), Some(A::Quit));
        assert_eq!(action(Normal, &key(KeyCode::Char('c'))), None);
    }

    #[test]
    fn editing_types_what_the_table_does_not_name() {
        assert_eq!(action(Editing, &key(KeyCode::Char('q'))), Some(A::Edit(InputRequest::InsertChar('q'))));
        assert_eq!(action(Editing, &key(KeyCode::Esc)), Some(A::Cancel));
        let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(action(Editing, &ctrl_u), Some(A::Edit(InputRequest::DeleteLine)));
        assert_eq!(action(Modal, &key(KeyCode::Char('y'))), Some(A::Confirm));
        assert_eq!(action(Modal, &key(KeyCode::Char('x'))), Some(A::Cancel));
    }

    #[test]
    fn the_help_shows_every_key_that_acts() {
        let shown: Vec<&str> = help(Normal).map(|b| b.label).collect();
        assert!(shown.iter().any(|l| l.contains("Ctrl-C")) && shown.contains(&"1-5") && shown.contains(&"e"));
    }
}
