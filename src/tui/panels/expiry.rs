//! The expiry panel: session expiry, the SSO token, the clock against AWS's,
//! and the key's age and status; and, for an expired session made from
//! another profile, the way to renew it. No fields: everything here is measured.

use super::{PanelText, checks};
use crate::diagnose::{Cause, Status};
use crate::tui::app::App;
use crate::tui::app::renew;
use crate::tui::theme::Theme;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    text.note("expiry fields, the SSO token, this computer's clock against AWS's, the key's age", theme);
    checks(app, theme, text);
    let expired = app.report.step(crate::diagnose::Step::Expiry).is_some_and(|s| {
        s.checks.iter().any(|c| c.status == Status::Fail && c.cause == Some(Cause::CredentialsExpired))
    });
    if expired && let Some(renewal) = renew::offer(&app.draft.view, &app.form.profile) {
        text.note(
            format!(
                "this session was made from profile {}: Enter on the expired check asks for an MFA code, gets a new session and writes it to {} again",
                renewal.base, renewal.target
            ),
            theme,
        );
    }
}
