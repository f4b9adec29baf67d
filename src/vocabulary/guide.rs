//! The fix guides (`assets/guides/*.md`) as text for terminals: the small
//! markdown they use (`#` title, `##` headings, paragraphs, numbered or
//! dashed list items, `code` spans) split into blocks and inline spans, and
//! a plain word wrapper with a hanging indent. Shared by the wizard and the
//! readable report of `check`. Pure.

use unicode_width::UnicodeWidthStr;

/// One block of a guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The `# ` line.
    Title(String),
    /// A `## ` line.
    Heading(String),
    /// A paragraph, its lines joined.
    Paragraph(String),
    /// A list item: its marker (`1.`, `-`) and its text, lines joined.
    Item { marker: String, text: String },
}

/// A piece of inline text: plain, or a `code` span (backticks removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub code: bool,
}

fn item_marker(line: &str) -> Option<(&str, &str)> {
    if let Some(rest) = line.strip_prefix("- ").or_else(|| line.strip_prefix("* ")) {
        return Some(("-", rest));
    }
    let (number, rest) = line.split_once(". ")?;
    (!number.is_empty() && number.chars().all(|c| c.is_ascii_digit())).then(|| (&line[..number.len() + 1], rest))
}

/// The blocks of a guide, in order.
pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    for line in markdown.lines() {
        let line = line.trim();
        if line.is_empty() {
            open = false;
        } else if let Some(title) = line.strip_prefix("# ") {
            out.push(Block::Title(title.trim().to_string()));
            open = false;
        } else if let Some(heading) = line.strip_prefix("## ").or_else(|| line.strip_prefix("### ")) {
            out.push(Block::Heading(heading.trim().to_string()));
            open = false;
        } else if let Some((marker, text)) = item_marker(line) {
            out.push(Block::Item { marker: marker.to_string(), text: text.trim().to_string() });
            open = true;
        } else if let (true, Some(Block::Paragraph(text) | Block::Item { text, .. })) = (open, out.last_mut()) {
            text.push(' ');
            text.push_str(line);
        } else {
            out.push(Block::Paragraph(line.to_string()));
            open = true;
        }
    }
    out
}

/// The inline spans of a block's text: `code` spans apart, `**bold**` markers dropped.
pub fn inline(text: &str) -> Vec<Inline> {
    let text = text.replace("**", "");
    text.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| Inline { text: part.to_string(), code: i % 2 == 1 })
        .collect()
}

/// The text of a block without markup.
pub fn plain(text: &str) -> String {
    inline(text).into_iter().map(|i| i.text).collect()
}

/// Word-wraps `text` to `width` columns: the first line after `first`, the
/// following ones after `hang` spaces. Words longer than a line are cut.
pub fn wrap(text: &str, width: usize, first: &str, hang: usize) -> Vec<String> {
    let hang = hang.min(width / 2);
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        let needed = if empty { word.width() } else { word.width() + 1 };
        if !empty && line.width() + needed > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(hang)));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        let mut rest = word;
        while line.width() + rest.width() > width && rest.chars().count() > 1 {
            let room = width.saturating_sub(line.width()).max(1);
            let cut = rest.char_indices().nth(room).map_or(rest.len(), |(i, _)| i);
            line.push_str(&rest[..cut]);
            lines.push(std::mem::replace(&mut line, " ".repeat(hang)));
            rest = &rest[cut..];
        }
        line.push_str(rest);
        empty = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_becomes_blocks_without_markup() {
        let text = "# Title here\n\nA paragraph\nover two lines.\n\n## Fix\n\n1. Run `aws sso login`\n   and wait.\n2. **Then** re-run.\n";
        let b = blocks(text);
        assert_eq!(b[0], Block::Title("Title here".into()));
        assert_eq!(b[1], Block::Paragraph("A paragraph over two lines.".into()));
        assert_eq!(b[2], Block::Heading("Fix".into()));
        assert_eq!(b[3], Block::Item { marker: "1.".into(), text: "Run `aws sso login` and wait.".into() });
        assert_eq!(plain("Run `aws sso login` and **wait**"), "Run aws sso login and wait");
        assert!(inline("Run `aws sso login`").iter().any(|i| i.code && i.text == "aws sso login"));
    }

    #[test]
    fn wrapped_lines_hang_under_the_text() {
        let lines = wrap("one two three four five six", 12, "1. ", 3);
        assert_eq!(lines, ["1. one two", "   three", "   four five", "   six"]);
        assert!(wrap("x", 10, "", 0) == ["x"]);
        let long = wrap("aaaaaaaaaaaaaaaaaaaa", 8, "", 0);
        assert!(long.iter().all(|l| l.chars().count() <= 8), "{long:?}");
    }
}
