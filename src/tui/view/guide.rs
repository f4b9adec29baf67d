//! The guide column of wide screens: the step's fix guide beside its checks,
//! scrolled on its own, with a margin inside its border. No state is changed
//! here.

use super::widgets::scrollbar;
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::search::Pane;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Padding, Paragraph};

/// Draws the guide column.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let text = layout::text_area(area);
    let lines = layout::guide_lines(app, theme, text.width);
    let height = usize::from(text.height);
    let top = app.view.guide_scroll.min(lines.len().saturating_sub(height));
    let shown: Vec<Line> =
        super::widgets::marked(app, lines.clone(), Pane::Guide, theme).into_iter().skip(top).take(height).collect();
    let block = Block::bordered()
        .padding(Padding::horizontal(layout::MARGIN))
        .title(Line::styled(" Guide (g: full screen) ", theme.title()));
    frame.render_widget(Paragraph::new(shown).block(block), area);
    scrollbar(frame, area, lines.len(), top);
}
