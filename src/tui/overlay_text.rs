//! The text of the overlays: help (the keys of the mode it was opened from
//! first, then every mode, then the legend of symbols), the full-screen
//! guide, the save and quit diffs, the MFA session question, the renewal's
//! code, what was copied, and the profile picker's table (status, name,
//! source, account, cause). `layout` measures it, `view::overlay` draws it.
//! Pure.

use crate::diagnose::Status;
use crate::tui::app::{App, Modal, picker::Picker};
use crate::tui::keymap::{self, Mode};
use crate::tui::panels;
use crate::tui::theme::Theme;
use crate::tui::wrap::{self, Row};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

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
            let mut rows = panels::guide_rows(*cause, &crate::tui::trust_request::guide_values(app), theme, false);
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
            rows.extend(text.lines().map(|l| Row::styled(wrap::outside(l), Style::new())));
            rows
        }
        Modal::Picker(picker) => return picker_lines(app, picker, theme, width),
    };
    wrap::wrap_all(&rows, usize::from(width)).0
}

/// Text cut to `width` columns, with `…` where it was cut, padded to `width`.
fn cell(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return format!("{text}{}", " ".repeat(width - text.width()));
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(c);
    }
    out.push('…');
    format!("{out}{}", " ".repeat(width.saturating_sub(out.width())))
}

/// The picker's columns at `width`: name, source, account (the cause takes the rest).
fn picker_columns(app: &App, width: usize) -> (usize, usize, usize) {
    use unicode_width::UnicodeWidthStr;
    let longest = app.draft.view.profiles.keys().map(|n| n.width() + 10).max().unwrap_or(8);
    let (source, account) = if width >= 70 { (12, 13) } else { (0, 0) };
    let name = longest.clamp(8, (width.saturating_sub(4 + source + account) * 3 / 5).max(8));
    (name, source, account)
}

/// The picker's column heads.
pub fn picker_head(app: &App, theme: Theme, width: u16) -> Line<'static> {
    let (name, source, account) = picker_columns(app, usize::from(width));
    let mut text = format!("    {}", cell("profile", name));
    if source > 0 {
        text.push_str(&cell("source", source));
        text.push_str(&cell("account", account));
    }
    text.push_str("cause");
    Line::styled(cell(&text, usize::from(width)), theme.dim())
}

/// The picker's table: cursor, status, name (matched letters marked, cut
/// with `…`), source, account, cause; one line per profile.
pub fn picker_lines(app: &App, picker: &Picker, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let (name_width, source_width, account_width) = picker_columns(app, usize::from(width));
    let cause_width = usize::from(width).saturating_sub(4 + name_width + source_width + account_width);
    app.picker_matches(picker)
        .into_iter()
        .enumerate()
        .map(|(i, m)| {
            let known = app.profiles.get(&m.name);
            let (symbol, style) = known.map_or(("?", theme.dim()), |k| (k.status.symbol(), theme.status(k.status)));
            let selected = i == picker.selected;
            let base = if selected { theme.selected() } else { Style::new() };
            let mut spans =
                vec![Span::raw(if selected { "› " } else { "  " }), Span::styled(symbol, style), Span::raw(" ")];
            let current = if m.name == app.form.profile { " (current)" } else { "" };
            let name = cell(&format!("{}{current}", crate::base::sanitize::line(&m.name)), name_width);
            for (index, c) in name.chars().enumerate() {
                let hit =
                    index < m.name.chars().count() && m.positions.contains(&u32::try_from(index).unwrap_or(u32::MAX));
                spans.push(Span::styled(c.to_string(), if hit { base.patch(theme.accent()).bold() } else { base }));
            }
            if source_width > 0 {
                let source = known.and_then(|k| k.source).map_or("", |s| s.short_label());
                let account = known.and_then(|k| k.account.as_deref()).unwrap_or("");
                spans.push(Span::styled(cell(source, source_width), theme.dim()));
                spans.push(Span::styled(cell(account, account_width), theme.dim()));
            }
            if let Some(cause) = known.and_then(|k| k.cause) {
                spans.push(Span::styled(cell(cause.id(), cause_width).trim_end().to_string(), theme.dim()));
            }
            Line::from(spans)
        })
        .collect()
}

/// An overlay's title.
pub fn title(app: &App, modal: &Modal) -> String {
    match modal {
        Modal::Help { .. } => " Keys and symbols ".into(),
        Modal::Guide(cause) => format!(" Guide: {} ", cause.id()),
        Modal::ConfirmSave(_) => " Save these changes? ".into(),
        Modal::ConfirmQuit(_) => " Quit with unsaved edits? ".into(),
        Modal::ConfirmSession(_) => " MFA session ".into(),
        Modal::Renew(_) => " Renew the expired session ".into(),
        Modal::Copied { title, .. } => format!(" {title} "),
        Modal::Picker(picker) => {
            let shown = app.picker_matches(picker).len();
            let filter = if picker.failing_only { ", failing only (f)" } else { "" };
            format!(" Profiles ({shown} of {}{filter}) ", app.draft.view.profiles.len())
        }
    }
}
