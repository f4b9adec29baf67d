//! The embedded list of real AWS region codes (`assets/regions.txt`) with
//! partitions and opt-in status, and closest-name suggestions. Pure.
//!
//! Suggestions cost at most [`MAX_COMPARED_CHARS`]² steps per candidate,
//! whatever the input: only the first [`MAX_COMPARED_CHARS`] characters of
//! each name are compared (region codes and real profile names are far
//! shorter), and a candidate whose length alone puts it behind the best ones
//! found so far is not compared at all.

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

/// One region of each partition other than `aws`, where STS is asked once
/// about a key refused in the user's region (and in [`GLOBAL_REGION`]).
pub const PARTITION_PROBES: [&str; 2] = ["cn-north-1", "us-gov-west-1"];

const LIST: &str = include_str!("../../assets/regions.txt");

/// The partition of a region code; `aws` for no region or an unknown code
/// (the SDKs resolve those in the commercial partition).
pub fn partition_of(code: Option<&str>) -> &'static str {
    code.and_then(|c| lookup(c.trim())).map_or("aws", |r| r.partition)
}

/// The region a partition's global services (IAM, the STS of old) sign for.
pub fn partition_home(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "cn-north-1",
        "aws-us-gov" => "us-gov-west-1",
        _ => GLOBAL_REGION,
    }
}

/// The partition's name as people know it.
pub fn partition_name(partition: &str) -> &'static str {
    match partition {
        "aws-cn" => "AWS China (aws-cn)",
        "aws-us-gov" => "AWS GovCloud (aws-us-gov)",
        _ => "commercial AWS (aws)",
    }
}

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

/// Characters of each name that suggestions compare.
pub const MAX_COMPARED_CHARS: usize = 64;

/// The first [`MAX_COMPARED_CHARS`] characters of a name.
fn compared(text: &str) -> Vec<char> {
    text.chars().take(MAX_COMPARED_CHARS).collect()
}

/// How many region codes a suggestion lists (the check and the wizard say the same).
pub const SUGGESTED: usize = 3;

/// Known codes closest to `code` (case-insensitive edit distance), best first.
pub fn suggest(code: &str, limit: usize) -> Vec<&'static str> {
    let lower: String =
        code.trim_start().chars().take(MAX_COMPARED_CHARS).collect::<String>().trim_end().to_ascii_lowercase();
    closest(&lower, all().map(|r| r.code), limit)
}

/// The candidates closest to `target` by edit distance over their first
/// [`MAX_COMPARED_CHARS`] characters, best first (ties keep input order).
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    if limit == 0 {
        return Vec::new();
    }
    let target = compared(target);
    // The best `limit` so far, sorted by (distance, input order).
    let mut best: Vec<(usize, usize, &str)> = Vec::with_capacity(limit.saturating_add(1).min(64));
    for (index, candidate) in candidates.enumerate() {
        let worst = if best.len() == limit { best.last().map(|w| w.0) } else { None };
        let chars = compared(candidate);
        // The distance is at least the difference in length: skip what cannot beat the worst kept.
        if worst.is_some_and(|worst| chars.len().abs_diff(target.len()) >= worst) {
            continue;
        }
        let distance = distance(&target, &chars);
        if worst.is_some_and(|worst| distance >= worst) {
            continue;
        }
        let at = best.partition_point(|&(d, i, _)| (d, i) < (distance, index));
        best.insert(at, (distance, index, candidate));
        best.truncate(limit);
    }
    best.into_iter().map(|(_, _, c)| c).collect()
}

/// Levenshtein distance over characters, comparing the first [`MAX_COMPARED_CHARS`] of each.
pub fn edit_distance(a: &str, b: &str) -> usize {
    distance(&compared(a), &compared(b))
}

fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_their_home_regions() {
        assert_eq!(partition_of(Some("cn-northwest-1")), "aws-cn");
        assert_eq!(partition_of(Some("us-gov-east-1")), "aws-us-gov");
        assert_eq!(partition_of(Some("me-south-1")), "aws");
        assert_eq!(partition_of(None), "aws");
        assert_eq!(partition_home(partition_of(Some("us-gov-east-1"))), "us-gov-west-1");
        assert_eq!(partition_home("aws"), GLOBAL_REGION);
        for probe in PARTITION_PROBES {
            assert_ne!(partition_of(Some(probe)), "aws", "{probe} probes another partition");
            assert_eq!(partition_home(partition_of(Some(probe))), probe);
        }
    }

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

    #[test]
    fn closest_keeps_the_best_in_input_order_on_ties() {
        let names = ["prod", "dev", "stage", "dev2", "deb", "staging"];
        assert_eq!(closest("dev", names.iter().copied(), 3), vec!["dev", "dev2", "deb"]);
        assert_eq!(closest("stagign", names.iter().copied(), 1), vec!["staging"]);
        assert!(closest("x", names.iter().copied(), 0).is_empty());
        assert_eq!(closest("zzzz", ["a", "bb"].into_iter(), 5), vec!["a", "bb"]);
    }

    /// A hostile size: 1,500 names of 2,000 characters and a 2 MB region.
    /// Quadratic work here took minutes; bounded work takes milliseconds. The
    /// limit is a thousand times what it needs, so only a return to unbounded
    /// comparison can fail it.
    #[test]
    fn absurd_inputs_cost_linear_time() {
        let names: Vec<String> = (0..1500).map(|i| format!("{i:04}{}", "p".repeat(1996))).collect();
        let target = format!("0042{}", "p".repeat(1_999_996));
        let region = format!("us-east-1{}", "x".repeat(2 * 1024 * 1024));
        let started = std::time::Instant::now();
        let best = closest(&target, names.iter().map(String::as_str), 3);
        let suggested = suggest(&region, 3);
        let elapsed = started.elapsed();
        assert_eq!(best.first().map(|n| &n[..4]), Some("0042"));
        assert_eq!(suggested.len(), 3);
        assert!(elapsed < std::time::Duration::from_secs(20), "took {elapsed:?}");
        assert_eq!(edit_distance(&"a".repeat(100_000), &"b".repeat(100_000)), MAX_COMPARED_CHARS);
    }
}
