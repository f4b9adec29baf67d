//! Snapshots of the real rendering (`view::render` on a `TestBackend`) of
//! every panel in its pass, fail and running states, plus the help, the
//! save diff, the quit prompt, the picker and a secret being typed, at
//! 100x30; the minimum 80x24 layout and the wide layout at 200x60.

mod samples;

use credwiz::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn text(app: &credwiz::tui::App, width: u16, height: u16) -> String {
    let mut app = app.clone();
    app.update(credwiz::tui::msg::Msg::Resize(width, height));
    let app = &app;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| view::render(frame, app)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .filter_map(|x| buffer.cell((x, y)).map(|c| c.symbol().to_string()))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_panel_and_state() {
    for (name, app) in samples::all() {
        insta::assert_snapshot!(name, text(&app, 100, 30));
    }
}

#[test]
fn smallest_terminal_and_too_small() {
    let states = samples::all();
    let (_, app) = states.iter().find(|(n, _)| *n == "credentials-fail").expect("sample");
    let small = text(app, 80, 24);
    assert!(small.contains("secret-mismatch") && small.contains("Credentials"), "{small}");
    insta::assert_snapshot!("credentials-fail-80x24", small);
    insta::assert_snapshot!("credentials-fail-200x60", text(app, 200, 60));
    let tiny = text(app, 60, 20);
    assert!(tiny.contains("at least 80x24"));
}

#[test]
fn secrets_are_masked_on_screen() {
    for (name, app) in samples::all() {
        let screen = text(&app, 100, 30);
        assert!(!screen.contains("wJalrXUtnFEMI/K7MDENG"), "{name} shows the secret");
    }
}
