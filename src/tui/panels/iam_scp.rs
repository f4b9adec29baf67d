//! The IAM/SCP panel: the action to test and a pasted error, with the verdict
//! of each and the evidence behind it.

use super::{PanelText, standard};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    standard(app, theme, text);
    text.note(
        "Action to test: SERVICE:ACTION, several separated by commas; Pasted error: any AWS error text, decoded",
        theme,
    );
}
