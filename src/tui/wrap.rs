//! Rows of styled text and their wrapping to a width with a hanging indent:
//! a wrapped row continues under its text, not at column 0. Breaks at
//! spaces (not the one after `⏎`), else after `/` or `,` (so paths break
//! between parts), else anywhere; never at a hyphen, so cause ids, dates and
//! ARNs stay whole when they fit on a line. The wizard wraps itself (ratatui's wrap has no hanging indent),
//! so it knows where every row lands: for scrolling and for mouse clicks.
//! Pure.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// One logical line of a panel: its spans, and the indent of its continuation lines.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub spans: Vec<Span<'static>>,
    pub hang: usize,
}

impl Row {
    /// A row of spans, continuing `hang` columns in.
    pub fn new(spans: Vec<Span<'static>>, hang: usize) -> Self {
        Row { spans, hang }
    }

    /// A row of one styled text; continuation lines start under its first non-space character.
    pub fn styled(text: impl Into<String>, style: Style) -> Self {
        let text = text.into();
        let hang = text.chars().take_while(|c| *c == ' ').count();
        Row { spans: vec![Span::styled(text, style)], hang }
    }

    /// An empty row.
    pub fn blank() -> Self {
        Row::default()
    }
}

/// Cells of one line being built, with the index after the last break opportunity.
struct Builder {
    cells: Vec<(char, Style)>,
    width: usize,
    last_break: Option<usize>,
}

impl Builder {
    fn indent(hang: usize) -> Self {
        Builder { cells: vec![(' ', Style::new()); hang], width: hang, last_break: None }
    }

    fn push(&mut self, c: char, style: Style) {
        self.width += c.width().unwrap_or(0);
        self.cells.push((c, style));
    }

    fn into_line(mut self) -> Line<'static> {
        while self.cells.last().is_some_and(|(c, _)| *c == ' ') {
            self.cells.pop();
        }
        let mut spans: Vec<Span<'static>> = Vec::new();
        let mut text = String::new();
        let mut style = None;
        for (c, s) in self.cells {
            if style.is_some_and(|st| st != s) {
                spans.push(Span::styled(std::mem::take(&mut text), style.unwrap_or_default()));
            }
            style = Some(s);
            text.push(c);
        }
        if !text.is_empty() {
            spans.push(Span::styled(text, style.unwrap_or_default()));
        }
        Line::from(spans)
    }
}

/// Outside text (findings, server answers, paths, messages) as the wizard
/// shows it: secrets the process knows or that look like one masked, and
/// control, escape and invisible characters shown as visible escapes.
pub fn outside(text: &str) -> String {
    crate::base::sanitize::line(&crate::redact::scrub(text)).into_owned()
}

/// The row wrapped to `width` columns.
pub fn wrap(row: &Row, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let hang = row.hang.min(width / 2);
    let mut lines = Vec::new();
    let mut line = Builder::indent(0);
    // Whatever reaches the screen is printable: an unsafe character becomes its visible escape.
    let cells = row.spans.iter().flat_map(|span| {
        span.content.chars().flat_map(move |c| {
            let shown: Vec<char> = if crate::base::sanitize::is_unsafe(c) {
                crate::base::sanitize::line(&c.to_string()).chars().collect()
            } else {
                vec![c]
            };
            shown.into_iter().map(move |c| (c, span.style))
        })
    });
    for (c, style) in cells {
        let w = c.width().unwrap_or(0);
        if line.width + w > width {
            if c == ' ' {
                lines.push(std::mem::replace(&mut line, Builder::indent(hang)).into_line());
                continue;
            }
            let mut next = Builder::indent(hang);
            if let Some(at) = line.last_break.filter(|at| *at > hang && *at < line.cells.len()) {
                for (c, s) in line.cells.split_off(at) {
                    next.push(c, s);
                }
            }
            lines.push(std::mem::replace(&mut line, next).into_line());
        }
        if c == ' ' && line.cells.len() == hang && !lines.is_empty() {
            continue;
        }
        let previous = line.cells.last().map(|(p, _)| *p);
        let after_word = previous.is_some_and(|p| p.is_alphanumeric() || p == '.');
        line.push(c, style);
        // A key symbol keeps the word after it (`⏎ fix` never splits).
        if (c == ' ' && previous != Some('⏎')) || (matches!(c, '/' | ',') && after_word) {
            line.last_break = Some(line.cells.len());
        }
    }
    lines.push(line.into_line());
    lines
}

/// Every row wrapped; also returns the first line of each row.
pub fn wrap_all(rows: &[Row], width: usize) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut starts = Vec::with_capacity(rows.len() + 1);
    for row in rows {
        starts.push(lines.len());
        lines.extend(wrap(row, width));
    }
    starts.push(lines.len());
    (lines, starts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn continuation_lines_hang_under_the_text() {
        let row = Row::styled("    at ~/.aws/credentials:3 where the key is", Style::new());
        assert_eq!(text(&wrap(&row, 20)), ["    at ~/.aws/", "    credentials:3", "    where the key is"]);
    }

    #[test]
    fn paths_break_after_a_slash_and_styles_survive() {
        let row = Row::new(
            vec![Span::raw("  ✗ "), Span::styled("saved /home/alice/.aws/credentials", Style::new().bold())],
            4,
        );
        let lines = wrap(&row, 24);
        assert_eq!(text(&lines), ["  ✗ saved /home/alice/", "    .aws/credentials"]);
        assert_eq!(lines[1].spans[1].style, Style::new().bold());
        assert!(text(&wrap(&Row::blank(), 10)) == [""]);
    }

    #[test]
    fn cause_ids_and_dates_are_not_broken_at_their_hyphens() {
        let row = Row::styled("  ✗ the endpoint is set [endpoint-override] until 2030-01-31T18:00:00Z", Style::new());
        for width in 26..60 {
            let lines = text(&wrap(&row, width));
            assert!(lines.iter().any(|l| l.contains("[endpoint-override]")), "{width}: {lines:?}");
            assert!(lines.iter().any(|l| l.contains("2030-01-31T18:00:00Z")), "{width}: {lines:?}");
        }
    }
}
