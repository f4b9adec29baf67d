//! What the wizard hands back when it exits, printed after the terminal is
//! restored: the files it wrote and their backups, and the lines the shell
//! must still run (a program cannot change its parent's environment). Paths
//! are shown with `~`. Pure.

use super::App;
use super::draft::ENV_KEY_VARIABLES;

pub use super::written::Written;

/// What happened to the files during the session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Every write, in order.
    pub written: Vec<Written>,
    /// Whether unsaved edits were discarded on quitting.
    pub discarded: bool,
}

/// A word for a shell command line: quoted unless plainly safe.
fn shell_word(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "._-/@+=:".contains(c)) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

impl App {
    /// The lines the shell must run for the checks' result to hold there.
    pub fn shell_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let set: Vec<&str> =
            ENV_KEY_VARIABLES.iter().copied().filter(|var| self.draft.env.get(var).is_some()).collect();
        if self.draft.ignore_env && !set.is_empty() {
            lines.push(format!("unset {}", set.join(" ")));
        }
        if let Some(chosen) = &self.form.chosen
            && self.draft.env.active_profile(None).0 != *chosen
        {
            lines.push(format!("export AWS_PROFILE={}", shell_word(chosen)));
        }
        lines
    }

    /// The exit summary: what was written, what was discarded, what to run.
    pub fn exit_summary(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.summary.written.is_empty() {
            out.push("credwiz wrote:".to_string());
            out.extend(self.summary.written.iter().map(|w| format!("  {}", w.describe())));
        }
        if self.summary.discarded {
            out.push("credwiz: unsaved edits were discarded; the files on disk are as they were.".to_string());
        }
        let shell = self.shell_lines();
        if self.form.chosen.is_none() && self.draft.env.active_profile(None).0 != self.form.profile {
            out.push(format!(
                "credwiz: AWS_PROFILE is unchanged; to work with profile {} instead, press w in the wizard on it.",
                crate::base::sanitize::line(&self.form.profile)
            ));
        }
        if !shell.is_empty() {
            out.push("Run in your shell (credwiz cannot change its parent's environment):".to_string());
            out.extend(shell.into_iter().map(|l| format!("  {l}")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word("dev-mfa"), "dev-mfa");
        assert_eq!(shell_word("my profile"), "'my profile'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
