//! Reading one profile as aws-config's `repr.rs` does: its static keys
//! (`static_creds_from_profile`), its role (`role_arn_from_profile`), its SSO
//! settings (`sso_from_profile`) and its base source in the SDK's order
//! (`base_provider`), with what each setting it passes over. Pure.

use super::types::*;
use crate::base::display::mask_key_id;
use crate::hops::Cause;
use crate::hops::text::quote;
use crate::profile::view::Section;
use crate::profile::{Origin, SdkView};
use secrecy::SecretString;

/// A profile of the view, by name.
#[derive(Clone, Copy)]
pub(super) struct Profile<'a> {
    pub(super) name: &'a str,
    pub(super) section: &'a Section,
}

impl<'a> Profile<'a> {
    pub(super) fn get(&self, key: &str) -> Option<&'a str> {
        self.section.get(key)
    }

    pub(super) fn origin(&self, key: &str) -> Option<Origin> {
        self.section.properties.get(key).map(|p| p.origin).or_else(|| self.section.headers.first().copied())
    }

    pub(super) fn setting(&self, key: &str) -> Option<Setting> {
        self.section.properties.get(key).map(|p| Setting {
            key: key.into(),
            value: p.value.clone(),
            origin: Some(p.origin),
        })
    }

    pub(super) fn settings(&self, keys: &[&str]) -> Vec<Setting> {
        keys.iter().filter_map(|k| self.setting(k)).collect()
    }

    pub(super) fn problem(&self, cause: Cause, key: Option<&str>, message: String, stops_sdk: bool) -> Problem {
        Problem {
            cause,
            profile: self.name.to_string(),
            key: key.map(str::to_string),
            origin: key.and_then(|k| self.origin(k)).or_else(|| self.section.headers.first().copied()),
            message,
            suggestions: Vec::new(),
            fix: None,
            stops_sdk,
        }
    }
}

/// Why a base provider could not be built.
pub(super) enum BaseError {
    /// `ProfileDidNotContainCredentials`: no key at all.
    NoCredentials,
    /// Any other error; `moves_on` when the SDK reports it as "not loaded".
    Invalid { problem: Box<Problem>, moves_on: bool },
}

/// The keys of a static-keys profile: the credentials file's keys.
pub(super) use crate::profile::CREDENTIAL_KEYS as STATIC_KEYS;
pub(super) const ROLE_KEYS: [&str; 7] = [
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "role_session_name",
    "duration_seconds",
];

/// `static_creds_from_profile`: `Err(None)` when no key is present, else the missing key.
pub(super) fn static_keys(p: Profile<'_>) -> Result<Hop, Option<&'static str>> {
    let (id, secret, token) = (p.get(STATIC_KEYS[0]), p.get(STATIC_KEYS[1]), p.get(STATIC_KEYS[2]));
    if id.is_none() && secret.is_none() && token.is_none() {
        return Err(None);
    }
    let id = id.ok_or(Some("aws_access_key_id"))?;
    let secret = secret.ok_or(Some("aws_secret_access_key"))?;
    let mut settings = Vec::new();
    for key in STATIC_KEYS {
        if let Some(mut s) = p.setting(key) {
            s.value = if key == "aws_access_key_id" {
                mask_key_id(&s.value)
            } else {
                crate::base::display::mask_secret(&s.value)
            };
            settings.push(s);
        }
    }
    settings.extend(p.setting("aws_account_id"));
    Ok(Hop {
        profile: Some(p.name.to_string()),
        source: HopSource::StaticKeys(StaticKeys {
            access_key_id: id.to_string(),
            secret_access_key: SecretString::from(secret.to_string()),
            session_token: token.map(|t| SecretString::from(t.to_string())),
            account_id: p.get("aws_account_id").map(str::to_string),
        }),
        settings,
    })
}

/// `role_arn_from_profile`: a role to chain, unless `web_identity_token_file` makes it a base.
pub(super) fn role_hop(p: Profile<'_>) -> Option<Hop> {
    if p.get("web_identity_token_file").is_some() {
        return None;
    }
    let role_arn = p.get("role_arn")?;
    Some(Hop {
        profile: Some(p.name.to_string()),
        source: HopSource::AssumeRole(RoleSpec {
            role_arn: role_arn.to_string(),
            external_id: p.get("external_id").map(str::to_string),
            mfa_serial: p.get("mfa_serial").map(str::to_string),
            role_session_name: p.get("role_session_name").map(str::to_string),
            duration_seconds: p.get("duration_seconds").map(str::to_string),
        }),
        settings: p.settings(&ROLE_KEYS),
    })
}

/// `sso_from_profile`.
fn sso_hop(view: &SdkView, p: Profile<'_>) -> Option<Result<Hop, BaseError>> {
    const KEYS: [&str; 5] = ["sso_account_id", "sso_region", "sso_role_name", "sso_start_url", "sso_session"];
    if KEYS.iter().all(|k| p.get(k).is_none()) {
        return None;
    }
    let invalid = |key: &str, message: String, moves_on: bool| {
        Some(Err(BaseError::Invalid {
            problem: Box::new(p.problem(Cause::SsoConfigIncomplete, Some(key), message, true)),
            moves_on,
        }))
    };
    let mut settings = p.settings(&KEYS);
    let (mut start_url, mut region) = (p.get("sso_start_url"), p.get("sso_region"));
    let session_name = p.get("sso_session");
    if let Some(name) = session_name {
        let Some(session) = view.sso_sessions.get(name) else {
            let mut problem = p.problem(
                Cause::SsoConfigIncomplete,
                Some("sso_session"),
                format!("sso_session names {}, but there is no [sso-session {0}] section", quote(name)),
                true,
            );
            problem.suggestions =
                crate::vocabulary::regions::closest(name, view.sso_sessions.keys().map(String::as_str), 3)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
            return Some(Err(BaseError::Invalid { problem: Box::new(problem), moves_on: false }));
        };
        // The legacy keys beside the session (for older tools): equal values are read
        // by the AWS CLI, Go, JavaScript and Java (the Rust SDK refuses any: a
        // tools-disagree warning); a different value is refused by the CLI and Go too.
        for key in ["sso_start_url", "sso_region"] {
            if let Some(own) = p.get(key).filter(|own| Some(own.trim()) != session.get(key).map(str::trim)) {
                return invalid(
                    key,
                    format!(
                        "`{key}` in the profile ({}) differs from [sso-session {}]'s: the AWS CLI and the Go SDK refuse the profile, the Rust SDK refuses any {key} beside sso_session",
                        quote(own),
                        crate::hops::text::escape(name, 100)
                    ),
                    false,
                );
            }
        }
        start_url = session.get("sso_start_url");
        region = session.get("sso_region");
        for key in ["sso_start_url", "sso_region"] {
            if let Some(prop) = session.properties.get(key) {
                settings.push(Setting { key: key.into(), value: prop.value.clone(), origin: Some(prop.origin) });
            }
        }
    }
    let (account, role) = (p.get("sso_account_id"), p.get("sso_role_name"));
    match (account, role) {
        (Some(_), None) => {
            return invalid("sso_role_name", "sso_account_id is set but sso_role_name is not".into(), false);
        }
        (None, Some(_)) => {
            return invalid("sso_account_id", "sso_role_name is set but sso_account_id is not".into(), false);
        }
        _ => {}
    }
    let where_ = if session_name.is_some() { "in the [sso-session] section" } else { "in the profile" };
    let Some(region) = region else {
        return invalid("sso_region", format!("sso_region is missing {where_}"), true);
    };
    let Some(start_url) = start_url else {
        return invalid("sso_start_url", format!("sso_start_url is missing {where_}"), true);
    };
    Some(Ok(Hop {
        profile: Some(p.name.to_string()),
        source: HopSource::Sso(SsoSpec {
            session_name: session_name.map(str::to_string),
            start_url: start_url.to_string(),
            region: region.to_string(),
            account_id: account.unwrap_or_default().to_string(),
            role_name: role.unwrap_or_default().to_string(),
        }),
        settings,
    }))
}

/// `base_provider`, in the SDK's order: credential_source, web identity, SSO,
/// login session, credential_process, static keys.
pub(super) fn base_hop(view: &SdkView, p: Profile<'_>, shadowed: &mut Vec<Shadowed>) -> Result<Hop, BaseError> {
    let order = ["credential_source", "web_identity_token_file", "sso", "login_session", "credential_process", "keys"];
    let present = |what: &str| match what {
        "sso" => ["sso_session", "sso_start_url", "sso_account_id"].iter().any(|k| p.get(k).is_some()),
        "keys" => p.get("aws_access_key_id").is_some(),
        key => p.get(key).is_some(),
    };
    let winner = order.iter().position(|w| present(w));
    if let Some(w) = winner {
        for lost in order[w + 1..].iter().filter(|l| present(l)) {
            let key = match *lost {
                "sso" => "sso_session",
                "keys" => "aws_access_key_id",
                other => other,
            };
            let key = if key == "sso_session" && p.get(key).is_none() { "sso_start_url" } else { key };
            shadowed.push(Shadowed {
                profile: p.name.into(),
                key: key.into(),
                origin: p.origin(key),
                reason: format!("ignored: `{}` in the same profile comes first in the SDK's order", order[w]),
            });
        }
    }
    if let Some(source) = p.get("credential_source") {
        return Ok(Hop {
            profile: Some(p.name.into()),
            source: HopSource::Named { source: NamedSource::parse(source), written: source.to_string() },
            settings: p.settings(&["credential_source"]),
        });
    }
    match (p.get("role_arn"), p.get("web_identity_token_file")) {
        (Some(role_arn), Some(token_file)) => {
            return Ok(Hop {
                profile: Some(p.name.into()),
                source: HopSource::WebIdentity(WebIdentitySpec {
                    role_arn: role_arn.into(),
                    token_file: token_file.into(),
                    session_name: p.get("role_session_name").map(str::to_string),
                    from_env: false,
                    job_token: None,
                }),
                settings: p.settings(&["role_arn", "web_identity_token_file", "role_session_name"]),
            });
        }
        (None, Some(_)) => {
            let problem = p.problem(
                Cause::RoleConfigInvalid,
                Some("web_identity_token_file"),
                "web_identity_token_file is set but role_arn is missing".into(),
                true,
            );
            return Err(BaseError::Invalid { problem: Box::new(problem), moves_on: false });
        }
        _ => {}
    }
    if let Some(sso) = sso_hop(view, p) {
        return sso;
    }
    if let Some(arn) = p.get("login_session") {
        return Ok(Hop {
            profile: Some(p.name.into()),
            source: HopSource::Login(LoginSpec { session_arn: arn.into() }),
            settings: p.settings(&["login_session"]),
        });
    }
    if let Some(command) = p.get("credential_process") {
        let mut settings = p.settings(&["credential_process", "aws_account_id"]);
        if let Some(s) = settings.first_mut() {
            s.value = ProcessSpec { command: s.value.clone(), account_id: None }.program();
        }
        return Ok(Hop {
            profile: Some(p.name.into()),
            source: HopSource::Process(ProcessSpec {
                command: command.into(),
                account_id: p.get("aws_account_id").map(str::to_string),
            }),
            settings,
        });
    }
    static_keys(p).map_err(|missing| match missing {
        None => BaseError::NoCredentials,
        Some(key) => BaseError::Invalid {
            problem: Box::new(p.problem(
                Cause::MissingCredentialField,
                Some(key),
                format!("profile {} has an access key half: {key} is missing", quote(p.name)),
                true,
            )),
            moves_on: false,
        },
    })
}
