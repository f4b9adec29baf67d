//! The embedded list of real AWS region codes (`assets/regions.txt`) with
//! partitions and opt-in status, and closest-name suggestions.

/// One region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionInfo {
    pub code: &'static str,
    pub partition: &'static str,
    /// Must be enabled per account before use.
    pub opt_in: bool,
    pub name: &'static str,
}

/// The region of the global endpoints (IAM, and the STS retry that tells a
/// disabled region from a dead key).
pub const GLOBAL_REGION: &str = "us-east-1";

const LIST: &str = include_str!("../../assets/regions.txt");

/// Every known region, in file order.
pub fn all() -> impl Iterator<Item = RegionInfo> {
    LIST.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|line| {
        let mut parts = line.splitn(4, ' ');
        Some(RegionInfo {
            code: parts.next()?,
            partition: parts.next()?,
            opt_in: parts.next()? == "opt-in",
            name: parts.next()?,
        })
    })
}

/// The region with this exact code.
pub fn lookup(code: &str) -> Option<RegionInfo> {
    all().find(|r| r.code == code)
}

/// Known codes closest to `code` (case-insensitive edit distance), best first.
pub fn suggest(code: &str, limit: usize) -> Vec<&'static str> {
    let lower = code.trim().to_ascii_lowercase();
    closest(&lower, all().map(|r| r.code), limit)
}

/// The candidates closest to `target` by edit distance, best first (ties keep input order).
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let mut scored: Vec<(usize, usize, &str)> =
        candidates.enumerate().map(|(i, c)| (edit_distance(target, c), i, c)).collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, _, c)| c).collect()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_suggests() {
        assert!(lookup("eu-west-1").is_some_and(|r| !r.opt_in));
        assert!(lookup("ap-east-1").is_some_and(|r| r.opt_in));
        assert!(lookup("us-east1").is_none());
        assert_eq!(suggest("us-east1", 1), vec!["us-east-1"]);
        assert_eq!(suggest("US-EAST-1", 1), vec!["us-east-1"]);
        assert_eq!(suggest("eu-west", 1), vec!["eu-west-1"]);
        assert_eq!(edit_distance("stagign", "staging"), 2);
    }
}
