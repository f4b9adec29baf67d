//! Keys to actions, in one table that the help screen also shows. Text
//! editing keys (inside a field) are handled by `tui-input`, not here.

use crate::diagnose::Step;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

/// What a key asks for, outside of text editing.
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
    Jump(Step),
}

/// Every binding, for the help screen: keys, then what they do.
pub const BINDINGS: &[(&str, &str)] = &[
    ("←/→  h/l", "previous / next step"),
    ("↑/↓  k/j", "previous / next field or check in the panel"),
    ("Tab / Shift-Tab", "next / previous field (across steps)"),
    ("1-5", "jump to a step"),
    ("Enter", "edit the field / apply the check's fix / get an MFA session"),
    ("Enter, Tab (editing)", "keep the new value (the checks re-run)"),
    ("Esc (editing)", "cancel the edit"),
    ("Ctrl-U (editing)", "clear the field"),
    ("r", "re-run the checks"),
    ("s", "save the changes to the files (shows the diff first)"),
    ("v", "reveal / hide the secret key and session token"),
    ("e", "ignore / use the AWS_* key variables of the environment"),
    ("?", "this help"),
    ("q  Esc", "quit"),
];

/// The action of a key outside of editing, if any.
pub fn action(key: &KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            _ => None,
        };
    }
    Some(match key.code {
        KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('r') => Action::Rerun,
        KeyCode::Char('s') => Action::Save,
        KeyCode::Tab => Action::NextField,
        KeyCode::BackTab => Action::PrevField,
        KeyCode::Right | KeyCode::Char('l') => Action::NextStep,
        KeyCode::Left | KeyCode::Char('h') => Action::PrevStep,
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Enter => Action::Activate,
        KeyCode::Char('v') => Action::Reveal,
        KeyCode::Char('e') => Action::IgnoreEnv,
        KeyCode::Char(c @ '1'..='5') => Action::Jump(Step::ALL[usize::from(c as u8 - b'1')]),
        _ => return None,
    })
}

/// A key inside a text field, as a `tui-input` request.
pub fn edit_request(key: &KeyEvent) -> Option<InputRequest> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('u') if ctrl => InputRequest::DeleteLine,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char(c) if !ctrl => InputRequest::InsertChar(c),
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vim_keys_and_arrows_agree() {
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert_eq!(action(&key(KeyCode::Char('j'))), action(&key(KeyCode::Down)));
        assert_eq!(action(&key(KeyCode::Char('l'))), action(&key(KeyCode::Right)));
        assert_eq!(action(&key(KeyCode::Char('3'))), Some(Action::Jump(Step::Mfa)));
        assert_eq!(action(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    }
}
