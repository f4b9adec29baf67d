//! The sidebar: the five steps with their live status symbols, where the
//! keys come from, and the account. Short step titles when it is narrow.
//! No state is changed here.

use super::widgets::step_symbol;
use crate::diagnose::Step;
use crate::diagnose::input::sources::SourceKind;
use crate::tui::app::App;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// A step's title in `width` columns of sidebar text.
pub fn title(step: Step, width: u16) -> &'static str {
    if width >= 20 {
        return step.title();
    }
    match step {
        Step::Expiry => "Expiry",
        Step::AccountRegion => "Account",
        other => other.title(),
    }
}

/// Where the keys come from, in words.
fn source_words(kind: SourceKind) -> &'static str {
    match kind {
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
    }
}

/// The steps, one line each (also the narrow screen's list).
pub fn step_lines(app: &App, theme: Theme, width: u16) -> Vec<Line<'static>> {
    Step::ALL
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let (symbol, status) = step_symbol(app, *step);
            let text = format!("{symbol} {} {}", i + 1, title(*step, width));
            let style = if *step == app.view.step { theme.selected() } else { theme.status(status) };
            Line::from(Span::styled(text, style))
        })
        .collect()
}

/// Draws the sidebar.
pub fn render(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut lines = step_lines(app, theme, area.width.saturating_sub(2));
    lines.push(Line::raw(""));
    let shadowed = app.report.source.shadowed.len();
    lines.push(Line::styled(format!("keys: {}", source_words(app.report.source.kind)), theme.dim()));
    if shadowed > 0 {
        lines.push(Line::styled(format!("shadows {shadowed} more"), theme.dim()));
    }
    if let Some(id) = &app.report.identity {
        lines.push(Line::styled(format!("account {}", id.account_named()), theme.dim()));
    }
    frame
        .render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(Block::bordered().title(" Steps ")), area);
}
