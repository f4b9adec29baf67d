//! One redaction layer for every sink (report, JSON, stderr, the log, the
//! wizard's frame). Pure apart from the process-wide registry (no IO).
//!
//! - A registry of every secret value the process knows: secret keys and
//!   session tokens from the environment and both files, SSO tokens, client
//!   secrets, JWTs, whatever a credential provider returned. Each is
//!   registered once ([`register`]); values shorter than
//!   [`MIN_SECRET_CHARS`] are ignored (they would mask ordinary words).
//! - [`scrub`] masks every registered value and every piece of one at least
//!   [`PIECE`] characters long, whatever surrounds it: split by spaces,
//!   wrapped over lines, JSON-escaped at any depth, percent-encoded, XML
//!   character references (`normal`, `pieces`: one linear pass); then masks
//!   values by shape wherever they sit: a 40-character secret-shaped token, a
//!   long session-token-shaped base64 blob, a JWT (`shapes`).
//!
//! [`Redactor`] is the same thing as a value, for tests and for callers that
//! want their own set.

use secrecy::{ExposeSecret, SecretString};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{LazyLock, RwLock};

mod normal;
mod pieces;
mod shapes;
pub use pieces::PIECE;
pub use shapes::{looks_secret, mask_shapes};

/// Values shorter than this are not registered: they would mask ordinary words.
pub const MIN_SECRET_CHARS: usize = 8;

/// A set of secret values and the index that finds them and their pieces.
#[derive(Default)]
pub struct Redactor {
    seen: HashSet<String>,
    pieces: pieces::Pieces,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the values themselves.
        f.debug_struct("Redactor").field("secrets", &self.seen.len()).finish()
    }
}

impl Redactor {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret value (linear in its length); returns whether it was new and long enough to keep.
    pub fn add(&mut self, secret: &str) -> bool {
        let secret = secret.trim_matches(|c: char| c.is_whitespace() || c == '"' || c == '\'');
        if secret.chars().count() < MIN_SECRET_CHARS || self.seen.contains(secret) {
            return false;
        }
        self.seen.insert(secret.to_string());
        self.pieces.add(secret);
        true
    }

    /// How many secrets are registered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether no secret is registered.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// The text with every registered secret, every piece of one, and every secret-shaped value masked.
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.pieces.replace(text) {
            Cow::Borrowed(text) => mask_shapes(text),
            Cow::Owned(text) => Cow::Owned(mask_shapes(&text).into_owned()),
        }
    }
}

static GLOBAL: LazyLock<RwLock<Redactor>> = LazyLock::new(|| RwLock::new(Redactor::new()));

/// Registers a secret value with the process-wide registry (once; short values ignored).
pub fn register(secret: &str) {
    let new = match GLOBAL.read() {
        Ok(registry) => !registry.seen.contains(secret.trim()),
        Err(_) => true,
    };
    if new && let Ok(mut registry) = GLOBAL.write() {
        registry.add(secret);
    }
}

/// Registers a secret kept in a `SecretString`.
pub fn register_secret(secret: &SecretString) {
    register(secret.expose_secret());
}

/// Scrubs text with the process-wide registry, then by shape.
pub fn scrub(text: &str) -> Cow<'_, str> {
    match GLOBAL.read() {
        Ok(registry) => registry.scrub(text),
        // A writer panicked: its set may be half-built; shapes still hold.
        Err(poisoned) => poisoned.into_inner().scrub(text),
    }
}

/// Whether a key names a secret value: a profile key (`aws_secret_access_key`,
/// `aws_session_token`, `sso_client_secret`...) or a JSON field of a cache
/// (`accessToken`, `refreshToken`, `clientSecret`, `SecretAccessKey`...);
/// never a path, a file or a URL (`web_identity_token_file`). The one judge of
/// secret names for the files, the caches and the wizard.
pub fn is_secret_key(key: &str) -> bool {
    let key: String = key.chars().filter(|c| !matches!(c, '_' | '-')).flat_map(char::to_lowercase).collect();
    if key.ends_with("file") || key.ends_with("path") || key.ends_with("url") {
        return false;
    }
    key.ends_with("secretaccesskey")
        || key.ends_with("securitytoken")
        || key.ends_with("secret")
        || key.ends_with("token")
        || key.contains("password")
}

/// Whether an environment variable holds a secret value.
pub fn is_secret_variable(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    if name.ends_with("_FILE") || name.ends_with("_PATH") || name.ends_with("_URI") || name.ends_with("_URL") {
        return false;
    }
    name == "AWS_SECRET_ACCESS_KEY"
        || name == "AWS_SESSION_TOKEN"
        || name == "AWS_SECURITY_TOKEN"
        || name == "AWS_CONTAINER_AUTHORIZATION_TOKEN"
        || (name.starts_with("AWS_") && (name.ends_with("_SECRET") || name.ends_with("_TOKEN")))
}

/// Registers the secret values of the given environment variables.
pub fn register_variables<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) {
    for (name, value) in vars {
        if is_secret_variable(name) {
            register(value);
        }
    }
}

/// Registers the secret values of the process environment.
pub fn register_process_environment() {
    let vars: Vec<(String, String)> =
        std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
    register_variables(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())));
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn every_form_of_a_registered_secret_is_masked() {
        let secret = "ordinary-but-secret+value/x=";
        let mut r = Redactor::new();
        assert!(r.add(secret));
        let mask = crate::base::display::mask_secret(secret);
        assert_eq!(mask, "****************e/x=");
        for (text, expected) in [
            ("token ordinary-but-secret+value/x= here", format!("token {mask} here")),
            ("X-Amz-Security-Token=ordinary-but-secret%2Bvalue%2Fx%3D&a=b", format!("X-Amz-Security-Token={mask}&a=b")),
            ("t=ordinary-but-secret%2bvalue%2fx%3d", format!("t={mask}")),
            ("{\"t\":\"ordinary-but-secret+value\\/x=\"}", format!("{{\"t\":\"{mask}\"}}")),
        ] {
            assert_eq!(r.scrub(text), expected, "{text}");
        }
        assert_eq!(Redactor::new().scrub("nothing to see"), "nothing to see");
    }

    #[test]
    fn json_escaped_secrets_with_quotes_are_masked() {
        let mut r = Redactor::new();
        r.add("pa\"ss\\word-123");
        let json = serde_json::to_string(&serde_json::json!({"v": "x pa\"ss\\word-123 y"})).expect("json");
        assert!(!r.scrub(&json).contains("word-123"), "{}", r.scrub(&json));
    }

    #[test]
    fn short_values_are_not_registered() {
        let mut r = Redactor::new();
        assert!(!r.add("abc"));
        assert!(!r.add("  "));
        assert!(r.is_empty());
        assert_eq!(r.scrub("abc abc"), "abc abc");
    }

    #[test]
    fn secret_keys_and_variables_are_told_from_paths() {
        assert!(is_secret_key("aws_secret_access_key") && is_secret_key("AWS_SESSION_TOKEN"));
        assert!(!is_secret_key("web_identity_token_file") && !is_secret_key("region"));
        assert!(is_secret_variable("AWS_SESSION_TOKEN") && is_secret_variable("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        assert!(!is_secret_variable("AWS_WEB_IDENTITY_TOKEN_FILE") && !is_secret_variable("AWS_ACCESS_KEY_ID"));
    }

    #[test]
    fn the_registry_masks_before_shapes_and_is_idempotent() {
        let mut r = Redactor::new();
        r.add(SECRET);
        let once = r.scrub(&format!("a {SECRET} b")).into_owned();
        assert_eq!(once, "a ****************EKEY b");
        assert_eq!(r.scrub(&once), once);
        assert!(!format!("{r:?}").contains("EXAMPLE"));
    }

    #[test]
    fn a_megabyte_with_many_secrets_is_scrubbed_in_one_pass() {
        let mut r = Redactor::new();
        for i in 0..500 {
            r.add(&format!("secret-value-number-{i:05}"));
        }
        let text = "lorem ipsum secret-value-number-00042 dolor ".repeat(24_000);
        let out = r.scrub(&text);
        assert!(!out.contains("number-00042") && out.len() < text.len());
    }
}
