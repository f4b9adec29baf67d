//! The step panels as rows of text: one file per step, each adding its own
//! rows around the shared parts made here (the step's fields, its checks
//! with evidence, fixes and what Enter does, the fix guide of its first
//! problem, in `guide`). Rows wrap with a hanging indent (`wrap`); the rows of each item
//! are recorded for scrolling and clicks. Pure.

mod account_region;
mod credentials;
mod expiry;
pub mod guide;
mod iam_scp;
mod mfa;

use super::app::{App, Item};
use super::fields::Field;
use super::remedy;
use super::theme::Theme;
use super::wrap::{Row, outside};
use crate::base::display::mask_secret;
use crate::diagnose::{Status, Step};
pub use guide::guide_rows;
use ratatui::style::Style;
use ratatui::text::Span;
use std::ops::Range;

/// The rows of a panel, the rows of each item, and the text cursor of an edit.
#[derive(Default)]
pub struct PanelText {
    pub rows: Vec<Row>,
    pub items: Vec<(Item, Range<usize>)>,
    /// The text cursor of a field being edited: (row, column).
    pub edit_cursor: Option<(usize, usize)>,
    /// The panel's width in columns.
    pub width: usize,
}

impl PanelText {
    pub fn push(&mut self, row: Row) {
        self.rows.push(row);
    }

    /// A dim explanatory row (its text may come from outside: it is made safe).
    pub fn note(&mut self, text: impl Into<String>, theme: Theme) {
        self.rows.push(Row::styled(format!("  {}", outside(&text.into())), theme.dim()));
    }
}

/// The current step's panel, `width` columns wide, with its guide at the end when `with_guide`.
pub fn build(app: &App, theme: Theme, width: usize, with_guide: bool) -> PanelText {
    let mut text = PanelText { width, ..PanelText::default() };
    match app.view.step {
        Step::Credentials => credentials::rows(app, theme, &mut text),
        Step::Expiry => expiry::rows(app, theme, &mut text),
        Step::Mfa => mfa::rows(app, theme, &mut text),
        Step::AccountRegion => account_region::rows(app, theme, &mut text),
        Step::IamScp => iam_scp::rows(app, theme, &mut text),
    }
    if with_guide && let Some(cause) = app.guide_cause() {
        text.push(Row::blank());
        text.rows.extend(guide_rows(cause, &super::trust_request::guide_values(app), theme, true));
    }
    text
}

const LABEL_WIDTH: usize = 18;
/// Columns before a field's value: marker, space, label.
const VALUE_COLUMN: usize = 2 + LABEL_WIDTH;

/// What a field shows: masked secrets (also while typed, unless revealed),
/// and a secret-shaped value masked wherever it sits (a secret pasted into
/// the key id field); never a control character.
fn shown_value(field: Field, value: &str, reveal: bool) -> String {
    let secret = field.is_secret() || crate::redact::looks_secret(value);
    if secret && !reveal { mask_secret(value) } else { crate::base::sanitize::line(value).into_owned() }
}

/// The step's fields, one row each (the input, scrolled sideways, while editing).
pub fn fields(app: &App, theme: Theme, text: &mut PanelText) {
    // No cursor beside an open overlay (the picker does not cover the panel).
    let current = app.current().filter(|_| app.view.modal.is_none());
    for field in app.fields(app.view.step) {
        let selected = current == Some(Item::Field(field));
        let marker = if selected { "›" } else { " " };
        let label = Span::styled(
            format!("{marker} {:<width$}", field.label(), width = LABEL_WIDTH),
            if selected { theme.selected() } else { theme.title() },
        );
        let row = text.rows.len();
        let editing = app.form.editing.as_ref().filter(|e| e.field == field);
        let value = if let Some(editing) = editing {
            let masked = field.is_secret() && !(app.view.reveal || editing.reveal);
            let value = editing.input.value();
            let (shown, cursor) = if masked {
                ("*".repeat(value.chars().count()), editing.input.cursor())
            } else {
                (value.to_string(), editing.input.visual_cursor())
            };
            let room = text.width.saturating_sub(VALUE_COLUMN + 1).max(1);
            let skip = cursor.saturating_sub(room);
            let visible: String = shown.chars().skip(skip).take(room).collect();
            text.edit_cursor = Some((row, VALUE_COLUMN + cursor - skip));
            let style = if editing.selected { theme.accent().reversed() } else { theme.accent() };
            vec![label, Span::styled(visible, style)]
        } else {
            let value = app.value(field);
            let hint = match field {
                Field::Profile if selected => "  ⏎ pick another",
                _ => "",
            };
            if value.is_empty() {
                vec![label, Span::styled("(empty)", theme.dim()), Span::styled(hint, theme.accent())]
            } else {
                let shown = shown_value(field, &value, app.view.reveal);
                vec![label, Span::raw(shown), Span::styled(hint, theme.accent())]
            }
        };
        text.push(Row::new(value, VALUE_COLUMN));
        text.items.push((Item::Field(field), row..row + 1));
    }
}

/// The step's checks: status, summary, cause and what Enter does; location,
/// evidence and fix below, each wrapped under its own text.
pub fn checks(app: &App, theme: Theme, text: &mut PanelText) {
    let Some(step) = app.report.step(app.view.step) else { return };
    text.push(Row::blank());
    text.push(Row::styled(" Checks", theme.title()));
    if step.checks.is_empty() {
        text.note("nothing to check here yet", theme);
    }
    // No cursor beside an open overlay (the picker does not cover the panel).
    let current = app.current().filter(|_| app.view.modal.is_none());
    for index in app.check_order(app.view.step) {
        let Some(check) = step.checks.get(index) else { continue };
        let start = text.rows.len();
        let selected = current == Some(Item::Check(index));
        let cause = check.cause.map(|c| format!(" [{c}]")).unwrap_or_default();
        let mark = match check.status {
            Status::Fail | Status::Warn => remedy::remedy(app, check).mark(),
            _ if check.repair.is_some() => Some("⏎ fix"),
            _ => None,
        };
        let marker = if selected { "›" } else { " " };
        let summary_style = if selected { theme.selected() } else { Style::new() };
        let mut spans = vec![
            Span::raw(format!("{marker} ")),
            Span::styled(check.status.symbol().to_string(), theme.status(check.status)),
            Span::raw(" "),
            Span::styled(outside(&check.summary), summary_style),
            Span::styled(cause, theme.dim()),
        ];
        if let Some(mark) = mark {
            spans.push(Span::styled(format!("  {mark}"), theme.accent()));
        }
        text.push(Row::new(spans, 4));
        if let Some(location) = &check.location {
            text.push(Row::new(vec![Span::styled(format!("    at {}", outside(location)), theme.dim())], 7));
        }
        for line in &check.evidence {
            text.push(Row::styled(format!("    {}", outside(line)), theme.dim()));
        }
        if matches!(check.status, Status::Fail | Status::Warn)
            && let Some(fix) = &check.fix
        {
            text.push(Row::new(vec![Span::styled("    fix: ", theme.accent()), Span::raw(outside(fix))], 9));
        }
        text.items.push((Item::Check(index), start..text.rows.len()));
    }
}

/// The whole standard panel body: fields, checks.
pub fn standard(app: &App, theme: Theme, text: &mut PanelText) {
    fields(app, theme, text);
    checks(app, theme, text);
}
