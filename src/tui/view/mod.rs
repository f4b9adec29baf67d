//! The whole screen, from the state (no IO, no state changes), in the shape
//! of trippy's view: `layout` owns the geometry, and each widget has its own
//! render file (`header`, `sidebar`, `panel`, `guide`, `footer`, `overlay`;
//! `compact` below 80x24; `widgets` holds what they share):
//!
//! ```text
//!  credwiz · profile dev ● unsaved · ✗ secret-mismatch: re-enter the secret   header
//! ┌ Steps ─────────────┐┌ Credentials ✗ ─────────────────────┐┌ Guide ──────┐
//! │✗ 1 Credentials     ││› Profile           dev             ││ (wide only) │
//! │✓ 2 Expiry & clock  ││  Access key id     AKIA...         ││             │
//! │⠋ 3 MFA             ││ Checks                             ││             │
//! │…                   ││  ✗ AWS knows the key id but ...    █│             │
//! └────────────────────┘└────────────────────────────────────┘└─────────────┘
//!  saved ~/.aws/credentials (backup ...)                                        notice
//!  ● unsaved · ⏎ edit · n next · s save · g guide ...            ? help · q quit footer
//! ```

pub mod compact;
pub mod footer;
pub mod guide;
pub mod header;
pub mod overlay;
pub mod panel;
pub mod sidebar;
pub mod widgets;

use crate::tui::app::App;
use crate::tui::layout;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::widgets::Paragraph;

/// Draws the screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme { color: app.view.color };
    if layout::too_small(area) {
        compact::render(frame, app, theme, area);
        return;
    }
    let screen = layout::screen(app, area);
    header::render(frame, app, theme, screen.header);
    sidebar::render(frame, app, theme, screen.sidebar);
    panel::render(frame, app, theme, screen.panel, screen.guide.is_none());
    if let Some(area) = screen.guide {
        guide::render(frame, app, theme, area);
    }
    frame.render_widget(Paragraph::new(layout::notice_lines(app, area.width)), screen.notice);
    footer::render(frame, app, theme, screen.footer);
    if let Some(modal) = &app.view.modal {
        overlay::render(frame, app, modal, theme, area);
    }
}
