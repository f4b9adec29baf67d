//! The normal form the redaction layer matches in: a text's bytes with the
//! encodings a secret can hide behind undone and the breaks that can split
//! it left out, each kept byte remembering the bytes of the text it came
//! from. One linear pass, no allocation per byte. Pure.
//!
//! - whitespace (a space, a line break, a tab) is left out, and so are the
//!   JSON escapes of line breaks and tabs (`\n`, `\r`, `\t` behind any number
//!   of backslashes): a secret wrapped over two lines or split by a space is
//!   one run again; each kept byte records whether such a break stood before it;
//! - backslashes are left out (`\/`, `\"`, `\\` at any depth: JSON, JSON in
//!   JSON, a `{:?}` of either);
//! - percent escapes (`%2F`, `%2f`) and XML character references (`&#43;`,
//!   `&#x2F;`, `&amp;`...) are decoded to the byte they stand for.
//!
//! Secrets are put in the same form, so a secret's bytes in any of those
//! dresses are the same bytes here.

/// A text in normal form.
pub(super) struct Normal {
    /// The kept (decoded) bytes.
    pub bytes: Vec<u8>,
    /// Where in the text each kept byte starts.
    pub start: Vec<u32>,
    /// Where in the text each kept byte ends (exclusive).
    pub end: Vec<u32>,
    /// For each kept byte, how many kept bytes up to and including it had a break left out right before them.
    pub breaks: Vec<u32>,
}

impl Normal {
    /// Whether a break was left out between the kept bytes `from` and `to - 1` (within `from..to`).
    pub fn broken(&self, from: usize, to: usize) -> bool {
        to > from + 1 && self.breaks[to - 1] != self.breaks[from]
    }
}

/// The value of a hex digit.
fn hex(byte: u8) -> Option<u8> {
    char::from(byte).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// The ASCII byte an XML character reference at the start of `text` stands for, and its length.
fn entity(text: &[u8]) -> Option<(u8, usize)> {
    let end = text.iter().take(10).position(|&b| b == b';')?;
    let name = &text[1..end];
    let byte = match name {
        b"amp" => b'&',
        b"quot" => b'"',
        b"apos" => b'\'',
        b"lt" => b'<',
        b"gt" => b'>',
        [b'#', b'x' | b'X', digits @ ..] if !digits.is_empty() => number(digits, 16)?,
        [b'#', digits @ ..] if !digits.is_empty() => number(digits, 10)?,
        _ => return None,
    };
    Some((byte, end + 1))
}

/// An ASCII code point written in `radix`.
fn number(digits: &[u8], radix: u32) -> Option<u8> {
    let text = std::str::from_utf8(digits).ok()?;
    u8::from_str_radix(text, radix).ok().filter(u8::is_ascii)
}

/// What stands at `at`: a byte kept (with the length of text it takes), a
/// break (with its length), or bytes to leave out.
enum Unit {
    Keep(u8, usize),
    Break(usize),
    Skip(usize),
}

fn unit(text: &[u8], at: usize) -> Unit {
    let byte = text[at];
    match byte {
        b if b.is_ascii_whitespace() => Unit::Break(1),
        b'\\' => {
            let run = text[at..].iter().take_while(|&&b| b == b'\\').count();
            match text.get(at + run) {
                Some(b'n' | b'r' | b't') => Unit::Break(run + 1),
                _ => Unit::Skip(run),
            }
        }
        b'%' => match (text.get(at + 1).copied().and_then(hex), text.get(at + 2).copied().and_then(hex)) {
            (Some(high), Some(low)) => Unit::Keep(high * 16 + low, 3),
            _ => Unit::Keep(byte, 1),
        },
        b'&' => entity(&text[at..]).map_or(Unit::Keep(byte, 1), |(b, len)| Unit::Keep(b, len)),
        _ => Unit::Keep(byte, 1),
    }
}

/// The normal form of `text` (positions are only kept when `positions`).
pub(super) fn normalise(text: &[u8], positions: bool) -> Normal {
    let capacity = if positions { text.len() } else { 0 };
    let mut normal = Normal {
        bytes: Vec::with_capacity(text.len()),
        start: Vec::with_capacity(capacity),
        end: Vec::with_capacity(capacity),
        breaks: Vec::with_capacity(capacity),
    };
    let (mut at, mut broken, mut breaks) = (0usize, false, 0u32);
    while at < text.len() {
        match unit(text, at) {
            Unit::Keep(byte, len) => {
                normal.bytes.push(byte);
                if positions {
                    breaks += u32::from(broken);
                    normal.start.push(u32::try_from(at).unwrap_or(u32::MAX));
                    normal.end.push(u32::try_from(at + len).unwrap_or(u32::MAX));
                    normal.breaks.push(breaks);
                }
                broken = false;
                at += len;
            }
            Unit::Break(len) => {
                broken = true;
                at += len;
            }
            Unit::Skip(len) => at += len,
        }
    }
    normal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(text: &str) -> String {
        String::from_utf8(normalise(text.as_bytes(), false).bytes).expect("utf-8")
    }

    #[test]
    fn encodings_are_undone_and_breaks_left_out() {
        assert_eq!(bytes("ab%2Fc%2bd"), "ab/c+d");
        assert_eq!(bytes("a\\\\\\/b\\\"c"), "a/b\"c");
        assert_eq!(bytes("ab cd\nef\r\n\tgh"), "abcdefgh");
        assert_eq!(bytes("ab\\ncd\\\\ref"), "abcdef");
        assert_eq!(bytes("a&#43;b&#x2F;c&amp;d&#X3d;"), "a+b/c&d=");
        assert_eq!(bytes("100% &nbsp; %zz &#999; &"), "100%&nbsp;%zz&#999;&");
        assert_eq!(bytes("ünï"), "ünï");
    }

    #[test]
    fn each_kept_byte_knows_its_place_and_the_breaks_before_it() {
        let normal = normalise(b"a%2Fb c", true);
        assert_eq!(normal.bytes, b"a/bc");
        assert_eq!(normal.start, [0, 1, 4, 6]);
        assert_eq!(normal.end, [1, 4, 5, 7]);
        assert!(!normal.broken(0, 3) && normal.broken(2, 4) && normal.broken(0, 4));
    }
}
