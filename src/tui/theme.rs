//! Styles of the wizard, with a colourless variant for NO_COLOR.

use crate::diagnose::Status;
use ratatui::style::{Color, Modifier, Style};

/// The styles in use; every one is plain when colours are off.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn status(self, status: Status) -> Style {
        match status {
            Status::Pass => self.fg(Color::Green),
            Status::Warn => self.fg(Color::Yellow),
            Status::Fail => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::Skip => self.dim(),
        }
    }

    pub fn dim(self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new() }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }

    /// The line under the cursor (reverse video works without colour too).
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// A match of the search on yellow (`current`: the one gone to, on magenta and
    /// underlined); reverse video without colour.
    pub fn found(self, current: bool) -> Style {
        let style = Style::new().add_modifier(Modifier::REVERSED);
        let current_mark = Modifier::BOLD | Modifier::UNDERLINED;
        match (self.color, current) {
            (true, true) => Style::new().fg(Color::Black).bg(Color::Magenta).add_modifier(current_mark),
            (false, true) => style.add_modifier(current_mark),
            (true, false) => Style::new().fg(Color::Black).bg(Color::Yellow),
            (false, false) => style,
        }
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red)
    }
}

/// Spinner frames, shown only while checks run.
pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
