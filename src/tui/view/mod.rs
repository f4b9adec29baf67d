//! The whole screen, from the state (no IO, no state changes); the areas
//! come from `layout`, the panel's text from `panels`, overlays from
//! `overlay`:
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
//!  ● unsaved · ⏎ edit · n/N next ✗ · s save · ←→ step ...        ? help · q quit footer
//! ```

pub mod overlay;

use super::app::App;
use super::keymap::{self, Action, Mode};
use super::layout::{self, MIN_HEIGHT, MIN_WIDTH};
use super::remedy::{self, Remedy};
use super::theme::{SPINNER, Theme};
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::{Status, Step};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, Wrap};
use unicode_width::UnicodeWidthStr;

/// Draws the screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme { color: app.view.color };
    if layout::too_small(area) {
        let text = format!(
            "credwiz needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT} (this one is {}x{}). q quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let screen = layout::screen(app, area);
    render_header(frame, app, theme, screen.header);
    render_sidebar(frame, app, theme, screen.sidebar);
    render_panel(frame, app, theme, screen.panel, screen.guide.is_none());
    if let Some(guide) = screen.guide {
        render_guide_column(frame, app, theme, guide);
    }
    frame.render_widget(Paragraph::new(layout::notice_lines(app, area.width)), screen.notice);
    render_footer(frame, app, theme, screen.footer);
    if let Some(modal) = &app.view.modal {
        overlay::render(frame, app, modal, theme, area);
    }
}

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

/// The steps that hold warnings, by title.
fn warning_steps(app: &App) -> Vec<&'static str> {
    app.report.steps.iter().filter(|s| s.status == Status::Warn).map(|s| s.step.title()).collect()
}

fn render_header(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut spans = vec![
        Span::styled(" credwiz ", theme.title()),
        Span::styled(format!("· profile {} ", crate::base::sanitize::shown(&app.form.profile, 64)), theme.accent()),
    ];
    if app.draft.is_dirty() {
        spans.push(Span::styled("● unsaved ", theme.status(Status::Warn).bold()));
    }
    if app.draft.ignore_env {
        spans.push(Span::styled("· env keys ignored ", theme.dim()));
    }
    if let Some(renewal) = &app.form.renewing {
        spans.push(Span::styled(format!("· renewing {} ", renewal.target), theme.accent()));
    }
    match app.report.causes.first() {
        Some(primary) => {
            let id = primary.cause.map_or("unclassified", |c| c.id());
            let fix =
                primary.cause.map_or_else(|| primary.fix.clone().unwrap_or_default(), |c| c.short_fix().to_string());
            spans.push(Span::styled(format!("· ✗ {id}: "), theme.status(Status::Fail)));
            spans.push(Span::raw(super::wrap::outside(&fix)));
        }
        None if app.run.is_running() => spans.push(Span::styled("· checking…", theme.dim())),
        None if !app.report.warnings.is_empty() => spans.push(Span::styled(
            format!("· ! no failure; warnings in {} (n goes there)", warning_steps(app).join(", ")),
            theme.status(Status::Warn),
        )),
        None if app.draft.is_dirty() => {
            spans.push(Span::styled("· ✓ the draft passes: s saves it to the files", theme.status(Status::Pass)))
        }
        None => spans.push(Span::styled("· ✓ AWS accepts these credentials", theme.status(Status::Pass))),
    }
    frame.render_widget(Paragraph::new(fit(spans, usize::from(area.width))), area);
}

fn render_sidebar(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut lines = Vec::new();
    for (i, step) in Step::ALL.iter().enumerate() {
        let (symbol, status) = step_symbol(app, *step);
        let text = format!("{symbol} {} {}", i + 1, step.title());
        let style = if *step == app.view.step { theme.selected() } else { theme.status(status) };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::raw(""));
    let (source, shadowed) = (&app.report.source, app.report.source.shadowed.len());
    let from = match source.kind {
        SourceKind::Env => "env variables",
        SourceKind::SharedCredentialsFile => "credentials file",
        SourceKind::ConfigFile => "config file",
        SourceKind::AssumeRole => "assumed role",
        SourceKind::WebIdentity => "web identity",
        SourceKind::Sso => "SSO",
        SourceKind::Process => "credential_process",
        SourceKind::Container => "container",
        SourceKind::Imds => "EC2 metadata",
        SourceKind::Login => "aws login",
        SourceKind::None => "no credentials",
    };
    lines.push(Line::styled(format!("keys: {from}"), theme.dim()));
    if shadowed > 0 {
        lines.push(Line::styled(format!("shadows {shadowed} more"), theme.dim()));
    }
    if let Some(id) = &app.report.identity {
        lines.push(Line::styled(format!("account {}", id.account), theme.dim()));
    }
    frame
        .render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(Block::bordered().title(" Steps ")), area);
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

fn render_panel(frame: &mut Frame, app: &App, theme: Theme, area: Rect, with_guide: bool) {
    let inner = layout::inner(area);
    let laid = layout::lay_panel(app, theme, inner.width, with_guide);
    let height = usize::from(inner.height);
    let top = layout::top(app, &laid, height);
    let shown: Vec<Line> = laid.lines.iter().skip(top).take(height).cloned().collect();
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

fn render_guide_column(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let inner = layout::inner(area);
    let lines = layout::guide_lines(app, theme, inner.width);
    let height = usize::from(inner.height);
    let top = app.view.guide_scroll.min(lines.len().saturating_sub(height));
    let shown: Vec<Line> = lines.iter().skip(top).take(height).cloned().collect();
    let block = Block::bordered().title(Line::styled(" Guide (g: full screen) ", theme.title()));
    frame.render_widget(Paragraph::new(shown).block(block), area);
    scrollbar(frame, area, lines.len(), top);
}

/// What a footer entry says now, or `None` when its keys do nothing useful now.
fn footer_entry(app: &App, action: Action, text: &'static str) -> Option<String> {
    let has_guide = || layout::chosen_guide(app).is_some();
    Some(match action {
        Action::Activate => match app.current()? {
            super::app::Item::Field(crate::tui::fields::Field::Profile) => "⏎ pick".into(),
            super::app::Item::Field(_) => "⏎ edit".into(),
            super::app::Item::Check(_) => {
                let check = app.current_check()?;
                match remedy::remedy(app, check) {
                    Remedy::Nothing => "⏎ why".into(),
                    other => other.mark().unwrap_or("⏎").to_string(),
                }
            }
        },
        Action::NextProblem if remedy::problems(app).is_empty() => return None,
        Action::Save if !app.draft.is_dirty() => return None,
        Action::Guide if !has_guide() => return None,
        Action::Copy if app.report.step(app.view.step).is_none_or(|s| s.checks.iter().all(|c| c.fix.is_none())) => {
            return None;
        }
        Action::Reveal if app.view.step != Step::Credentials => return None,
        _ => text.to_string(),
    })
}

fn render_footer(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mode = app.mode();
    let width = usize::from(area.width);
    let pinned = |a: Action| mode == Mode::Normal && matches!(a, Action::Help | Action::Quit);
    let right: Vec<String> = keymap::footer(mode).filter(|b| pinned(b.action)).map(|b| b.footer.to_string()).collect();
    let right = if right.is_empty() { String::new() } else { format!("{} ", right.join(" · ")) };
    let mut left = vec![Span::raw(" ")];
    let mut used = 1 + right.width();
    if app.draft.is_dirty() {
        left.push(Span::styled("● unsaved", theme.status(Status::Warn).bold()));
        left.push(Span::styled(" · ", theme.dim()));
        used += 12;
    }
    let mut first = true;
    for binding in keymap::footer(mode).filter(|b| !pinned(b.action)) {
        let Some(entry) = (if mode == Mode::Normal {
            footer_entry(app, binding.action, binding.footer)
        } else {
            Some(binding.footer.to_string())
        }) else {
            continue;
        };
        let entry = if first { entry } else { format!(" · {entry}") };
        if used + entry.width() + 1 > width {
            break;
        }
        first = false;
        used += entry.width();
        left.push(Span::styled(entry, theme.dim()));
    }
    let gap = width.saturating_sub(used);
    left.push(Span::raw(" ".repeat(gap)));
    left.push(Span::styled(right, Style::new().bold()));
    frame.render_widget(Paragraph::new(fit(left, width)), area);
}
