//! Sample states of the wizard's search and multi-profile fix (issue 23):
//! a `/` search kept with its matches marked, and `F` on three profiles with
//! quoted secrets, its one save diff open.

use super::*;

const QUOTED: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n[ops]\naws_access_key_id = AKIAQWERTYUIOPASDFGJ\naws_secret_access_key = \"xJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n[prod]\naws_access_key_id = AKIAQWERTYUIOPASDFGK\naws_secret_access_key = \"yJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n";

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Msg::Key(key(KeyCode::Char(c))));
    }
}

fn quoted() -> App {
    let config =
        "[default]\nregion = us-east-1\n[profile ops]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n";
    finish(app(config, QUOTED, Options::default()), Step::Credentials, vec![identity()])
}

/// `/secret`, kept, on its second match.
pub fn search() -> App {
    let mut app = quoted();
    typed(&mut app, "/secret");
    app.update(Msg::Key(key(KeyCode::Enter)));
    app.update(Msg::Key(key(KeyCode::Char('n'))));
    app
}

/// `F`: the three quoted secrets trimmed in the draft, one diff to save.
pub fn fix_all() -> App {
    let mut app = quoted();
    app.update(Msg::Key(key(KeyCode::Char('F'))));
    app
}
