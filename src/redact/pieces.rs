//! Registered secrets and every piece of them found in a text, in linear
//! time: no run of [`PIECE`] or more characters of a secret gets through,
//! whatever surrounds it and whichever of the [`super::normal`] dresses it
//! wears (split by a space, wrapped over lines, percent-encoded, escaped).
//!
//! The index holds every [`PIECE`]-byte window of each secret's normal
//! form (a secret of `n` bytes adds at most `n` windows) and, for secrets
//! shorter than a window, the whole value. A text is put in normal form
//! once and each of its windows looked up once; the kept bytes that matched
//! windows which overlap or touch become one span, mapped back to the text
//! and masked. Time: linear in the text plus the secrets; a secret of
//! 60,000 `A` is one window.
//!
//! A session token's first characters are the same for every token (the
//! serialised header `IQoJb3JpZ2luX2Vj`...): windows that lie wholly in such a
//! known prefix are not secret. They are masked only as the start of a span
//! of secret windows they overlap (so a token found whole is still masked
//! whole), never on their own.

use super::normal::{Normal, normalise};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// The length of a piece: a run this long of a secret's (normal form) bytes is masked.
pub const PIECE: usize = 16;

/// The prefixes every session token of one kind starts with (not secret).
const PUBLIC_PREFIXES: [&[u8]; 4] = [b"IQoJb3JpZ2luX2Vj", b"AgoJb3JpZ2luX2Vj", b"FwoGZXIvYXdz", b"FQoGZXIvYXdz"];

/// The index of every registered secret's pieces.
#[derive(Default)]
pub(super) struct Pieces {
    windows: HashSet<[u8; PIECE]>,
    /// Windows wholly inside a public prefix.
    public: HashSet<[u8; PIECE]>,
    /// Secrets shorter than a window, by their length in bytes (normal form).
    short: HashMap<usize, HashSet<Vec<u8>>>,
    /// Each secret's normal form, and the mask it is shown as when it is found whole.
    whole: HashMap<Vec<u8>, String>,
}

impl Pieces {
    /// Indexes a secret (linear in its length); short values are left out.
    pub fn add(&mut self, secret: &str) {
        let normal = normalise(secret.as_bytes(), false).bytes;
        if normal.len() < super::MIN_SECRET_CHARS || self.whole.contains_key(&normal) {
            return;
        }
        let public = PUBLIC_PREFIXES.iter().find(|p| normal.starts_with(p)).map_or(0, |p| p.len());
        if normal.len() >= PIECE {
            for (at, window) in normal.windows(PIECE).enumerate() {
                if let Ok(window) = <[u8; PIECE]>::try_from(window) {
                    if at + PIECE > public {
                        self.windows.insert(window)
                    } else {
                        self.public.insert(window)
                    };
                }
            }
        } else {
            self.short.entry(normal.len()).or_default().insert(normal.clone());
        }
        self.whole.insert(normal, crate::base::display::mask_secret(secret));
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.whole.is_empty()
    }

    /// Marks in `bytes` and `joins` (difference arrays) the kept bytes each
    /// found piece covers; returns where public windows start, left to right.
    fn find(&self, normal: &Normal, bytes: &mut [i32], joins: &mut [i32]) -> Vec<usize> {
        let mut public = Vec::new();
        let mut cover = |from: usize, to: usize| {
            bytes[from] += 1;
            bytes[to] -= 1;
            joins[from] += 1;
            joins[to - 1] -= 1;
        };
        if !self.windows.is_empty() {
            for (at, window) in normal.bytes.windows(PIECE).enumerate() {
                if let Ok(window) = <[u8; PIECE]>::try_from(window) {
                    if self.windows.contains(&window) {
                        cover(at, at + PIECE);
                    } else if self.public.contains(&window) {
                        public.push(at);
                    }
                }
            }
        }
        for (&len, values) in &self.short {
            for (at, window) in normal.bytes.windows(len).enumerate() {
                // A short secret counts only unbroken: pieces of ordinary words must not add up to one.
                if values.contains(window) && !normal.broken(at, at + len) {
                    cover(at, at + len);
                }
            }
        }
        public
    }

    /// The spans of kept bytes to mask (`from..to`), left to right: runs of
    /// covered bytes joined by pieces that hold both sides of each join.
    fn spans(&self, normal: &Normal) -> Vec<(usize, usize)> {
        let count = normal.bytes.len();
        let mut bytes = vec![0i32; count + 1];
        let mut joins = vec![0i32; count + 1];
        let public = self.find(normal, &mut bytes, &mut joins);
        let (mut spans, mut covered, mut joined) = (Vec::new(), 0i32, 0i32);
        let mut open: Option<usize> = None;
        for at in 0..count {
            covered += bytes[at];
            joined += joins[at];
            if covered > 0 && open.is_none() {
                open = Some(at);
            }
            // The span goes on past `at` only when a piece holds both `at` and `at + 1`.
            if let Some(from) = open
                && joined <= 0
            {
                spans.push((from, at + 1));
                open = None;
            }
        }
        // A public window that overlaps a span's start is the start of that token.
        let mut public = public.into_iter().peekable();
        for span in &mut spans {
            while let Some(&at) = public.peek().filter(|&&at| at < span.0) {
                if at + PIECE > span.0 {
                    span.0 = at;
                }
                public.next();
            }
        }
        spans
    }

    /// The text with every piece of a registered secret masked: a secret
    /// found whole as its own mask, any other span as sixteen stars.
    pub fn replace<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.is_empty() || text.len() < super::MIN_SECRET_CHARS {
            return Cow::Borrowed(text);
        }
        if u32::try_from(text.len()).is_err() {
            // Past 4 GiB (never: every outside text is bounded far below), nothing is shown rather than a secret.
            return Cow::Owned("*".repeat(PIECE));
        }
        let normal = normalise(text.as_bytes(), true);
        let spans = self.spans(&normal);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for (from, to) in spans {
            let mut start = usize::try_from(normal.start[from]).unwrap_or(text.len()).max(last);
            let mut end = usize::try_from(normal.end[to - 1]).unwrap_or(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            if end <= start {
                continue;
            }
            out.push_str(&text[last..start.max(last)]);
            match self.whole.get(&normal.bytes[from..to]) {
                Some(mask) => out.push_str(mask),
                None => out.push_str(&"*".repeat(PIECE)),
            }
            last = end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleSecretTokenBody+abc/def=";

    fn pieces(secrets: &[&str]) -> Pieces {
        let mut pieces = Pieces::default();
        for secret in secrets {
            pieces.add(secret);
        }
        pieces
    }

    /// Whether any run of `PIECE` characters of `secret` is in `text`.
    fn leaks(text: &str, secret: &str) -> bool {
        let chars: Vec<char> = secret.chars().collect();
        chars.windows(PIECE).any(|w| text.contains(&w.iter().collect::<String>()))
    }

    #[test]
    fn a_secret_split_by_a_space_or_wrapped_over_lines_is_masked_whole() {
        let p = pieces(&[TOKEN]);
        let mask = crate::base::display::mask_secret(TOKEN);
        for cut in [1, 20, 40, TOKEN.len() - 1] {
            for gap in [" ", "\n", "\r\n", "\\n", "  \t "] {
                let text = format!("error: {}{gap}{} after", &TOKEN[..cut], &TOKEN[cut..]);
                assert_eq!(p.replace(&text), format!("error: {mask} after"), "{text}");
            }
        }
    }

    #[test]
    fn a_piece_alone_is_masked_and_a_shorter_one_is_left() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let p = pieces(&[secret]);
        let last20 = &secret[20..];
        let out = p.replace(&format!("aws_secret_access_key=\n{last20}\nnext line")).into_owned();
        assert_eq!(out, "aws_secret_access_key=\n****************\nnext line");
        let fifteen = &secret[3..18];
        assert_eq!(p.replace(&format!("x {fifteen} y")), format!("x {fifteen} y"));
        let encoded = secret[10..30].replace('/', "%2F");
        assert!(!leaks(&p.replace(&format!("q={encoded}&")).replace("%2F", "/"), secret));
    }

    #[test]
    fn the_public_prefix_of_a_session_token_is_not_masked() {
        let p = pieces(&[TOKEN]);
        let text = "tokens start with IQoJb3JpZ2luX2Vj and FwoGZXIvYXdz; IQoJb3JpZ2luX2Vj.";
        assert!(matches!(p.replace(text), Cow::Borrowed(_)));
        assert!(!leaks(&p.replace(&format!("a {} b", &TOKEN[1..40])), &TOKEN[1..]));
    }

    #[test]
    fn short_secrets_are_masked_only_unbroken() {
        let p = pieces(&["hunter22x"]);
        assert_eq!(p.replace("pw hunter22x."), format!("pw {}.", crate::base::display::mask_secret("hunter22x")));
        assert_eq!(p.replace("hunter 22x"), "hunter 22x");
    }

    #[test]
    fn two_secrets_side_by_side_keep_their_own_masks() {
        let (a, b) = ("abcdefghijklmnopqrstuvwxyz012345", "ZYXWVUTSRQPONMLKJIHGFEDCBA987654");
        let p = pieces(&[a, b]);
        let (ma, mb) = (crate::base::display::mask_secret(a), crate::base::display::mask_secret(b));
        assert_eq!(p.replace(&format!("{a} {b}")), format!("{ma} {mb}"));
        assert_eq!(p.replace(&format!("[{a}]({b})")), format!("[{ma}]({mb})"));
    }

    #[test]
    fn repetitive_secrets_and_texts_stay_linear() {
        let token = "A".repeat(60_000);
        let p = pieces(&[&token]);
        let text = format!("x {} y", "A".repeat(1_000_000));
        assert_eq!(p.replace(&text), "x **************** y");
        assert_eq!(p.windows.len(), 1);
    }
}
