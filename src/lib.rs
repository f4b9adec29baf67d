//! credwiz: finds out why AWS rejects a person's credentials, explains the
//! cause and fixes `~/.aws/credentials` and `~/.aws/config` in place.
//!
//! The modules are layers; each may use the ones listed before it, never one
//! after it (`tests/layers.rs` reads the imports and keeps it so):
//!
//! 1. `base`: self-contained helpers (sanitize, bounded reads, XML text, the
//!    environment, signals, masking and `~` paths, the one HTTP/1.1 client).
//! 2. `redact`: the secrets registry and scrubbing for every sink.
//! 3. `logging`: the log file.
//! 4. `profile`: the shared files, lossless, with the SDK's view and safe writes.
//! 5. `vocabulary`: steps, statuses, the one cause table, findings, key ids, regions, guides.
//! 6. `policy`: the local IAM policy evaluator (pure).
//! 7. `netpath`: the network path to an endpoint, probed stage by stage after a failure.
//! 8. `aws`: the SDK call layer.
//! 9. `hops`: every credential source hop by hop.
//! 10. `diagnose`: the engine (input, run, judge, report).
//! 11. `scan`: every profile at once, and what only all of them together tell.
//! 12. `cli`: the command line.
//! 13. `commands`: the headless commands (`check`, `scan`, `set`).
//! 14. `tui`: the full-screen wizard.

pub mod aws;
pub mod base;
pub mod cli;
pub mod commands;
pub mod diagnose;
pub mod hops;
pub mod logging;
pub mod netpath;
pub mod policy;
pub mod profile;
pub mod redact;
pub mod scan;
pub mod tui;
pub mod vocabulary;
