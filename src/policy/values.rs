//! Comparisons of one policy value with one request value for the typed
//! condition operators: numbers, dates (ISO 8601 / W3C or epoch seconds),
//! IP addresses against CIDR blocks (v4 and v6), booleans, base64 binary and
//! ARNs (six colon-separated parts, each matched on its own, wildcards
//! inside a part only). A value that does not parse as its type never
//! matches. Pure.

use super::pattern::{Token, glob};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use std::cmp::Ordering;
use std::net::IpAddr;

/// How a policy value is compared with a request value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Comparison {
    Exact,
    IgnoreCase,
    Number(fn(Ordering) -> bool),
    Date(fn(Ordering) -> bool),
    Binary,
    Ip,
}

/// Compares `policy` (the policy's value) with `request` (the request's).
/// Orderings read "request OP policy": `NumericLessThan 10` holds for 5.
pub(crate) fn compare(how: Comparison, policy: &str, request: &str) -> bool {
    match how {
        Comparison::Exact | Comparison::Binary => policy == request,
        Comparison::IgnoreCase => policy.to_lowercase() == request.to_lowercase(),
        Comparison::Number(test) => match (number(request), number(policy)) {
            (Some(r), Some(p)) => r.partial_cmp(&p).is_some_and(test),
            _ => false,
        },
        Comparison::Date(test) => match (date_millis(request), date_millis(policy)) {
            (Some(r), Some(p)) => test(r.cmp(&p)),
            _ => false,
        },
        Comparison::Ip => ip_in_block(request, policy),
    }
}

/// A decimal number: optional sign, digits, optional fraction.
pub(crate) fn number(text: &str) -> Option<f64> {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return None;
    }
    text.parse().ok()
}

/// A date as milliseconds since the epoch: epoch seconds (an integer), or a
/// W3C date-time (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.s]]TZD`).
pub(crate) fn date_millis(text: &str) -> Option<i64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && text.len() > 4 {
        return text.parse::<i64>().ok()?.checked_mul(1000);
    }
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Some(moment.timestamp_millis());
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M:%S%.f%:z"] {
        if let Ok(moment) = DateTime::parse_from_str(text, format) {
            return Some(moment.timestamp_millis());
        }
    }
    if let Some(utc) = text.strip_suffix('Z') {
        for format in ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S%.f"] {
            if let Ok(moment) = NaiveDateTime::parse_from_str(utc, format) {
                return Some(moment.and_utc().timestamp_millis());
            }
        }
    }
    let day = match text.len() {
        4 => NaiveDate::parse_from_str(&format!("{text}-01-01"), "%Y-%m-%d"),
        7 => NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d"),
        _ => NaiveDate::parse_from_str(text, "%Y-%m-%d"),
    };
    Some(day.ok()?.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis())
}

/// Whether `address` lies in `block` (`a.b.c.d/n`, `x::/n`, or one address).
pub(crate) fn ip_in_block(address: &str, block: &str) -> bool {
    let Ok(address) = address.trim().parse::<IpAddr>() else { return false };
    let (network, prefix) = match block.trim().split_once('/') {
        Some((network, prefix)) => match prefix.parse::<u32>() {
            Ok(prefix) => (network, Some(prefix)),
            Err(_) => return false,
        },
        None => (block.trim(), None),
    };
    let Ok(network) = network.parse::<IpAddr>() else { return false };
    match (address, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => prefix_equal(u128::from(u32::from(a)), u128::from(u32::from(n)), 32, prefix),
        (IpAddr::V6(a), IpAddr::V6(n)) => prefix_equal(u128::from(a), u128::from(n), 128, prefix),
        _ => false,
    }
}

fn prefix_equal(address: u128, network: u128, bits: u32, prefix: Option<u32>) -> bool {
    let prefix = prefix.unwrap_or(bits);
    if prefix > bits {
        return false;
    }
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (address >> shift) == (network >> shift)
}

/// `Bool`: both sides must be `true` or `false` (any case), and equal.
pub(crate) fn bool_equals(policy: &str, request: &str) -> bool {
    let boolean = |s: &str| s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false");
    boolean(policy) && boolean(request) && policy.eq_ignore_ascii_case(request)
}

/// An ARN pattern (already resolved) against an ARN: six parts, each
/// matched on its own, case-sensitive; wildcards do not cross a `:` that
/// separates parts (the last part, the resource, may hold colons).
pub(crate) fn arn_matches(pattern: &[Token<'_>], arn: &str) -> bool {
    let arn_parts: Vec<&str> = arn.splitn(6, ':').collect();
    if arn_parts.len() != 6 {
        return false;
    }
    let parts = split_tokens(pattern, 6);
    parts.len() == 6 && parts.iter().zip(&arn_parts).all(|(pattern, part)| glob(pattern, part, false))
}

/// Splits tokens at the first `count - 1` colons of their literal text.
pub(crate) fn split_tokens<'a>(tokens: &[Token<'a>], count: usize) -> Vec<Vec<Token<'a>>> {
    let mut parts: Vec<Vec<Token<'a>>> = Vec::new();
    let mut current: Vec<Token<'a>> = Vec::new();
    for token in tokens {
        let Token::Literal(text) = token else {
            current.push(*token);
            continue;
        };
        let mut rest: &'a str = text;
        while parts.len() + 1 < count {
            let Some((head, tail)) = rest.split_once(':') else { break };
            if !head.is_empty() {
                current.push(Token::Literal(head));
            }
            parts.push(std::mem::take(&mut current));
            rest = tail;
        }
        if !rest.is_empty() {
            current.push(Token::Literal(rest));
        }
    }
    parts.push(current);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_compare_as_their_type() {
        assert!(compare(Comparison::Number(Ordering::is_lt), "10", "9.5"));
        assert!(compare(Comparison::Number(Ordering::is_eq), "10", "10.0"));
        assert!(!compare(Comparison::Number(Ordering::is_eq), "10", "ten"));
        assert_eq!(date_millis("1714521600"), Some(1_714_521_600_000), "epoch seconds");
        assert_eq!(date_millis("2024-05-01T00:00:00Z"), Some(1_714_521_600_000));
        assert_eq!(date_millis("2024-05-01"), Some(1_714_521_600_000));
        assert_eq!(date_millis("2024-05-01T02:00:00+02:00"), Some(1_714_521_600_000));
        assert_eq!(date_millis("2024-05-01T00:00Z"), Some(1_714_521_600_000));
        assert_eq!(date_millis("yesterday"), None);
        assert!(compare(Comparison::Date(Ordering::is_eq), "1714521600", "2024-05-01T00:00:00Z"), "epoch = ISO");
    }

    #[test]
    fn ip_blocks_v4_and_v6() {
        assert!(ip_in_block("203.0.113.7", "203.0.113.0/24"));
        assert!(!ip_in_block("203.0.114.7", "203.0.113.0/24"));
        assert!(ip_in_block("203.0.113.7", "203.0.113.7"));
        assert!(ip_in_block("2001:db8::1", "2001:db8::/32"));
        assert!(!ip_in_block("2001:db9::1", "2001:db8::/32"));
        assert!(!ip_in_block("203.0.113.7", "2001:db8::/32"), "families never match");
        assert!(ip_in_block("1.2.3.4", "0.0.0.0/0"));
        assert!(!ip_in_block("1.2.3.4", "1.2.3.0/33"));
    }

    #[test]
    fn arns_match_part_by_part() {
        let pattern = [Token::Literal("arn:aws:iam::"), Token::AnyRun, Token::Literal(":role/Admin")];
        assert!(arn_matches(&pattern, "arn:aws:iam::111122223333:role/Admin"));
        assert!(!arn_matches(&pattern, "arn:aws:iam::111122223333:role/admin"), "case-sensitive");
        let spanning = [Token::Literal("arn:aws:"), Token::AnyRun, Token::Literal(":role/Admin")];
        assert!(!arn_matches(&spanning, "arn:aws:iam::111122223333:role/Admin"), "* stays inside its part");
        let colon_in_resource = [Token::Literal("arn:aws:s3:::b/"), Token::AnyRun];
        assert!(arn_matches(&colon_in_resource, "arn:aws:s3:::b/x:y"));
        assert!(!arn_matches(&colon_in_resource, "not-an-arn"));
    }
}
