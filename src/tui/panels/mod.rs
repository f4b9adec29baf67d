//! The step panels: one file per step, each adding its own lines around the
//! shared parts made here (the step's fields, its checks with evidence and
//! fixes, the fix guide of its first failure, the notice line).

mod account_region;
mod credentials;
mod expiry;
mod iam_scp;
mod mfa;

use super::app::{App, Item};
use super::fields::Field;
use super::theme::Theme;
use super::view::step_symbol;
use crate::diagnose::{Status, Step};
use crate::display::mask_secret;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The lines of a panel and where the cursor item starts (for scrolling).
#[derive(Default)]
pub struct PanelText {
    pub lines: Vec<Line<'static>>,
    pub cursor_line: usize,
    /// Screen position of the text cursor when a field is being edited: (line, column).
    pub edit_cursor: Option<(usize, usize)>,
}

impl PanelText {
    pub fn push(&mut self, line: Line<'static>) {
        self.lines.push(line);
    }

    pub fn note(&mut self, text: impl Into<String>, theme: Theme) {
        self.lines.push(Line::styled(format!("  {}", text.into()), theme.dim()));
    }
}

/// Draws the current step's panel.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut text = PanelText::default();
    match app.view.step {
        Step::Credentials => credentials::lines(app, theme, &mut text),
        Step::Expiry => expiry::lines(app, theme, &mut text),
        Step::Mfa => mfa::lines(app, theme, &mut text),
        Step::AccountRegion => account_region::lines(app, theme, &mut text),
        Step::IamScp => iam_scp::lines(app, theme, &mut text),
    }
    if let Some(notice) = &app.view.notice {
        text.push(Line::raw(""));
        let style = if notice.error { theme.error() } else { theme.accent() };
        text.push(Line::styled(format!(" {}", notice.text), style));
    }
    let (symbol, status) = step_symbol(app, app.view.step);
    let title = Line::from(vec![
        Span::styled(format!(" {} ", app.view.step.title()), theme.title()),
        Span::styled(format!("{symbol} "), theme.status(status)),
    ]);
    let inner_height = usize::from(area.height.saturating_sub(2));
    let scroll = text.cursor_line.saturating_sub(inner_height.saturating_sub(4));
    let scroll16 = u16::try_from(scroll).unwrap_or(u16::MAX);
    let block = Block::bordered().title(title);
    frame.render_widget(Paragraph::new(text.lines).block(block).wrap(Wrap { trim: false }).scroll((scroll16, 0)), area);
    if let Some((line, column)) = text.edit_cursor
        && line >= scroll
        && line - scroll < inner_height
    {
        let y = area.y + 1 + u16::try_from(line - scroll).unwrap_or(0);
        let x = area.x + 1 + u16::try_from(column).unwrap_or(0).min(area.width.saturating_sub(3));
        frame.set_cursor_position(Position::new(x, y));
    }
}

const LABEL_WIDTH: usize = 18;

/// The step's fields, one line each (masked secrets, the input while editing).
pub fn fields(app: &App, theme: Theme, text: &mut PanelText) {
    let current = app.current();
    for field in Field::of_step(app.view.step) {
        let selected = current == Some(Item::Field(field));
        let editing = app.form.editing.as_ref().filter(|e| e.field == field).map(|e| &e.input);
        let value = app.value(field);
        let shown = if editing.is_some() || !field.is_secret() || app.view.reveal {
            value.clone()
        } else {
            mask_secret(&value)
        };
        let shown = if shown.is_empty() && editing.is_none() { "(empty)".to_string() } else { shown };
        if selected {
            text.cursor_line = text.lines.len();
        }
        if let Some(input) = editing {
            text.edit_cursor = Some((text.lines.len(), 2 + LABEL_WIDTH + input.visual_cursor()));
        }
        let marker = if selected { "›" } else { " " };
        let label = Span::styled(
            format!("{marker} {:<width$}", field.label(), width = LABEL_WIDTH),
            if selected { theme.selected() } else { theme.title() },
        );
        let value_style = if editing.is_some() {
            theme.accent()
        } else if value.is_empty() {
            theme.dim()
        } else {
            ratatui::style::Style::new()
        };
        text.push(Line::from(vec![label, Span::styled(shown, value_style)]));
    }
}

/// The step's checks: status, summary and cause; evidence, location and fix below.
pub fn checks(app: &App, theme: Theme, text: &mut PanelText) {
    let Some(step) = app.report.step(app.view.step) else { return };
    text.push(Line::raw(""));
    text.push(Line::styled(" Checks", theme.title()));
    if step.checks.is_empty() {
        text.note("nothing to check here yet", theme);
    }
    let current = app.current();
    for (index, check) in step.checks.iter().enumerate() {
        let selected = current == Some(Item::Check(index));
        if selected {
            text.cursor_line = text.lines.len();
        }
        let cause = check.cause.map(|c| format!(" [{c}]")).unwrap_or_default();
        let fixable = if check.repair.is_some() { "  ⏎ fix" } else { "" };
        let marker = if selected { "›" } else { " " };
        let summary_style = if selected { theme.selected() } else { ratatui::style::Style::new() };
        text.push(Line::from(vec![
            Span::raw(format!("{marker} ")),
            Span::styled(check.status.symbol().to_string(), theme.status(check.status)),
            Span::styled(format!(" {}", check.summary), summary_style),
            Span::styled(cause, theme.dim()),
            Span::styled(fixable.to_string(), theme.accent()),
        ]));
        if let Some(location) = &check.location {
            text.note(format!("    at {location}"), theme);
        }
        for line in &check.evidence {
            text.note(format!("    {line}"), theme);
        }
        if check.status == Status::Fail
            && let Some(fix) = &check.fix
        {
            text.push(Line::from(vec![Span::styled("      fix: ", theme.accent()), Span::raw(fix.clone())]));
        }
    }
}

/// The fix guide of the step's first failing cause.
pub fn guide(app: &App, theme: Theme, text: &mut PanelText) {
    let Some(cause) = app
        .report
        .step(app.view.step)
        .and_then(|s| s.checks.iter().find(|c| c.status == Status::Fail).and_then(|c| c.cause))
    else {
        return;
    };
    text.push(Line::raw(""));
    for paragraph in paragraphs(cause.guide()) {
        let styled = if let Some(title) = paragraph.strip_prefix("# ") {
            Line::styled(format!(" Guide: {title}"), theme.title())
        } else if let Some(heading) = paragraph.strip_prefix("## ") {
            Line::styled(format!(" {heading}"), theme.title())
        } else {
            Line::raw(format!(" {paragraph}"))
        };
        text.push(styled);
    }
}

/// A guide's paragraphs and list items, each joined into one line for wrapping.
fn paragraphs(markdown: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in markdown.lines() {
        let line = line.trim();
        let starts_item =
            line.starts_with('#') || line.split_once(". ").is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
        match (line.is_empty(), open && !starts_item, out.last_mut()) {
            (true, _, _) => open = false,
            (false, true, Some(last)) => {
                last.push(' ');
                last.push_str(line);
            }
            _ => {
                out.push(line.to_string());
                open = !line.starts_with('#');
            }
        }
    }
    out
}

/// The whole standard panel body: fields, checks, guide.
pub fn standard(app: &App, theme: Theme, text: &mut PanelText) {
    fields(app, theme, text);
    checks(app, theme, text);
    guide(app, theme, text);
}
