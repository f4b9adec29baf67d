//! The draft: the files as they are on disk, the working copy that fields
//! and one-key fixes edit (saved only when the user confirms), the side
//! files gathered for them, and the environment the checks see (with the
//! key variables ignored on request). No IO: the runtime reads and writes.

use crate::base::environment::Environment;
use crate::diagnose::Gathered;
use crate::diagnose::input::gather::SideFiles;
use crate::profile::{ProfileFiles, SdkView, set_target};
use crate::tui::fields::Field;

/// The key variables `e` (or the env-override fix) makes the checks ignore.
pub const ENV_KEY_VARIABLES: [&str; 4] =
    ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION"];

/// The files being edited and what the checks read with them.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The process environment.
    pub env: Environment,
    /// Whether the checks ignore the environment's key variables.
    pub ignore_env: bool,
    /// The files as last read from disk.
    pub saved: ProfileFiles,
    /// The working copy.
    pub edited: ProfileFiles,
    /// The side files (SSO cache, CA bundle), as last gathered.
    pub side: SideFiles,
    /// The SDK's view of the working copy, refreshed with the report (not per frame).
    pub view: SdkView,
    /// The working copy before each edit, newest last (`u` goes back one).
    pub history: Vec<Undo>,
}

/// The working copy before one edit, and what the edit was.
#[derive(Debug, Clone)]
pub struct Undo {
    pub what: String,
    pub edited: ProfileFiles,
    pub ignore_env: bool,
}

/// The most edits `u` can undo.
const HISTORY: usize = 50;

impl Draft {
    /// A draft of freshly gathered files.
    pub fn new(gathered: Gathered) -> Self {
        let Gathered { env, files, side } = gathered;
        Draft {
            env,
            ignore_env: false,
            view: files.view(),
            saved: files.clone(),
            edited: files,
            side,
            history: Vec::new(),
        }
    }

    /// The environment the checks see.
    pub fn effective_env(&self) -> Environment {
        if self.ignore_env { self.env.without(&ENV_KEY_VARIABLES) } else { self.env.clone() }
    }

    /// What the facts are built from: the working copy, with `typing` (a field
    /// of `profile` and the text being typed into it) applied on top.
    pub fn gathered(&self, profile: &str, typing: Option<(Field, &str)>) -> Gathered {
        let mut files = self.edited.clone();
        if let Some((field, text)) = typing {
            apply_field(&mut files, profile, field, text);
        }
        Gathered { env: self.effective_env(), files, side: self.side.clone() }
    }

    /// Whether the working copy differs from the files on disk.
    pub fn is_dirty(&self) -> bool {
        self.edited.config.document != self.saved.config.document
            || self.edited.credentials.document != self.saved.credentials.document
    }

    /// Files read again from disk replace both the saved state and the working
    /// copy (the edits before are on disk now, or gone: nothing to undo).
    pub fn reloaded(&mut self, files: ProfileFiles) {
        self.saved = files.clone();
        self.edited = files;
        self.history.clear();
    }

    /// Keeps the working copy as it is before an edit described by `what`.
    pub fn remember(&mut self, what: impl Into<String>) {
        self.remember_before(what, self.edited.clone());
    }

    /// Keeps `edited`, the working copy before an edit described by `what`.
    pub fn remember_before(&mut self, what: impl Into<String>, edited: ProfileFiles) {
        if self.history.len() == HISTORY {
            self.history.remove(0);
        }
        self.history.push(Undo { what: what.into(), edited, ignore_env: self.ignore_env });
    }

    /// Puts back the working copy before the newest edit; says what was undone.
    pub fn undo(&mut self) -> Option<String> {
        let undo = self.history.pop()?;
        self.edited = undo.edited;
        self.ignore_env = undo.ignore_env;
        Some(undo.what)
    }

    /// The value of a file field of `profile`, as the SDK sees the working copy.
    pub fn value(&self, profile: &str, field: Field) -> Option<String> {
        let key = field.file_key()?;
        Some(self.view.profiles.get(profile).and_then(|p| p.get(key)).unwrap_or_default().to_string())
    }
}

/// Writes a file field into files: set, or remove when empty.
pub fn apply_field(files: &mut ProfileFiles, profile: &str, field: Field, value: &str) {
    let Some(key) = field.file_key() else { return };
    let (kind, section) = set_target(key, profile, &files.config.document);
    let document = &mut files.file_mut(kind).document;
    if value.is_empty() {
        document.remove(&section, key);
    } else {
        document.set(&section, key, value);
    }
}
