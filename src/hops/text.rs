//! Making outside text safe to show: `escape` turns control, escape-sequence
//! and invisible characters into visible escapes and bounds the length;
//! [`Scrub`] is what callers pass to hide secrets in text that may hold them
//! (a process's stderr, an error message that echoes the request), and
//! [`Scrubber`] is the one over the process-wide redaction registry
//! (`crate::redact`), which also recognises secret-shaped strings.

use crate::base::display::mask_secret;
use secrecy::SecretString;

/// Hides secrets in a text. Implementations must never return a secret.
pub trait Scrub: Send + Sync {
    /// The text with every secret replaced by a mask.
    fn scrub(&self, text: &str) -> String;
}

/// One character as people should see it: itself, or its escape (`\n`, `\e`,
/// `\u{200b}`), from the one renderer of outside text ([`crate::base::sanitize`]).
pub fn escape_char(c: char) -> String {
    crate::base::sanitize::line(c.encode_utf8(&mut [0; 4])).into_owned()
}

/// The text cut to `max` characters (the cut is said) with control and
/// invisible characters escaped: [`crate::base::sanitize::shown`].
pub fn escape(text: &str, max: usize) -> String {
    crate::base::sanitize::shown(text, max)
}

/// A value from a file or the environment, escaped and in backquotes.
pub fn quote(text: &str) -> String {
    format!("`{}`", escape(text, 200))
}

/// The scrubber of the hops: every secret it is told about goes into the
/// process-wide redaction registry (`crate::redact`), so every other sink
/// hides it too; it scrubs with that registry and the shape rules, and also
/// masks the value after words such as `secret`, `token` or `password`.
#[derive(Debug, Clone, Default)]
pub struct Scrubber;

impl Scrubber {
    /// A scrubber over the process-wide registry.
    pub fn new() -> Self {
        Scrubber
    }

    /// Registers a secret to hide wherever it appears (the registry ignores values too short to search for).
    pub fn add(&mut self, secret: &SecretString) {
        crate::redact::register_secret(secret);
    }

    /// Registers every secret of a set of credentials.
    pub fn add_credentials(&mut self, credentials: &super::HopCredentials) {
        self.add(&credentials.secret_access_key);
        if let Some(token) = &credentials.session_token {
            self.add(token);
        }
    }
}

/// Masks the value after a word that names a secret (`SecretAccessKey": "x"`,
/// `aws_session_token=x`, `password: x`).
fn mask_after_keywords(text: &str) -> String {
    const WORDS: [&str; 4] = ["secret", "token", "password", "passwd"];
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let word = WORDS.iter().find(|w| lower[i..].starts_with(&w.chars().collect::<Vec<_>>()[..]));
        let Some(word) = word else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        // The whole key name around the word (`aws_session_token`, `InvalidIdentityToken`).
        let mut start = i;
        while start > 0 && (chars[start - 1].is_ascii_alphanumeric() || chars[start - 1] == '_') {
            start -= 1;
        }
        let mut j = i + word.len();
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        // `start..i` was already copied to `out`.
        out.extend(&chars[i..j]);
        let name: String = lower[start..j].iter().collect();
        let error_code =
            ["invalid", "expired", "missing", "unrecognized", "incomplete", "bad"].iter().any(|p| name.starts_with(p));
        let not_a_value = ["file", "url", "path", "name", "type", "expired", "exception", "error", "code"]
            .iter()
            .any(|end| name.ends_with(end));
        if error_code || not_a_value {
            // `web_identity_token_file = /path`, `InvalidIdentityToken: message`: not secrets.
            i = j;
            continue;
        }
        // A separator is required: `= `, `: `, `":"`.
        let sep_start = j;
        while j < chars.len() && matches!(chars[j], ' ' | '\t' | '"' | '\'' | ':' | '=') {
            j += 1;
        }
        let has_separator = chars[sep_start..j].iter().any(|c| matches!(c, ':' | '='));
        out.extend(&chars[sep_start..j]);
        if !has_separator {
            i = j;
            continue;
        }
        let value_start = j;
        while j < chars.len() && !chars[j].is_whitespace() && !matches!(chars[j], '"' | '\'' | ',' | '}' | ';') {
            j += 1;
        }
        let value: String = chars[value_start..j].iter().collect();
        out.push_str(&mask_secret(&value));
        i = j;
    }
    out
}

impl Scrub for Scrubber {
    fn scrub(&self, text: &str) -> String {
        mask_after_keywords(&crate::redact::scrub(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_bounds() {
        assert_eq!(escape("a\u{1b}[31mb\nc", 100), "a\\e[31mb\\nc", "one style: base::sanitize");
        assert_eq!(escape("x\u{200b}y", 100), "x\\u{200b}y");
        assert_eq!(escape("a\u{2028}b\u{ad}", 100), "a\\u{2028}b\\u{ad}", "what sanitize hides, escaped too");
        assert_eq!(escape("abcdef", 3), "abc… (3 more characters)");
    }

    #[test]
    fn known_and_shaped_secrets_are_masked() {
        let mut s = Scrubber::new();
        s.add(&SecretString::from("hunter2-is-my-password".to_string()));
        let text = "failed with hunter2-is-my-password and wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let out = s.scrub(text);
        assert!(!out.contains("hunter2-is-my-password"), "{out}");
        assert!(!out.contains("wJalrXUtnFEMI/K7MDENG"), "{out}");
        assert!(out.contains("AKIA") || out.contains("failed with"), "{out}");
    }

    #[test]
    fn values_after_secret_words_are_masked() {
        let s = Scrubber::new();
        let out = s.scrub(r#"{"SecretAccessKey": "short1", "aws_session_token=abc"}"#);
        assert!(!out.contains("short1"), "{out}");
        let out = s.scrub("password: letmein now");
        assert!(!out.contains("letmein"), "{out}");
        assert!(out.contains("now"));
        // Error codes that end in Token keep their message.
        let out = s.scrub("InvalidIdentityToken: No OpenIDConnect provider found; ExpiredToken: The security token included in the request is expired");
        assert!(out.contains("No OpenIDConnect") && out.contains("The security token"), "{out}");
        // A key id and a path stay readable.
        let out = s.scrub("key AKIAIOSFODNN7EXAMPLE in /home/alice/.aws/credentials");
        assert!(out.contains("AKIAIOSFODNN7EXAMPLE") && out.contains("/home/alice/.aws/credentials"), "{out}");
    }
}
