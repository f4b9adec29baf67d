//! Writing an MFA session to a profile: the pure edit of both documents
//! (`session_edits`) and the safe write (`write_session`), used by
//! `credwiz check --mfa-code C --write-session [P]` and by the wizard.

use super::check::Session;
use super::live::SigningKeys;
use super::{Facts, Outcomes};
use crate::profile::{Document, FileKind, LoadedFile, SectionName, set_target};
use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;

/// Edits the two documents so profile `target` holds the session: keys, token
/// and `aws_expiration` in credentials, and the source profile's region in
/// config when the target has none.
pub fn session_edits(
    credentials: &Document,
    config: &Document,
    target: &str,
    keys: &SigningKeys,
    expiration: Option<DateTime<Utc>>,
    region: Option<&str>,
) -> (Document, Document) {
    let mut creds = credentials.clone();
    let section = SectionName::profile(FileKind::Credentials, target);
    creds.set(&section, "aws_access_key_id", keys.access_key_id.as_str());
    creds.set(&section, "aws_secret_access_key", keys.secret.expose_secret());
    match &keys.token {
        Some(token) => creds.set(&section, "aws_session_token", token.expose_secret()),
        None => creds.remove(&section, "aws_session_token"),
    };
    if let Some(at) = expiration {
        creds.set(&section, "aws_expiration", &at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    let mut cfg = config.clone();
    if let Some(region) = region {
        let (_, section) = set_target("region", target, config);
        let view = crate::profile::SdkView::build(Some(config), None);
        if view.profiles.get(target).and_then(|p| p.get("region")).is_none() {
            cfg.set(&section, "region", region);
        }
    }
    (creds, cfg)
}

/// Writes the obtained session to profile `target`. `Ok(None)`: no session was obtained.
pub fn write_session(facts: &Facts, outcomes: &Outcomes, target: &str) -> Result<Option<String>, String> {
    let Some(Session { keys, expiration }) = outcomes.session() else {
        return Ok(None);
    };
    let expiration = *expiration;
    if target == facts.profile {
        return Err(format!(
            "refusing to overwrite the long-term keys of profile {target} with a session; pick another profile name"
        ));
    }
    let mut credentials = LoadedFile::load(&facts.env.credentials_path()).map_err(|e| e.to_string())?;
    let mut config = LoadedFile::load(&facts.env.config_path()).map_err(|e| e.to_string())?;
    let region = facts.signing_region();
    let (new_creds, new_config) =
        session_edits(&credentials.document, &config.document, target, keys, expiration, region.as_deref());
    let saved = credentials.save(&new_creds).map_err(|e| e.to_string())?;
    if config.is_changed(&new_config) {
        config.save(&new_config).map_err(|e| e.to_string())?;
    }
    let until = expiration.map(|e| format!(", valid until {}", e.to_rfc3339())).unwrap_or_default();
    Ok(Some(format!(
        "wrote the MFA session to profile {target} in {}{until}; use it with AWS_PROFILE={target}",
        saved.written.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_goes_to_its_own_profile_with_expiry_and_region() {
        let creds = Document::parse("[dev]\naws_access_key_id = AKIALONGTERM\n");
        let config = Document::parse("[profile dev]\nregion = eu-west-1\n");
        let keys = SigningKeys {
            access_key_id: "ASIATEMP".into(),
            secret: "s".to_string().into(),
            token: Some("t".to_string().into()),
        };
        let at = DateTime::parse_from_rfc3339("2026-11-22T12:00:00Z").map(|t| t.with_timezone(&Utc)).ok();
        let (c, g) = session_edits(&creds, &config, "dev-mfa", &keys, at, Some("eu-west-1"));
        assert_eq!(
            c.render(),
            "[dev]\naws_access_key_id = AKIALONGTERM\n\n[dev-mfa]\naws_access_key_id = ASIATEMP\naws_secret_access_key = s\naws_session_token = t\naws_expiration = 2026-11-22T12:00:00Z\n"
        );
        assert_eq!(g.render(), "[profile dev]\nregion = eu-west-1\n\n[profile dev-mfa]\nregion = eu-west-1\n");
    }
}
