//! Where credentials come from: every source of the SDK's default chain in
//! precedence order (env, profile, web identity, container, IMDS), what each
//! holds, which one wins and which ones it shadows. Pure: built from the
//! environment snapshot and the SDK view of the files.

use crate::base::environment::Environment;
use crate::profile::file_location;
use crate::profile::view::Section;
use crate::profile::{FileKind, Origin, SdkView};
use crate::vocabulary::keyid::AccessKeyId;
use secrecy::{ExposeSecret, SecretString};

pub use crate::vocabulary::SourceKind;

/// A value and where it was read: `~/.aws/credentials:4` or `AWS_ACCESS_KEY_ID`.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub location: String,
    /// The file line, for values from a file (for in-place repairs).
    pub origin: Option<Origin>,
    /// The file key it was read from (may be a misspelling the SDK ignores).
    pub key: String,
}

/// Static key material from one source. Secrets stay in `SecretString`.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub access_key_id: Option<Located<AccessKeyId>>,
    pub secret: Option<Located<SecretString>>,
    pub token: Option<Located<SecretString>>,
    pub expiration: Option<Located<String>>,
}

impl Keys {
    /// Both halves present: the SDK provider would yield these.
    pub fn is_complete(&self) -> bool {
        self.access_key_id.is_some() && self.secret.is_some()
    }

    /// The key id, if any.
    pub fn key_id(&self) -> Option<&AccessKeyId> {
        self.access_key_id.as_ref().map(|k| &k.value)
    }

    /// Whether a session token is present.
    pub fn has_token(&self) -> bool {
        self.token.as_ref().is_some_and(|t| !t.value.expose_secret().is_empty())
    }
}

/// One configured source of the chain.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: SourceKind,
    /// Where it is configured (a file line or an env var).
    pub location: String,
    /// Static keys, for env and profile-key sources.
    pub keys: Option<Keys>,
    /// Whether the SDK provider would produce credentials (for non-static kinds: it is configured).
    pub yields: bool,
    /// A short description (`role arn:aws:iam::...:role/x via profile base`).
    pub detail: String,
}

/// The chain for one profile: configured sources in precedence order.
#[derive(Debug, Clone)]
pub struct Chain {
    pub sources: Vec<Source>,
    /// Index of the source the SDK would use.
    pub winner: Option<usize>,
}

impl Chain {
    /// The winning source.
    pub fn winner(&self) -> Option<&Source> {
        self.winner.map(|i| &self.sources[i])
    }

    /// Sources after the winner that would also yield.
    pub fn shadowed(&self) -> impl Iterator<Item = &Source> {
        let start = self.winner.map_or(self.sources.len(), |w| w + 1);
        self.sources[start..].iter().filter(|s| s.yields)
    }

    /// The selected profile's own source, if the profile configures one.
    pub fn profile_source(&self) -> Option<&Source> {
        self.sources.iter().find(|s| !matches!(s.kind, SourceKind::Env | SourceKind::Container | SourceKind::Imds))
    }
}

/// Spellings people use for the two key fields that the SDKs do not read.
pub const KEY_ID_MISSPELLINGS: &[&str] = &[
    "aws_access_key",
    "access_key_id",
    "aws_access_key_id_",
    "aws_accesskey_id",
    "aws_access_id",
    "aws_key_id",
    "access_key",
];
pub const SECRET_MISSPELLINGS: &[&str] = &[
    "aws_secret_key",
    "secret_access_key",
    "aws_secret_access",
    "aws_secret",
    "aws_secretaccesskey",
    "secret_key",
    "aws_secret_access_key_id",
];
/// Expiry fields written by helpers (aws-mfa, saml2aws...).
pub const EXPIRY_KEYS: &[&str] = &["aws_expiration", "expiration", "x_security_token_expires"];

fn from_profile(env: &Environment, view: &SdkView, profile: &str) -> Option<Keys> {
    let section = view.profiles.get(profile)?;
    let get = |keys: &[&str]| {
        keys.iter().find_map(|k| section.properties.get(*k).map(|p| (k.to_string(), p.value.clone(), p.origin)))
    };
    let locate = |(key, value, origin): (String, String, Origin)| Located {
        value,
        location: file_location(env, origin),
        origin: Some(origin),
        key,
    };
    let mut id_keys = vec!["aws_access_key_id"];
    id_keys.extend_from_slice(KEY_ID_MISSPELLINGS);
    let mut secret_keys = vec!["aws_secret_access_key"];
    secret_keys.extend_from_slice(SECRET_MISSPELLINGS);
    let keys = Keys {
        access_key_id: get(&id_keys).map(locate).map(Located::into_key_id),
        secret: get(&secret_keys).map(locate).map(secretize),
        token: get(&["aws_session_token", "aws_security_token"]).map(locate).map(secretize),
        expiration: get(EXPIRY_KEYS).map(locate),
    };
    (keys.access_key_id.is_some() || keys.secret.is_some() || keys.token.is_some()).then_some(keys)
}

fn secretize(l: Located<String>) -> Located<SecretString> {
    Located { value: SecretString::from(l.value), location: l.location, origin: l.origin, key: l.key }
}

impl Located<String> {
    /// The same value, read as an access key id.
    fn into_key_id(self) -> Located<AccessKeyId> {
        Located { value: AccessKeyId::new(self.value), location: self.location, origin: self.origin, key: self.key }
    }
}

fn env_value(env: &Environment, name: &str) -> Option<Located<String>> {
    env.get(name).map(|v| Located {
        value: v.to_string(),
        location: name.to_string(),
        origin: None,
        key: name.to_string(),
    })
}

/// The env source: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
pub fn env_keys(env: &Environment) -> Option<Keys> {
    let keys = Keys {
        access_key_id: env_value(env, "AWS_ACCESS_KEY_ID").map(Located::into_key_id),
        secret: env_value(env, "AWS_SECRET_ACCESS_KEY").map(secretize),
        token: env_value(env, "AWS_SESSION_TOKEN").map(secretize),
        expiration: env_value(env, "AWS_CREDENTIAL_EXPIRATION"),
    };
    (keys.access_key_id.is_some() || keys.secret.is_some()).then_some(keys)
}

/// Builds the chain for a profile, as the SDK's default chain orders it.
/// `imds_plausible`: instance metadata is configured or this looks like an EC2 host.
pub fn chain(env: &Environment, view: &SdkView, profile: &str, imds_plausible: bool) -> Chain {
    let sources: Vec<Source> = [
        env_source(env),
        profile_source(env, view, profile),
        env_web_identity(env),
        container(env),
        imds(env, imds_plausible),
    ]
    .into_iter()
    .flatten()
    .collect();
    let winner = sources.iter().position(|s| s.yields);
    Chain { sources, winner }
}

/// The environment's keys: they yield when both halves are set.
fn env_source(env: &Environment) -> Option<Source> {
    let keys = env_keys(env)?;
    Some(Source {
        kind: SourceKind::Env,
        location: "AWS_ACCESS_KEY_ID".into(),
        yields: keys.is_complete(),
        keys: Some(keys),
        detail: "environment variables".into(),
    })
}

/// The profile's own source: a configured provider wins over its keys.
fn profile_source(env: &Environment, view: &SdkView, profile: &str) -> Option<Source> {
    let section = view.profiles.get(profile)?;
    configured_provider(env, section).or_else(|| profile_keys(env, view, profile))
}

/// A role (web identity when it names a token file), SSO, `credential_process`
/// or `aws login` session, in the SDK's order.
fn configured_provider(env: &Environment, section: &Section) -> Option<Source> {
    let at = |key: &str| section.properties.get(key).map(|p| file_location(env, p.origin));
    let value = |key: &str| section.get(key).unwrap_or_default().to_string();
    let (kind, location, detail) = if let Some(location) = at("role_arn") {
        let kind = if section.get("web_identity_token_file").is_some() {
            SourceKind::WebIdentity
        } else {
            SourceKind::AssumeRole
        };
        let via = section
            .get("source_profile")
            .map(|p| format!(" via profile {p}"))
            .or_else(|| section.get("credential_source").map(|c| format!(" via {c}")))
            .unwrap_or_default();
        (kind, location, format!("role {}{via}", value("role_arn")))
    } else if let Some(location) = at("sso_session").or_else(|| at("sso_start_url")) {
        (
            SourceKind::Sso,
            location,
            format!("IAM Identity Center, account {} role {}", value("sso_account_id"), value("sso_role_name")),
        )
    } else if let Some(location) = at("credential_process") {
        (SourceKind::Process, location, "credential_process".to_string())
    } else {
        let location = at("login_session")?;
        (SourceKind::Login, location, format!("aws login session {}", value("login_session")))
    };
    Some(Source { kind, location, keys: None, yields: true, detail })
}

/// The profile's static keys: they yield only under the names the SDKs read.
fn profile_keys(env: &Environment, view: &SdkView, profile: &str) -> Option<Source> {
    let keys = from_profile(env, view, profile)?;
    let origin =
        keys.access_key_id.as_ref().and_then(|k| k.origin).or_else(|| keys.secret.as_ref().and_then(|s| s.origin));
    let kind = match origin.map(|o| o.file) {
        Some(FileKind::Config) => SourceKind::ConfigFile,
        _ => SourceKind::SharedCredentialsFile,
    };
    let location = keys
        .access_key_id
        .as_ref()
        .map(|k| k.location.clone())
        .or_else(|| keys.secret.as_ref().map(|s| s.location.clone()))
        .unwrap_or_default();
    let complete = keys.access_key_id.as_ref().is_some_and(|k| k.key == "aws_access_key_id")
        && keys.secret.as_ref().is_some_and(|s| s.key == "aws_secret_access_key");
    Some(Source { kind, location, yields: complete, keys: Some(keys), detail: format!("keys of profile {profile}") })
}

/// Web identity from the environment: both the token file and the role set.
fn env_web_identity(env: &Environment) -> Option<Source> {
    let role = env.get("AWS_ROLE_ARN").filter(|_| env.get("AWS_WEB_IDENTITY_TOKEN_FILE").is_some())?;
    Some(Source {
        kind: SourceKind::WebIdentity,
        location: "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
        keys: None,
        yields: true,
        detail: format!("role {role}"),
    })
}

/// The container credentials endpoint, named by the relative URI first.
fn container(env: &Environment) -> Option<Source> {
    let var = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]
        .into_iter()
        .find(|var| env.get(var).is_some())?;
    Some(Source {
        kind: SourceKind::Container,
        location: var.into(),
        keys: None,
        yields: true,
        detail: "container credentials endpoint".into(),
    })
}

/// Instance metadata, unless disabled; it yields only where it is plausible.
fn imds(env: &Environment, plausible: bool) -> Option<Source> {
    if env.imds_disabled() {
        return None;
    }
    Some(Source {
        kind: SourceKind::Imds,
        location: env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT").unwrap_or("169.254.169.254").to_string(),
        keys: None,
        yields: plausible,
        detail: if plausible {
            "EC2 instance metadata (IMDS)".into()
        } else {
            "EC2 instance metadata (not probed: this does not look like an EC2 host)".into()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Document;

    fn view(config: &str, creds: &str) -> SdkView {
        SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(creds)))
    }

    #[test]
    fn env_keys_win_and_shadow_the_profile() {
        let env = Environment::from_pairs(
            [("AWS_ACCESS_KEY_ID", "AKIAENV"), ("AWS_SECRET_ACCESS_KEY", "s"), ("AWS_EC2_METADATA_DISABLED", "true")],
            None,
        );
        let v = view("", "[dev]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n");
        let c = chain(&env, &v, "dev", false);
        assert_eq!(c.winner().map(|s| s.kind), Some(SourceKind::Env));
        let shadowed: Vec<_> = c.shadowed().map(|s| s.kind).collect();
        assert_eq!(shadowed, vec![SourceKind::SharedCredentialsFile]);
        assert_eq!(
            c.profile_source().and_then(|s| s.keys.as_ref()).and_then(Keys::key_id).map(AccessKeyId::as_str),
            Some("AKIAFILE")
        );
    }

    #[test]
    fn misspelled_secret_is_found_but_does_not_yield() {
        let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], None);
        let v = view("", "[default]\naws_access_key_id = AKIA\naws_secret_key = s\n");
        let c = chain(&env, &v, "default", false);
        assert_eq!(c.winner, None);
        let keys = c.sources[0].keys.as_ref().expect("keys");
        assert_eq!(keys.secret.as_ref().map(|s| s.key.as_str()), Some("aws_secret_key"));
        assert!(keys.secret.as_ref().is_some_and(|s| s.location.ends_with("credentials:3")));
    }

    #[test]
    fn roles_and_sso_are_sources_too() {
        let env = Environment::default();
        let v = view(
            "[profile r]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n[profile s]\nsso_session = corp\n",
            "",
        );
        assert_eq!(chain(&env, &v, "r", false).winner().map(|s| s.kind), Some(SourceKind::AssumeRole));
        assert_eq!(chain(&env, &v, "s", false).winner().map(|s| s.kind), Some(SourceKind::Sso));
    }
}
