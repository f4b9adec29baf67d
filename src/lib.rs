//! credwiz: finds out why AWS rejects a person's credentials, explains the
//! cause and fixes `~/.aws/credentials` and `~/.aws/config` in place.
//!
//! - `profile`: the shared files, lossless, with the SDK's view and safe writes.
//! - `environment`: the process environment as data; file paths; the active profile.
//! - `hops`: every credential source hop by hop (roles, SSO, process, web identity, login, container, IMDS).
//! - `diagnose`: the engine: facts, live checks, assessment per step, the report.
//! - `tui`: the full-screen wizard over the engine.
//! - `commands`: the headless commands (`set`, `check`).
//! - `netpath`: the network path to an endpoint, probed stage by stage after a failure.
//! - `redact`: the secrets registry and scrubbing for every sink; `sanitize`: outside text made
//!   safe for a terminal and for JSON; `signals`: no temp file left behind on a termination signal.
//! - `policy`: the local IAM policy evaluator (pure): which statement decides, what would change it.
//! - `display`: masking and `~` paths for every view; `bounded`: bounded reads of outside files;
//!   `guide`: the fix guides as terminal text.
//! - `cli`: the command line; `logging`: the log file; `xmltext`: fields of XML answers, decoded.

pub mod bounded;
pub mod cli;
pub mod commands;
pub mod diagnose;
pub mod display;
pub mod environment;
pub mod guide;
pub mod hops;
pub mod logging;
pub mod netpath;
pub mod policy;
pub mod profile;
pub mod reaper;
pub mod redact;
pub mod sanitize;
pub mod signals;
pub mod tui;
pub mod xmltext;
