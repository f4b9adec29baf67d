//! Registers, before a diagnosis starts, the secrets that credwiz's own
//! readers never hold but the SDK's providers send or may have echoed back:
//! the tokens of the SSO cache (`~/.aws/sso/cache/*.json`: access and refresh
//! tokens, client secrets), the console-login cache
//! (`AWS_LOGIN_CACHE_DIRECTORY` or `~/.aws/login/cache`), and the web
//! identity token file `AWS_WEB_IDENTITY_TOKEN_FILE` names. The environment
//! and both profile files are registered elsewhere (`main`, the store).
//!
//! IO: lists two directories and reads small regular files, all bounded:
//! at most [`MAX_FILES`] files of at most [`MAX_FILE_BYTES`] each.

use crate::base::bounded::read_regular;
use crate::base::environment::Environment;
use crate::redact;
use std::path::Path;

/// Cache files looked at per directory.
pub const MAX_FILES: usize = 256;
/// Largest cache or token file read (they are a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// Registers every secret field of a JSON document (at any depth).
fn register_json(value: &serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                match item {
                    serde_json::Value::String(text) if redact::is_secret_key(key) => redact::register(text),
                    _ => register_json(item),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(register_json),
        _ => {}
    }
}

/// Registers the secrets of the JSON files of one cache directory.
fn register_cache_dir(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten().take(MAX_FILES) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json")
            && let Ok(Some(bytes)) = read_regular(&path, MAX_FILE_BYTES)
            && let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes)
        {
            register_json(&json);
        }
    }
}

/// Registers the secrets of the SSO and login caches and the web identity token file.
pub fn register_caches(env: &Environment) {
    if let Some(home) = env.home() {
        register_cache_dir(&home.join(".aws/sso/cache"));
    }
    match env.get("AWS_LOGIN_CACHE_DIRECTORY") {
        Some(dir) => register_cache_dir(Path::new(dir)),
        None => {
            if let Some(home) = env.home() {
                register_cache_dir(&home.join(".aws/login/cache"));
            }
        }
    }
    if let Some(file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE")
        && let Ok(Some(bytes)) = read_regular(Path::new(file), MAX_FILE_BYTES)
    {
        redact::register(String::from_utf8_lossy(&bytes).trim());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_tokens_are_registered_and_other_fields_are_not() {
        let home = tempfile::tempdir().expect("home");
        let cache = home.path().join(".aws/sso/cache");
        std::fs::create_dir_all(&cache).expect("mkdir");
        std::fs::write(
            cache.join("0123.json"),
            r#"{"accessToken": "unit-sso-access-token-0010", "expiresAt": "2099-01-01T00:00:00Z",
                "clientSecret": "unit-sso-client-secret-0011", "region": "us-east-1-region-value",
                "nested": {"refreshToken": "unit-sso-refresh-token-0012"}}"#,
        )
        .expect("cache");
        std::fs::write(cache.join("notes.txt"), "unit-not-json-secret-0013").expect("other file");
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some(home.path().to_path_buf()));
        register_caches(&env);
        let text = "unit-sso-access-token-0010 unit-sso-client-secret-0011 unit-sso-refresh-token-0012";
        let scrubbed = redact::scrub(text);
        assert!(!scrubbed.contains("unit-sso"), "{scrubbed}");
        assert_eq!(
            redact::scrub("us-east-1-region-value unit-not-json-secret-0013"),
            "us-east-1-region-value unit-not-json-secret-0013"
        );
    }
}
