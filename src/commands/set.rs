//! `credwiz set KEY VALUE [--profile P]`: the in-place editor from the command
//! line, with `aws configure set` semantics. Never echoes a secret.

use crate::environment::Environment;
use crate::profile::{CREDENTIAL_KEYS, FileKind, LoadedFile, set_target, view::is_identifier};
use std::fmt::Write as _;

/// What `set` did or why it refused; `message` is for people, never holds the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetOutcome {
    pub ok: bool,
    pub message: String,
}

impl SetOutcome {
    fn refused(message: impl Into<String>) -> Self {
        SetOutcome { ok: false, message: message.into() }
    }
}

/// Splits `profile.NAME.KEY` / `default.KEY` / `KEY` into (profile override, key).
fn split_key(key: &str) -> (Option<String>, String) {
    if let Some(rest) = key.strip_prefix("profile.")
        && let Some((name, k)) = rest.rsplit_once('.')
    {
        return (Some(name.to_string()), k.to_string());
    }
    if let Some(k) = key.strip_prefix("default.") {
        return (Some("default".to_string()), k.to_string());
    }
    (None, key.to_string())
}

/// Runs `set` against the files the environment names.
pub fn run(env: &Environment, profile_flag: Option<&str>, key: &str, value: &str) -> SetOutcome {
    let (profile_override, key) = split_key(key);
    let profile = match profile_override {
        Some(p) => p,
        None => env.active_profile(profile_flag).0,
    };
    if key.is_empty() || !is_identifier(&key) || key.contains('.') {
        return SetOutcome::refused(format!(
            "`{key}` is not a key credwiz can set (letters, digits and _-/%@:+; nested keys like s3.x are not supported)"
        ));
    }
    if !is_identifier(&profile) {
        return SetOutcome::refused(format!("`{profile}` is not a valid profile name (letters, digits and _-/.%@:+)"));
    }
    if value.contains(['\n', '\r']) {
        return SetOutcome::refused("the value holds a line break, which would break the file; nothing was written");
    }
    let config_path = env.config_path();
    let config = match LoadedFile::load(&config_path) {
        Ok(f) => f,
        Err(e) => return SetOutcome::refused(e.to_string()),
    };
    let (kind, section) = set_target(&key, &profile, &config.document);
    let mut file = match kind {
        FileKind::Config => config,
        FileKind::Credentials => match LoadedFile::load(&env.credentials_path()) {
            Ok(f) => f,
            Err(e) => return SetOutcome::refused(e.to_string()),
        },
    };
    let mut document = file.document.clone();
    let line = document.set(&section, &key, value);
    if !file.is_changed(&document) {
        return SetOutcome {
            ok: true,
            message: format!("{key} already has that value in [{}] of {}", section.header_text(), file.path.display()),
        };
    }
    match file.save(&document) {
        Ok(saved) => {
            let mut message =
                format!("set {key} in [{}] of {}, line {line}", section.header_text(), saved.written.display());
            if CREDENTIAL_KEYS.contains(&key.as_str()) {
                message.push_str(" (value not shown)");
            }
            if let Some(backup) = saved.backup {
                let _ = write!(message, "; previous version kept in {}", backup.display());
            }
            SetOutcome { ok: true, message }
        }
        Err(e) => SetOutcome::refused(e.to_string()),
    }
}
