//! Snapshots of the real rendering (`view::render` on a `TestBackend`) of
//! every panel in its pass, fail and running states, plus the help, the
//! save diff, the quit prompt, the picker and a secret being typed, at
//! 100x30; the minimum 80x24 layout and the wide layout at 200x60.

mod samples;
mod support;

use support::wizard::screen;

#[test]
fn every_panel_and_state() {
    for (name, app) in samples::all() {
        insta::assert_snapshot!(name, screen(&app, 100, 30));
    }
}

#[test]
fn smallest_terminal_and_too_small() {
    let states = samples::all();
    let (_, app) = states.iter().find(|(n, _)| *n == "credentials-fail").expect("sample");
    let small = screen(app, 80, 24);
    assert!(small.contains("secret-mismatch") && small.contains("Credentials"), "{small}");
    insta::assert_snapshot!("credentials-fail-80x24", small);
    insta::assert_snapshot!("credentials-fail-200x60", screen(app, 200, 60));
    let tiny = screen(app, 60, 20);
    assert!(tiny.contains("Hidden at 60x20") && tiny.contains("80x24") && tiny.contains("secret-mismatch"), "{tiny}");
}

#[test]
fn secrets_are_masked_on_screen() {
    for (name, app) in samples::all() {
        let screen = screen(&app, 100, 30);
        assert!(!screen.contains("wJalrXUtnFEMI/K7MDENG"), "{name} shows the secret");
    }
}
