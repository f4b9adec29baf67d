//! The headless commands: `set` (the in-place editor) and `check` (the
//! diagnosis, printed); `sink`, the only way anything reaches stdout or
//! stderr (scrubbed and made safe for a terminal); `crash`, the panic hook;
//! `secrets`, the cached tokens registered before a diagnosis.

pub mod check;
pub mod crash;
pub mod secrets;
pub mod set;
pub mod sink;

pub use sink::{print_err, print_json, print_out, print_report};
