//! One result of one check: its status, cause, evidence and fix, plus the
//! repair the wizard can apply with one key press.

use crate::profile::{FileKind, SectionName};
use crate::vocabulary::cause::{Cause, Status, Step};
use serde::Serialize;

/// An edit that fixes a finding in place (applied through the lossless editor).
#[derive(Debug, Clone)]
pub enum Repair {
    /// Set `key` to a cleaned value (trim stray characters). The value may be
    /// secret: it is never shown, only written.
    SetValue { file: FileKind, section: SectionName, key: String, value: secrecy::SecretString },
    /// Set several (non-secret) keys in one section at once (the legacy SSO keys beside `sso_session`).
    SetValues { file: FileKind, section: SectionName, values: Vec<(String, String)> },
    /// Exchange the values of two keys.
    Swap { file: FileKind, section: SectionName, first: String, second: String },
    /// Rename a key (a misspelling the SDKs ignore).
    RenameKey { file: FileKind, section: SectionName, from: String, to: String },
    /// Remove a key (a stale session token).
    RemoveKey { file: FileKind, section: SectionName, key: String },
    /// Rename a section header (`[profile x]` in credentials -> `[x]`).
    RenameSection { file: FileKind, from: SectionName, to: SectionName },
    /// Run the checks without the environment's key variables (the shell
    /// must still `unset` them: the fix text says how).
    IgnoreEnvKeys,
}

/// A finding of one check.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Stable check id (`sts-caller-identity`, `key-format`...).
    pub id: &'static str,
    #[serde(skip)]
    pub step: Step,
    pub status: Status,
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(skip)]
    pub repair: Option<Repair>,
    /// Text the wizard's `c` copies instead of the fix line (a corrected trust
    /// policy to paste into the role): a title and the text. Never written anywhere.
    #[serde(skip)]
    pub copy: Option<(String, String)>,
}

impl Finding {
    /// A new finding with only the essentials.
    pub fn new(id: &'static str, step: Step, status: Status, summary: impl Into<String>) -> Self {
        Finding {
            id,
            step,
            status,
            summary: summary.into(),
            cause: None,
            fix: None,
            error_code: None,
            request_id: None,
            location: None,
            evidence: Vec::new(),
            duration_ms: None,
            repair: None,
            copy: None,
        }
    }

    /// A passing check.
    pub fn pass(id: &'static str, step: Step, summary: impl Into<String>) -> Self {
        Finding::new(id, step, Status::Pass, summary)
    }

    /// A check that could not run, with the reason.
    pub fn skip(id: &'static str, step: Step, reason: impl Into<String>) -> Self {
        Finding::new(id, step, Status::Skip, reason)
    }

    /// A failure with its cause (shown in the cause's step unless moved with `in_step`).
    pub fn fail(id: &'static str, cause: Cause, summary: impl Into<String>, fix: impl Into<String>) -> Self {
        let mut f = Finding::new(id, cause.step(), Status::Fail, summary);
        f.cause = Some(cause);
        f.fix = Some(fix.into());
        f
    }

    /// A warning with its cause.
    pub fn warn(id: &'static str, cause: Cause, summary: impl Into<String>, fix: impl Into<String>) -> Self {
        Finding { status: Status::Warn, ..Finding::fail(id, cause, summary, fix) }
    }

    /// Shows the finding in another step than its cause's.
    pub fn in_step(mut self, step: Step) -> Self {
        self.step = step;
        self
    }

    /// Adds where the offending value is.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Adds a line of evidence.
    pub fn with_evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    /// Attaches a one-key repair.
    pub fn with_repair(mut self, repair: Repair) -> Self {
        self.repair = Some(repair);
        self
    }
}
