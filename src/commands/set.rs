//! `credwiz set KEY VALUE [--profile P]`: the in-place editor from the command
//! line, with `aws configure set` semantics. Never echoes a secret, and
//! every outside string in its messages is sanitized for the terminal. IO
//! through `profile::store`.

use crate::base::environment::Environment;
use crate::base::sanitize::shown_path as shown;
use crate::profile::{CREDENTIAL_KEYS, Document, FileKind, LoadedFile, set_target, validate};
use crate::redact;

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

/// Runs `set` against the files the environment names. Every name, key and
/// value is checked before anything is read or written (`profile::validate`);
/// a file that changed on disk meanwhile is re-read and the edit re-applied.
pub fn run(env: &Environment, profile_flag: Option<&str>, key: &str, value: &str) -> SetOutcome {
    if profile_flag == Some("") {
        return SetOutcome::refused("the profile name is empty (--profile \"\")");
    }
    let (profile_override, key) = split_key(key);
    let profile = match profile_override {
        Some(p) => p,
        None => env.active_profile(profile_flag).0,
    };
    // Registered before anything can quote them: the value of a secret key,
    // and the key itself when the arguments look swapped (`set SECRET aws_secret_access_key`).
    if redact::is_secret_key(&key) {
        redact::register(value);
    }
    if redact::is_secret_key(value) {
        redact::register(&key);
    }
    if let Err(invalid) = validate::setting(&profile, &key, value) {
        return SetOutcome::refused(invalid.to_string());
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
    let header = section.header_text();
    let mut probe = file.document.clone();
    let mut line = probe.set(&section, &key, value);
    if !file.is_changed(&probe) {
        return SetOutcome {
            ok: true,
            message: format!("{key} already has that value in [{header}] of {}", shown(&file.path)),
        };
    }
    let edit = |document: &Document| {
        let mut edited = document.clone();
        line = edited.set(&section, &key, value);
        edited
    };
    let saved = file.save_with(edit);
    match saved {
        Ok(saved) => {
            let mut message = format!("set {key} in [{header}] of {}, line {line}", shown(&saved.written));
            if redact::is_secret_key(&key) || CREDENTIAL_KEYS.contains(&key.as_str()) {
                message.push_str(" (value not shown)");
            }
            if let Some(backup) = saved.backup {
                let _ = write!(message, "; previous version kept in {}", shown(&backup));
            }
            SetOutcome { ok: true, message }
        }
        Err(e) => SetOutcome::refused(e.to_string()),
    }
}
