//! A fix guide (from `assets/guides/`) as rows: title, headings, paragraphs
//! and list items with a hanging indent, `code` in the accent style, and the
//! guide's placeholders filled in with what the checks saw. Shared by the
//! panel, the guide column and the full-screen guide. Pure.

use crate::diagnose::Cause;
use crate::tui::theme::Theme;
use crate::tui::wrap::Row;
use crate::vocabulary::guide::{self, Block};
use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

/// A guide's rows: title, headings, paragraphs and list items with a hanging
/// indent; its placeholders (CALLER_ARN...) replaced by the values in `fill`.
pub fn guide_rows(cause: Cause, fill: &[(&str, String)], theme: Theme, in_panel: bool) -> Vec<Row> {
    let filled = |text: &str| fill.iter().fold(text.to_string(), |text, (name, value)| text.replace(name, value));
    let mut rows = Vec::new();
    for block in guide::blocks(cause.guide()) {
        match block {
            Block::Title(title) => {
                let mut spans = vec![Span::styled(format!(" Guide: {title}"), theme.title())];
                if in_panel {
                    spans.push(Span::styled("  (g: full screen)", theme.dim()));
                }
                rows.push(Row::new(spans, 1));
            }
            Block::Heading(heading) => {
                rows.push(Row::blank());
                rows.push(Row::styled(format!(" {heading}"), theme.title()));
            }
            Block::Paragraph(paragraph) => rows.push(Row::new(inline(" ", &filled(&paragraph), theme), 1)),
            Block::Item { marker, text } => {
                let lead = format!(" {marker} ");
                let hang = lead.width();
                rows.push(Row::new(inline(&lead, &filled(&text), theme), hang));
            }
        }
    }
    rows
}

/// A guide's text as spans, `code` in the accent style.
fn inline(lead: &str, text: &str, theme: Theme) -> Vec<Span<'static>> {
    std::iter::once(Span::raw(lead.to_string()))
        .chain(
            guide::inline(text)
                .into_iter()
                .map(|piece| if piece.code { Span::styled(piece.text, theme.accent()) } else { Span::raw(piece.text) }),
        )
        .collect()
}
