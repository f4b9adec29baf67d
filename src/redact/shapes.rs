//! Secrets recognised by their shape alone, wherever they sit in a text: a
//! 40-character secret access key (also inside a `/`-separated credential
//! scope), a long session-token-shaped base64 blob, a JWT; in plain,
//! JSON-escaped (`\/`) and percent-encoded (`%2F`, `%2B`, `%3D`) forms. One
//! linear pass over the bytes, no regex. Pure.

use crate::base::shapes::SECRET_KEY_CHARS;
use std::borrow::Cow;

/// A base64 run at least this long (with mixed case and digits) is masked as a token.
const TOKEN_MIN_CHARS: usize = 100;

/// A base64 character (`[A-Za-z0-9+/=]`).
fn is_base64(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=')
}

/// A base64url character (`[A-Za-z0-9_-]`), as in JWTs.
fn is_base64url(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-')
}

/// The length of the base64 character at `at`, in any form: 1 (plain), 3
/// (`%2B`, `%2F`, `%3D`, any case) or 2 (`\/`, JSON); 0 when there is none.
fn base64_unit(bytes: &[u8], at: usize) -> usize {
    match bytes[at] {
        b if is_base64(b) => 1,
        b'%' if at + 2 < bytes.len() => {
            let code = [bytes[at + 1], bytes[at + 2].to_ascii_uppercase()];
            usize::from(matches!(&code, b"2B" | b"2F" | b"3D")) * 3
        }
        b'\\' if bytes.get(at + 1) == Some(&b'/') => 2,
        _ => 0,
    }
}

/// The length of the base64url run starting at `at`.
fn base64url_run(bytes: &[u8], at: usize) -> usize {
    bytes[at..].iter().take_while(|b| is_base64url(**b)).count()
}

/// Byte ranges of JWTs (`eyJ...` `.` `...` `.` `...`), left to right.
fn jwt_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for (start, _) in text.match_indices("eyJ") {
        if ranges.last().is_some_and(|&(_, end)| start < end)
            || (start > 0 && (is_base64url(bytes[start - 1]) || bytes[start - 1] == b'.'))
        {
            continue;
        }
        let header = base64url_run(bytes, start);
        let mut at = start + header;
        if header < 7 || bytes.get(at) != Some(&b'.') {
            continue;
        }
        let payload = base64url_run(bytes, at + 1);
        at += 1 + payload;
        if payload < 4 || bytes.get(at) != Some(&b'.') {
            continue;
        }
        at += 1 + base64url_run(bytes, at + 1);
        ranges.push((start, at));
    }
    ranges
}

/// A base64 run decoded from its escaped forms (`%2F`, `\/`...).
fn unescape_run(run: &str) -> Cow<'_, str> {
    if !run.contains(['%', '\\']) {
        return Cow::Borrowed(run);
    }
    let mut out = run.replace("\\/", "/");
    for (from, to) in [("%2B", "+"), ("%2b", "+"), ("%2F", "/"), ("%2f", "/"), ("%3D", "="), ("%3d", "=")] {
        out = out.replace(from, to);
    }
    Cow::Owned(out)
}

/// Whether a base64 string has the mix of a random secret: upper, lower and digits.
fn is_mixed(value: &str) -> bool {
    value.bytes().any(|b| b.is_ascii_uppercase())
        && value.bytes().any(|b| b.is_ascii_lowercase())
        && value.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a decoded base64 run is shaped like a secret key or a session token.
fn is_secret_run(decoded: &str) -> bool {
    let len = decoded.chars().count();
    (len == SECRET_KEY_CHARS || len >= TOKEN_MIN_CHARS) && is_mixed(decoded)
}

/// Byte ranges of `/`-separated groups of a run that are exactly a secret key
/// long and secret-shaped, left to right, not overlapping. Linear: a group is
/// never longer than a secret key.
fn secret_key_groups(run: &str) -> Vec<(usize, usize)> {
    let starts = std::iter::once(0).chain(run.match_indices('/').map(|(i, _)| i + 1)).filter(|&i| i < run.len());
    let mut groups = Vec::new();
    let mut free_from = 0;
    for start in starts {
        if start < free_from {
            continue;
        }
        let end = start + SECRET_KEY_CHARS;
        let ends_at_boundary = end == run.len() || run.as_bytes().get(end) == Some(&b'/');
        if end <= run.len() && ends_at_boundary && is_mixed(&run[start..end]) {
            groups.push((start, end));
            free_from = end;
        }
    }
    groups
}

/// The ranges to mask in `text` by shape, with the text that stands for each (to mask).
fn shape_ranges(text: &str) -> Vec<(usize, usize, Cow<'_, str>)> {
    let bytes = text.as_bytes();
    let jwts = jwt_ranges(text);
    let mut next_jwt = jwts.iter().peekable();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(&&(start, end)) = next_jwt.peek()
            && start == at
        {
            found.push((start, end, Cow::Borrowed(&text[start..end])));
            next_jwt.next();
            at = end;
            continue;
        }
        let unit = base64_unit(bytes, at);
        if unit == 0 {
            at += 1;
            continue;
        }
        let start = at;
        let stop = next_jwt.peek().map_or(bytes.len(), |&&(s, _)| s);
        let mut unit = unit;
        while unit > 0 && at < stop {
            at += unit;
            unit = if at < bytes.len() { base64_unit(bytes, at) } else { 0 };
        }
        let run = &text[start..at];
        if run.len() < SECRET_KEY_CHARS {
            continue;
        }
        let decoded = unescape_run(run);
        if is_secret_run(&decoded) {
            found.push((start, at, decoded));
        } else if matches!(decoded, Cow::Borrowed(_)) {
            // A secret key inside a longer `/`-separated run (a credential scope `SECRET/date/region/...`).
            for (s, e) in secret_key_groups(run) {
                found.push((start + s, start + e, Cow::Borrowed(&run[s..e])));
            }
        }
    }
    found
}

/// Whether a whole value is shaped like a secret: a secret access key, a
/// session token, or a JWT. Key ids (`AKIA...`) are not secrets.
pub fn looks_secret(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty() && shape_ranges(value).first().is_some_and(|&(start, end, _)| start == 0 && end == value.len())
}

/// Masks every secret-shaped value in the text (JWTs, 40-character secrets, token blobs).
pub fn mask_shapes(text: &str) -> Cow<'_, str> {
    let ranges = shape_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, value) in ranges {
        out.push_str(&text[last..start]);
        out.push_str(&crate::base::display::mask_secret(&value));
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    #[test]
    fn secret_shapes_are_masked_wherever_they_sit() {
        let text = format!("got 'X/{SECRET}/20250101/us-east-1/sts/aws4_request'");
        // The run includes the slashes around it: still masked, last 4 shown.
        assert!(!mask_shapes(&text).contains("bPxRfiCY"), "{}", mask_shapes(&text));
        let alone = format!("secret {SECRET}.");
        assert_eq!(mask_shapes(&alone), "secret ****************EKEY.");
        let token = format!("IQoJb3JpZ2luX2VjE{}", "Ab1+/".repeat(60));
        let in_header = format!("x-amz-security-token: {token}\r\n");
        assert_eq!(
            mask_shapes(&in_header),
            format!("x-amz-security-token: {}\r\n", crate::base::display::mask_secret(&token))
        );
        let encoded = token.replace('/', "%2F").replace('+', "%2B");
        assert!(!mask_shapes(&format!("a={encoded}")).contains("IQoJb3"), "percent-encoded token");
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(mask_shapes(&format!("Bearer {jwt} ok")), "Bearer ****************sR8U ok");
        assert_eq!(mask_shapes(&format!("id_token={jwt}&x")), "id_token=****************sR8U&x");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "arn:aws:iam::123456789012:user/alice",
            "AKIAIOSFODNN7EXAMPLE",
            "/home/alice/.aws/sso/cache/4a5b8c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b.json",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "The security token included in the request is invalid.",
            "eu-west-1",
        ] {
            assert!(matches!(mask_shapes(text), Cow::Borrowed(_)), "{text} was masked");
        }
    }

    #[test]
    fn looks_secret_judges_whole_values() {
        assert!(looks_secret(SECRET));
        assert!(looks_secret(&"Ab1".repeat(40)));
        assert!(!looks_secret("AKIAIOSFODNN7EXAMPLE"));
        assert!(!looks_secret("aws_secret_access_key"));
        assert!(!looks_secret(&format!("{SECRET} x")));
        assert!(looks_secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdEFGH"));
    }
}
