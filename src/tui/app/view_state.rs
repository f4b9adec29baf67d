//! What the user looks at, apart from the data: the step shown, the item
//! under the cursor, an open modal, the notice line, whether secrets are
//! revealed, the spinner frame, and whether the user has navigated (then a
//! run never moves the view). Pure.

use crate::diagnose::Step;
use crate::tui::fields::Field;

/// An overlay over the panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Help,
    /// The diff of a save, waiting for y/n. Secrets in it are masked.
    ConfirmSave(Vec<String>),
    /// A new MFA session, waiting for y/n to write it to this profile.
    ConfirmSession(String),
}

/// A line for the user at the bottom of the panel.
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
}

impl ViewState {
    /// The view on `step`, nothing open.
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
        }
    }
}
