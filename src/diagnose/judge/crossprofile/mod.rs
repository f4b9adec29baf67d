//! Cross-profile findings (SPEC section 7): what only a view of every profile
//! at once can tell. The same access key id held with different secrets (one
//! copy is stale), sections the SDKs can never use (misnamed, shadowed), and
//! SSO profiles that share one expired session (one login fixes them all).
//! The inactive key seen through another profile is found live by
//! `scan::owners`; its finding is built here too. Pure, no IO: secrets are
//! compared through a SHA-256 fingerprint and never put into a finding.
//! The SSO findings live in `sso`.

use crate::base::display::mask_key_id;
use crate::base::environment::Environment;
use crate::diagnose::input::common::Others;
use crate::diagnose::input::gather::SideFiles;
use crate::diagnose::input::lints::{cleaned, secret_print};
use crate::profile::file_location;
use crate::profile::view::{Ignored, split_header};
use crate::profile::{FileKind, SdkView};
use crate::vocabulary::{Cause, Status};
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use std::collections::BTreeMap;

/// The ids of cross-profile findings (stable: the JSON and the tests use them).
mod sso;

pub use sso::{shared_expired_sso, sso_groups, sso_key, sso_login_command, sso_token_unusable};

pub mod ids {
    /// One access key id, different secrets in two or more profiles.
    pub const DUPLICATE_KEY: &str = "duplicate-key";
    /// A key one profile is rejected with, listed as Inactive through another profile.
    pub const INACTIVE_KEY: &str = "inactive-key";
    /// A section the SDKs ignore because of how it is written (`[profile x]` in credentials...).
    pub const UNUSABLE_SECTION: &str = "unusable-section";
    /// A section the SDKs ignore because another one takes its place (`[default]` beside `[profile default]`).
    pub const SHADOWED_SECTION: &str = "shadowed-section";
    /// Several SSO profiles on one expired session: one login fixes them all.
    pub const SHARED_SSO_SESSION_EXPIRED: &str = "shared-sso-session-expired";
    /// A diagnostic IAM read of the owner lookup that was denied or failed (a warning, never a failure).
    pub const OWNER_LOOKUP: &str = "key-owner-lookup";
    /// A rejected key that no user of its account lists: it was deleted.
    pub const KEY_NOT_IN_ACCOUNT: &str = "key-not-in-account";
}

/// One cross-profile finding: the profiles it involves, what is wrong and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrossFinding {
    pub id: &'static str,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    pub profiles: Vec<String>,
    pub summary: String,
    pub fix: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

/// A static key held by one profile (or by the environment, as `(env)`).
#[derive(Clone)]
pub struct KeyHolder {
    pub profile: String,
    /// The key id, stray characters removed.
    pub key_id: String,
    /// SHA-256 of the secret with stray characters removed: equal secrets, equal prints.
    pub secret_print: [u8; 32],
}

impl std::fmt::Debug for KeyHolder {
    /// The profile and the masked key id; nothing derived from the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyHolder").field("profile", &self.profile).field("key_id", &mask_key_id(&self.key_id)).finish()
    }
}

impl KeyHolder {
    /// A holder of `key_id` and `secret` (the secret is only hashed).
    pub fn new(profile: &str, key_id: &str, secret: &SecretString) -> Self {
        KeyHolder {
            profile: profile.to_string(),
            key_id: cleaned(key_id),
            secret_print: secret_print(secret.expose_secret()),
        }
    }
}

/// The static keys of every profile of the view that has both halves.
pub fn key_holders(view: &SdkView) -> Vec<KeyHolder> {
    view.profiles
        .iter()
        .filter_map(|(name, section)| {
            let id = section.get("aws_access_key_id")?;
            let secret = SecretString::from(section.get("aws_secret_access_key")?.to_string());
            (!cleaned(id).is_empty()).then(|| KeyHolder::new(name, id, &secret))
        })
        .collect()
}

/// One key id held with different secrets: the profiles of each distinct secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key_id: String,
    /// Profiles grouped by secret (two or more groups), in the order first seen.
    pub by_secret: Vec<Vec<String>>,
}

impl DuplicateKey {
    /// Every profile involved.
    pub fn profiles(&self) -> Vec<String> {
        self.by_secret.iter().flatten().cloned().collect()
    }
}

/// Key ids held with more than one distinct secret.
pub fn duplicate_keys(holders: &[KeyHolder]) -> Vec<DuplicateKey> {
    /// Profiles by secret fingerprint, for one key id.
    type Groups = Vec<([u8; 32], Vec<String>)>;
    let mut by_key: BTreeMap<&str, Groups> = BTreeMap::new();
    for holder in holders {
        let groups = by_key.entry(holder.key_id.as_str()).or_default();
        match groups.iter_mut().find(|(print, _)| *print == holder.secret_print) {
            Some((_, profiles)) => profiles.push(holder.profile.clone()),
            None => groups.push((holder.secret_print, vec![holder.profile.clone()])),
        }
    }
    by_key
        .into_iter()
        .filter(|(_, groups)| groups.len() > 1)
        .map(|(key_id, groups)| DuplicateKey {
            key_id: key_id.to_string(),
            by_secret: groups.into_iter().map(|(_, profiles)| profiles).collect(),
        })
        .collect()
}

/// What is known live about one profile's credentials, for naming the stale copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// AWS accepted them.
    Works,
    /// AWS answered SignatureDoesNotMatch (a wrong secret).
    WrongSecret,
    /// Not known (not checked, another failure).
    Unknown,
}

/// `a`, `a and b`, `a, b and c`, each name in backquotes.
/// Other profiles, named as far as `first` goes and counted past it:
/// "`a`, `b` and `c`", or "`a`, `b`, `c`, `d`, `e` and 995 more".
pub fn others_list(others: &Others) -> String {
    let rest = others.count.saturating_sub(others.first.len());
    if rest == 0 {
        let names: Vec<String> = others.first.iter().map(|n| n.to_string()).collect();
        return name_list(&names);
    }
    let quoted: Vec<String> = others.first.iter().map(|n| format!("`{n}`")).collect();
    format!("{} and {rest} more", quoted.join(", "))
}

pub fn name_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// The finding for one duplicated key, naming the working and the stale copies when known.
pub fn duplicate_key_finding(duplicate: &DuplicateKey, verdict: impl Fn(&str) -> Verdict) -> CrossFinding {
    let masked = mask_key_id(&duplicate.key_id);
    let groups: Vec<String> = duplicate.by_secret.iter().map(|g| name_list(g)).collect();
    let summary = format!(
        "access key {masked} is held with {} different secrets: {}; only one secret can be right",
        duplicate.by_secret.len(),
        groups.join(" / ")
    );
    let group_verdict = |group: &[String]| {
        let verdicts: Vec<Verdict> = group.iter().map(|p| verdict(p)).collect();
        if verdicts.contains(&Verdict::Works) {
            Verdict::Works
        } else if verdicts.contains(&Verdict::WrongSecret) {
            Verdict::WrongSecret
        } else {
            Verdict::Unknown
        }
    };
    let working: Vec<&Vec<String>> =
        duplicate.by_secret.iter().filter(|g| group_verdict(g) == Verdict::Works).collect();
    let stale: Vec<String> = duplicate
        .by_secret
        .iter()
        .filter(|g| group_verdict(g) == Verdict::WrongSecret)
        .flat_map(|g| g.iter().cloned())
        .collect();
    let mut evidence = Vec::new();
    let fix = match working.first() {
        Some(good) => {
            evidence.push(format!("AWS accepts the secret of {}", name_list(good)));
            if !stale.is_empty() {
                evidence.push(format!("AWS rejects the secret of {} (SignatureDoesNotMatch)", name_list(&stale)));
            }
            let others: Vec<String> =
                duplicate.by_secret.iter().filter(|g| !std::ptr::eq(*g, *good)).flatten().cloned().collect();
            format!(
                "copy the secret of `{}` into {} (or delete the stale profile{})",
                good[0],
                name_list(&others),
                if others.len() > 1 { "s" } else { "" }
            )
        }
        None if !stale.is_empty() => {
            evidence.push(format!("AWS rejects the secret of {} (SignatureDoesNotMatch)", name_list(&stale)));
            "re-enter the secret from where the key was created; if it is lost, create a new key and delete this one"
                .to_string()
        }
        None => {
            "find out which secret is current (credwiz --profile P on each) and remove the stale copies".to_string()
        }
    };
    CrossFinding {
        id: ids::DUPLICATE_KEY,
        status: if stale.is_empty() && working.is_empty() { Status::Warn } else { Status::Fail },
        cause: Some(Cause::SecretMismatch),
        profiles: duplicate.profiles(),
        summary,
        fix,
        evidence,
    }
}

/// Sections the SDKs ignore entirely: misnamed or invalid headers (`unusable-section`)
/// and `[default]` beside `[profile default]` in the config file (`shadowed-section`).
pub fn unusable_sections(view: &SdkView, env: &Environment) -> Vec<CrossFinding> {
    view.ignored
        .iter()
        .filter(|ignored| ignored.key.is_none())
        .map(|ignored| {
            let (prefix, name) = split_header(&ignored.header);
            let shadowed = ignored.is_shadowed_default();
            let location = file_location(env, ignored.origin);
            let fix = match (ignored.origin.file, prefix) {
                _ if shadowed => Ignored::SHADOWED_DEFAULT_FIX.to_string(),
                (FileKind::Credentials, Some("profile")) => format!("rename the header to [{name}]"),
                (FileKind::Config, None) => format!("rename the header to [profile {name}]"),
                _ => "rename the section with a valid name, or move it to the file it belongs in".to_string(),
            };
            CrossFinding {
                id: if shadowed { ids::SHADOWED_SECTION } else { ids::UNUSABLE_SECTION },
                status: Status::Warn,
                cause: Some(Cause::ProfileMisnamedSection),
                profiles: vec![name.to_string()],
                summary: format!("{location}: {}", ignored.reason),
                fix,
                evidence: vec![format!("the AWS SDKs and CLI never read the section at {location}")],
            }
        })
        .collect()
}

/// `both profiles`, `all 3 profiles`.
pub fn all_of(count: usize) -> String {
    if count == 2 { "both profiles".to_string() } else { format!("all {count} profiles") }
}

/// Every cross-profile finding that needs no network, in a stable order.
pub fn offline(
    view: &SdkView,
    env: &Environment,
    side: &SideFiles,
    holders: &[KeyHolder],
    now: DateTime<Utc>,
) -> Vec<CrossFinding> {
    let mut out: Vec<CrossFinding> =
        duplicate_keys(holders).iter().map(|d| duplicate_key_finding(d, |_| Verdict::Unknown)).collect();
    out.extend(unusable_sections(view, env));
    out.extend(shared_expired_sso(view, side, now));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::input::gather::{SsoCacheEntry, SsoToken};
    use crate::profile::Document;

    #[test]
    fn other_profiles_are_named_up_to_the_first_few_and_counted_past_them() {
        let few = Others { first: vec!["a", "b", "c"], count: 3 };
        assert_eq!(others_list(&few), "`a`, `b` and `c`");
        let many = Others { first: vec!["a", "b", "c", "d", "e"], count: 1000 };
        assert_eq!(others_list(&many), "`a`, `b`, `c`, `d`, `e` and 995 more");
    }

    fn view(config: &str, credentials: &str) -> SdkView {
        SdkView::build(Some(&Document::parse(config)), Some(&Document::parse(credentials)))
    }

    const SECRET_A: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
    const SECRET_B: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz";

    #[test]
    fn the_same_key_with_two_secrets_names_both_groups_and_the_stale_one() {
        let creds = format!(
            "[a]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET_A}\n\
             [b]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET_B}\n\
             [c]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET_A} \n\
             [d]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = {SECRET_B}\n"
        );
        let v = view("", &creds);
        let dups = duplicate_keys(&key_holders(&v));
        assert_eq!(dups.len(), 1, "{dups:?}");
        assert_eq!(dups[0].by_secret, vec![vec!["a".to_string(), "c".to_string()], vec!["b".to_string()]]);
        let finding = duplicate_key_finding(&dups[0], |p| if p == "b" { Verdict::WrongSecret } else { Verdict::Works });
        assert_eq!(finding.status, Status::Fail);
        assert!(finding.fix.contains("copy the secret of `a` into `b`"), "{}", finding.fix);
        let text = format!("{finding:?}");
        assert!(!text.contains(SECRET_A) && !text.contains(SECRET_B) && !text.contains("AKIAQWERTYUIOPASDFGH"));
        let unknown = duplicate_key_finding(&dups[0], |_| Verdict::Unknown);
        assert_eq!(unknown.status, Status::Warn);
    }

    #[test]
    fn misnamed_and_shadowed_sections_are_named_with_their_fix() {
        let v =
            view("[dev]\nregion = x\n[default]\nregion = a\n[profile default]\nregion = b\n", "[profile ops]\nx = 1\n");
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/home/u".into()));
        let found = unusable_sections(&v, &env);
        let ids: Vec<(&str, &str)> = found.iter().map(|f| (f.id, f.profiles[0].as_str())).collect();
        assert_eq!(
            ids,
            [(ids::UNUSABLE_SECTION, "dev"), (ids::SHADOWED_SECTION, "default"), (ids::UNUSABLE_SECTION, "ops")]
        );
        assert_eq!(found[0].fix, "rename the header to [profile dev]");
        assert_eq!(found[2].fix, "rename the header to [ops]");
        assert!(found[0].summary.starts_with("~/.aws/config:1"), "{}", found[0].summary);
    }

    #[test]
    fn profiles_sharing_an_expired_session_get_one_login() {
        let config = "[profile a]\nsso_session = corp\n[profile b]\nsso_session = corp\n[profile c]\nsso_session = solo\n[sso-session corp]\nsso_start_url = https://x\n[sso-session solo]\nsso_start_url = https://y\n";
        let v = view(config, "");
        let now = Utc::now();
        let expired = SsoToken {
            expires_at: Some(now - chrono::Duration::hours(3)),
            has_refresh_material: false,
            registration_expires_at: None,
        };
        let mut side = SideFiles::default();
        for key in ["corp", "solo"] {
            side.sso_cache
                .insert(key.into(), SsoCacheEntry { path: "~/x.json".into(), token: Ok(Some(expired.clone())) });
        }
        let found = shared_expired_sso(&v, &side, now);
        assert_eq!(found.len(), 1, "a session of one profile is that profile's own finding");
        assert_eq!(found[0].profiles, ["a", "b"]);
        assert!(found[0].fix.contains("aws sso login --sso-session corp") && found[0].summary.contains("3 h"));
        // Expired but refreshable: the SDK refreshes it; nothing to say.
        let refreshable = SsoToken {
            has_refresh_material: true,
            registration_expires_at: Some(now + chrono::Duration::days(30)),
            ..expired
        };
        side.sso_cache.insert("corp".into(), SsoCacheEntry { path: "~/x.json".into(), token: Ok(Some(refreshable)) });
        assert!(shared_expired_sso(&v, &side, now).is_empty());
    }

    #[test]
    fn names_are_listed_in_words() {
        assert_eq!(name_list(&["a".into()]), "`a`");
        assert_eq!(name_list(&["a".into(), "b".into(), "c".into()]), "`a`, `b` and `c`");
    }
}
