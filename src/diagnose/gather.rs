//! Everything the diagnosis reads from disk before the network, in one
//! place: both profile files and the files they point to (the SSO token
//! cache, the CA bundle). This is the engine's only IO before the live
//! checks; [`super::Facts::new`] is a pure function of what is gathered here,
//! so `check`, the wizard's runs and its keystroke recomputes see the same
//! facts. Every read is bounded (`crate::bounded`): regular files only,
//! within a size limit.

use super::assess::expiry::parse_expiry;
use crate::bounded::{ReadError, read_regular};
use crate::display::display_path;
use crate::environment::Environment;
use crate::profile::{ProfileFiles, SdkView, StoreError};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// SSO cache entries are small JSON documents.
const SSO_CACHE_LIMIT: u64 = 256 * 1024;
/// A CA bundle of a few hundred certificates fits well within this.
const CA_BUNDLE_LIMIT: u64 = 4 * 1024 * 1024;

/// What one `gather` read.
#[derive(Debug, Clone)]
pub struct Gathered {
    pub env: Environment,
    pub files: ProfileFiles,
    pub side: SideFiles,
}

/// The files other than the two profile files, read for what the profile files name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideFiles {
    /// SSO token cache entries by cache key (an `sso_session` name or a legacy start URL).
    pub sso_cache: BTreeMap<String, SsoCacheEntry>,
    /// The PEM file `AWS_CA_BUNDLE` names.
    pub ca_bundle: Option<CaBundle>,
}

/// One SSO token cache file, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoCacheEntry {
    /// The file, for people (`~/.aws/sso/cache/<sha1>.json`).
    pub path: String,
    /// `Ok(None)`: no such file (never logged in, or the cache was cleared).
    pub token: Result<Option<SsoToken>, String>,
}

/// What credwiz reads of a cached SSO token (the token itself is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoToken {
    pub expires_at: Option<DateTime<Utc>>,
}

/// The CA bundle named by `AWS_CA_BUNDLE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    pub path: String,
    /// The PEM bytes, or why they could not be read.
    pub pem: Result<Vec<u8>, String>,
}

/// Reads both profile files and the files they point to.
pub fn gather(env: Environment) -> Result<Gathered, StoreError> {
    let files = ProfileFiles::load(&env)?;
    let side = gather_side(&env, &files.view());
    Ok(Gathered { env, files, side })
}

/// Reads the side files the given view of the profile files names (the wizard
/// calls this again before each run, with the view of its draft).
pub fn gather_side(env: &Environment, view: &SdkView) -> SideFiles {
    let mut side = SideFiles::default();
    for key in sso_cache_keys(view) {
        if let Some(path) = sso_cache_path(env, &key) {
            side.sso_cache.insert(key, read_sso_cache(env, path));
        }
    }
    side.ca_bundle = env.get("AWS_CA_BUNDLE").map(|path| CaBundle {
        path: path.to_string(),
        pem: read_regular(std::path::Path::new(path), CA_BUNDLE_LIMIT)
            .map_err(|e| e.to_string())
            .and_then(|bytes| bytes.ok_or_else(|| "no such file".to_string())),
    });
    side
}

/// The SSO cache keys the profiles use: `sso_session` names, else legacy start URLs.
pub fn sso_cache_keys(view: &SdkView) -> Vec<String> {
    let mut keys: Vec<String> = view
        .profiles
        .values()
        .filter_map(|p| p.get("sso_session").or_else(|| p.get("sso_start_url")))
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

/// `~/.aws/sso/cache/<sha1 of the key>.json`, where the SDKs keep the token.
pub fn sso_cache_path(env: &Environment, key: &str) -> Option<PathBuf> {
    let digest = sha1_smol::Sha1::from(key.as_bytes()).digest();
    Some(env.home()?.join(".aws/sso/cache").join(format!("{digest}.json")))
}

fn read_sso_cache(env: &Environment, path: PathBuf) -> SsoCacheEntry {
    let shown = display_path(env, &path);
    let token = match read_regular(&path, SSO_CACHE_LIMIT) {
        Ok(None) => Ok(None),
        Ok(Some(bytes)) => Ok(Some(SsoToken { expires_at: expires_at(&bytes) })),
        Err(ReadError::Io(e)) => Err(format!("cannot read it: {e}")),
        Err(e) => Err(e.to_string()),
    };
    SsoCacheEntry { path: shown, token }
}

fn expires_at(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let json: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    json.get("expiresAt")?.as_str().and_then(parse_expiry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Document;

    #[test]
    fn the_sso_cache_is_read_for_every_session_the_files_name() {
        let home = tempfile::tempdir().expect("home");
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some(home.path().to_path_buf()));
        let view = SdkView::build(
            Some(&Document::parse("[profile a]\nsso_session = corp\n[profile b]\nsso_start_url = https://x/start\n")),
            None,
        );
        let path = sso_cache_path(&env, "corp").expect("path");
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, r#"{"expiresAt": "2026-11-21T23:00:00Z", "accessToken": "x"}"#).expect("write");
        let side = gather_side(&env, &view);
        let corp = &side.sso_cache["corp"];
        assert!(corp.path.starts_with("~/.aws/sso/cache/"));
        assert!(matches!(&corp.token, Ok(Some(SsoToken { expires_at: Some(_) }))));
        assert_eq!(side.sso_cache["https://x/start"].token, Ok(None));
    }
}
