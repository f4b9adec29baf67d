//! Renders a ratatui buffer (the real frame, from `TestBackend`) to SVG, for
//! the screenshots in `screenshots/`.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 17.0;
const FG: &str = "#d8dee9";
const BG: &str = "#1e222a";

fn hex(color: Color, default: &str) -> String {
    match color {
        Color::Reset => default.to_string(),
        Color::Black => "#1e222a".into(),
        Color::Red | Color::LightRed => "#e06c75".into(),
        Color::Green | Color::LightGreen => "#98c379".into(),
        Color::Yellow | Color::LightYellow => "#e5c07b".into(),
        Color::Blue | Color::LightBlue => "#61afef".into(),
        Color::Magenta | Color::LightMagenta => "#c678dd".into(),
        Color::Cyan | Color::LightCyan => "#56b6c2".into(),
        Color::Gray => "#abb2bf".into(),
        Color::DarkGray => "#7f848e".into(),
        Color::White => "#ffffff".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => default.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The buffer as a standalone SVG document.
pub fn to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (width, height) = (f32::from(area.width) * CELL_W, f32::from(area.height) * CELL_H);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="{BG}"/>"#);
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let Some(cell) = buffer.cell((area.x + x, area.y + y)) else { break };
            let reversed = cell.modifier.contains(Modifier::REVERSED);
            let (mut fg, mut bg) = (hex(cell.fg, FG), hex(cell.bg, BG));
            if reversed {
                std::mem::swap(&mut fg, &mut bg);
            }
            let bold = cell.modifier.contains(Modifier::BOLD);
            let start = x;
            let mut text = String::new();
            while x < area.width {
                let Some(c) = buffer.cell((area.x + x, area.y + y)) else { break };
                if c.fg != cell.fg || c.bg != cell.bg || c.modifier != cell.modifier {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let (px, py) = (f32::from(start) * CELL_W, f32::from(y) * CELL_H);
            if bg != BG {
                let w = f32::from(x - start) * CELL_W;
                let _ = writeln!(out, r#"<rect x="{px}" y="{py}" width="{w}" height="{CELL_H}" fill="{bg}"/>"#);
            }
            if !text.trim().is_empty() {
                let weight = if bold { r#" font-weight="bold""# } else { "" };
                let _ = writeln!(
                    out,
                    r#"<text x="{px}" y="{}" fill="{fg}"{weight} xml:space="preserve">{}</text>"#,
                    py + CELL_H - 4.0,
                    escape(&text)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}
