//! The top line: the profile, unsaved edits, and the primary cause with its
//! fix. It wraps to a second line rather than cutting the fix (SPEC 6);
//! `layout` asks it how many rows it takes. No state is changed here.

use super::widgets::fit;
use crate::diagnose::Status;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::wrap::{self, Row};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The most rows the top line takes.
const ROWS: usize = 2;

/// The steps that hold warnings, by title.
fn warning_steps(app: &App) -> Vec<&'static str> {
    app.report.steps.iter().filter(|s| s.status == Status::Warn).map(|s| s.step.title()).collect()
}

/// What the top line says.
pub fn spans(app: &App, theme: Theme) -> Vec<Span<'static>> {
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
            spans.push(Span::raw(wrap::outside(&fix)));
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
    spans
}

/// The top line wrapped to `width`: one or two rows, `…` only past the second.
pub fn lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let mut lines = wrap::wrap(&Row::new(spans(app, theme), 3), width);
    if lines.len() > ROWS {
        lines.truncate(ROWS);
        if let Some(last) = lines.last_mut() {
            let mut spans = last.spans.clone();
            let used: usize = spans.iter().map(|s| s.content.width()).sum();
            if used < width {
                spans.push(Span::raw("…"));
                *last = Line::from(spans);
            } else {
                spans.push(Span::raw("  "));
                *last = fit(spans, width);
            }
        }
    }
    lines
}

/// Draws the top line.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    frame.render_widget(Paragraph::new(lines(app, theme, area.width)), area);
}
