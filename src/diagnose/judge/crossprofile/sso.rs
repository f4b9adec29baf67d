//! The SSO side of the cross-profile findings: which profiles share one SSO
//! session (or legacy start URL), whether its cached token can still be used,
//! the one login that serves them all, and `shared-sso-session-expired`.

use crate::diagnose::input::gather::{SideFiles, SsoCacheEntry};
use crate::diagnose::judge::crossprofile::{CrossFinding, all_of, ids, name_list};
use crate::profile::SdkView;
use crate::vocabulary::{Cause, Status};
use chrono::{DateTime, Utc};

pub use crate::diagnose::input::common::{sso_groups, sso_key};

/// How the cached token of a session stands, when it cannot be used: `None` when it can
/// (valid, or expired but refreshable, which the SDK does by itself) or was not read.
pub fn sso_token_unusable(entry: &SsoCacheEntry, now: DateTime<Utc>) -> Option<String> {
    match &entry.token {
        Ok(None) => Some(format!("no token is cached ({} does not exist)", entry.path)),
        Ok(Some(token)) => match token.expires_at {
            Some(at) if at <= now && !token.refreshable(now) => Some(format!(
                "its token expired {} ago and cannot be refreshed",
                crate::base::time::humanize((now - at).num_seconds())
            )),
            Some(_) => None,
            None => Some(format!("the cached token in {} has no readable expiry", entry.path)),
        },
        Err(why) => Some(format!("the token cache cannot be read: {why}")),
    }
}

/// The login command that refreshes every profile of one session.
pub fn sso_login_command(view: &SdkView, key: &str, profiles: &[String]) -> String {
    if view.sso_sessions.contains_key(key) {
        format!("aws sso login --sso-session {key}")
    } else {
        format!("aws sso login --profile {}", profiles.first().map_or("", String::as_str))
    }
}

/// Sessions shared by two or more profiles whose cached token is expired or missing.
pub fn shared_expired_sso(view: &SdkView, side: &SideFiles, now: DateTime<Utc>) -> Vec<CrossFinding> {
    sso_groups(view)
        .into_iter()
        .filter(|(_, profiles)| profiles.len() > 1)
        .filter_map(|(key, profiles)| {
            let why = sso_token_unusable(side.sso_cache.get(&key)?, now)?;
            let login = sso_login_command(view, &key, &profiles);
            let what = if view.sso_sessions.contains_key(&key) { "SSO session" } else { "SSO start URL" };
            Some(CrossFinding {
                id: ids::SHARED_SSO_SESSION_EXPIRED,
                status: Status::Fail,
                cause: Some(Cause::SsoSessionExpired),
                summary: format!(
                    "{} profiles share {what} `{key}`, and {why}: every one of them fails until you log in again",
                    profiles.len()
                ),
                fix: format!("run `{login}` once: it logs in {} ({})", all_of(profiles.len()), name_list(&profiles)),
                profiles,
                evidence: Vec::new(),
            })
        })
        .collect()
}
