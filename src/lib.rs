//! credwiz: finds out why AWS rejects a person's credentials, explains the
//! cause and fixes `~/.aws/credentials` and `~/.aws/config` in place.
//!
//! - `profile`: the shared files, lossless, with the SDK's view and safe writes.
//! - `environment`: the process environment as data; file paths; the active profile.
//! - `diagnose`: the engine: facts, live checks, assessment per step, the report.
//! - `tui`: the full-screen wizard over the engine.
//! - `commands`: the headless commands (`set`, `check`).
//! - `display`: masking and `~` paths for every view; `bounded`: bounded reads of outside files;
//!   `guide`: the fix guides as terminal text.
//! - `cli`: the command line; `logging`: the log file.

pub mod bounded;
pub mod cli;
pub mod commands;
pub mod diagnose;
pub mod display;
pub mod environment;
pub mod guide;
pub mod logging;
pub mod profile;
pub mod tui;
