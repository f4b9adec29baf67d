//! Times as they are written in the files and answers people bring (expiry
//! fields, SSO caches), and durations in words. Pure.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses the expiry formats seen in the wild: RFC 3339 (`2026-11-21T23:00:00Z`,
/// with an offset or fractions), `%Y-%m-%d %H:%M:%S` UTC (aws-mfa), and
/// `%Y-%m-%dT%H:%M:%S` without a zone (taken as UTC).
pub fn parse_expiry(value: &str) -> Option<DateTime<Utc>> {
    let value = value.trim().trim_matches(['"', '\'']);
    if let Ok(t) = DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%z"]
    {
        if let Ok(t) = DateTime::parse_from_str(value, format) {
            return Some(t.with_timezone(&Utc));
        }
        if let Ok(t) = NaiveDateTime::parse_from_str(value, format) {
            return Some(t.and_utc());
        }
    }
    None
}

/// A duration in words: `3 h 5 min`, `2 days`.
pub fn humanize(seconds: i64) -> String {
    let s = seconds.abs();
    match s {
        0..=89 => format!("{s} s"),
        90..=5399 => format!("{} min", s / 60),
        5400..=172_799 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} days", s / 86_400),
    }
}
