//! The SSO token cache: `~/.aws/sso/cache/<sha1 of the sso_session name, or
//! of the start URL for legacy profiles>.json`, read within a size limit and
//! parsed as aws-config does (keys case-insensitive, fields of another type
//! ignored), tokens kept in `SecretString`; the SDK's refresh decision; and
//! the rewrite after a refresh, in the SDK's format but written safely (temp
//! file beside it, mode 0600, fsync, rename). IO: the cache file.

use crate::base::bounded::{ReadError, read_regular};
use crate::base::environment::Environment;
use crate::hops::json;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most credwiz reads of a cache file.
const MAX_FILE: u64 = 64 * 1024;

/// The SDK refreshes a token this long before it expires.
pub const REFRESH_BUFFER: Duration = Duration::minutes(5);

/// One cached token. `Debug` hides the secrets.
#[derive(Clone)]
pub struct CachedToken {
    pub access_token: SecretString,
    pub expires_at: DateTime<Utc>,
    pub refresh_token: Option<SecretString>,
    pub client_id: Option<String>,
    pub client_secret: Option<SecretString>,
    pub registration_expires_at: Option<DateTime<Utc>>,
    pub region: Option<String>,
    pub start_url: Option<String>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("expires_at", &self.expires_at)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .field("has_client_id", &self.client_id.is_some())
            .field("registration_expires_at", &self.registration_expires_at)
            .field("region", &self.region)
            .field("start_url", &self.start_url)
            .finish_non_exhaustive()
    }
}

/// The cache file for an identifier (session name, or start URL for legacy profiles).
pub fn path(env: &Environment, identifier: &str) -> Option<PathBuf> {
    let digest = sha1_smol::Sha1::from(identifier.as_bytes()).digest().to_string();
    env.home().map(|home| home.join(".aws/sso/cache").join(format!("{digest}.json")))
}

/// Why the cache gives no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheError {
    NoHome,
    Missing,
    Unreadable(String),
    /// The file is there but the SDK cannot use it (what is wrong, no content).
    Invalid(String),
}

fn time(
    map: &serde_json::Map<String, serde_json::Value>,
    name: &'static str,
) -> Result<Option<DateTime<Utc>>, CacheError> {
    match json::get_str(map, name) {
        Ok(Some(text)) => DateTime::parse_from_rfc3339(text.trim())
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| CacheError::Invalid(format!("`{name}` is not an RFC 3339 time"))),
        _ => Ok(None),
    }
}

/// Parses a cache document.
pub fn parse(bytes: &[u8]) -> Result<CachedToken, CacheError> {
    let map = json::parse_object(bytes).map_err(|p| CacheError::Invalid(p.describe()))?;
    let text = |name: &str| json::get_str(&map, name).ok().flatten().map(str::to_string);
    let secret = |name: &str| text(name).map(SecretString::from);
    let access_token = secret("accessToken").ok_or(CacheError::Invalid("`accessToken` is missing".into()))?;
    let expires_at = time(&map, "expiresAt")?.ok_or(CacheError::Invalid("`expiresAt` is missing".into()))?;
    Ok(CachedToken {
        access_token,
        expires_at,
        refresh_token: secret("refreshToken"),
        client_id: text("clientId"),
        client_secret: secret("clientSecret"),
        registration_expires_at: time(&map, "registrationExpiresAt")?,
        region: text("region"),
        start_url: text("startUrl"),
    })
}

/// Reads and parses the cache file.
pub fn load(path: &Path) -> Result<CachedToken, CacheError> {
    match read_regular(path, MAX_FILE) {
        Ok(None) => Err(CacheError::Missing),
        Ok(Some(bytes)) => parse(&bytes),
        Err(ReadError::Io(e)) => Err(CacheError::Unreadable(e.to_string())),
        Err(e) => Err(CacheError::Unreadable(e.to_string())),
    }
}

/// The SDK's refresh decision for a session-style token (`sso/token.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub expired: bool,
    pub expires_soon: bool,
    /// Refresh token, client id and secret and registration expiry all present.
    pub has_refresh_material: bool,
    /// `registrationExpiresAt` missing or past (the SDK will not refresh then).
    pub registration_expired: bool,
}

impl Decision {
    /// Whether the SDK may refresh the token.
    pub fn refreshable(&self) -> bool {
        self.has_refresh_material && !self.registration_expired
    }

    /// Whether the SDK refreshes it now.
    pub fn will_refresh(&self) -> bool {
        self.expires_soon && self.refreshable()
    }

    /// Whether the SDK gives up without a call.
    pub fn fails_fast(&self) -> bool {
        self.expired && !self.refreshable()
    }
}

/// Decides as the SDK does at `now`.
pub fn decide(token: &CachedToken, now: DateTime<Utc>) -> Decision {
    Decision {
        expired: token.expires_at <= now,
        expires_soon: token.expires_at - REFRESH_BUFFER <= now,
        has_refresh_material: token.refresh_token.is_some()
            && token.client_id.is_some()
            && token.client_secret.is_some()
            && token.registration_expires_at.is_some(),
        registration_expired: token.registration_expires_at.is_none_or(|r| r <= now),
    }
}

/// The token after a refresh, as the SDK builds it: expiry `now + expires_in`,
/// the new refresh token (or the old one), region and start URL of the profile.
pub fn refreshed(
    old: &CachedToken,
    access_token: SecretString,
    expires_in: i64,
    refresh_token: Option<SecretString>,
    region: &str,
    start_url: &str,
    now: DateTime<Utc>,
) -> CachedToken {
    CachedToken {
        access_token,
        expires_at: now + Duration::seconds(expires_in.max(0)),
        refresh_token: refresh_token.or_else(|| old.refresh_token.clone()),
        client_id: old.client_id.clone(),
        client_secret: old.client_secret.clone(),
        registration_expires_at: old.registration_expires_at,
        region: Some(region.to_string()),
        start_url: Some(start_url.to_string()),
    }
}

/// The document the SDK writes.
fn render(token: &CachedToken) -> String {
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut map = serde_json::Map::new();
    map.insert("accessToken".into(), token.access_token.expose_secret().into());
    map.insert("expiresAt".into(), stamp(token.expires_at).into());
    if let Some(r) = &token.refresh_token {
        map.insert("refreshToken".into(), r.expose_secret().into());
    }
    if let Some(c) = &token.client_id {
        map.insert("clientId".into(), c.as_str().into());
    }
    if let Some(c) = &token.client_secret {
        map.insert("clientSecret".into(), c.expose_secret().into());
    }
    if let Some(r) = token.registration_expires_at {
        map.insert("registrationExpiresAt".into(), stamp(r).into());
    }
    if let Some(r) = &token.region {
        map.insert("region".into(), r.as_str().into());
    }
    if let Some(s) = &token.start_url {
        map.insert("startUrl".into(), s.as_str().into());
    }
    serde_json::Value::Object(map).to_string()
}

/// Writes the cache file safely: a temp file beside it (mode 0600), fsync, rename.
pub fn save(path: &Path, token: &CachedToken) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().ok_or_else(|| std::io::Error::other("the cache path has no directory"))?;
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.as_file().set_permissions(std::fs::Permissions::from_mode(0o600))?;
    let text = secrecy::SecretString::from(render(token));
    file.write_all(text.expose_secret().as_bytes())?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_is_the_sha1_of_the_identifier() {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/h".into()));
        // The name botocore's tests give for this start URL.
        let p = path(&env, "https://d-abc123.awsapps.com/start").expect("path");
        assert_eq!(p, Path::new("/h/.aws/sso/cache/40a89917e3175433e361b710a9d43528d7f1890a.json"));
    }

    #[test]
    fn refresh_rule_follows_the_sdk() {
        let now = Utc::now();
        let token = |expires: i64, reg: Option<i64>, refresh: bool| CachedToken {
            access_token: SecretString::from("a".to_string()),
            expires_at: now + Duration::seconds(expires),
            refresh_token: refresh.then(|| SecretString::from("r".to_string())),
            client_id: Some("c".into()),
            client_secret: Some(SecretString::from("s".to_string())),
            registration_expires_at: reg.map(|r| now + Duration::seconds(r)),
            region: None,
            start_url: None,
        };
        assert!(decide(&token(-3600, Some(86400), true), now).will_refresh());
        assert!(decide(&token(-3600, Some(-1), true), now).fails_fast());
        assert!(decide(&token(-3600, None, true), now).fails_fast());
        assert!(decide(&token(-3600, Some(86400), false), now).fails_fast());
        assert!(decide(&token(120, Some(86400), true), now).will_refresh());
        let fresh = decide(&token(7200, Some(86400), true), now);
        assert!(!fresh.will_refresh() && !fresh.fails_fast());
    }

    #[test]
    fn parse_and_save_round_trip_with_mode_0600() {
        use std::os::unix::fs::PermissionsExt;
        let doc = br#"{"startUrl": "https://x/start", "region": "us-east-1", "accessToken": "SECRET-ACCESS-VALUE",
            "expiresAt": "2030-01-01T00:00:00Z", "clientId": "cid", "clientSecret": "cs",
            "registrationExpiresAt": "2031-01-01T00:00:00Z", "refreshToken": "rt", "extra": 1}"#;
        let token = parse(doc).expect("token");
        assert_eq!(token.access_token.expose_secret(), "SECRET-ACCESS-VALUE");
        assert!(!format!("{token:?}").contains("SECRET"));
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("cache/x.json");
        save(&file, &token).expect("save");
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let again = load(&file).expect("load");
        assert_eq!(again.expires_at, token.expires_at);
        assert_eq!(again.refresh_token.map(|r| r.expose_secret().to_string()), Some("rt".into()));
        assert!(matches!(parse(b"{\"accessToken\": 1}"), Err(CacheError::Invalid(m)) if m.contains("accessToken")));
    }
}
