//! The lossless document model of one AWS shared config or credentials file.
//!
//! A [`Document`] is the file's text cut into lines (each keeping its own line
//! ending) plus an optional UTF-8 byte-order mark. Rendering concatenates the
//! lines, so parse-then-render gives the input back byte for byte, whatever
//! it holds. Each line is classified exactly as the AWS SDKs' parser does
//! (`aws-runtime`'s `env_config::parse`): `#`/`;` comments at column 0, blank
//! lines, `[section]` headers (with trailing comments), `key = value`
//! properties and indented continuation lines. Edits live in `edit.rs`; the
//! SDK's merged view lives in `view.rs`.

use std::fmt;

/// Space and tab: the only characters the SDK parser treats as whitespace.
pub const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];
const BOM: &str = "\u{feff}";

/// Which of the two shared files a document is; the SDK reads them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// `~/.aws/config`: `[profile NAME]`, `[default]`, `[sso-session NAME]`, `[services NAME]`.
    Config,
    /// `~/.aws/credentials`: `[NAME]` only.
    Credentials,
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        })
    }
}

/// Why a file's bytes are not a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The bytes are not UTF-8 (binary data, or another encoding).
    #[error("line {line} is not valid UTF-8 text (byte {byte}); the AWS SDKs would read this file as empty")]
    NotUtf8 { line: usize, byte: usize },
    /// A NUL byte: almost certainly a binary file.
    #[error("line {line} holds a NUL byte: this looks like a binary file, not an AWS profile file")]
    Binary { line: usize },
}

/// What a line is, by the SDK parser's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or only spaces and tabs.
    Blank,
    /// Starts with `#` or `;` at column 0.
    Comment,
    /// `[name]`, possibly followed by a comment. `name` is the text between the brackets.
    Header { name: String },
    /// Starts with `[` but does not close: the SDK rejects the whole file.
    BadHeader,
    /// `key = value` at column 0. `key` is lowercased like the SDK does.
    Property { key: String, value: String },
    /// A line at column 0 that is not a property: no `=`, or no name before it.
    BadProperty { reason: &'static str },
    /// Indented: a sub-property or the continuation of the previous value.
    Continuation { text: String },
}

/// One line of the file, with its line ending (`\n`, `\r\n`, or none for the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    raw: String,
    kind: LineKind,
}

impl Line {
    /// Builds a line from its raw text (ending included) and classifies it.
    pub fn new(raw: String) -> Self {
        let kind = classify(strip_ending(&raw));
        Line { raw, kind }
    }

    /// The raw text, line ending included.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The text without its line ending (what `str::lines` yields).
    pub fn content(&self) -> &str {
        strip_ending(&self.raw)
    }

    /// The line ending: `"\n"`, `"\r\n"` or `""`.
    pub fn ending(&self) -> &str {
        &self.raw[self.content().len()..]
    }

    /// What the line is.
    pub fn kind(&self) -> &LineKind {
        &self.kind
    }

    /// The property key when this is a property line.
    pub fn key(&self) -> Option<&str> {
        match &self.kind {
            LineKind::Property { key, .. } => Some(key),
            _ => None,
        }
    }

    /// The header name when this is a section header.
    pub fn header(&self) -> Option<&str> {
        match &self.kind {
            LineKind::Header { name } => Some(name),
            _ => None,
        }
    }

    /// Any line starting with `[` ends the previous section, even a broken one.
    pub fn starts_section(&self) -> bool {
        matches!(self.kind, LineKind::Header { .. } | LineKind::BadHeader)
    }
}

fn strip_ending(raw: &str) -> &str {
    let s = raw.strip_suffix('\n').unwrap_or(raw);
    if s.len() < raw.len() { s.strip_suffix('\r').unwrap_or(s) } else { s }
}

/// Classifies one line (without its ending) exactly as the SDK parser does.
pub fn classify(line: &str) -> LineKind {
    if line.trim_matches(WHITESPACE).is_empty() {
        return LineKind::Blank;
    }
    if line.starts_with(COMMENT) {
        return LineKind::Comment;
    }
    if line.starts_with('[') {
        let prepared = strip_comment(line, false);
        return match prepared.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            Some(name) => LineKind::Header { name: name.to_string() },
            None => LineKind::BadHeader,
        };
    }
    if line.starts_with(WHITESPACE) {
        return LineKind::Continuation { text: line.trim_matches(WHITESPACE).to_string() };
    }
    match split_property(line) {
        Ok((key, value)) => LineKind::Property { key: key.to_ascii_lowercase(), value: value.to_string() },
        Err(reason) => LineKind::BadProperty { reason },
    }
}

/// Where the parts of a `key = value # comment` line are, as the SDK reads
/// it: the one parser of property lines, used by the classifier, the editor
/// (which rewrites only the value or only the key) and the save diff (which
/// masks only the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertySpans {
    /// The key, without the spaces around it.
    pub key: std::ops::Range<usize>,
    /// The `=` sign.
    pub eq: usize,
    /// The value, without the spaces around it and without a trailing comment
    /// (empty, right after `=`, when there is none).
    pub value: std::ops::Range<usize>,
}

/// Finds the parts of a property line (without its line ending). A comment
/// starts at `#` or `;` after whitespace; the key is what precedes the first
/// `=` before it.
pub fn property_spans(line: &str) -> Result<PropertySpans, &'static str> {
    let mut comment = line.len();
    let mut prev_whitespace = false;
    for (idx, ch) in line.char_indices() {
        if COMMENT.contains(&ch) && prev_whitespace {
            comment = idx;
            break;
        }
        // As the SDK: any whitespace opens a comment (a stray CR too), though only spaces and tabs are trimmed.
        prev_whitespace = ch.is_whitespace();
    }
    let eq = line[..comment].find('=').ok_or("expected an '=' sign defining a property")?;
    // An all-blank part is empty at its start: the blanks belong to what follows (a comment keeps
    // the whitespace that makes it a comment).
    let trimmed = |start: usize, end: usize| {
        let text = &line[start..end];
        if text.trim_matches(WHITESPACE).is_empty() {
            return start..start;
        }
        let from = start + (text.len() - text.trim_start_matches(WHITESPACE).len());
        from..from + text.trim_matches(WHITESPACE).len()
    };
    let key = trimmed(0, eq);
    if key.is_empty() {
        return Err("property did not have a name");
    }
    Ok(PropertySpans { key, eq, value: trimmed(eq + 1, comment) })
}

/// Splits `key = value` (trailing comment removed) the way the SDK does.
pub fn split_property(line: &str) -> Result<(&str, &str), &'static str> {
    let spans = property_spans(line)?;
    Ok((&line[spans.key], &line[spans.value]))
}

/// Removes a trailing comment and surrounding whitespace. In property lines a
/// comment needs whitespace before it (`a=b#c` keeps `b#c`); in headers it does not.
pub fn strip_comment(line: &str, comments_need_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut prev_whitespace = false;
    for (idx, ch) in line.char_indices() {
        if COMMENT.contains(&ch) && (prev_whitespace || !comments_need_whitespace) {
            return line[..idx].trim_matches(WHITESPACE);
        }
        prev_whitespace = ch.is_whitespace();
    }
    line
}

/// A whole file, losslessly.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    bom: bool,
    lines: Vec<Line>,
}

impl Document {
    /// Parses file bytes. Fails (with the line) on non-UTF-8 or binary content.
    pub fn parse_bytes(bytes: &[u8]) -> Result<Self, DocumentError> {
        let line_of = |pos: usize| bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1;
        let text = std::str::from_utf8(bytes)
            .map_err(|e| DocumentError::NotUtf8 { line: line_of(e.valid_up_to()), byte: e.valid_up_to() })?;
        if let Some(pos) = bytes.iter().position(|b| *b == 0) {
            return Err(DocumentError::Binary { line: line_of(pos) });
        }
        Ok(Self::parse(text))
    }

    /// Parses text; never fails: lines that are not INI are kept as they are.
    pub fn parse(text: &str) -> Self {
        let (bom, body) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let lines = body.split_inclusive('\n').map(|raw| Line::new(raw.to_string())).collect();
        Document { bom, lines }
    }

    /// The file's text, byte for byte as parsed plus any edits.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.raw.len()).sum::<usize>() + 3);
        if self.bom {
            out.push_str(BOM);
        }
        for line in &self.lines {
            out.push_str(&line.raw);
        }
        out
    }

    /// Whether the file starts with a UTF-8 byte-order mark (the SDKs cannot read it).
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The lines, in order. Line numbers for people are index + 1.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub(crate) fn lines_mut(&mut self) -> &mut Vec<Line> {
        &mut self.lines
    }

    /// The line ending new lines should use: the file's first one, else `\n`.
    pub fn line_ending(&self) -> &'static str {
        match self.lines.iter().map(Line::ending).find(|e| !e.is_empty()) {
            Some("\r\n") => "\r\n",
            _ => "\n",
        }
    }

    /// The 1-based number of the first line holding a line break or a NUL
    /// inside it: never produced by parsing, only by an edit given a value or
    /// name with a line break (an injected `[section]`). The store refuses to
    /// write such a document, whoever built it.
    pub fn injected_line(&self) -> Option<usize> {
        self.lines.iter().position(|l| l.content().contains(['\n', '\0'])).map(|i| i + 1)
    }

    /// Whether the file is empty (no lines, no BOM).
    pub fn is_empty(&self) -> bool {
        !self.bom && self.lines.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_tricky_text() {
        let text = "\u{feff}# c\r\n[default] ; note\r\naws_access_key_id=AKIA\n  s3 =\n\tmax = 10\nno newline";
        let doc = Document::parse(text);
        assert_eq!(doc.render(), text);
        assert!(doc.has_bom());
        assert_eq!(doc.line_ending(), "\r\n");
    }

    #[test]
    fn classifies_like_the_sdk() {
        assert_eq!(classify("[profile dev] # x"), LineKind::Header { name: "profile dev".into() });
        assert_eq!(classify("[dev"), LineKind::BadHeader);
        assert_eq!(
            classify("Region = us-east-1 # c"),
            LineKind::Property { key: "region".into(), value: "us-east-1".into() }
        );
        assert_eq!(classify("a=b#c"), LineKind::Property { key: "a".into(), value: "b#c".into() });
        assert!(matches!(classify("garbage"), LineKind::BadProperty { .. }));
        assert_eq!(classify(" # indented"), LineKind::Continuation { text: "# indented".into() });
        assert_eq!(classify("\t"), LineKind::Blank);
    }

    #[test]
    fn rejects_binary_and_non_utf8_with_the_line() {
        assert_eq!(Document::parse_bytes(b"[a]\nx = \xff\n"), Err(DocumentError::NotUtf8 { line: 2, byte: 8 }));
        assert_eq!(Document::parse_bytes(b"[a]\n\n\0"), Err(DocumentError::Binary { line: 3 }));
    }
}
