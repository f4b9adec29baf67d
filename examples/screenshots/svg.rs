//! Renders a ratatui buffer (the real frame, from `TestBackend`) to SVG, for
//! the screenshots in `screenshots/`. Every word starts at its own column,
//! and every character outside ASCII stands alone at its column, so a glyph
//! from a fallback font of another width cannot push the rest of the row; box-drawing characters and
//! the scrollbar are drawn as lines and blocks, so borders join exactly.

use ratatui::buffer::{Buffer, Cell};
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

/// The colours of a cell, reverse video applied.
fn colors(cell: &Cell) -> (String, String) {
    let (fg, bg) = (hex(cell.fg, FG), hex(cell.bg, BG));
    if cell.modifier.contains(Modifier::REVERSED) { (bg, fg) } else { (fg, bg) }
}

/// The arms of a box-drawing character: (left, right, up, down).
fn arms(symbol: &str) -> Option<(bool, bool, bool, bool)> {
    Some(match symbol {
        "─" => (true, true, false, false),
        "│" => (false, false, true, true),
        "┌" => (false, true, false, true),
        "┐" => (true, false, false, true),
        "└" => (false, true, true, false),
        "┘" => (true, false, true, false),
        "├" => (false, true, true, true),
        "┤" => (true, false, true, true),
        "┬" => (true, true, false, true),
        "┴" => (true, true, true, false),
        "┼" => (true, true, true, true),
        _ => return None,
    })
}

/// A cell drawn as shapes instead of a glyph, if it is one of those.
fn shape(symbol: &str, x: f32, y: f32, fg: &str) -> Option<String> {
    let (cx, cy) = (x + CELL_W / 2.0, y + CELL_H / 2.0);
    let mut out = String::new();
    if let Some((left, right, up, down)) = arms(symbol) {
        let mut line = |x1: f32, y1: f32, x2: f32, y2: f32| {
            let _ = write!(out, r#"<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{fg}" stroke-width="1"/>"#);
        };
        if left {
            line(x, cy, cx + 0.5, cy);
        }
        if right {
            line(cx - 0.5, cy, x + CELL_W, cy);
        }
        if up {
            line(cx, y, cx, cy + 0.5);
        }
        if down {
            line(cx, cy - 0.5, cx, y + CELL_H);
        }
        return Some(out);
    }
    match symbol {
        "█" => {
            Some(format!(r#"<rect x="{}" y="{y}" width="{}" height="{CELL_H}" fill="{fg}"/>"#, x + 2.0, CELL_W - 4.0))
        }
        "║" => Some(format!(
            r#"<line x1="{a}" y1="{y}" x2="{a}" y2="{e}" stroke="{fg}"/><line x1="{b}" y1="{y}" x2="{b}" y2="{e}" stroke="{fg}"/>"#,
            a = cx - 1.5,
            b = cx + 1.5,
            e = y + CELL_H
        )),
        _ => None,
    }
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
        let py = f32::from(y) * CELL_H;
        let cells: Vec<&Cell> = (0..area.width).filter_map(|x| buffer.cell((area.x + x, area.y + y))).collect();
        // Backgrounds first, one rectangle per run of the same colour.
        let mut x = 0;
        while x < cells.len() {
            let (_, bg) = colors(cells[x]);
            let start = x;
            while x < cells.len() && colors(cells[x]).1 == bg {
                x += 1;
            }
            if bg != BG {
                let (px, w) = (start as f32 * CELL_W, (x - start) as f32 * CELL_W);
                let _ = writeln!(out, r#"<rect x="{px}" y="{py}" width="{w}" height="{CELL_H}" fill="{bg}"/>"#);
            }
        }
        // Then text, one element per run of the same style, each character at its own column.
        let mut x = 0;
        while x < cells.len() {
            let cell = cells[x];
            let (fg, _) = colors(cell);
            let px = x as f32 * CELL_W;
            if let Some(svg) = shape(cell.symbol(), px, py, &fg) {
                let _ = writeln!(out, "{svg}");
                x += 1;
                continue;
            }
            // A word of plain ASCII keeps its run; anything else stands alone at its column.
            let style = (cell.fg, cell.bg, cell.modifier);
            let start = x;
            let mut text = String::new();
            while x < cells.len()
                && (cells[x].fg, cells[x].bg, cells[x].modifier) == style
                && shape(cells[x].symbol(), 0.0, 0.0, "").is_none()
            {
                let symbol = cells[x].symbol();
                let ascii = symbol.len() == 1 && symbol != " ";
                if !ascii && !text.is_empty() {
                    break;
                }
                x += 1;
                if symbol.trim().is_empty() {
                    break;
                }
                text.push_str(symbol);
                if !ascii {
                    break;
                }
            }
            if !text.trim().is_empty() {
                let weight = if style.2.contains(Modifier::BOLD) { r#" font-weight="bold""# } else { "" };
                let _ = writeln!(
                    out,
                    r#"<text x="{:.1}" y="{}" fill="{fg}"{weight}>{}</text>"#,
                    start as f32 * CELL_W,
                    py + CELL_H - 4.0,
                    escape(&text)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}
