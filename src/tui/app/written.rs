//! A file the wizard wrote and its backup, as people read it (`~` paths):
//! what a save or a session reports, and what the exit summary lists. Pure.

/// A file written, and the copy of what it held before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file, for display (`~/.aws/credentials`).
    pub path: String,
    /// Its backup, for display.
    pub backup: Option<String>,
}

impl Written {
    /// One line for people: the file and its backup.
    pub fn describe(&self) -> String {
        match &self.backup {
            Some(backup) => format!("{} (backup {backup})", self.path),
            None => format!("{} (new file)", self.path),
        }
    }
}
