//! The headless commands: `set` (the in-place editor), `check` (the diagnosis,
//! printed) and `scan` (every profile at once).

pub mod check;
pub mod scan;
pub mod set;

/// The one function the headless commands write standard output with, so
/// every report passes through the same place on its way out.
#[allow(clippy::print_stdout)]
pub fn print_out(text: &str) {
    print!("{text}");
}
