//! The `/` search on the real binary in tmux (no network: the endpoint is a
//! closed port): the typed query's matches are drawn highlighted (yellow
//! behind the text, as tmux reports it: `48;5;3` or `43`), the footer counts
//! them, and Esc leaves the search.

mod support;

use support::tmux::Tmux;

/// Whether some `needle` (any case) on the screen is drawn right after an SGR that sets a yellow background.
fn highlighted(escaped: &str, needle: &str) -> bool {
    let lower = escaped.to_lowercase();
    lower.match_indices(needle).any(|(at, _)| {
        let before = escaped.get(..at).unwrap_or_default();
        before.ends_with('m')
            && before.rfind("\u{1b}[").and_then(|sgr| before.get(sgr..)).is_some_and(|sgr| {
                let params = sgr.trim_start_matches("\u{1b}[").trim_end_matches('m');
                let params: Vec<&str> = params.split(';').collect();
                params.contains(&"43") || params.windows(3).any(|w| w == ["48", "5", "3"])
            })
    })
}

#[test]
fn slash_highlights_the_matches_in_the_terminal() {
    let credentials = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n";
    let home = support::home(Some(credentials), Some("[default]\nregion = us-east-1\n"));
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let script = format!(
        "env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm-256color AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_EC2_METADATA_DISABLED=true CREDWIZ_LOG_DIR={home}/logs {bin}; sleep 60",
        home = home.path().display(),
    );
    let tmux = Tmux { socket: format!("credwiz-search-{}", std::process::id()) };
    tmux.cmd(&["new-session", "-d", "-s", "e2e", "-x", "100", "-y", "30", &script]);
    tmux.wait_for("✗ endpoint-override", 30);
    let before = tmux.cmd(&["capture-pane", "-p", "-e", "-t", "e2e"]);
    assert!(!highlighted(&before, "secret"), "nothing is highlighted before a search:\n{before}");
    tmux.keys(&["/"]);
    tmux.literal("SECRET");
    tmux.wait_for("/SECRET  1/", 10);
    let escaped = tmux.cmd(&["capture-pane", "-p", "-e", "-t", "e2e"]);
    assert!(highlighted(&escaped, "secret"), "no highlighted match:\n{escaped:?}");
    tmux.keys(&["Enter", "n"]);
    tmux.wait_for("/SECRET  2/", 10);
    tmux.keys(&["Escape"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let after = tmux.screen();
    assert!(!after.contains("/SECRET"), "Esc leaves the search:\n{after}");
}
