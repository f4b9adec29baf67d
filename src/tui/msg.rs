//! What flows into the wizard's `update` (messages) and out of it (effects).
//! Effects are data: the runtime performs them and answers with messages.

use super::app::picker::ProfileStatus;
use super::app::written::Written;
use crate::base::environment::Environment;
use crate::diagnose::Gathered;
use crate::diagnose::input::gather::SideFiles;
use crate::diagnose::run::runner::{RunEvent, RunId};
use crate::diagnose::{Facts, Outcomes};
use crate::profile::{Document, ProfileFiles, SdkView};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

/// The files after a save, and what was written.
#[derive(Debug, Clone)]
pub struct SaveDone {
    pub files: ProfileFiles,
    pub written: Vec<Written>,
}

/// A session written to a profile.
#[derive(Debug, Clone)]
pub struct SessionDone {
    pub profile: String,
    pub written: Vec<Written>,
    /// When the session ends (RFC 3339), when AWS said.
    pub expiration: Option<String>,
}

/// An input to `update`.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// A mouse click or wheel turn.
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste).
    Paste(String),
    /// The terminal's size (columns, rows), at start and on every resize.
    Resize(u16, u16),
    /// Spinner frame, sent only while checks run.
    Tick,
    /// The wall clock, once a second (for "checked 12 s ago").
    Clock(DateTime<Utc>),
    /// The side files of run `run` were read, at `now`.
    Gathered { run: RunId, side: Box<SideFiles>, now: DateTime<Utc> },
    /// A check of a run started or finished.
    Run(RunEvent),
    /// A run finished (all checks done, or the budget ran out).
    RunDone { run: RunId, outcomes: Outcomes },
    /// The files were written, or why not.
    Saved(Result<SaveDone, String>),
    /// The MFA session was written, or why not.
    SessionWritten(Result<SessionDone, String>),
    /// The files were read again.
    Reloaded(Result<ProfileFiles, String>),
    /// What is known of other profiles (status and primary cause), for the picker.
    ProfileStatuses(Vec<ProfileStatus>),
    /// A command run in the terminal (`aws sso login`...) ended: how, or why it could not run.
    CommandDone(Result<String, String>),
    /// The CA bundle at `path` was tried on the endpoint: `Ok` when the handshake verifies with it.
    BundleChecked { path: String, verdict: Result<String, String> },
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
    /// Check every profile in the background (after the first run, at low
    /// concurrency) and report each one's status as `Msg::ProfileStatuses`.
    ScanProfiles { gathered: Box<Gathered>, active: Option<String>, timeout: std::time::Duration },
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Hand the terminal to a command (`aws sso login --profile P`), then take it back.
    RunCommand { argv: Vec<String>, env: Box<Environment> },
    /// Hand the terminal to an editor, then read the files again (`Msg::Reloaded`).
    Edit { argv: Vec<String>, env: Box<Environment> },
    /// Probe the endpoint again with the PEM file at `path` as the CA bundle.
    CheckBundle { path: String, target: Box<crate::netpath::Target>, env: Box<Environment> },
    /// Hand the terminal back to the shell until `fg`.
    Suspend,
    /// Leave the wizard.
    Quit,
}
