//! Registered secrets found behind any number of backslash escapes: a JSON
//! string (`\/`, `\"`) logged with `{:?}` (`\\/`), or JSON inside JSON, as
//! the SDK's own warnings print raw response bodies. The text is scanned
//! with its backslashes left out (one linear pass, positions mapped back),
//! so every nesting depth is one case. Pure.

use aho_corasick::{AhoCorasick, MatchKind};
use std::borrow::Cow;

/// The automaton over every secret with its backslashes removed, and each one's mask.
pub(super) struct Unescaped {
    automaton: AhoCorasick,
    masks: Vec<String>,
}

impl Unescaped {
    /// Builds the automaton; `None` when no secret is left to look for.
    pub(super) fn build(secrets: &[String]) -> Option<Unescaped> {
        let mut patterns = Vec::new();
        let mut masks = Vec::new();
        for secret in secrets {
            let bare = secret.replace('\\', "");
            if bare.chars().count() >= super::MIN_SECRET_CHARS {
                patterns.push(bare);
                masks.push(crate::base::display::mask_secret(secret));
            }
        }
        if patterns.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()?;
        Some(Unescaped { automaton, masks })
    }

    /// The text with every secret that its backslashes hid masked (the whole escaped span replaced).
    pub(super) fn replace<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if !text.contains('\\') {
            return Cow::Borrowed(text);
        }
        // The text without backslashes, and where each of its bytes sits in the text.
        let mut bare = Vec::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        for (at, byte) in text.bytes().enumerate() {
            if byte != b'\\' {
                bare.push(byte);
                origin.push(at);
            }
        }
        let mut out: Option<String> = None;
        let mut last = 0;
        for found in self.automaton.find_iter(&bare) {
            // Patterns are whole UTF-8 strings and only ASCII backslashes were
            // left out: both ends fall on character boundaries of the text.
            let (start, end) = (origin[found.start()], origin[found.end() - 1] + 1);
            if start < last || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
            out.push_str(&text[last..start]);
            out.push_str(&self.masks[found.pattern().as_usize()]);
            last = end;
        }
        match out {
            Some(mut out) => {
                out.push_str(&text[last..]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_behind_nested_escapes_are_masked_whole() {
        let secrets = vec!["canary+secret/value=".to_string(), "pa\"ss\\word-123".to_string()];
        let found = Unescaped::build(&secrets).expect("built");
        let mask = crate::base::display::mask_secret("canary+secret/value=");
        for (text, expected) in [
            ("m: Some(\"canary+secret\\\\/value= x\")", format!("m: Some(\"{mask} x\")")),
            ("b\"canary+secret\\\\\\\\/value=\"", format!("b\"{mask}\"")),
            ("json: canary+secret\\/value=", format!("json: {mask}")),
        ] {
            assert_eq!(found.replace(text), expected, "{text}");
        }
        let debug = format!("{:?}", serde_json::to_string("x pa\"ss\\word-123 y").expect("json"));
        assert!(!found.replace(&debug).contains("word-123"), "{debug}");
        assert!(matches!(found.replace("no backslash canary+secret/value="), Cow::Borrowed(_)));
        assert_eq!(found.replace("é\\\\ünïcode ok"), "é\\\\ünïcode ok");
    }
}
