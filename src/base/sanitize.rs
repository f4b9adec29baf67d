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
//! - [`block_keeping_colors`]: [`block`] for a coloured report: only the
//!   few colour sequences credwiz itself paints with ([`OWN_COLORS`]) survive.

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

/// The SGR parameters credwiz paints with (bold, dim, green, yellow, bold
/// red/green/yellow, reset). Colours only: none of them can hide, blink,
/// retitle or move anything.
pub const OWN_COLORS: &[&str] = &["0", "1", "2", "32", "33", "31;1", "32;1", "33;1"];

/// The length of an `ESC [ params m` sequence at the start of `text` whose params are in [`OWN_COLORS`].
fn own_color_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("\u{1b}[")?;
    let end = rest.find('m').filter(|&end| end <= 8)?;
    OWN_COLORS.contains(&&rest[..end]).then_some(2 + end + 1)
}

/// [`block`] for text that credwiz coloured itself: its own colour sequences
/// ([`OWN_COLORS`]) are kept, every other escape, control and invisible
/// character is shown visibly, exactly as [`block`] shows it.
pub fn block_keeping_colors(text: &str) -> Cow<'_, str> {
    if !text.contains('\u{1b}') {
        return block(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&block(&rest[..at]));
        let tail = &rest[at..];
        match own_color_len(tail) {
            Some(len) => {
                out.push_str(&tail[..len]);
                rest = &tail[len..];
            }
            None => {
                out.push_str("\\e");
                rest = &tail[1..];
            }
        }
    }
    out.push_str(&block(rest));
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

/// A path for a message: control characters shown visibly, very long paths cut.
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.to_string_lossy(), 400)
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
    fn only_credwizs_own_colors_survive_in_a_colored_block() {
        let painted = "\u{1b}[31;1mfail\u{1b}[0m \u{1b}[2m[x]\u{1b}[0m";
        assert_eq!(block_keeping_colors(painted), painted);
        let hostile =
            "\u{1b}[32mok\u{1b}[0m \u{1b}]0;pwned\u{7}\u{1b}[8mhidden\u{1b}[2J\u{9b}31m\u{1b}[0;8m\u{1b}\r\n\tz";
        assert_eq!(
            block_keeping_colors(hostile),
            "\u{1b}[32mok\u{1b}[0m \\e]0;pwned\\x07\\e[8mhidden\\e[2J\\u{9b}31m\\e[0;8m\\e\n\tz"
        );
        assert_eq!(block_keeping_colors("a\u{1b}"), "a\\e");
        assert_eq!(block_keeping_colors("plain\u{202e}"), "plain\\u{202e}");
    }

    #[test]
    fn two_megabytes_are_handled_in_one_pass() {
        let big = "a\u{1b}".repeat(1024 * 1024);
        assert_eq!(line(&big).len(), 3 * 1024 * 1024);
    }
}
