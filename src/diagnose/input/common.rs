//! What the facts of every profile of one set of files share, built once:
//! the files, the SDK's view of them, the side files, and the indexes the
//! cross-profile assessments look things up in (which profiles hold a key id,
//! which share an SSO session, which ignored sections name a profile).
//! `check` builds it for its one profile; `scan`
//! builds it once for all of them, so each profile's facts cost what its own
//! chain costs, not the size of the files (issue 19: 5,000 profiles). Pure.

use super::gather::SideFiles;
use super::lints::{cleaned, secret_print};
use crate::profile::view::{Ignored, split_header};
use crate::profile::{ProfileFiles, SdkView};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The shared part of every profile's facts.
#[derive(Debug, Clone)]
pub struct Common {
    pub files: Arc<ProfileFiles>,
    pub view: Arc<SdkView>,
    pub side: Arc<SideFiles>,
    pub index: Arc<ProfileIndex>,
}

impl Common {
    /// Builds the view and the indexes (linear in the files).
    pub fn new(files: ProfileFiles, side: SideFiles) -> Common {
        let view = files.view();
        let index = ProfileIndex::new(&view);
        Common { files: Arc::new(files), view: Arc::new(view), side: Arc::new(side), index: Arc::new(index) }
    }
}

/// At most this many other profiles are named in one profile's report; the
/// rest are counted, so a report stays the same size however many profiles
/// share its key or its SSO session.
pub const NAMED: usize = 5;

/// The other profiles of a group: the first few by name, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Others<'a> {
    pub first: Vec<&'a str>,
    pub count: usize,
}

/// The profiles holding one key id with its secret, grouped by secret.
#[derive(Debug, Clone, Default)]
struct KeyGroups {
    /// Profiles by secret, each in name order, the groups in the order of their first profile.
    by_secret: Vec<Vec<String>>,
    /// The group of each secret print.
    group_of: HashMap<[u8; 32], usize>,
    holders: usize,
}

/// Lookups over every profile of the view.
#[derive(Debug, Clone, Default)]
pub struct ProfileIndex {
    /// Profiles holding both halves of a key, by the key id (stray
    /// characters removed), grouped by secret; only ids two or more hold.
    by_key_id: HashMap<String, KeyGroups>,
    /// Profiles that share an SSO session (or legacy start URL), by cache key.
    pub sso_groups: BTreeMap<String, Vec<String>>,
    /// Whole sections the SDKs ignore, by the profile name in their header:
    /// positions in the view's `ignored`.
    ignored_by_name: HashMap<String, Vec<usize>>,
}

impl ProfileIndex {
    pub fn new(view: &SdkView) -> ProfileIndex {
        let mut holding: HashMap<String, Vec<(&String, &str)>> = HashMap::new();
        for (name, section) in &view.profiles {
            if let (Some(id), Some(secret)) = (section.get("aws_access_key_id"), section.get("aws_secret_access_key")) {
                holding.entry(cleaned(id)).or_default().push((name, secret));
            }
        }
        // Secrets are hashed only where a key id is shared.
        let by_key_id = holding
            .into_iter()
            .filter(|(_, holders)| holders.len() > 1)
            .map(|(id, holders)| {
                let mut groups = KeyGroups { holders: holders.len(), ..KeyGroups::default() };
                for (name, secret) in holders {
                    let next = groups.by_secret.len();
                    let group = *groups.group_of.entry(secret_print(secret)).or_insert(next);
                    if group == next {
                        groups.by_secret.push(Vec::new());
                    }
                    if let Some(names) = groups.by_secret.get_mut(group) {
                        names.push(name.clone());
                    }
                }
                (id, groups)
            })
            .collect();
        let mut ignored_by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (position, ignored) in view.ignored.iter().enumerate().filter(|(_, i)| i.key.is_none()) {
            ignored_by_name.entry(split_header(&ignored.header).1.to_string()).or_default().push(position);
        }
        ProfileIndex { by_key_id, sso_groups: sso_groups(view), ignored_by_name }
    }

    /// The whole sections the SDKs ignore whose header names `profile`
    /// (`[profile dev]` in the credentials file, `[dev]` in the config file).
    pub fn ignored_sections<'v>(&self, view: &'v SdkView, profile: &str) -> Vec<&'v Ignored> {
        let positions = self.ignored_by_name.get(profile).map_or(&[][..], Vec::as_slice);
        positions.iter().filter_map(|&p| view.ignored.get(p)).collect()
    }

    /// The profiles holding `key_id` (stray characters removed) with a secret
    /// other than the one whose print is `print`. Costs [`NAMED`], not the holders.
    pub fn holding_other_secret(&self, key_id: &str, print: &[u8; 32]) -> Others<'_> {
        let Some(groups) = self.by_key_id.get(key_id) else { return Others::default() };
        let own = groups.group_of.get(print).copied();
        let own_size = own.and_then(|g| groups.by_secret.get(g)).map_or(0, Vec::len);
        let first = (groups.by_secret.iter().enumerate())
            .filter(|(group, _)| Some(*group) != own)
            .flat_map(|(_, names)| names.iter().map(String::as_str))
            .take(NAMED)
            .collect();
        Others { first, count: groups.holders - own_size }
    }

    /// The profiles other than `profile` on SSO session (or start URL) `key`.
    /// Costs [`NAMED`] and a binary search, not the session's profiles.
    pub fn sharing_session(&self, key: &str, profile: &str) -> Others<'_> {
        let Some(sharing) = self.sso_groups.get(key) else { return Others::default() };
        let member = sharing.binary_search_by(|n| n.as_str().cmp(profile)).is_ok();
        let first = sharing.iter().map(String::as_str).filter(|n| *n != profile).take(NAMED).collect();
        Others { first, count: sharing.len() - usize::from(member) }
    }
}

/// The SSO cache key of a profile: its `sso_session`, else its legacy `sso_start_url`.
pub fn sso_key(view: &SdkView, profile: &str) -> Option<String> {
    let section = view.profiles.get(profile)?;
    let key = section.get("sso_session").or_else(|| section.get("sso_start_url"))?.trim();
    (!key.is_empty()).then(|| key.to_string())
}

/// Profiles that share an SSO session (or legacy start URL), by cache key.
pub fn sso_groups(view: &SdkView) -> BTreeMap<String, Vec<String>> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in view.profiles.keys() {
        if let Some(key) = sso_key(view, name) {
            groups.entry(key).or_default().push(name.clone());
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::environment::Environment;
    use std::fmt::Write as _;

    fn index(credentials: &str, config: &str) -> (SdkView, ProfileIndex) {
        let env = Environment::from_pairs(Vec::<(String, String)>::new(), Some("/home/u".into()));
        let view = ProfileFiles::from_texts(&env, Some(config), Some(credentials)).view();
        let index = ProfileIndex::new(&view);
        (view, index)
    }

    #[test]
    fn holders_of_a_key_are_grouped_by_secret_with_stray_characters_ignored() {
        let credentials = "[a]\naws_access_key_id = AKIAAAAAAAAAAAAAAAA1\naws_secret_access_key = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\n\
                           [b]\naws_access_key_id = AKIAAAAAAAAAAAAAAAA1 \naws_secret_access_key = \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1\"\n\
                           [c]\naws_access_key_id = AKIAAAAAAAAAAAAAAAA1\naws_secret_access_key = yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy2\n\
                           [d]\naws_access_key_id = AKIADDDDDDDDDDDDDDD4\naws_secret_access_key = zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz3\n";
        let (_, index) = index(credentials, "");
        let id = "AKIAAAAAAAAAAAAAAAA1";
        let from_a = index.holding_other_secret(id, &secret_print("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1"));
        assert_eq!(from_a, Others { first: vec!["c"], count: 1 });
        let from_c = index.holding_other_secret(id, &secret_print("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy2"));
        assert_eq!(from_c, Others { first: vec!["a", "b"], count: 2 });
        let alone = index.holding_other_secret("AKIADDDDDDDDDDDDDDD4", &secret_print("zzz"));
        assert_eq!(alone.count, 0, "a key only one profile holds has no others");
    }

    #[test]
    fn a_key_or_session_thousands_share_names_a_few_and_counts_the_rest() {
        let (mut credentials, mut config) = (String::new(), String::new());
        for i in 0..3000 {
            let _ = write!(
                credentials,
                "[k{i:04}]\naws_access_key_id = AKIAAAAAAAAAAAAAAAA1\naws_secret_access_key = s{i:039}\n"
            );
            let _ = write!(
                config,
                "[profile s{i:04}]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = R\n"
            );
        }
        let (_, index) = index(&credentials, &config);
        let others = index.holding_other_secret("AKIAAAAAAAAAAAAAAAA1", &secret_print(&format!("s{:039}", 7)));
        assert_eq!(others.count, 2999);
        assert_eq!(others.first, ["k0000", "k0001", "k0002", "k0003", "k0004"]);
        let sharing = index.sharing_session("corp", "s0002");
        assert_eq!(sharing.count, 2999);
        assert_eq!(sharing.first, ["s0000", "s0001", "s0003", "s0004", "s0005"], "the profile itself is not named");
        assert_eq!(index.sharing_session("corp", "nobody").count, 3000);
    }
}
