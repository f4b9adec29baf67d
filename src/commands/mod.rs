//! The headless commands: `set` (the in-place editor), `check` (the
//! diagnosis, printed) and `scan` (every profile at once); `sink`, the only
//! way anything reaches stdout or stderr (scrubbed and made safe for a
//! terminal); `annotations`, `check --format github`; `style`, their colours; `crash`, the panic hook; `secrets`, the cached tokens
//! registered before a diagnosis.

pub mod annotations;
pub mod check;
pub mod crash;
pub mod scan;
pub mod scan_table;
pub mod secrets;
pub mod set;
pub mod sink;
pub mod style;

pub use sink::{emit, print_err, print_json, print_out, print_report};
