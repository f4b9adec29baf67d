//! The terminal the wizard owns: entering the full screen (raw mode, the
//! alternate screen, clicks and paste), leaving it (on every exit, panic
//! included), suspending (Ctrl-Z, `fg`), taking it back after another
//! program had it, and plain lines on the normal screen meanwhile. IO.

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste};
use std::io::Write as _;

/// Suspends the wizard (Ctrl-Z or SIGTSTP): the terminal goes back to normal,
/// the process stops, and on `fg` the wizard takes the terminal again and redraws.
pub fn suspend(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    leave_terminal();
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGSTOP);
    resume_terminal(terminal)
}

/// Takes the terminal back after a command or a suspension: raw mode, the
/// alternate screen, clicks and paste again, and a full redraw next frame
/// (the same `Terminal`: nothing is asked of the terminal on the way).
pub fn resume_terminal(terminal: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    crossterm::terminal::enable_raw_mode()?;
    let mut out = std::io::stdout();
    crossterm::execute!(out, crossterm::terminal::EnterAlternateScreen, EnableBracketedPaste)?;
    out.write_all(CLICKS_AND_WHEEL.as_bytes())?;
    out.flush()?;
    // `resize` clears and forgets the last frame without asking the terminal where its cursor is
    // (`clear` does ask, and the answer can be lost while the terminal changes hands).
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// A line on the normal screen while the terminal is handed over.
#[allow(clippy::print_stdout)]
pub fn println_plain(text: &str) {
    print!("{text}");
    let _ = std::io::stdout().flush();
}

/// Terminal modes for mouse clicks and wheel, reported in SGR encoding.
const CLICKS_AND_WHEEL: &str = "\x1b[?1000h\x1b[?1006h";

/// Turns mouse reporting and bracketed paste off again, and shows the cursor
/// (ratatui shows it only when its terminal is dropped, which a signal or a
/// panic never reaches).
fn release_input() {
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste, crossterm::cursor::Show);
}

/// Enters the full-screen terminal the way the wizard does (with clicks and
/// wheel reported, and bracketed paste); if anything panics, the hook turns them
/// off, then ratatui's hook restores the terminal.
pub fn enter_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_input();
        restore(info);
    }));
    let mut out = std::io::stdout();
    // Clicks and the wheel only (1000, in SGR encoding 1006): no motion events, so a mouse
    // moving over the window costs nothing.
    out.write_all(CLICKS_AND_WHEEL.as_bytes())?;
    crossterm::execute!(out, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Leaves the full-screen terminal: input modes off, then ratatui's restore.
pub fn leave_terminal() {
    release_input();
    ratatui::restore();
}
