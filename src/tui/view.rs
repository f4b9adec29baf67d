//! The whole screen, from the state (no IO, no state changes):
//!
//! ```text
//! ┌ credwiz · profile dev ───────────── ✗ secret-mismatch: re-enter the secret ┐ header
//! │ Steps            │ Credentials ✗                                          │
//! │ ✗ Credentials    │  Profile        dev                                     │ sidebar |
//! │ ✓ Expiry & clock │  Access key id  AKIA...                                 │ panel
//! │ ⠋ MFA            │  ── Checks ──                                           │
//! │ …                │  ✗ AWS knows the key id but ... [secret-mismatch]       │
//! └──────────────────┴──────────────────────────────────────────────────────────┘
//!  ←/→ step  ↑/↓ item  Enter edit  r re-run  s save  ? help  q quit              footer
//! ```

use super::app::{App, Modal};
use super::keymap::{self, Mode};
use super::panels;
use super::theme::{SPINNER, Theme};
use crate::diagnose::sources::SourceKind;
use crate::diagnose::{Status, Step};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// The smallest terminal the wizard lays out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Draws the screen.
pub fn render(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme { color: app.view.color };
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "credwiz needs a terminal of at least {MIN_WIDTH}x{MIN_HEIGHT} (this one is {}x{}). q quits.",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)]).areas(area);
    let [sidebar, panel] = Layout::horizontal([Constraint::Length(22), Constraint::Min(0)]).areas(body);
    render_header(frame, app, theme, header);
    render_sidebar(frame, app, theme, sidebar);
    panels::render(frame, app, theme, panel);
    render_footer(frame, app, theme, footer);
    if let Some(modal) = &app.view.modal {
        render_modal(frame, modal, theme, area);
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

fn render_header(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let mut spans = vec![
        Span::styled(" credwiz ", theme.title()),
        Span::styled(format!("· profile {} ", app.form.profile), theme.accent()),
    ];
    if app.draft.ignore_env {
        spans.push(Span::styled("· env keys ignored ", theme.dim()));
    }
    match app.report.causes.first() {
        Some(primary) => {
            let id = primary.cause.map_or("unclassified", |c| c.id());
            let fix =
                primary.cause.map_or_else(|| primary.fix.clone().unwrap_or_default(), |c| c.short_fix().to_string());
            spans.push(Span::styled(format!("· ✗ {id}: "), theme.status(Status::Fail)));
            spans.push(Span::raw(fix));
        }
        None if app.run.is_running() => spans.push(Span::styled("· checking…", theme.dim())),
        None if app.report.warnings.is_empty() => {
            spans.push(Span::styled("· ✓ AWS accepts these credentials", theme.status(Status::Pass)))
        }
        None => spans.push(Span::styled("· ! no failure, see the warnings", theme.status(Status::Warn))),
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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

fn render_footer(frame: &mut Frame, app: &App, theme: Theme, area: Rect) {
    let keys = if app.view.modal.is_some() {
        " y/Enter confirm · n/Esc cancel"
    } else if app.form.editing.is_some() {
        " Enter/Tab keep · Esc cancel · Ctrl-U clear · ←/→ move"
    } else {
        " ←/→ step · ↑/↓ item · Tab field · Enter edit/fix · r re-run · s save · v reveal · ? help · q quit"
    };
    frame.render_widget(Paragraph::new(Line::styled(keys, theme.dim())), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width.saturating_sub(2));
    let height = height.min(area.height.saturating_sub(2));
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

fn render_modal(frame: &mut Frame, modal: &Modal, theme: Theme, area: Rect) {
    let (title, lines): (&str, Vec<Line>) = match modal {
        Modal::Help => (
            " Keys ",
            [(Mode::Normal, "On the panels"), (Mode::Editing, "In a field being edited")]
                .into_iter()
                .flat_map(|(mode, title)| {
                    std::iter::once(Line::styled(title, theme.title())).chain(keymap::help(mode).map(|b| {
                        Line::from(vec![Span::styled(format!("  {:<20}", b.label), theme.accent()), Span::raw(b.help)])
                    }))
                })
                .chain([Line::raw(""), Line::styled("any key closes this help", theme.dim())])
                .collect(),
        ),
        Modal::ConfirmSave(diff) => (
            " Save these changes? ",
            diff.iter()
                .map(|l| {
                    let style = if l.starts_with("+ ") {
                        theme.status(Status::Pass)
                    } else if l.starts_with("- ") {
                        theme.error()
                    } else {
                        theme.dim()
                    };
                    Line::styled(l.clone(), style)
                })
                .chain([Line::raw(""), Line::styled("y: write (a backup is kept)   n: cancel", theme.title())])
                .collect(),
        ),
        Modal::ConfirmSession(target) => (
            " MFA session ",
            vec![
                Line::raw("AWS accepted the MFA code and gave a session."),
                Line::raw(format!("Write it to profile [{target}] (with its expiration) and check it?")),
                Line::raw(""),
                Line::styled("y: write and switch   n: not now", theme.title()),
            ],
        ),
    };
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2);
    let rect = centered(area, 76, height);
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(Block::bordered().title(title)), rect);
}
