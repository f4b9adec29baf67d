//! The overlays: help (the keys of the mode it was opened from first, then
//! every mode, then the legend of symbols), the full-screen guide, the save
//! and quit diffs, the MFA session question, the renewal's code, what was
//! copied, and the profile picker. Each has its place (`rect`) and its
//! scrollable text (`lines`), shared with `layout` for scrolling. Pure.

use crate::diagnose::Status;
use crate::tui::app::{App, Modal, picker::Picker};
use crate::tui::keymap::{self, Mode};
use crate::tui::layout;
use crate::tui::panels;
use crate::tui::theme::Theme;
use crate::tui::wrap::{self, Row};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

/// What each symbol on screen means.
pub const LEGEND: [(&str, &str); 11] = [
    ("✓", "the check passes"),
    ("✗", "the check fails: its [cause-id] and fix are shown; the primary cause is in the top line"),
    ("!", "a warning: nothing fails, but it is worth a look (a step with only warnings shows !)"),
    ("-", "skipped: the check could not run, or there is nothing to check yet"),
    ("⠋", "checks of this step are running"),
    ("⏎ fix", "Enter applies a one-key fix to the draft (⏎ edit: the field to fix; ⏎ renew, ⏎ pick)"),
    ("[cause-id]", "the cause, as `credwiz check --json` and the guides name it"),
    ("›", "the cursor"),
    ("● unsaved", "edits not written to the files yet (s saves, q asks)"),
    ("****", "a secret, masked (v reveals; Ctrl-R while typing)"),
    ("█", "the scrollbar: more text above or below (PgUp/PgDn, the mouse wheel)"),
];

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(4));
    let height = height.min(area.height.saturating_sub(2));
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// The screen without its footer (for full-screen overlays).
fn full(area: Rect) -> Rect {
    Rect { height: area.height.saturating_sub(1), ..area }
}

/// Where an overlay goes.
pub fn rect(app: &App, modal: &Modal, area: Rect) -> Rect {
    let body = |lines: usize| u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2);
    match modal {
        Modal::Help { .. } | Modal::Guide(_) => full(area),
        Modal::Picker(picker) => {
            let count = app.picker_matches(&picker.query).len().max(1);
            centered(full(area), 72, body(count + 2))
        }
        _ => {
            let width = 96.min(area.width.saturating_sub(4));
            let lines = lines(app, modal, Theme { color: app.view.color }, width.saturating_sub(2)).len();
            centered(full(area), width, body(lines))
        }
    }
}

/// A key binding as a help row.
fn binding_row(label: &str, help: &str, theme: Theme) -> Row {
    Row::new(vec![Span::styled(format!("  {label:<22}"), theme.accent()), Span::raw(help.to_string())], 24)
}

fn help_rows(from: Mode, theme: Theme) -> Vec<Row> {
    let mut rows = Vec::new();
    let modes = std::iter::once(from).chain(Mode::ALL.into_iter().filter(|m| *m != from));
    for (i, mode) in modes.enumerate() {
        let title = if i == 0 { format!("Keys here: {}", mode.title()) } else { mode.title().to_string() };
        rows.push(Row::styled(title, theme.title()));
        rows.extend(keymap::help(mode).map(|b| binding_row(b.label, b.help, theme)));
        rows.push(Row::blank());
    }
    rows.push(Row::styled("Symbols", theme.title()));
    rows.extend(LEGEND.iter().map(|(symbol, meaning)| binding_row(symbol, meaning, theme)));
    rows.push(Row::blank());
    rows.push(Row::styled(
        "Mouse: click a step, a field or a check (again: as Enter); the wheel scrolls what is under it.",
        theme.dim(),
    ));
    rows
}

fn diff_rows(diff: &[String], theme: Theme) -> Vec<Row> {
    diff.iter()
        .map(|l| {
            let style = if l.starts_with("+ ") {
                theme.status(Status::Pass)
            } else if l.starts_with("- ") {
                theme.error()
            } else {
                theme.dim()
            };
            Row::styled(l.clone(), style)
        })
        .collect()
}

/// The scrollable text of an overlay, wrapped to `width`.
pub fn lines(app: &App, modal: &Modal, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let rows: Vec<Row> = match modal {
        Modal::Help { from, .. } => help_rows(*from, theme),
        Modal::Guide(cause) => {
            let mut rows = panels::guide_rows(*cause, theme, false);
            rows.push(Row::blank());
            rows.push(Row::styled(format!(" [{}] {}", cause.id(), cause.short_fix()), theme.dim()));
            rows
        }
        Modal::ConfirmSave(diff) => {
            let mut rows = diff_rows(diff, theme);
            rows.push(Row::blank());
            rows.push(Row::styled("y: write (a backup of each file is kept)   n / Esc: back", theme.title()));
            rows
        }
        Modal::ConfirmQuit(diff) => {
            let mut rows = vec![Row::styled("These edits are not saved:", theme.title())];
            rows.extend(diff_rows(diff, theme));
            rows.push(Row::blank());
            rows.push(Row::styled("s: save them and quit   d: discard them and quit   Esc: stay", theme.title()));
            rows
        }
        Modal::ConfirmSession(target) => vec![
            Row::styled("AWS accepted the MFA code and gave a session.", Style::new()),
            Row::styled(format!("Write it to profile [{target}] (with its expiration) and check it?"), Style::new()),
            Row::blank(),
            Row::styled("y: write and switch   n / Esc: not now", theme.title()),
        ],
        Modal::Renew(renewal) => {
            let serial = renewal.serial.clone().unwrap_or_else(|| "the one IAM lists for the user".into());
            let mut rows = vec![
                Row::styled(
                    format!(
                        "Profile {} holds a session made from profile {}, and the session has expired.",
                        renewal.target, renewal.base
                    ),
                    Style::new(),
                ),
                Row::styled(
                    format!(
                        "credwiz asks AWS for a new one with {}'s keys and your code, writes it to {}, and checks it.",
                        renewal.base, renewal.target
                    ),
                    Style::new(),
                ),
                Row::styled(format!("MFA device: {serial}"), theme.dim()),
                Row::blank(),
                Row::new(
                    vec![
                        Span::styled("MFA code: ", theme.title()),
                        Span::styled(format!("{:_<6}", renewal.code), theme.accent()),
                    ],
                    0,
                ),
            ];
            if let Some(error) = &renewal.error {
                rows.push(Row::styled(format!("not renewed: {error}"), theme.error()));
            }
            rows.push(Row::blank());
            rows.push(Row::styled("Enter: renew   Esc: back", theme.title()));
            rows
        }
        Modal::Copied { text, .. } => {
            let mut rows = vec![
                Row::styled(
                    "Copied to the clipboard (OSC 52). If your terminal does not pass it on, select it below:",
                    theme.dim(),
                ),
                Row::blank(),
            ];
            rows.extend(text.lines().map(|l| Row::styled(super::super::wrap::outside(l), Style::new())));
            rows
        }
        Modal::Picker(picker) => return picker_lines(app, picker, theme),
    };
    wrap::wrap_all(&rows, usize::from(width)).0
}

/// The picker's list: status, name (matched letters marked), current mark, cause.
fn picker_lines(app: &App, picker: &Picker, theme: Theme) -> Vec<Line<'static>> {
    app.picker_matches(&picker.query)
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let known = app.profiles.get(&m.name);
            let (symbol, style) = known.map_or(("?", theme.dim()), |k| (k.status.symbol(), theme.status(k.status)));
            let selected = i == picker.selected;
            let base = if selected { theme.selected() } else { Style::new() };
            let mut spans =
                vec![Span::raw(if selected { "› " } else { "  " }), Span::styled(symbol, style), Span::raw(" ")];
            for (index, c) in m.name.chars().enumerate() {
                let hit = m.positions.contains(&u32::try_from(index).unwrap_or(u32::MAX));
                spans.push(Span::styled(c.to_string(), if hit { base.patch(theme.accent()).bold() } else { base }));
            }
            if m.name == app.form.profile {
                spans.push(Span::styled("  (current)", theme.accent()));
            }
            if let Some(cause) = known.and_then(|k| k.cause) {
                spans.push(Span::styled(format!("  {cause}"), theme.dim()));
            }
            Line::from(spans)
        })
        .collect()
}

/// The first list line shown in the picker, keeping the selection visible.
fn picker_top(picker: &Picker, height: usize) -> usize {
    picker.selected.saturating_sub(height.saturating_sub(1))
}

/// The profile under a mouse position in the picker.
pub fn picker_hit(app: &App, modal: &Modal, area: Rect, column: u16, row: u16) -> Option<String> {
    let Modal::Picker(picker) = modal else { return None };
    let inner = layout::inner(rect(app, modal, area));
    let list_y = inner.y + 2;
    if row < list_y || row >= inner.y + inner.height || column < inner.x || column >= inner.x + inner.width {
        return None;
    }
    let height = usize::from(inner.height.saturating_sub(2));
    let index = picker_top(picker, height) + usize::from(row - list_y);
    app.picker_matches(&picker.query).get(index).map(|m| m.name.clone())
}

fn title_of(app: &App, modal: &Modal) -> String {
    match modal {
        Modal::Help { .. } => " Keys and symbols ".into(),
        Modal::Guide(cause) => format!(" Guide: {} ", cause.id()),
        Modal::ConfirmSave(_) => " Save these changes? ".into(),
        Modal::ConfirmQuit(_) => " Quit with unsaved edits? ".into(),
        Modal::ConfirmSession(_) => " MFA session ".into(),
        Modal::Renew(_) => " Renew the expired session ".into(),
        Modal::Copied { title, .. } => format!(" {title} "),
        Modal::Picker(picker) => {
            let shown = app.picker_matches(&picker.query).len();
            format!(" Profiles ({shown} of {}) ", app.draft.view.profiles.len())
        }
    }
}

/// Draws an overlay.
pub fn render(frame: &mut Frame, app: &App, modal: &Modal, theme: Theme, area: Rect) {
    let rect = rect(app, modal, area);
    let inner = layout::inner(rect);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Line::styled(title_of(app, modal), theme.title()));
    let height = usize::from(inner.height);
    if let Modal::Picker(picker) = modal {
        let list = lines(app, modal, theme, inner.width);
        let list_height = height.saturating_sub(2);
        let top = picker_top(picker, list_height);
        let mut shown = vec![
            Line::from(vec![Span::styled("filter: ", theme.dim()), Span::raw(picker.query.clone())]),
            Line::styled("─".repeat(usize::from(inner.width)), theme.dim()),
        ];
        if list.is_empty() {
            let typed = picker.query.trim();
            shown.push(Line::styled(
                if typed.is_empty() {
                    "no profile in the files".to_string()
                } else {
                    format!("no profile matches: Enter uses \"{typed}\" as typed")
                },
                theme.dim(),
            ));
        }
        shown.extend(list.iter().skip(top).take(list_height).cloned());
        frame.render_widget(Paragraph::new(shown).block(block), rect);
        super::scrollbar(frame, rect, list.len() + 2, top);
        let cursor = u16::try_from(8 + picker.query.chars().count()).unwrap_or(u16::MAX);
        frame.set_cursor_position(Position::new(inner.x + cursor.min(inner.width.saturating_sub(1)), inner.y));
        return;
    }
    let all = lines(app, modal, theme, inner.width);
    let top = app.view.modal_scroll.min(all.len().saturating_sub(height));
    let shown: Vec<Line> = all.iter().skip(top).take(height).cloned().collect();
    frame.render_widget(Paragraph::new(shown).block(block), rect);
    super::scrollbar(frame, rect, all.len(), top);
}
