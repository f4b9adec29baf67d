//! Text from outside (certificate names, proxy and server headers, OS error
//! messages, URLs from settings) made safe to show: control characters are
//! escaped, the length is bounded, and credentials in a URL are hidden. Pure.

/// At most `max_chars` characters of `raw`, cut visibly, with control
/// characters (escape sequences, newlines, bidi overrides) escaped: the one
/// renderer of outside text, [`crate::base::sanitize::shown`].
pub fn clean(raw: &str, max_chars: usize) -> String {
    crate::base::sanitize::shown(raw, max_chars)
}

/// `clean` for bytes that may not be UTF-8.
pub fn clean_bytes(raw: &[u8], max_chars: usize) -> String {
    let cut = &raw[..raw.len().min(max_chars.saturating_mul(4))];
    clean(&String::from_utf8_lossy(cut), max_chars)
}

/// A URL with any `user:password@` part replaced by `***@`, cleaned for display.
pub fn redact_url(raw: &str) -> String {
    let (scheme, rest) = match raw.find("://") {
        Some(at) => raw.split_at(at + 3),
        None => ("", raw),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let shown = match authority.rfind('@') {
        Some(at) => format!("{scheme}***@{}{tail}", &authority[at + 1..]),
        None => raw.to_string(),
    };
    clean(&shown, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bounds_length() {
        assert_eq!(clean("a\u{1b}[31mb\nc", 50), "a\\e[31mb\\nc", "one style: base::sanitize");
        assert_eq!(clean("abcdef", 3), "abc… (3 more characters)");
        assert_eq!(clean("a\u{2028}b", 50), "a\\u{2028}b", "what sanitize hides, escaped too");
        assert_eq!(clean("x\u{202E}y", 10), "x\\u{202e}y");
        assert_eq!(clean_bytes(b"ok\xff", 10), "ok\u{FFFD}");
    }

    #[test]
    fn hides_credentials_in_urls() {
        assert_eq!(redact_url("http://bob:s3cret@proxy.corp:8080/"), "http://***@proxy.corp:8080/");
        assert_eq!(redact_url("proxy.corp:8080"), "proxy.corp:8080");
        assert_eq!(redact_url("http://h/p@q"), "http://h/p@q");
    }
}
