//! Renders every sample wizard state through the real `view::render` on a
//! `TestBackend` and writes `screenshots/<name>.svg`, then `<name>.png` with
//! `rsvg-convert` (Debian: librsvg2-bin) when it is installed. Most at
//! 100x30; the failing credentials step also at 80x24, 160x40 (the wide
//! layout, guide beside the checks) and 60x20 (the narrow one-column
//! screen); the refused role also at 80x24 (the top line on two rows).
//! Run: `cargo run --example screenshots`
#![allow(clippy::print_stderr)] // a developer tool: its progress lines are the point

#[path = "../../tests/samples/mod.rs"]
mod samples;
mod svg;

use credwiz::tui::msg::Msg;
use credwiz::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::process::Command;

/// Renders one state at one size, to SVG and (when it can) PNG.
fn shoot(
    dir: &Path,
    name: &str,
    app: &credwiz::tui::App,
    width: u16,
    height: u16,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut app = app.clone();
    app.update(Msg::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|frame| view::render(frame, &app))?;
    let svg_path = dir.join(format!("{name}.svg"));
    std::fs::write(&svg_path, svg::to_svg(terminal.backend().buffer()))?;
    let png_path = dir.join(format!("{name}.png"));
    match Command::new("rsvg-convert").arg("-o").arg(&png_path).arg(&svg_path).status() {
        Ok(status) if status.success() => eprintln!("wrote {} and {}", svg_path.display(), png_path.display()),
        Ok(status) => return Err(format!("rsvg-convert failed on {}: {status}", svg_path.display()).into()),
        Err(_) => eprintln!("wrote {} (install rsvg-convert, from librsvg2-bin, for the PNG)", svg_path.display()),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir)?;
    for (name, app) in samples::all() {
        shoot(&dir, name, &app, 100, 30)?;
        if name == "credentials-fail" {
            shoot(&dir, "credentials-fail-80x24", &app, 80, 24)?;
            shoot(&dir, "credentials-fail-wide", &app, 160, 40)?;
            // Below 80x24: the steps and the primary cause in one column, and what is hidden.
            shoot(&dir, "credentials-fail-narrow-60x20", &app, 60, 20)?;
        }
        if name == "credentials-role-chain" {
            shoot(&dir, "credentials-role-chain-80x24", &app, 80, 24)?;
        }
    }
    Ok(())
}
