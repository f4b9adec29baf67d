//! The headless commands: `set` (the in-place editor) and `check` (the diagnosis, printed).

pub mod check;
pub mod set;
