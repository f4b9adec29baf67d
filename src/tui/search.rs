//! `/` search in the open panel and the guide (the guide column, or the
//! full-screen guide): the query and where it stands, the matches in the
//! lines as laid out (case-insensitive, within a line), moving between them,
//! and marking them in the lines drawn. Pure: the lines come from `layout`.

use super::theme::Theme;
use ratatui::text::{Line, Span};

/// The longest query kept.
const MAX_QUERY: usize = 256;

/// A search: its query, whether it is still being typed, and the match gone to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    /// Still being typed (its keys go to the query); after Enter, `n` / `N` move between matches.
    pub typing: bool,
    /// The index of the current match among [`crate::tui::App::search_hits`].
    pub current: usize,
}

impl Search {
    /// Adds a typed character (bounded), back to the first match.
    pub fn push(&mut self, c: char) {
        if !c.is_control() && self.query.chars().count() < MAX_QUERY {
            self.query.push(c);
            self.current = 0;
        }
    }
}

/// Where a match is: the panel, or the guide (its column, or the full-screen guide when open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Panel,
    Guide,
}

/// One match: its pane, its line there, and its columns (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub pane: Pane,
    pub line: usize,
    pub start: usize,
    pub len: usize,
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The text of a line, its spans joined.
pub fn text(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The matches of `query` in `lines` (case-insensitive, not overlapping), in reading order.
pub fn find(lines: &[Line], query: &str, pane: Pane) -> Vec<Hit> {
    let needle: Vec<char> = query.chars().map(fold).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for (line, l) in lines.iter().enumerate() {
        let hay: Vec<char> = text(l).chars().map(fold).collect();
        let mut start = 0;
        while start + needle.len() <= hay.len() {
            if hay.get(start..start + needle.len()) == Some(needle.as_slice()) {
                hits.push(Hit { pane, line, start, len: needle.len() });
                start += needle.len();
            } else {
                start += 1;
            }
        }
    }
    hits
}

/// `lines` with the matches of `query` marked, `current` (if in these lines) marked apart.
pub fn mark(
    lines: Vec<Line<'static>>,
    query: &str,
    pane: Pane,
    current: Option<Hit>,
    theme: Theme,
) -> Vec<Line<'static>> {
    let hits = find(&lines, query, pane);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let here: Vec<(usize, usize, bool)> =
                hits.iter().filter(|h| h.line == i).map(|h| (h.start, h.start + h.len, Some(*h) == current)).collect();
            if here.is_empty() { line } else { mark_line(line, &here, theme) }
        })
        .collect()
}

/// A line with the character ranges `hits` (start, end, current) restyled.
fn mark_line(line: Line<'static>, hits: &[(usize, usize, bool)], theme: Theme) -> Line<'static> {
    let style_at = |at: usize| hits.iter().find(|(s, e, _)| (*s..*e).contains(&at)).map(|(_, _, cur)| *cur);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut at = 0;
    for span in line.spans {
        let mut run = String::new();
        let mut run_mark = None;
        for c in span.content.chars() {
            let m = style_at(at);
            if m != run_mark && !run.is_empty() {
                let style = run_mark.map_or(span.style, |cur| span.style.patch(theme.found(cur)));
                spans.push(Span::styled(std::mem::take(&mut run), style));
            }
            run_mark = m;
            run.push(c);
            at += 1;
        }
        if !run.is_empty() {
            let style = run_mark.map_or(span.style, |cur| span.style.patch(theme.found(cur)));
            spans.push(Span::styled(run, style));
        }
    }
    Line { spans, ..line }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_without_case_and_marks_only_the_match() {
        let lines = vec![Line::from(vec![Span::raw("Run aws "), Span::raw("SSO login; sso")])];
        let hits = find(&lines, "sso", Pane::Panel);
        assert_eq!(hits.len(), 2);
        assert_eq!((hits[0].start, hits[1].start), (8, 19));
        let marked = mark(lines, "sso", Pane::Panel, hits.first().copied(), Theme { color: false });
        let texts: Vec<&str> = marked[0].spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, ["Run aws ", "SSO", " login; ", "sso"]);
        assert_ne!(marked[0].spans[1].style, marked[0].spans[3].style, "the current match stands apart");
    }
}
