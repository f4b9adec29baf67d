//! The profile picker: the filter typed so far and the line selected, the
//! statuses known per profile (delivered by a message: the wizard's own runs
//! fill in the profiles it has checked; a background scan may send all of
//! them), and the fuzzy match of the profiles of the draft's SDK view
//! against the filter (nucleo's matcher, as in helix). Pure.

use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::{Cause, Status};
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// What is known of one profile: its status and primary cause, where its keys come from, its account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileStatus {
    pub profile: String,
    pub status: Status,
    pub cause: Option<Cause>,
    pub source: Option<SourceKind>,
    pub account: Option<String>,
}

/// The picker's own state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Picker {
    /// The filter typed so far.
    pub query: String,
    /// Index into the matches.
    pub selected: usize,
    /// Only the profiles that fail (`f`).
    pub failing_only: bool,
}

/// One profile that matches the filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub name: String,
    /// The character positions of the name that matched the filter.
    pub positions: Vec<u32>,
}

/// The names that match `query`, best first (all of them, in order, for an empty filter).
pub fn matches<'a>(names: impl IntoIterator<Item = &'a str>, query: &str) -> Vec<Match> {
    let query = query.trim();
    if query.is_empty() {
        return names.into_iter().map(|name| Match { name: name.to_string(), positions: Vec::new() }).collect();
    }
    let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buffer = Vec::new();
    let mut scored: Vec<(u32, Match)> = names
        .into_iter()
        .filter_map(|name| {
            let mut positions = Vec::new();
            let score = pattern.indices(Utf32Str::new(name, &mut buffer), &mut matcher, &mut positions)?;
            positions.sort_unstable();
            positions.dedup();
            Some((score, Match { name: name.to_string(), positions }))
        })
        .collect();
    scored.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.name.cmp(&y.name)));
    scored.into_iter().map(|(_, m)| m).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_filter_ranks_and_marks_the_matched_letters() {
        let names = ["default", "dev", "dev-mfa", "prod-admin", "staging"];
        let all = matches(names, "");
        assert_eq!(all.len(), 5);
        let found: Vec<String> = matches(names, "dm").into_iter().map(|m| m.name).collect();
        assert!(found.contains(&"dev-mfa".to_string()) && !found.contains(&"staging".to_string()), "{found:?}");
        let prod = matches(names, "prd");
        assert_eq!(prod[0].name, "prod-admin");
        assert_eq!(prod[0].positions, [0, 1, 3]);
        assert!(matches(names, "zzz").is_empty());
    }
}
