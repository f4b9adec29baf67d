//! Everything the diagnosis reads from disk before the network, in one
//! place: both profile files and the files they point to (the SSO token
//! cache, the CA bundle), and the policy files of `--policy` (read once, at
//! the edge where the options are parsed). This is the engine's only IO before the live
//! checks; [`crate::diagnose::Facts::new`] is a pure function of what is gathered here,
//! so `check`, the wizard's runs and its keystroke recomputes see the same
//! facts. Every read is bounded (`crate::base::bounded`): regular files only,
//! within a size limit.

use crate::base::bounded::{ReadError, read_regular};
use crate::base::display::display_path;
use crate::base::environment::Environment;
use crate::base::time::parse_expiry;
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
    /// The PEM files `AWS_CA_BUNDLE` and the profiles' `ca_bundle` name, by path as written.
    pub ca_bundles: BTreeMap<String, CaBundle>,
    /// Whether the machine says it is an EC2 instance (DMI), when instance
    /// metadata is not disabled.
    pub ec2_host: bool,
    /// Through `sudo`: the invoking user's home and the profiles its files hold.
    pub invoker: Option<super::invoker::Invoker>,
}

/// One SSO token cache file, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoCacheEntry {
    /// The file, for people (`~/.aws/sso/cache/<sha1>.json`).
    pub path: String,
    /// `Ok(None)`: no such file (never logged in, or the cache was cleared).
    pub token: Result<Option<SsoToken>, String>,
}

/// What credwiz reads of a cached SSO token (the tokens themselves are only
/// registered with the redaction layer, not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoToken {
    pub expires_at: Option<DateTime<Utc>>,
    /// A refresh token and a client registration are cached with it.
    pub has_refresh_material: bool,
    /// When the client registration expires (the SDK refreshes only before then).
    pub registration_expires_at: Option<DateTime<Utc>>,
}

impl SsoToken {
    /// Whether the SDK would refresh this token at `now` instead of giving up.
    pub fn refreshable(&self, now: DateTime<Utc>) -> bool {
        self.has_refresh_material && self.registration_expires_at.is_some_and(|r| r > now)
    }
}

/// A CA bundle file, as read and checked (only a bundle the SDK's TLS stack
/// accepts is used: a malformed one never reaches it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaBundle {
    pub path: String,
    /// The PEM bytes, or why they cannot be used.
    pub pem: Result<Vec<u8>, String>,
}

/// How many profiles' `ca_bundle` files are read at most.
const CA_BUNDLES_READ: usize = 8;
/// Reads a `--policy` file: a regular file of at most the evaluator's
/// `MAX_POLICY_BYTES`, as UTF-8 text. The error says why, for `check`'s exit 2.
pub fn read_policy_file(path: &std::path::Path) -> Result<String, String> {
    let limit = u64::try_from(crate::policy::MAX_POLICY_BYTES).unwrap_or(u64::MAX);
    match read_regular(path, limit) {
        Ok(Some(bytes)) => String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string()),
        Ok(None) => Err("no such file".into()),
        Err(ReadError::Io(e)) => Err(format!("cannot read it: {e}")),
        Err(e) => Err(e.to_string()),
    }
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
        if let Some(path) = crate::hops::sso::cache::path(env, &key) {
            side.sso_cache.insert(key, read_sso_cache(env, path));
        }
    }
    side.ec2_host = !env.imds_disabled() && looks_like_ec2();
    side.invoker = super::invoker::read(env, &crate::base::users::SystemUsers);
    let named = env.get("AWS_CA_BUNDLE").into_iter().chain(view.profiles.values().filter_map(|p| p.get("ca_bundle")));
    for path in named.map(str::trim).filter(|p| !p.is_empty()).take(CA_BUNDLES_READ) {
        side.ca_bundles.insert(path.to_string(), read_ca_bundle(env, path));
    }
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

fn read_sso_cache(env: &Environment, path: PathBuf) -> SsoCacheEntry {
    let shown = display_path(env, &path);
    let token = match read_regular(&path, SSO_CACHE_LIMIT) {
        Ok(None) => Ok(None),
        Ok(Some(bytes)) => Ok(Some(sso_token(&bytes))),
        Err(ReadError::Io(e)) => Err(format!("cannot read it: {e}")),
        Err(e) => Err(e.to_string()),
    };
    SsoCacheEntry { path: shown, token }
}

/// What the diagnosis needs of a cache file; its secrets are registered so no sink shows them.
fn sso_token(bytes: &[u8]) -> SsoToken {
    match crate::hops::sso::cache::parse(bytes) {
        Ok(cached) => {
            crate::redact::register_secret(&cached.access_token);
            for secret in [&cached.refresh_token, &cached.client_secret].into_iter().flatten() {
                crate::redact::register_secret(secret);
            }
            SsoToken {
                expires_at: Some(cached.expires_at),
                has_refresh_material: cached.refresh_token.is_some()
                    && cached.client_id.is_some()
                    && cached.client_secret.is_some(),
                registration_expires_at: cached.registration_expires_at,
            }
        }
        Err(_) => {
            let expires_at = serde_json::from_slice::<serde_json::Value>(bytes)
                .ok()
                .and_then(|json| json.get("expiresAt")?.as_str().and_then(parse_expiry));
            SsoToken { expires_at, has_refresh_material: false, registration_expires_at: None }
        }
    }
}

fn read_ca_bundle(env: &Environment, path: &str) -> CaBundle {
    let pem = match read_regular(&env.expand(path), CA_BUNDLE_LIMIT) {
        Ok(Some(bytes)) => match crate::netpath::bundle_certificates(&bytes) {
            Ok(_) => Ok(bytes),
            Err(why) => Err(format!("it holds no certificate the TLS stack accepts: {why}")),
        },
        Ok(None) => Err("no such file".to_string()),
        Err(e) => Err(e.to_string()),
    };
    CaBundle { path: path.to_string(), pem }
}

/// Whether the firmware names Amazon EC2 (Linux exposes it in DMI; elsewhere: no).
fn looks_like_ec2() -> bool {
    let vendor = read_regular(std::path::Path::new("/sys/class/dmi/id/sys_vendor"), 256);
    matches!(vendor, Ok(Some(bytes)) if String::from_utf8_lossy(&bytes).trim() == "Amazon EC2")
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
        let path = crate::hops::sso::cache::path(&env, "corp").expect("path");
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, r#"{"expiresAt": "2026-11-21T23:00:00Z", "accessToken": "x"}"#).expect("write");
        let side = gather_side(&env, &view);
        let corp = &side.sso_cache["corp"];
        assert!(corp.path.starts_with("~/.aws/sso/cache/"));
        assert!(matches!(&corp.token, Ok(Some(SsoToken { expires_at: Some(_), .. }))));
        assert_eq!(side.sso_cache["https://x/start"].token, Ok(None));
    }

    #[test]
    fn policy_files_are_read_bounded() {
        let dir = tempfile::tempdir().expect("dir");
        let good = dir.path().join("scp.json");
        std::fs::write(&good, r#"{"Statement": []}"#).expect("write");
        assert_eq!(read_policy_file(&good).as_deref(), Ok(r#"{"Statement": []}"#));
        let big = dir.path().join("big.json");
        std::fs::write(&big, vec![b' '; crate::policy::MAX_POLICY_BYTES + 1]).expect("write");
        assert!(read_policy_file(&big).is_err_and(|e| e.contains("larger than")));
        assert_eq!(read_policy_file(&dir.path().join("none.json")), Err("no such file".into()));
        assert!(read_policy_file(dir.path()).is_err_and(|e| e.contains("directory")));
    }
}
