//! The screen of a terminal smaller than 80x24: one column with the top line
//! (the primary cause and its fix), the steps with their statuses, and what
//! is hidden until the terminal grows. Keys still work. No state is changed here.

use super::{header, sidebar};
use crate::tui::app::App;
use crate::tui::layout::{MIN_HEIGHT, MIN_WIDTH};
use crate::tui::theme::Theme;
use crate::tui::wrap::{self, Row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The lines of the small screen, `width` columns wide.
pub fn lines(app: &App, theme: Theme, width: u16, height: u16) -> Vec<Line<'static>> {
    let mut lines = header::lines(app, theme, width);
    lines.extend(sidebar::step_lines(app, theme, width));
    let hidden = format!(
        " Hidden at {width}x{height}: the panels, fields, guides and keys need {MIN_WIDTH}x{MIN_HEIGHT}; \
         enlarge the terminal. q quits, ←→ change step."
    );
    lines.extend(wrap::wrap(&Row::styled(hidden, theme.dim()), usize::from(width)));
    lines
}

/// Draws the small screen.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    frame.render_widget(Paragraph::new(lines(app, theme, area.width, area.height)), area);
}
