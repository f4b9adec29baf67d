//! The account/region panel: the caller's account against the expected one,
//! and the region with suggestions while it is not a real region code.

use super::{PanelText, checks, fields};
use crate::tui::app::App;
use crate::tui::fields::Field;
use crate::tui::theme::Theme;
use crate::vocabulary::regions;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    if let Some(identity) = &app.report.identity {
        text.note(format!("caller: {} (account {})", identity.arn, identity.account_named()), theme);
    }
    fields(app, theme, text);
    let region = app.value(Field::Region);
    let region = region.trim();
    if !region.is_empty() && regions::lookup(region).is_none() {
        text.note(format!("did you mean: {}", regions::suggest(region, regions::SUGGESTED).join(", ")), theme);
    }
    checks(app, theme, text);
}
