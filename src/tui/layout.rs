//! Where everything goes on the screen, computed from the state and a size:
//! the areas (narrow, and wide with the guide beside the checks), the places
//! of the overlays, the panel's wrapped lines with the line range of each
//! item, the scroll offsets that keep the cursor's item visible, and what
//! lies under a mouse position. Rendering and `update` (scrolling, mouse)
//! share these functions, so a click lands on what was drawn. Geometry
//! only: which guide or item is shown is the app's to say. Pure.
//!
//! ```text
//! header                                                     (1-2 rows)
//! sidebar (22; 17 under 100 columns) | panel | guide (wide only: ≥ 140 columns)
//! notice                                                     (0-3 rows)
//! footer                                                     (1 row)
//! ```

use super::app::{App, Item, Modal, picker::Picker};
use super::overlay_text;
use super::panels;
use super::search::Pane;
use super::theme::Theme;
use super::view::header;
use super::wrap::{self, Row};
use crate::diagnose::Step;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use std::ops::Range;

/// The smallest terminal the wizard lays out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width on, the guide has a column of its own beside the checks.
pub const WIDE: u16 = 140;
const SIDEBAR: u16 = 22;
/// The sidebar under [`ROOMY`] columns (short step titles).
const SIDEBAR_NARROW: u16 = 17;
/// From this width on, the sidebar has its full width.
pub const ROOMY: u16 = 100;
/// The most rows the notice takes.
const NOTICE_ROWS: usize = 3;

/// The areas of the main screen.
#[derive(Debug, Clone, Copy)]
pub struct Screen {
    pub header: Rect,
    pub sidebar: Rect,
    pub panel: Rect,
    pub guide: Option<Rect>,
    pub notice: Rect,
    pub footer: Rect,
}

/// Whether the terminal is too small to lay the wizard out.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// The terminal's area, as the state knows it.
pub fn area(app: &App) -> Rect {
    Rect::new(0, 0, app.view.size.0, app.view.size.1)
}

/// The notice wrapped to the screen's width.
pub fn notice_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let Some(notice) = &app.view.notice else { return Vec::new() };
    let theme = Theme { color: app.view.color };
    let style = if notice.error { theme.error() } else { theme.accent() };
    let mut lines = wrap::wrap(&Row::styled(format!(" {}", wrap::outside(&notice.text)), style), usize::from(width));
    lines.truncate(NOTICE_ROWS);
    lines
}

/// The areas of the main screen for `area`.
pub fn screen(app: &App, area: Rect) -> Screen {
    let notice = u16::try_from(notice_lines(app, area.width).len()).unwrap_or(0);
    let header = u16::try_from(header::lines(app, Theme { color: app.view.color }, area.width).len()).unwrap_or(1);
    let [header, body, notice, footer] = Layout::vertical([
        Constraint::Length(header),
        Constraint::Min(0),
        Constraint::Length(notice),
        Constraint::Length(1),
    ])
    .areas(area);
    let sidebar = if area.width >= ROOMY { SIDEBAR } else { SIDEBAR_NARROW };
    let [sidebar, main] = Layout::horizontal([Constraint::Length(sidebar), Constraint::Min(0)]).areas(body);
    let (panel, guide) = if area.width >= WIDE && app.guide_cause().is_some() {
        let guide_width = (main.width * 2 / 5).clamp(50, 84);
        let [panel, guide] = Layout::horizontal([Constraint::Min(0), Constraint::Length(guide_width)]).areas(main);
        (panel, Some(guide))
    } else {
        (main, None)
    };
    Screen { header, sidebar, panel, guide, notice, footer }
}

/// Inside a bordered block.
pub fn inner(rect: Rect) -> Rect {
    Rect::new(rect.x + 1, rect.y + 1, rect.width.saturating_sub(2), rect.height.saturating_sub(2))
}

/// Columns kept free between a border and running text (guides, help, diffs).
pub const MARGIN: u16 = 1;

/// Where running text goes inside a bordered block: a margin from each side border.
pub fn text_area(rect: Rect) -> Rect {
    let inner = inner(rect);
    Rect { x: inner.x + MARGIN, width: inner.width.saturating_sub(2 * MARGIN), ..inner }
}

/// The panel's text wrapped to its width.
pub struct Laid {
    pub lines: Vec<Line<'static>>,
    /// The panel's items and the lines each spans.
    pub items: Vec<(Item, Range<usize>)>,
    /// Where the text cursor of a field being edited is: (line, column).
    pub edit_cursor: Option<(usize, usize)>,
}

/// The current panel laid out `width` columns wide (with its guide below when `with_guide`).
pub fn lay_panel(app: &App, theme: Theme, width: u16, with_guide: bool) -> Laid {
    let text = panels::build(app, theme, usize::from(width), with_guide);
    let (lines, starts) = wrap::wrap_all(&text.rows, usize::from(width));
    let line_of = |row: usize| starts.get(row).copied().unwrap_or(lines.len());
    let items = text.items.iter().map(|(item, rows)| (*item, line_of(rows.start)..line_of(rows.end))).collect();
    let edit_cursor = text.edit_cursor.map(|(row, column)| (line_of(row), column));
    Laid { lines, items, edit_cursor }
}

/// The first line shown of `laid` in `height` rows: the state's offset, moved
/// just enough to show the cursor's item while following it, within bounds.
pub fn top(app: &App, laid: &Laid, height: usize) -> usize {
    let mut top = app.view.scroll;
    if app.view.follow
        && let Some((_, range)) = laid.items.get(app.view.cursor)
    {
        if range.end > top + height {
            top = range.end.saturating_sub(height).min(range.start);
        }
        if range.start < top {
            top = range.start;
        }
    }
    top.min(laid.lines.len().saturating_sub(height))
}

/// The panel as laid out on the state's terminal size, and its inner height.
fn panel_now(app: &App) -> Option<(Laid, usize)> {
    let area = area(app);
    if too_small(area) {
        return None;
    }
    let screen = screen(app, area);
    let inner = inner(screen.panel);
    let laid = lay_panel(app, Theme { color: app.view.color }, inner.width, screen.guide.is_none());
    Some((laid, usize::from(inner.height)))
}

/// The panel's first line shown now.
pub fn panel_top(app: &App) -> usize {
    panel_now(app).map_or(0, |(laid, height)| top(app, &laid, height))
}

/// The panel's inner height.
pub fn panel_height(app: &App) -> usize {
    panel_now(app).map_or(1, |(_, height)| height)
}

/// How far the panel can scroll.
pub fn panel_max_scroll(app: &App) -> usize {
    panel_now(app).map_or(0, |(laid, height)| laid.lines.len().saturating_sub(height))
}

/// The guide column's lines at its width.
pub fn guide_lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let fill = super::trust_request::guide_values(app);
    let rows: Vec<Row> = app.guide_cause().map(|c| panels::guide_rows(c, &fill, theme, false)).unwrap_or_default();
    wrap::wrap_all(&rows, usize::from(width)).0
}

/// How far the guide column can scroll.
pub fn guide_max_scroll(app: &App) -> usize {
    let screen = screen(app, area(app));
    screen.guide.map_or(0, |guide| {
        let inner = text_area(guide);
        guide_lines(app, Theme { color: app.view.color }, inner.width).len().saturating_sub(usize::from(inner.height))
    })
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(4));
    let height = height.min(area.height.saturating_sub(2));
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// The screen without its footer (for full-screen overlays).
fn full(area: Rect) -> Rect {
    Rect { height: area.height.saturating_sub(1), ..area }
}

/// The picker's width: wide enough for its columns, within the screen.
const PICKER_WIDTH: u16 = 120;
/// Rows of the picker above its list: the filter, a rule, the column heads.
pub const PICKER_HEAD: u16 = 3;

/// Where an overlay goes. The picker's size follows every profile, not the
/// matches, so it does not jump while the filter narrows the list.
pub fn modal_rect(app: &App, modal: &Modal, area: Rect) -> Rect {
    let body = |lines: usize| u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2);
    match modal {
        Modal::Help { .. } | Modal::Guide(_) => full(area),
        Modal::Picker(_) => {
            let count = app.draft.view.profiles.len().max(1);
            centered(full(area), PICKER_WIDTH, body(count + usize::from(PICKER_HEAD)))
        }
        _ => {
            let width = 96.min(area.width.saturating_sub(4));
            let text_width = width.saturating_sub(2 + 2 * MARGIN);
            let lines = overlay_text::lines(app, modal, Theme { color: app.view.color }, text_width).len();
            centered(full(area), width, body(lines))
        }
    }
}

/// An overlay's inner height.
pub fn modal_height(app: &App, modal: &Modal) -> usize {
    usize::from(inner(modal_rect(app, modal, area(app))).height)
}

/// How far an overlay's text can scroll.
pub fn modal_max_scroll(app: &App, modal: &Modal) -> usize {
    let rect = modal_rect(app, modal, area(app));
    let inner = text_area(rect);
    let lines = overlay_text::lines(app, modal, Theme { color: app.view.color }, inner.width);
    lines.len().saturating_sub(usize::from(inner.height))
}

/// The first list line shown in the picker, keeping the selection visible.
pub fn picker_top(picker: &Picker, height: usize) -> usize {
    picker.selected.saturating_sub(height.saturating_sub(1))
}

/// The profile under a mouse position in the picker.
fn picker_hit(app: &App, picker: &Picker, area: Rect, column: u16, row: u16) -> Option<String> {
    let inner = inner(modal_rect(app, &Modal::Picker(picker.clone()), area));
    let list_y = inner.y + PICKER_HEAD;
    if row < list_y || row >= inner.y + inner.height || column < inner.x || column >= inner.x + inner.width {
        return None;
    }
    let height = usize::from(inner.height.saturating_sub(PICKER_HEAD));
    let index = picker_top(picker, height) + usize::from(row - list_y);
    app.picker_matches(picker).get(index).map(|m| m.name.clone())
}

/// What lies under a mouse position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hit {
    Step(Step),
    /// The panel's item of this index.
    Item(usize),
    Panel,
    Guide,
    Profile(String),
    Nothing,
}

fn contains(rect: Rect, column: u16, row: u16) -> bool {
    column >= rect.x && column < rect.x + rect.width && row >= rect.y && row < rect.y + rect.height
}

/// What is at (`column`, `row`).
pub fn hit(app: &App, column: u16, row: u16) -> Hit {
    let area = area(app);
    if too_small(area) {
        return Hit::Nothing;
    }
    if let Some(Modal::Picker(picker)) = &app.view.modal {
        return picker_hit(app, picker, area, column, row).map_or(Hit::Nothing, Hit::Profile);
    }
    let screen = screen(app, area);
    let sidebar = inner(screen.sidebar);
    if contains(sidebar, column, row) {
        return Step::ALL.get(usize::from(row - sidebar.y)).map_or(Hit::Nothing, |s| Hit::Step(*s));
    }
    if screen.guide.is_some_and(|g| contains(g, column, row)) {
        return Hit::Guide;
    }
    let panel = inner(screen.panel);
    if !contains(panel, column, row) {
        return if contains(screen.panel, column, row) { Hit::Panel } else { Hit::Nothing };
    }
    let Some((laid, height)) = panel_now(app) else { return Hit::Nothing };
    let line = top(app, &laid, height) + usize::from(row - panel.y);
    laid.items.iter().position(|(_, range)| range.contains(&line)).map_or(Hit::Panel, Hit::Item)
}

/// The lines a `/` search looks through, as drawn now: the full-screen guide
/// when it is open; else the panel, then the guide column (wide screens).
pub fn search_panes(app: &App) -> Vec<(Pane, Vec<Line<'static>>)> {
    let area = area(app);
    if too_small(area) {
        return Vec::new();
    }
    let theme = Theme { color: app.view.color };
    if let Some(modal @ Modal::Guide(_)) = &app.view.modal {
        let text = text_area(modal_rect(app, modal, area));
        return vec![(Pane::Guide, overlay_text::lines(app, modal, theme, text.width))];
    }
    let screen = screen(app, area);
    let mut panes = vec![(Pane::Panel, lay_panel(app, theme, inner(screen.panel).width, screen.guide.is_none()).lines)];
    if let Some(guide) = screen.guide {
        panes.push((Pane::Guide, guide_lines(app, theme, text_area(guide).width)));
    }
    panes
}
