//! The base layer: small, self-contained helpers every other layer uses, importing
//! nothing of credwiz's own.
//!
//! - `sanitize`: outside text made safe for a terminal and for JSON (escape and cut).
//! - `bounded`: bounded reads of outside files.
//! - `xmltext`: fields of XML answers, decoded.
//! - `environment`: the process environment as data; file paths; the active profile.
//! - `signals`: no temp file left behind on a termination signal.
//! - `display`: masking of key ids and secrets, and paths with `~`.
//! - `shapes`: the shapes of access key ids and secret keys.
//! - `time`: expiry times as written in the wild, durations in words.
//! - `users`: other users' home directories, from the user database (behind a trait).
//! - `http1`: one small HTTP/1.1 client (URL target, request, bounded head and body).

pub mod bounded;
pub mod display;
pub mod environment;
pub mod http1;
pub mod reaper;
pub mod sanitize;
pub mod shapes;
pub mod signals;
pub mod time;
pub mod users;
pub mod xmltext;
