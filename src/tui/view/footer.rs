//! The footer: the keys that act now, from the key table, with help and
//! quit pinned on the right. When the line is short, the keys a user finds
//! anyway (arrows, step digits, `e`) go first, then the rest from the end,
//! so fix, guide, copy, re-run and reveal stay at 80 columns. A search shows
//! first: `/query  3/7`. No state is
//! changed here.

use super::widgets::fit;
use crate::diagnose::{Status, Step};
use crate::tui::app::{App, Item};
use crate::tui::fields::Field;
use crate::tui::keymap::{self, Action, Mode};
use crate::tui::remedy::{self, Remedy};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// What a footer entry says now, or `None` when its keys do nothing useful now.
fn entry(app: &App, action: Action, text: &'static str) -> Option<String> {
    Some(match action {
        Action::Activate => match app.current()? {
            Item::Field(Field::Profile) => "⏎ pick".into(),
            Item::Field(_) => "⏎ edit".into(),
            Item::Check(_) => match remedy::remedy(app, app.current_check()?) {
                Remedy::Nothing => "⏎ why".into(),
                other => other.mark().unwrap_or("⏎").to_string(),
            },
        },
        Action::NextProblem if app.problems().is_empty() => return None,
        Action::Save if !app.draft.is_dirty() => return None,
        Action::Guide if app.chosen_guide().is_none() => return None,
        Action::Copy if app.report.step(app.view.step).is_none_or(|s| s.checks.iter().all(|c| c.fix.is_none())) => {
            return None;
        }
        Action::Reveal if app.view.step != Step::Credentials => return None,
        _ => text.to_string(),
    })
}

/// The first entries to drop when the footer is short: found anyway, or shown elsewhere.
fn expendable(action: Action) -> u8 {
    match action {
        Action::Up | Action::Down => 0,
        Action::NextStep | Action::PrevStep => 1,
        Action::IgnoreEnv => 2,
        Action::Profiles => 3,
        _ => 4,
    }
}

/// The search as the footer says it: `/query  3/7` (while typing: the query and its count).
fn searched(app: &App) -> Option<String> {
    let search = app.view.search.as_ref()?;
    let query = crate::tui::wrap::outside(&search.query);
    let count = app.search_hits().len();
    Some(match (search.query.is_empty(), count) {
        (true, _) => "/".to_string(),
        (false, 0) => format!("/{query}  no match"),
        (false, n) => format!("/{query}  {}/{n}", (search.current + 1).min(n)),
    })
}

/// Draws the footer.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mode = app.mode();
    let width = usize::from(area.width);
    let pinned = |a: Action| mode == Mode::Normal && matches!(a, Action::Help | Action::Quit);
    let right: Vec<String> = keymap::footer(mode).filter(|b| pinned(b.action)).map(|b| b.footer.to_string()).collect();
    let mut right = if right.is_empty() { String::new() } else { format!("{} ", right.join(" · ")) };
    let mut ago = app.checked_ago().filter(|_| mode == Mode::Normal && !app.run.is_running());
    let unsaved = app.draft.is_dirty();
    let found = searched(app);
    let found_width = found.as_ref().map_or(0, |f| f.width() + 3);
    let mut entries: Vec<(Action, String)> = keymap::footer(mode)
        .filter(|b| !pinned(b.action))
        .filter_map(|b| {
            let text = if mode == Mode::Normal { entry(app, b.action, b.footer) } else { Some(b.footer.to_string()) };
            text.map(|t| (b.action, t))
        })
        .collect();
    let needed = |entries: &[(Action, String)]| entries.iter().map(|(_, t)| t.width() + 3).sum::<usize>();
    loop {
        let said = ago.as_ref().map_or(0, |a| a.width() + 3);
        let room = width.saturating_sub(1 + said + found_width + right.width() + if unsaved { 12 } else { 0 });
        if needed(&entries) <= room + 3 || entries.is_empty() {
            break;
        }
        let drop = (0..entries.len()).rev().min_by_key(|i| entries.get(*i).map_or(4, |(a, _)| expendable(*a)));
        // "checked 12 s ago" gives way before the keys that act on the problem.
        match drop.and_then(|i| entries.get(i).map(|(a, _)| (i, expendable(*a)))) {
            Some((_, 3..)) if ago.is_some() => ago = None,
            Some((i, _)) => {
                entries.remove(i);
            }
            None => break,
        }
    }
    if let Some(ago) = ago {
        right = format!("{ago} · {right}");
    }
    let mut left = vec![Span::raw(" ")];
    if unsaved {
        left.push(Span::styled("● unsaved", theme.status(Status::Warn).bold()));
        left.push(Span::styled(" · ", theme.dim()));
    }
    if let Some(found) = found {
        left.push(Span::styled(found, theme.accent().bold()));
        left.push(Span::styled(" · ", theme.dim()));
    }
    let texts: Vec<String> = entries.into_iter().map(|(_, t)| t).collect();
    let used: usize = 1 + if unsaved { 12 } else { 0 } + found_width + texts.join(" · ").width() + right.width();
    left.push(Span::styled(texts.join(" · "), theme.dim()));
    left.push(Span::raw(" ".repeat(width.saturating_sub(used))));
    left.push(Span::styled(right, Style::new().bold()));
    frame.render_widget(Paragraph::new(fit(left, width)), area);
}
