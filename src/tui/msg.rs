//! What flows into the wizard's `update` (messages) and out of it (effects).
//! Effects are data: the runtime performs them and answers with messages.

use crate::diagnose::plan::Outcome;
use crate::diagnose::runner::{RunEvent, RunId};
use crate::diagnose::{Diagnosis, Facts};
use crate::profile::{Document, ProfileFiles};
use crossterm::event::KeyEvent;

/// An input to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// The terminal was resized (a redraw is all it needs).
    Resize,
    /// Spinner frame, sent only while checks run.
    Tick,
    /// A check of a run started or finished.
    Run(RunEvent),
    /// A run finished (all checks done, or the budget ran out).
    RunDone { run: RunId, diagnosis: Box<Diagnosis> },
    /// The files were written (with what to tell the user), or why not.
    Saved(Result<(ProfileFiles, String), String>),
    /// The MFA session was written to this profile, or why not.
    SessionWritten(Result<(String, String), String>),
    /// The files were read again.
    Reloaded(Result<ProfileFiles, String>),
}

/// Work for the runtime.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Run the live checks for these facts; a newer run replaces (cancels) an older one.
    RunChecks { run: RunId, facts: Box<Facts> },
    /// Write the draft documents over the loaded files (each only if changed).
    Save { files: Box<ProfileFiles>, config: Box<Document>, credentials: Box<Document> },
    /// Write the MFA session of these outcomes to profile `target`.
    WriteSession { facts: Box<Facts>, outcomes: Vec<Outcome>, target: String },
    /// Read the files again.
    Reload,
    /// Leave the wizard.
    Quit,
}
