//! Making outside text safe for a terminal and for JSON consumers. Pure, no IO.
//!
//! Every string that came from outside (files, environment, arguments, server
//! text, process output) goes through here before it reaches a terminal:
//! C0 and C1 controls, DEL, escape sequences, bidi overrides and isolates and
//! zero-width characters are shown visibly (`\e`, `\x07`, `\u{202e}`), so a
//! hostile value can neither drive the terminal (retitle, clear, hyperlink)
//! nor make text read differently from what it is.
//!
//! - [`line`]: one line: line breaks are shown as `\n` / `\r` too.
//! - [`block`]: several lines: `\n` and tabs are kept, everything else as in [`line`].
//! - [`json`]: a post-processor for serialized JSON: serde_json leaves C1
//!   controls, DEL and bidi characters raw; this escapes them as `\uXXXX`.
//! - [`cap`]: cuts a very long value, saying how much was cut.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach a terminal raw (line breaks and tabs included).
pub fn is_unsafe(ch: char) -> bool {
    let code = u32::from(ch);
    code < 0x20 || (0x7f..=0x9f).contains(&code) || is_invisible(ch)
}

/// Bidi controls, zero-width characters, separators and other format characters
/// that change how text reads without being seen.
pub fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{00ad}'              // soft hyphen
        | '\u{061c}'            // Arabic letter mark
        | '\u{180e}'            // Mongolian vowel separator
        | '\u{200b}'..='\u{200f}' // zero-width space/non-joiner/joiner, LRM, RLM
        | '\u{2028}' | '\u{2029}' // line and paragraph separators
        | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{206a}'..='\u{206f}' // deprecated format characters
        | '\u{feff}'            // zero-width no-break space / BOM
        | '\u{fff9}'..='\u{fffb}' // interlinear annotations
    )
}

/// The visible form of one unsafe character.
fn escape_into(out: &mut String, ch: char) {
    let _ = match ch {
        '\u{1b}' => out.write_str("\\e"),
        '\n' => out.write_str("\\n"),
        '\r' => out.write_str("\\r"),
        '\t' => out.write_str("\\t"),
        c if u32::from(c) < 0x20 || c == '\u{7f}' => write!(out, "\\x{:02x}", u32::from(c)),
        c => write!(out, "\\u{{{:x}}}", u32::from(c)),
    };
}

/// Whether every byte is printable ASCII (the common case, checked in one tight loop).
fn is_printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

fn escape_where(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if is_printable_ascii(text) {
        return Cow::Borrowed(text);
    }
    let Some(first) = text.char_indices().find(|&(_, c)| is_unsafe(c) && !keep(c)).map(|(i, _)| i) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for ch in text[first..].chars() {
        if is_unsafe(ch) && !keep(ch) {
            escape_into(&mut out, ch);
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

/// One line for a terminal: every control, line break and invisible character shown visibly.
pub fn line(text: &str) -> Cow<'_, str> {
    escape_where(text, |_| false)
}

/// Several lines for a terminal: `\n` and tabs kept, a CR before `\n` dropped,
/// every other control or invisible character shown visibly.
pub fn block(text: &str) -> Cow<'_, str> {
    if !text.contains("\r\n") {
        return escape_where(text, |c| c == '\n' || c == '\t');
    }
    let unix = text.replace("\r\n", "\n");
    Cow::Owned(escape_where(&unix, |c| c == '\n' || c == '\t').into_owned())
}

/// Escapes, in serialized JSON, what serde_json leaves raw: DEL, C1 controls
/// and invisible characters become `\uXXXX`. Valid JSON stays valid and
/// means the same: these characters can only sit inside strings.
pub fn json(serialized: &str) -> Cow<'_, str> {
    if serialized.is_ascii() && !serialized.contains('\u{7f}') {
        return Cow::Borrowed(serialized);
    }
    let needs = |c: char| c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) || is_invisible(c);
    let Some(first) = serialized.char_indices().find(|&(_, c)| needs(c)).map(|(i, _)| i) else {
        return Cow::Borrowed(serialized);
    };
    let mut out = String::with_capacity(serialized.len() + 16);
    out.push_str(&serialized[..first]);
    for ch in serialized[first..].chars() {
        if needs(ch) {
            // All of these are in the Basic Multilingual Plane: one \u escape each.
            let _ = write!(out, "\\u{:04x}", u32::from(ch));
        } else {
            out.push(ch);
        }
    }
    Cow::Owned(out)
}

/// At most `max_chars` characters of `text`, then `… (N more characters)` when cut.
pub fn cap(text: &str, max_chars: usize) -> Cow<'_, str> {
    let Some((cut, _)) = text.char_indices().nth(max_chars) else {
        return Cow::Borrowed(text);
    };
    let more = text[cut..].chars().count();
    Cow::Owned(format!("{}… ({more} more characters)", &text[..cut]))
}

/// A line for a terminal, cut to `max_chars` first: the usual treatment of one outside value.
pub fn shown(text: &str, max_chars: usize) -> String {
    line(&cap(text, max_chars)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_controls_are_shown_not_sent() {
        assert_eq!(line("\u{1b}]0;pwned\u{7}title"), "\\e]0;pwned\\x07title");
        assert_eq!(line("\u{1b}[2J\u{1b}[H"), "\\e[2J\\e[H");
        assert_eq!(line("a\u{9b}31mb"), "a\\u{9b}31mb");
        assert_eq!(line("a\u{85}b\u{7f}"), "a\\u{85}b\\x7f");
        assert_eq!(line("x\0y\u{8}"), "x\\x00y\\x08");
        assert_eq!(line("one\ntwo\r\n"), "one\\ntwo\\r\\n");
        assert_eq!(line("a\tb"), "a\\tb");
    }

    #[test]
    fn bidi_and_zero_width_are_visible() {
        assert_eq!(line("user\u{202e}gnp.exe"), "user\\u{202e}gnp.exe");
        assert_eq!(line("\u{2066}a\u{2069}"), "\\u{2066}a\\u{2069}");
        assert_eq!(line("AKIA\u{200b}X\u{feff}"), "AKIA\\u{200b}X\\u{feff}");
        assert_eq!(line("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn clean_text_is_borrowed_and_unicode_kept() {
        assert!(matches!(line("eu-west-1 ünïcode 日本"), Cow::Borrowed(_)));
        assert!(matches!(block("a\nb\tc"), Cow::Borrowed(_)));
    }

    #[test]
    fn block_keeps_lines_and_tabs_only() {
        assert_eq!(block("a\r\nb\n\tc\u{1b}[31m\rd"), "a\nb\n\tc\\e[31m\\rd");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw_and_stays_valid() {
        let value = serde_json::json!({"m": "a\u{9b}b\u{202e}c\u{7f}\u{1b}d\u{200b}"});
        let raw = serde_json::to_string(&value).expect("json");
        assert!(raw.contains('\u{9b}'), "serde_json leaves C1 raw: the post-processor is needed");
        let safe = json(&raw);
        assert!(!safe.chars().any(|c| c.is_control() || is_invisible(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn cap_says_how_much_was_cut() {
        assert_eq!(cap("abcdef", 10), "abcdef");
        assert_eq!(cap("abcdef", 6), "abcdef");
        assert_eq!(cap("abcdef", 2), "ab… (4 more characters)");
        assert_eq!(cap("ééé", 1), "é… (2 more characters)");
        assert_eq!(shown("\u{1b}abc", 2), "\\ea… (2 more characters)");
    }

    #[test]
    fn two_megabytes_are_handled_in_one_pass() {
        let big = "a\u{1b}".repeat(1024 * 1024);
        assert_eq!(line(&big).len(), 3 * 1024 * 1024);
    }
}
