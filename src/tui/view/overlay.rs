//! Drawing the overlays over the panels: the picker (its filter, then its
//! table) and every other overlay's scrollable text, in the place `layout`
//! gives them. The text comes from `overlay_text`. No state is changed here.

use super::widgets::scrollbar;
use crate::tui::app::{App, Modal, picker::Picker};
use crate::tui::layout;
use crate::tui::overlay_text;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph};

/// Draws an overlay.
pub fn render(frame: &mut Frame, app: &App, modal: &Modal, theme: Theme, area: Rect) {
    let rect = layout::modal_rect(app, modal, area);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Line::styled(overlay_text::title(app, modal), theme.title()));
    if let Modal::Picker(picker) = modal {
        render_picker(frame, app, picker, theme, rect, block);
        return;
    }
    let text = layout::text_area(rect);
    let height = usize::from(text.height);
    let mut all = overlay_text::lines(app, modal, theme, text.width);
    if let Modal::Guide(_) = modal {
        all = super::widgets::marked(app, all, crate::tui::search::Pane::Guide, theme);
    }
    let top = app.view.modal_scroll.min(all.len().saturating_sub(height));
    let shown: Vec<Line> = all.iter().skip(top).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(shown).block(block.padding(Padding::horizontal(layout::MARGIN))), rect);
    scrollbar(frame, rect, all.len(), top);
}

/// The picker: its filter, a rule, the column heads, then the profiles.
fn render_picker(frame: &mut Frame, app: &App, picker: &Picker, theme: Theme, rect: Rect, block: Block) {
    let inner = layout::inner(rect);
    let list = overlay_text::picker_lines(app, picker, theme, inner.width);
    let list_height = usize::from(inner.height.saturating_sub(layout::PICKER_HEAD));
    let top = layout::picker_top(picker, list_height);
    let mut shown = vec![
        Line::from(vec![Span::styled("filter: ", theme.dim()), Span::raw(picker.query.clone())]),
        Line::styled("─".repeat(usize::from(inner.width)), theme.dim()),
        overlay_text::picker_head(app, theme, inner.width),
    ];
    if list.is_empty() {
        let typed = picker.query.trim();
        shown.push(Line::styled(
            match (typed.is_empty(), picker.failing_only) {
                (true, true) => "no failing profile (f shows all)".to_string(),
                (true, false) => "no profile in the files".to_string(),
                (false, _) => format!("no profile matches: Enter uses \"{typed}\" as typed"),
            },
            theme.dim(),
        ));
    }
    shown.extend(list.iter().skip(top).take(list_height).cloned());
    frame.render_widget(Paragraph::new(shown).block(block), rect);
    scrollbar(frame, rect, list.len() + usize::from(layout::PICKER_HEAD), top);
    let cursor = u16::try_from(8 + picker.query.chars().count()).unwrap_or(u16::MAX);
    frame.set_cursor_position(Position::new(inner.x + cursor.min(inner.width.saturating_sub(1)), inner.y));
}
