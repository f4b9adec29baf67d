//! How values are shown to people, in one place used by every view (report,
//! wizard, diff, messages): masked key ids and secrets, and paths with the
//! home directory as `~`. Pure.

use crate::base::environment::Environment;
use std::path::Path;

/// Sixteen stars, then the last 4 characters when the value is longer than
/// `hide_tail_up_to` characters (shorter values are all stars); empty stays empty.
fn masked(value: &str, hide_tail_up_to: usize) -> String {
    if value.is_empty() {
        return String::new();
    }
    let count = value.chars().count();
    let tail: String =
        if count > hide_tail_up_to { value.chars().skip(count.saturating_sub(4)).collect() } else { String::new() };
    format!("{}{tail}", "*".repeat(16))
}

/// Masks a key id the way `aws configure list` does: `****************WXYZ`.
pub fn mask_key_id(id: &str) -> String {
    masked(id, 0)
}

/// Masks a secret or token for display: last 4 characters only, none of a short value.
pub fn mask_secret(value: &str) -> String {
    masked(value, 8)
}

/// A path with the home directory shown as `~`.
pub fn display_path(env: &Environment, path: &Path) -> String {
    if let Some(rest) = env.home().and_then(|home| path.strip_prefix(home).ok()) {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

/// A message for people with the home directory written `~` wherever it
/// stands as a whole path prefix (`/home/al` in `/home/al/x`, not in `/home/alice`).
pub fn home_as_tilde(env: &Environment, text: &str) -> String {
    let Some(home) = env.home().map(|h| h.display().to_string()).filter(|h| h.len() > 1) else {
        return text.to_string();
    };
    let home = home.trim_end_matches('/');
    let in_path = |c: char| c.is_alphanumeric() || "._-/".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(home) {
        let before = if at > 0 { rest[..at].chars().last() } else { out.chars().last() };
        let after = rest[at + home.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_none_or(|c| !in_path(c)) && after.is_none_or(|c| c == '/' || !in_path(c)) {
            out.push('~');
        } else {
            out.push_str(home);
        }
        rest = &rest[at + home.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_becomes_tilde_only_as_a_whole_path_prefix() {
        let env = Environment::from_pairs([("HOME", "/home/al")], Some("/home/al".into()));
        assert_eq!(
            home_as_tilde(&env, "cannot write /home/al/.aws/config: /home/alice/x and /data/home/al/y stay"),
            "cannot write ~/.aws/config: /home/alice/x and /data/home/al/y stay"
        );
        assert_eq!(home_as_tilde(&env, "/home/al is full"), "~ is full");
    }

    #[test]
    fn masks_keep_only_the_last_four() {
        assert_eq!(mask_key_id("AKIAIOSFODNN7EXAMPLE"), "****************MPLE");
        assert_eq!(mask_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "****************EKEY");
        assert_eq!(mask_secret("short"), "****************");
        assert_eq!(mask_secret(""), "");
    }

    #[test]
    fn home_is_shown_as_tilde() {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/home/a".into()));
        assert_eq!(display_path(&env, Path::new("/home/a/.aws/config")), "~/.aws/config");
        assert_eq!(display_path(&env, Path::new("/etc/x")), "/etc/x");
    }
}
