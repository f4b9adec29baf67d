//! Small drawing helpers the widgets share: spans cut to a width with `…`,
//! the scrollbar on a block's right border, a step's symbol (a spinner
//! while its checks run), and the search's matches marked in a pane's lines. No state is changed here.

use crate::diagnose::{Status, Step};
use crate::tui::app::App;
use crate::tui::search::{self, Pane};
use crate::tui::theme::{SPINNER, Theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
use unicode_width::UnicodeWidthStr;

/// The symbol of a step in the sidebar: a spinner while its checks run.
pub fn step_symbol(app: &App, step: Step) -> (String, Status) {
    let status = app.report.step(step).map_or(Status::Skip, |s| s.status);
    if app.step_running(step) {
        return (SPINNER[app.view.spinner % SPINNER.len()].to_string(), Status::Skip);
    }
    (status.symbol().to_string(), status)
}

/// Spans cut to `width` columns, with `…` where they were cut.
pub fn fit(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in spans {
        let w = span.content.width();
        if used + w <= width {
            used += w;
            out.push(span);
            continue;
        }
        let mut text = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw + 1 > width {
                break;
            }
            used += cw;
            text.push(c);
        }
        text.push('…');
        out.push(Span::styled(text, span.style));
        break;
    }
    Line::from(out)
}

/// A vertical scrollbar on the right border of `area`, when `total` lines do not fit.
pub fn scrollbar(frame: &mut Frame, area: Rect, total: usize, top: usize) {
    let height = usize::from(area.height.saturating_sub(2));
    if total <= height {
        return;
    }
    let mut state = ScrollbarState::new(total.saturating_sub(height) + 1).position(top).viewport_content_length(height);
    let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight).begin_symbol(None).end_symbol(None);
    frame.render_stateful_widget(bar, area.inner(ratatui::layout::Margin { vertical: 1, horizontal: 0 }), &mut state);
}

/// A pane's lines with the search's matches marked (the lines as they are without a search).
pub fn marked(app: &App, lines: Vec<Line<'static>>, pane: Pane, theme: Theme) -> Vec<Line<'static>> {
    match app.view.search.as_ref().filter(|s| !s.query.is_empty()) {
        Some(s) => search::mark(lines, &s.query, pane, app.current_hit(), theme),
        None => lines,
    }
}
