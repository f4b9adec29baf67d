//! The engine's first stage: everything known before the network.
//!
//! - `gather` reads from disk what the diagnosis needs (both files, the SSO
//!   token cache, the CA bundle); `facts` builds the [`facts::Facts`] from it
//!   with a pure function.
//! - `options` (what the user asked), `sources` (the credential chain in SDK
//!   order), `lints` (what the files say before any call), `endpoint` (which
//!   endpoint settings are in effect), `workload` (a CI job's token as a
//!   source), `invoker` (the files of the user who ran `sudo`).

pub mod common;
pub mod endpoint;
pub mod facts;
pub mod gather;
pub mod invoker;
pub mod lints;
pub mod options;
pub mod sources;
pub mod workload;
