//! Renders every sample wizard state through the real `view::render` on a
//! `TestBackend` and writes `screenshots/<name>.svg`.
//! Run: `cargo run --example screenshots`
#![allow(clippy::print_stderr)] // a developer tool: its progress lines are the point

#[path = "../../tests/samples/mod.rs"]
mod samples;
mod svg;

use credwiz::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir)?;
    for (name, app) in samples::all() {
        let mut terminal = Terminal::new(TestBackend::new(100, 30))?;
        terminal.draw(|frame| view::render(frame, &app))?;
        let path = dir.join(format!("{name}.svg"));
        std::fs::write(&path, svg::to_svg(terminal.backend().buffer()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
