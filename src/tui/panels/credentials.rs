//! The credentials panel: the profile and the fields of its source (keys, a
//! role, SSO, a process), the chain of profiles it goes through, where the
//! credentials come from (winner and shadowed sources), the network path when
//! a check could not reach AWS, and the checks (one per hop of the chain).

use super::{PanelText, checks, fields};
use crate::diagnose::Cause;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// How many `source_profile` links the chain line follows.
const CHAIN_SHOWN: usize = 8;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    fields(app, theme, text);
    let count = app.draft.view.profiles.len();
    let names: Vec<&str> = app.draft.view.profiles.keys().map(String::as_str).take(6).collect();
    let more = if count > names.len() { format!(" and {} more", count - names.len()) } else { String::new() };
    let profiles = if names.is_empty() { "none in the files".to_string() } else { names.join(", ") };
    text.note(format!("profiles: {profiles}{more} (p picks one)"), theme);
    if let Some(chain) = chain_line(app) {
        text.note(chain, theme);
    }
    let source = &app.report.source;
    text.note(format!("in use: {} {}", source.kind.id(), source.location.as_deref().unwrap_or("")), theme);
    for shadowed in &source.shadowed {
        text.note(format!("shadowed: {} {}", shadowed.kind.id(), shadowed.location), theme);
    }
    if let Some(path) = path_line(app) {
        text.note(path, theme);
    }
    checks(app, theme, text);
}

/// `chain: dev ← ops ← base (keys)`: the profiles a role profile takes its credentials through.
fn chain_line(app: &App) -> Option<String> {
    let view = &app.draft.view;
    let mut names = vec![app.form.profile.clone()];
    let mut current = view.profiles.get(&app.form.profile)?;
    current.get("role_arn")?;
    while let Some(next) = current.get("source_profile").map(str::trim) {
        if names.iter().any(|n| n == next) || names.len() > CHAIN_SHOWN {
            names.push(format!("{next} (loop)"));
            break;
        }
        names.push(next.to_string());
        match view.profiles.get(next) {
            Some(section) if section.get("role_arn").is_some() => current = section,
            Some(section) if section.get("aws_access_key_id").is_some() => {
                if let Some(last) = names.last_mut() {
                    last.push_str(" (keys)");
                }
                break;
            }
            Some(_) => break,
            None => {
                if let Some(last) = names.last_mut() {
                    last.push_str(" (missing)");
                }
                break;
            }
        }
    }
    if let Some(source) = current.get("credential_source") {
        names.push(format!("credential_source {source}"));
    }
    Some(format!("chain: {}", names.join(" ← ")))
}

/// `path: ✓ resolver · ✓ proxy · ✓ TCP · ✗ TLS · - endpoint`, when a network cause is primary.
fn path_line(app: &App) -> Option<String> {
    let primary = app.report.causes.first()?.cause?;
    let network = [
        Cause::DnsFailure,
        Cause::ProxyFailed,
        Cause::TlsUntrusted,
        Cause::EndpointOverride,
        Cause::EndpointUnreachable,
    ];
    if !network.contains(&primary) {
        return None;
    }
    let report = app.run.outcomes().path()?;
    let stages: Vec<String> =
        report.stages.iter().map(|stage| format!("{} {}", stage.status.symbol(), stage.kind.label())).collect();
    Some(format!("path: {}", stages.join(" · ")))
}
