//! The expiry panel: session expiry, the SSO token, the clock against AWS's,
//! and the key's age and status. No fields: everything here is measured.

use super::{PanelText, checks, guide};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn lines(app: &App, theme: Theme, text: &mut PanelText) {
    text.note("expiry fields, the SSO token, this computer's clock against AWS's, the key's age", theme);
    checks(app, theme, text);
    guide(app, theme, text);
}
