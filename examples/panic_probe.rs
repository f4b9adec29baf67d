//! A fixture of the end-to-end tests (`tests/tui_e2e.rs`): enters the
//! full-screen terminal exactly as the wizard does (`terminal::enter_terminal`,
//! with its panic hook), draws a frame, then panics. The test checks that
//! the terminal comes back and the exit status is not 0. Keeping this outside
//! the wizard means the production event loop has no test-only switch.

fn main() -> std::io::Result<()> {
    let mut terminal = credwiz::tui::terminal::enter_terminal()?;
    terminal.draw(|frame| frame.render_widget(ratatui::widgets::Paragraph::new("Steps"), frame.area()))?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    panic!("panic_probe: panicking after the first frame, as a test asks");
}
