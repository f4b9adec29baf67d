//! What the user looks at, apart from the data: the step shown, the item
//! under the cursor, the open overlay, the notice line, whether secrets are
//! revealed, the spinner frame, the terminal's size and the scroll offsets,
//! and whether the user has navigated (then a run never moves the view). Pure.

use super::picker::Picker;
use super::renew::Renewal;
use crate::diagnose::{Cause, Step};
use crate::tui::fields::Field;
use crate::tui::keymap::Mode;

/// An overlay over the panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    /// Every key, the keys of `from` first, then the legend of symbols;
    /// closing it goes back to the overlay it was opened over.
    Help { from: Mode, back: Option<Box<Modal>> },
    /// The diff of a save, waiting for y/n. Secrets in it are masked.
    ConfirmSave(Vec<String>),
    /// A new MFA session, waiting for y/n to write it to this profile.
    ConfirmSession(String),
    /// Quitting with unsaved edits (their diff shown): save, discard or stay.
    ConfirmQuit(Vec<String>),
    /// A fix guide, full screen.
    Guide(Cause),
    /// The profile picker.
    Picker(Picker),
    /// Renewing an expired session from its base profile: the code.
    Renew(Renewal),
    /// Text that was copied to the clipboard, shown as well.
    Copied { title: String, text: String },
}

impl Modal {
    /// The key table that applies while the overlay is open.
    pub fn mode(&self) -> Mode {
        match self {
            Modal::Help { .. } => Mode::Help,
            Modal::ConfirmSave(_) | Modal::ConfirmSession(_) => Mode::Confirm,
            Modal::ConfirmQuit(_) => Mode::QuitPrompt,
            Modal::Guide(_) => Mode::Guide,
            Modal::Picker(_) => Mode::Picker,
            Modal::Renew(_) => Mode::Renew,
            Modal::Copied { .. } => Mode::Message,
        }
    }
}

/// A line for the user above the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

impl Notice {
    /// A notice that reports progress.
    pub fn info(text: impl Into<String>) -> Self {
        Notice { error: false, text: text.into() }
    }

    /// A notice that reports a problem.
    pub fn error(text: impl Into<String>) -> Self {
        Notice { error: true, text: text.into() }
    }
}

/// What the cursor of the panel is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Field(Field),
    Check(usize),
}

/// The view's state.
#[derive(Debug, Clone)]
pub struct ViewState {
    pub step: Step,
    /// Index into the current panel's items.
    pub cursor: usize,
    pub modal: Option<Modal>,
    pub notice: Option<Notice>,
    /// Secrets shown in clear.
    pub reveal: bool,
    pub spinner: usize,
    /// Whether the user has moved between steps (then runs never move the view).
    pub navigated: bool,
    /// Colours on (off with NO_COLOR or --no-color).
    pub color: bool,
    /// The terminal's size (columns, rows), for scrolling and mouse clicks.
    pub size: (u16, u16),
    /// The first line of the panel shown.
    pub scroll: usize,
    /// Whether the panel follows the cursor (off after scrolling by page or wheel).
    pub follow: bool,
    /// The first line of the guide column (wide layout).
    pub guide_scroll: usize,
    /// The first line of the overlay's text (help, guide, diff).
    pub modal_scroll: usize,
    /// The wall clock as last told (`Msg::Clock`).
    pub clock: Option<chrono::DateTime<chrono::Utc>>,
    /// The `/` search of the panel and the guide, while there is one.
    pub search: Option<crate::tui::search::Search>,
}

impl ViewState {
    /// The view on `step`, nothing open, on an 80x24 terminal until told otherwise.
    pub fn on(step: Step) -> Self {
        ViewState {
            step,
            cursor: 0,
            modal: None,
            notice: None,
            reveal: false,
            spinner: 0,
            navigated: false,
            color: true,
            size: (80, 24),
            scroll: 0,
            follow: true,
            guide_scroll: 0,
            modal_scroll: 0,
            clock: None,
            search: None,
        }
    }

    /// Opens an overlay, its text at the top.
    pub fn open(&mut self, modal: Modal) {
        self.modal = Some(modal);
        self.modal_scroll = 0;
    }
}
