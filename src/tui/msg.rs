//! What flows into the wizard's `update` (messages) and out of it (effects).
//! Effects are data: the runtime performs them and answers with messages.

use crate::diagnose::gather::SideFiles;
use crate::diagnose::runner::{RunEvent, RunId};
use crate::diagnose::{Facts, Outcomes};
use crate::environment::Environment;
use crate::profile::{Document, ProfileFiles, SdkView};
use chrono::{DateTime, Utc};
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
    /// The side files of run `run` were read, at `now`.
    Gathered { run: RunId, side: Box<SideFiles>, now: DateTime<Utc> },
    /// A check of a run started or finished.
    Run(RunEvent),
    /// A run finished (all checks done, or the budget ran out).
    RunDone { run: RunId, outcomes: Outcomes },
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
    /// Read the side files (SSO cache, CA bundle) that this view of the files names, for run `run`.
    Gather { run: RunId, env: Box<Environment>, view: Box<SdkView> },
    /// Run the live checks for these facts; a newer run replaces (cancels) an older one.
    RunChecks { run: RunId, facts: Box<Facts> },
    /// Write the draft documents over the loaded files (each only if changed).
    Save { files: Box<ProfileFiles>, config: Box<Document>, credentials: Box<Document> },
    /// Write the MFA session of these outcomes to profile `target`.
    WriteSession { facts: Box<Facts>, outcomes: Outcomes, target: String },
    /// Read the files again.
    Reload,
    /// Leave the wizard.
    Quit,
}
