//! What the facts of every profile of one set of files share, built once:
//! the files, the SDK's view of them, the side files, and the indexes the
//! cross-profile assessments look things up in (which profiles hold a key id,
//! which share an SSO session). `check` builds it for its one profile; `scan`
//! builds it once for all of them, so each profile's facts cost what its own
//! chain costs, not the size of the files (issue 19: 5,000 profiles). Pure.

use super::gather::SideFiles;
use super::lints::cleaned;
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

/// Lookups over every profile of the view.
#[derive(Debug, Clone, Default)]
pub struct ProfileIndex {
    /// Profiles with an `aws_access_key_id`, by the key id (stray characters removed), in name order.
    by_key_id: HashMap<String, Vec<String>>,
    /// Profiles that share an SSO session (or legacy start URL), by cache key.
    pub sso_groups: BTreeMap<String, Vec<String>>,
}

impl ProfileIndex {
    pub fn new(view: &SdkView) -> ProfileIndex {
        let mut by_key_id: HashMap<String, Vec<String>> = HashMap::new();
        for (name, section) in &view.profiles {
            if let Some(id) = section.get("aws_access_key_id") {
                by_key_id.entry(cleaned(id)).or_default().push(name.clone());
            }
        }
        ProfileIndex { by_key_id, sso_groups: sso_groups(view) }
    }

    /// The profiles whose `aws_access_key_id` is `key_id` (stray characters removed), in name order.
    pub fn holding(&self, key_id: &str) -> &[String] {
        self.by_key_id.get(key_id).map_or(&[], Vec::as_slice)
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
