//! The IAM/SCP panel: the action to test, its resource and a pasted error,
//! with the verdict of each (AWS's answer and the local evaluation, naming
//! the deciding layer, policy and statement), the policy layers the local
//! evaluation used (known, unknown or absent, and where from), and the
//! policy files given on the command line.

use super::{PanelText, standard};
use crate::tui::app::App;
use crate::tui::theme::Theme;

pub fn rows(app: &App, theme: Theme, text: &mut PanelText) {
    standard(app, theme, text);
    let files = &app.form.options.policy_files;
    if !files.is_empty() {
        let list: Vec<String> =
            files.iter().map(|f| format!("{}={}", f.layer.id(), crate::base::sanitize::shown(&f.path, 80))).collect();
        text.note(format!("Policy files judged with: {}", list.join(", ")), theme);
    }
    text.note(
        "Action to test: SERVICE:ACTION, several separated by commas; Resource: the ARN it acts on, one for all actions or one each; Pasted error: any AWS error text, decoded",
        theme,
    );
}
