//! The MFA panel: the device serial and a one-time code. Entering a code runs
//! GetSessionToken; a session can then be written to `<profile>-mfa`.

use super::{PanelText, standard};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    standard(app, theme, text);
    text.note("type a 6-digit code in MFA code and press Enter: credwiz gets a session and offers to save it", theme);
}
