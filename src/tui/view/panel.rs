//! The step's panel: its title with the step's status, its text as laid out
//! by `layout` (scrolled to keep the cursor's item visible), a scrollbar,
//! and the text cursor of a field being edited. No state is changed here.

use super::widgets::{scrollbar, step_symbol};
use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::search::Pane;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Draws the panel (with the guide below its checks when `with_guide`).
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect, with_guide: bool) {
    let inner = layout::inner(area);
    let laid = layout::lay_panel(app, theme, inner.width, with_guide);
    let height = usize::from(inner.height);
    let top = layout::top(app, &laid, height);
    let lines = super::widgets::marked(app, laid.lines.clone(), Pane::Panel, theme);
    let shown: Vec<Line> = lines.into_iter().skip(top).take(height).collect();
    let (symbol, status) = step_symbol(app, app.view.step);
    let title = Line::from(vec![
        Span::styled(format!(" {} ", app.view.step.title()), theme.title()),
        Span::styled(format!("{symbol} "), theme.status(status)),
    ]);
    let mut block = Block::bordered().title(title);
    if top + height < laid.lines.len() {
        block = block.title_bottom(Line::styled(" ↓ more (PgDn, wheel) ", theme.dim()).right_aligned());
    }
    frame.render_widget(Paragraph::new(shown).block(block), area);
    scrollbar(frame, area, laid.lines.len(), top);
    if let (Some((line, column)), None) = (laid.edit_cursor, &app.view.modal)
        && line >= top
        && line - top < height
    {
        let y = inner.y + u16::try_from(line - top).unwrap_or(0);
        let x = inner.x + u16::try_from(column).unwrap_or(0).min(inner.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, y));
    }
}
