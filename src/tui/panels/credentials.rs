//! The credentials panel: profile and keys, where they come from (the chain,
//! winner and shadowed sources), the profiles found, and the checks.

use super::{PanelText, checks, fields};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    fields(app, theme, text);
    let count = app.draft.view.profiles.len();
    let names: Vec<&str> = app.draft.view.profiles.keys().map(String::as_str).take(6).collect();
    let more = if count > names.len() { format!(" and {} more", count - names.len()) } else { String::new() };
    let profiles = if names.is_empty() { "none in the files".to_string() } else { names.join(", ") };
    text.note(format!("profiles: {profiles}{more} (p picks one)"), theme);
    let source = &app.report.source;
    text.note(format!("in use: {} {}", source.kind.id(), source.location.as_deref().unwrap_or("")), theme);
    for shadowed in &source.shadowed {
        text.note(format!("shadowed: {} {}", shadowed.kind.id(), shadowed.location), theme);
    }
    checks(app, theme, text);
}
