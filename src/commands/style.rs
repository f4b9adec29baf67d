//! Colour for the readable reports of `check` and `scan`: SGR codes around
//! text when colour is on (a terminal without NO_COLOR), plain text otherwise.

use crate::diagnose::Status;

/// `text` in the SGR `code` (e.g. `1` bold, `31;1` bold red) when `color`.
pub fn paint(text: &str, code: &str, color: bool) -> String {
    if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
}

/// A status symbol in its colour: green pass, yellow warn, bold red fail, dim skip.
pub fn status_mark(status: Status, color: bool) -> String {
    let code = match status {
        Status::Pass => "32",
        Status::Warn => "33",
        Status::Fail => "31;1",
        Status::Skip => "2",
    };
    paint(status.symbol(), code, color)
}
