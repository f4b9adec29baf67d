//! Writing an MFA session to a profile: the pure edit of both documents
//! (`session_edits`) and the safe write (`write_session`), used by
//! `credwiz check --mfa-code C --write-session [P]` and by the wizard.
//! File IO through the safe store.
//!
//! Nothing from outside reaches a file unchecked: the target name is
//! validated (`validate::profile_name`: no `]`, line break or surrounding
//! space that would inject sections or slip past the guard), the session
//! received from the network is checked against AWS's shapes
//! (`validate::session`), and every line is written with
//! `Document::set_checked`. The session's secret and token are registered
//! with the redaction layer ([`register`]) before anything is written or shown.

use crate::aws::live::SigningKeys;
use crate::diagnose::run::check::Session;
use crate::diagnose::{Facts, Outcomes};
use crate::profile::validate::{self, Invalid};
use crate::profile::{Document, FileKind, LoadedFile, SdkView, SectionName, set_target};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;

/// Registers a session's secret and token with the redaction layer, so no
/// sink shows them. Call it wherever the engine obtains a session (the
/// runner's GetSessionToken arm, every credential provider's output).
pub fn register(keys: &SigningKeys) {
    crate::redact::register_secret(&keys.secret);
    if let Some(token) = &keys.token {
        crate::redact::register_secret(token);
    }
}

/// A profile name as the AWS SDKs read it from a section header (surrounding whitespace trimmed).
fn normalised(name: &str) -> &str {
    name.trim()
}

/// Edits the two documents so profile `target` holds the session: keys, token
/// and `aws_expiration` in credentials, and the source profile's region in
/// config when the target has none. Refused (nothing edited) when the target
/// name or a value could not be written as the SDKs would read it.
pub fn session_edits(
    credentials: &Document,
    config: &Document,
    target: &str,
    keys: &SigningKeys,
    expiration: Option<DateTime<Utc>>,
    region: Option<&str>,
) -> Result<(Document, Document), Invalid> {
    validate::profile_name(target)?;
    let mut creds = credentials.clone();
    let section = SectionName::profile(FileKind::Credentials, target);
    creds.set_checked(&section, "aws_access_key_id", keys.access_key_id.as_str())?;
    creds.set_checked(&section, "aws_secret_access_key", keys.secret.expose_secret())?;
    match &keys.token {
        Some(token) => {
            creds.set_checked(&section, "aws_session_token", token.expose_secret())?;
        }
        None => {
            creds.remove(&section, "aws_session_token");
        }
    }
    if let Some(at) = expiration {
        creds.set_checked(&section, "aws_expiration", &at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))?;
    }
    let mut cfg = config.clone();
    if let Some(region) = region.filter(|r| validate::value(r).is_ok()) {
        let (_, section) = set_target("region", target, config);
        let view = SdkView::build(Some(config), None);
        if view.profiles.get(target).and_then(|p| p.get("region")).is_none() {
            cfg.set_checked(&section, "region", region)?;
        }
    }
    Ok((creds, cfg))
}

/// Why `target` must not receive a session: it is the source profile itself,
/// or it holds long-term keys (a key id with no session token) that the
/// session would replace.
fn target_guard(target: &str, source: &str, credentials: &Document, config: &Document) -> Result<(), String> {
    if normalised(target) == normalised(source) {
        return Err(format!(
            "refusing to overwrite the long-term keys of profile {} with a session; pick another profile name",
            crate::base::sanitize::shown(normalised(source), 80)
        ));
    }
    let view = SdkView::build(Some(config), Some(credentials));
    if let Some(profile) = view.profiles.get(normalised(target))
        && let Some(key_id) = profile.get("aws_access_key_id")
        && profile.get("aws_session_token").is_none()
        && !key_id.trim().starts_with("ASIA")
    {
        return Err(format!(
            "refusing to write the session to profile {}: it holds long-term keys, which the session would replace; pick another profile name",
            crate::base::sanitize::shown(target, 80)
        ));
    }
    Ok(())
}

/// Writes the obtained session to profile `target`. `Ok(None)`: no session was obtained.
/// What writing a session did: the files saved (with their backups), until
/// when the session holds, and a sentence for people.
#[derive(Debug, Clone)]
pub struct WrittenSession {
    pub saved: Vec<crate::profile::Saved>,
    pub expiration: Option<DateTime<Utc>>,
    pub message: String,
}

pub fn write_session(facts: &Facts, outcomes: &Outcomes, target: &str) -> Result<Option<WrittenSession>, String> {
    validate::profile_name(target).map_err(|e| e.to_string())?;
    let Some(Session { keys, expiration }) = outcomes.session() else {
        return Ok(None);
    };
    register(keys);
    let token = keys.token.as_ref().map(|t| t.expose_secret());
    validate::session(keys.access_key_id.as_str(), keys.secret.expose_secret(), token).map_err(|e| e.to_string())?;
    let expiration = *expiration;
    let mut credentials = LoadedFile::load(&facts.env.credentials_path()).map_err(|e| e.to_string())?;
    let mut config = LoadedFile::load(&facts.env.config_path()).map_err(|e| e.to_string())?;
    target_guard(target, &facts.profile, &credentials.document, &config.document)?;
    let region = facts.signing_region();
    let (new_creds, new_config) =
        session_edits(&credentials.document, &config.document, target, keys, expiration, region.as_deref())
            .map_err(|e| e.to_string())?;
    let mut saved = vec![credentials.save(&new_creds).map_err(|e| e.to_string())?];
    if config.is_changed(&new_config) {
        saved.push(config.save(&new_config).map_err(|e| e.to_string())?);
    }
    let until = expiration.map(|e| format!(", valid until {}", e.to_rfc3339())).unwrap_or_default();
    let message = format!(
        "wrote the MFA session to profile {target} in {}{until}; use it with AWS_PROFILE={target}",
        crate::base::sanitize::shown(&crate::base::display::display_path(&facts.env, &saved[0].written), 400)
    );
    Ok(Some(WrittenSession { saved, expiration, message }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn keys(id: &str, secret: &str, token: Option<&str>) -> SigningKeys {
        SigningKeys {
            access_key_id: id.into(),
            secret: secret.to_string().into(),
            token: token.map(|t| t.to_string().into()),
        }
    }

    #[test]
    fn session_goes_to_its_own_profile_with_expiry_and_region() {
        let creds = Document::parse("[dev]\naws_access_key_id = AKIALONGTERM\n");
        let config = Document::parse("[profile dev]\nregion = eu-west-1\n");
        let at = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        let session = keys("ASIATEMPORARY0000001", SECRET, Some("IQoJb3JpZ2luX2VjEtoken"));
        let (c, g) = session_edits(&creds, &config, "dev-mfa", &session, at, Some("eu-west-1")).expect("edits");
        assert_eq!(
            c.render(),
            format!(
                "[dev]\naws_access_key_id = AKIALONGTERM\n\n[dev-mfa]\naws_access_key_id = ASIATEMPORARY0000001\naws_secret_access_key = {SECRET}\naws_session_token = IQoJb3JpZ2luX2VjEtoken\naws_expiration = 2026-11-22T12:00:00Z\n"
            )
        );
        assert_eq!(g.render(), "[profile dev]\nregion = eu-west-1\n\n[profile dev-mfa]\nregion = eu-west-1\n");
    }

    #[test]
    fn injected_names_and_values_are_refused_and_nothing_is_edited() {
        let creds = Document::parse("[dev]\naws_access_key_id = AKIALONGTERM\n");
        let config = Document::parse("");
        let good = keys("ASIATEMPORARY0000001", SECRET, Some("token"));
        for target in ["x]\n[profile evil]\ncredential_process = sh -c id\n[y", " default", "dev-mfa ", "a]b", ""] {
            assert!(session_edits(&creds, &config, target, &good, None, None).is_err(), "{target:?}");
        }
        let injected = keys("ASIATEMPORARY0000001", SECRET, Some("t\n[evil]\ncredential_process=sh"));
        assert!(session_edits(&creds, &config, "dev-mfa", &injected, None, None).is_err());
    }

    #[test]
    fn the_guard_compares_normalised_names_and_protects_long_term_keys() {
        let creds = Document::parse(
            "[default]\naws_access_key_id = AKIALONGTERM\n[old-mfa]\naws_access_key_id = ASIAOLD\naws_session_token = t\n[prod]\naws_access_key_id = AKIAPROD\n",
        );
        let config = Document::parse("");
        assert!(target_guard("default", "default", &creds, &config).is_err());
        assert!(target_guard("default", " default", &creds, &config).is_err());
        assert!(target_guard("prod", "default", &creds, &config).is_err(), "long-term keys of another profile");
        assert_eq!(target_guard("old-mfa", "default", &creds, &config), Ok(()));
        assert_eq!(target_guard("default-mfa", "default", &creds, &config), Ok(()));
    }
}
