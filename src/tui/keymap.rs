//! Keys to actions, in one table per mode that matching, the help screen,
//! the footer and `credwiz --help` all read: what they list is what the keys
//! do. Text keys inside a text input (a field, the picker's filter, the
//! renewal's code) that the table does not name are typed.

use crate::diagnose::Step;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

/// Which keys apply: the panels, a field being edited, or an overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Editing,
    /// A yes/no question (the save diff, an MFA session).
    Confirm,
    /// Unsaved edits and a request to quit.
    QuitPrompt,
    Help,
    /// A fix guide, full screen.
    Guide,
    /// The profile picker.
    Picker,
    /// The MFA code of a session renewal.
    Renew,
    /// A message to read (what was copied).
    Message,
    /// A `/` search being typed.
    Search,
}

impl Mode {
    /// Every mode, in the order the help lists them.
    pub const ALL: [Mode; 10] = [
        Mode::Normal,
        Mode::Editing,
        Mode::Search,
        Mode::Picker,
        Mode::Renew,
        Mode::Confirm,
        Mode::QuitPrompt,
        Mode::Guide,
        Mode::Help,
        Mode::Message,
    ];

    /// The heading of the mode's keys in the help.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Normal => "On the panels",
            Mode::Editing => "In a field being edited",
            Mode::Confirm => "In a yes/no question (save diff, MFA session)",
            Mode::QuitPrompt => "When quitting with unsaved edits",
            Mode::Help => "In this help",
            Mode::Guide => "In a full-screen guide",
            Mode::Picker => "In the profile picker",
            Mode::Renew => "Renewing an expired session",
            Mode::Message => "In a message",
            Mode::Search => "Typing a search (/)",
        }
    }

    /// Whether unnamed printable keys are typed into a text input.
    pub fn types_text(self) -> bool {
        matches!(self, Mode::Editing | Mode::Picker | Mode::Renew | Mode::Search)
    }
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Quit; through the quit prompt when edits are pending.
    Quit,
    /// Back: leave what is open; on the main screen, quit (through the prompt).
    Back,
    Help,
    Rerun,
    Save,
    NextField,
    PrevField,
    NextStep,
    PrevStep,
    Up,
    Down,
    PageUp,
    PageDown,
    Activate,
    Reveal,
    IgnoreEnv,
    NextProblem,
    PrevProblem,
    Guide,
    Copy,
    Profiles,
    /// Jump to a step (the table's digit key says which).
    Jump(Step),
    /// Keep the value being edited (Tab: and go to the next field).
    Keep,
    KeepAndNext,
    /// Leave the edit or the overlay without acting.
    Cancel,
    /// A text-editing key inside a text input.
    Edit(InputRequest),
    /// Yes in a confirmation.
    Confirm,
    SaveAndQuit,
    DiscardAndQuit,
    /// Ctrl-Z: hand the terminal back to the shell; `fg` resumes with a full redraw.
    Suspend,
    /// Make the profile checked the working one (`export AWS_PROFILE` on exit).
    Choose,
    /// The picker: only the failing profiles (again: all).
    FailingOnly,
    /// Undo the newest edit of the draft.
    Undo,
    /// Copy the value under the cursor.
    Yank,
    /// Open the file a check points to in `$EDITOR`.
    OpenEditor,
    /// `/`: search the panel and the guide.
    Search,
    /// The next / previous match of the search.
    NextMatch,
    PrevMatch,
    /// The fix under the cursor for every profile with the same cause, one diff.
    FixAll,
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
    /// How the help shows the keys (empty: folded into the line above).
    pub label: &'static str,
    pub action: Action,
    /// What the help says they do.
    pub help: &'static str,
    /// How the footer shows them (`key word`; empty: not in the footer). The
    /// footer keeps them in table order and drops the last ones first.
    pub footer: &'static str,
}

const fn bind(mode: Mode, keys: &'static [Key], label: &'static str, action: Action, help: &'static str) -> Binding {
    Binding { mode, keys, label, action, help, footer: "" }
}

impl Binding {
    const fn foot(self, footer: &'static str) -> Binding {
        Binding { footer, ..self }
    }
}

use Action as A;
use KeyCode as C;
use Mode::{Confirm, Editing, Guide, Help, Message, Normal, Picker, QuitPrompt, Renew, Search};

const fn ch(c: char) -> Key {
    Key::Code(KeyCode::Char(c))
}

const ESC: Key = Key::Code(C::Esc);
const ENTER: Key = Key::Code(C::Enter);
const UP: Key = Key::Code(C::Up);
const DOWN: Key = Key::Code(C::Down);
const F1: Key = Key::Code(C::F(1));

/// Every binding, in the order the help lists them.
pub const BINDINGS: &[Binding] = &[
    bind(Normal, &[ENTER], "Enter", A::Activate, "edit the field; on a check: its fix (⏎), or why there is none")
        .foot("⏎ edit"),
    bind(
        Normal,
        &[ch('n')],
        "n / N",
        A::NextProblem,
        "next / previous problem, the ones ⏎ fixes first (all steps); during a search: next / previous match",
    )
    .foot("n next"),
    bind(Normal, &[ch('N')], "", A::PrevProblem, ""),
    bind(
        Normal,
        &[ch('/')],
        "/",
        A::Search,
        "search the panel and the guide as you type (any case); Enter keeps it, Esc leaves it",
    ),
    bind(
        Normal,
        &[ch('F')],
        "F",
        A::FixAll,
        "fix every profile with the cause under the cursor (the same one-key fix), then one diff to save",
    ),
    bind(Normal, &[ch('s')], "s", A::Save, "save the edits to the files (shows the diff first)").foot("s save"),
    bind(Normal, &[Key::Code(C::Left), ch('h')], "←/→  h/l", A::PrevStep, "previous / next step").foot("←→ 1-5 step"),
    bind(Normal, &[Key::Code(C::Right), ch('l')], "", A::NextStep, ""),
    bind(Normal, &[UP, ch('k')], "↑/↓  k/j", A::Up, "previous / next field or check in the panel").foot("↑↓ item"),
    bind(Normal, &[DOWN, ch('j')], "", A::Down, ""),
    bind(Normal, &[ch('e')], "e", A::IgnoreEnv, "ignore / use the AWS_* key variables of the environment")
        .foot("e env"),
    bind(Normal, &[Key::StepDigit], "1-5", A::Jump(Step::Credentials), "jump to a step"),
    bind(Normal, &[ch('p'), Key::Ctrl('p')], "p  Ctrl-P", A::Profiles, "pick another profile (fuzzy filter)")
        .foot("p profile"),
    bind(Normal, &[ch('g')], "g", A::Guide, "the fix guide, full screen").foot("g guide"),
    bind(Normal, &[ch('c')], "c", A::Copy, "copy the fix command, or a request for your admins (OSC 52)")
        .foot("c copy"),
    bind(Normal, &[ch('r')], "r", A::Rerun, "re-run the checks").foot("r re-run"),
    bind(
        Normal,
        &[ch('u')],
        "u",
        A::Undo,
        "undo the newest edit of the draft, field by field (not the files' backups)",
    ),
    bind(
        Normal,
        &[ch('o')],
        "o",
        A::OpenEditor,
        "open $EDITOR ($VISUAL, vi) at the file and line of the check; files read again after",
    ),
    bind(Normal, &[ch('y')], "y", A::Yank, "copy the value under the cursor (an ARN, a key id, a request id; OSC 52)"),
    bind(Normal, &[ch('v')], "v", A::Reveal, "reveal / hide the secret key and session token").foot("v reveal"),
    bind(
        Normal,
        &[ch('w')],
        "w",
        A::Choose,
        "work with this profile: on exit, credwiz prints the `export AWS_PROFILE=...` to run",
    ),
    bind(Normal, &[Key::Code(C::Tab)], "Tab / Shift-Tab", A::NextField, "next / previous field (across steps)"),
    bind(Normal, &[Key::Code(C::BackTab)], "", A::PrevField, ""),
    bind(Normal, &[Key::Code(C::PageDown), Key::Ctrl('d')], "PgDn/PgUp  Ctrl-D/U", A::PageDown, "scroll the panel"),
    bind(Normal, &[Key::Code(C::PageUp), Key::Ctrl('u')], "", A::PageUp, ""),
    bind(Normal, &[ch('?'), F1], "?  F1", A::Help, "every key, and what the symbols mean").foot("? help"),
    bind(Normal, &[Key::Ctrl('z')], "Ctrl-Z", A::Suspend, "suspend to the shell (fg comes back)"),
    bind(Normal, &[ch('q'), Key::Ctrl('c')], "q  Ctrl-C", A::Quit, "quit (asks first when edits are unsaved)")
        .foot("q quit"),
    bind(Normal, &[ESC], "Esc", A::Back, "back: clear the message; else quit as q does"),
    bind(Editing, &[ENTER], "Enter", A::Keep, "keep the new value (the checks re-run)").foot("⏎ keep"),
    bind(Editing, &[Key::Code(C::Tab)], "Tab", A::KeepAndNext, "keep it and edit the next field").foot("Tab next"),
    bind(Editing, &[ESC], "Esc", A::Cancel, "back: cancel the edit, the old value stays").foot("Esc cancel"),
    bind(Editing, &[Key::Ctrl('u')], "Ctrl-U", A::Edit(InputRequest::DeleteLine), "clear the field").foot("^U clear"),
    bind(Editing, &[Key::Ctrl('r')], "Ctrl-R", A::Reveal, "show / hide a secret while typing").foot("^R reveal"),
    bind(Editing, &[Key::Ctrl('p')], "Ctrl-P", A::Profiles, "keep the value and pick a profile"),
    bind(Editing, &[Key::Ctrl('w')], "Ctrl-W", A::Edit(InputRequest::DeletePrevWord), "delete the word before"),
    bind(Editing, &[Key::Ctrl('a'), Key::Code(C::Home)], "Ctrl-A  Home", A::Edit(InputRequest::GoToStart), "start"),
    bind(Editing, &[Key::Ctrl('e'), Key::Code(C::End)], "Ctrl-E  End", A::Edit(InputRequest::GoToEnd), "end"),
    bind(Editing, &[Key::Ctrl('k')], "Ctrl-K", A::Edit(InputRequest::DeleteTillEnd), "delete to the end"),
    bind(Editing, &[Key::Code(C::Backspace)], "", A::Edit(InputRequest::DeletePrevChar), ""),
    bind(Editing, &[Key::Code(C::Delete)], "", A::Edit(InputRequest::DeleteNextChar), ""),
    bind(
        Editing,
        &[Key::Code(C::Left)],
        "←/→",
        A::Edit(InputRequest::GoToPrevChar),
        "move (the first key typed replaces the whole value)",
    ),
    bind(Editing, &[Key::Code(C::Right)], "", A::Edit(InputRequest::GoToNextChar), ""),
    bind(Editing, &[F1], "F1", A::Help, "the keys of this mode first, then all"),
    bind(Editing, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Editing, &[Key::Ctrl('z')], "Ctrl-Z", A::Suspend, "suspend to the shell (fg comes back)"),
    bind(Picker, &[ENTER], "Enter", A::Confirm, "switch to the profile (a name nothing matches: use it as typed)")
        .foot("⏎ switch"),
    bind(Picker, &[UP, Key::Ctrl('p'), Key::Code(C::BackTab)], "↑/↓  Ctrl-P/N", A::Up, "previous / next profile")
        .foot("↑↓ move"),
    bind(Picker, &[DOWN, Key::Ctrl('n'), Key::Code(C::Tab)], "", A::Down, ""),
    bind(Picker, &[ESC], "Esc", A::Cancel, "back: close the picker").foot("Esc close"),
    bind(Picker, &[Key::Ctrl('u')], "Ctrl-U", A::Edit(InputRequest::DeleteLine), "clear the filter")
        .foot("type to filter"),
    bind(Picker, &[Key::Code(C::Backspace)], "", A::Edit(InputRequest::DeletePrevChar), ""),
    bind(
        Picker,
        &[ch('f'), Key::Ctrl('f')],
        "f  Ctrl-F",
        A::FailingOnly,
        "failing profiles only, or all again (f: before typing a filter)",
    )
    .foot("f failing"),
    bind(Picker, &[F1], "F1", A::Help, "the keys of this mode first, then all"),
    bind(Picker, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Renew, &[ENTER], "Enter", A::Confirm, "get the new session with this code").foot("⏎ renew"),
    bind(Renew, &[ESC], "Esc", A::Cancel, "back: do not renew").foot("Esc cancel"),
    bind(Renew, &[Key::Code(C::Backspace)], "", A::Edit(InputRequest::DeletePrevChar), ""),
    bind(Renew, &[Key::Ctrl('u')], "Ctrl-U", A::Edit(InputRequest::DeleteLine), "clear the code"),
    bind(Renew, &[F1], "F1", A::Help, "the keys of this mode first, then all"),
    bind(Renew, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Confirm, &[ch('y'), ENTER], "y  Enter", A::Confirm, "yes").foot("y yes"),
    bind(Confirm, &[ch('n'), ESC], "n  Esc", A::Cancel, "no, back").foot("n/Esc no"),
    bind(Confirm, &[UP, ch('k')], "↑/↓  PgUp/PgDn", A::Up, "scroll").foot("↑↓ scroll"),
    bind(Confirm, &[DOWN, ch('j')], "", A::Down, ""),
    bind(Confirm, &[Key::Code(C::PageUp)], "", A::PageUp, ""),
    bind(Confirm, &[Key::Code(C::PageDown)], "", A::PageDown, ""),
    bind(Confirm, &[F1], "F1", A::Help, "the keys of this mode first, then all"),
    bind(Confirm, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(QuitPrompt, &[ch('s')], "s", A::SaveAndQuit, "save the edits, then quit").foot("s save+quit"),
    bind(QuitPrompt, &[ch('d')], "d", A::DiscardAndQuit, "discard the edits and quit").foot("d discard+quit"),
    bind(QuitPrompt, &[ESC, ch('n')], "Esc  n", A::Cancel, "back: stay in credwiz").foot("Esc stay"),
    bind(QuitPrompt, &[F1], "F1", A::Help, "the keys of this mode first, then all"),
    bind(QuitPrompt, &[Key::Ctrl('c')], "Ctrl-C", A::DiscardAndQuit, "discard and quit"),
    bind(QuitPrompt, &[UP, ch('k')], "↑/↓", A::Up, "scroll the diff"),
    bind(QuitPrompt, &[DOWN, ch('j')], "", A::Down, ""),
    bind(Guide, &[ESC, ch('q'), ch('g')], "Esc  q  g", A::Cancel, "back: close the guide").foot("Esc close"),
    bind(Guide, &[UP, ch('k')], "↑/↓  PgUp/PgDn", A::Up, "scroll").foot("↑↓ scroll"),
    bind(Guide, &[DOWN, ch('j')], "", A::Down, ""),
    bind(Guide, &[Key::Code(C::PageUp)], "", A::PageUp, ""),
    bind(Guide, &[Key::Code(C::PageDown), ch(' ')], "", A::PageDown, ""),
    bind(Guide, &[ch('c')], "c", A::Copy, "copy the fix command").foot("c copy"),
    bind(Guide, &[ch('/')], "/", A::Search, "search the guide (Esc leaves the search, then the guide)")
        .foot("/ search"),
    bind(Guide, &[ch('n')], "n / N", A::NextMatch, "next / previous match of the search"),
    bind(Guide, &[ch('N')], "", A::PrevMatch, ""),
    bind(Guide, &[ch('?'), F1], "?  F1", A::Help, "the keys of this mode first, then all"),
    bind(Guide, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Help, &[ESC, ch('q'), ch('?'), F1], "Esc  q  ?", A::Cancel, "back: close the help").foot("Esc close"),
    bind(Help, &[UP, ch('k')], "↑/↓  PgUp/PgDn", A::Up, "scroll").foot("↑↓ scroll"),
    bind(Help, &[DOWN, ch('j')], "", A::Down, ""),
    bind(Help, &[Key::Code(C::PageUp)], "", A::PageUp, ""),
    bind(Help, &[Key::Code(C::PageDown), ch(' ')], "", A::PageDown, ""),
    bind(Help, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Search, &[ENTER], "Enter", A::Keep, "keep the search: n / N go to the next / previous match").foot("⏎ keep"),
    bind(Search, &[ESC], "Esc", A::Cancel, "back: leave the search").foot("Esc leave"),
    bind(Search, &[Key::Code(C::Backspace)], "", A::Edit(InputRequest::DeletePrevChar), ""),
    bind(Search, &[Key::Ctrl('u')], "Ctrl-U", A::Edit(InputRequest::DeleteLine), "clear the query"),
    bind(Search, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Message, &[Key::Ctrl('c')], "Ctrl-C", A::Quit, "quit (asks first)"),
    bind(Message, &[Key::Other], "any key", A::Cancel, "close").foot("any key closes"),
];

impl Key {
    fn matches(self, key: &KeyEvent) -> Option<Option<Step>> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Key::Ctrl(want), KeyCode::Char(got)) if ctrl => (want == got.to_ascii_lowercase()).then_some(None),
            (Key::Code(want), got) if !ctrl => (want == got).then_some(None),
            (Key::StepDigit, KeyCode::Char(c @ '1'..='5')) if !ctrl => {
                Some(Step::ALL.get(usize::from(c as u8 - b'1')).copied())
            }
            _ => None,
        }
    }
}

/// The action of a key in a mode. In a text input, a printable key the
/// table does not name is typed; where the table has `Other`, any other key.
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
    match key.code {
        KeyCode::Char(c) if mode.types_text() && !ctrl => Some(A::Edit(InputRequest::InsertChar(c))),
        _ => in_mode().find(|b| b.keys.contains(&Key::Other)).map(|b| b.action),
    }
}

/// The bindings the help shows for a mode (continuation lines folded into the one above).
pub fn help(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.mode == mode && !b.help.is_empty())
}

/// The footer entries of a mode, in table order.
pub fn footer(mode: Mode) -> impl Iterator<Item = &'static Binding> {
    BINDINGS.iter().filter(move |b| b.mode == mode && !b.footer.is_empty())
}

/// The keys of the main screen and of a field being edited, as plain text
/// (for `credwiz --help`).
pub fn help_text() -> String {
    let mut out = String::new();
    for mode in [Normal, Editing, Picker] {
        out.push_str(&format!("  {}:\n", mode.title()));
        for b in help(mode) {
            out.push_str(&format!("    {:<20} {}\n", b.label, b.help));
        }
    }
    out
}

#[cfg(test)]
mod tests;
