//! The SDK call layer: the only place that talks to AWS through the SDK.
//!
//! - `live`: the clients (one attempt, no skew correction, short timeouts, the
//!   `Date` header captured) and the call wrapper with its failure type.
//! - `keys` (what a call signs with) and `failure` (why it got no answer).
//! - `sdk_error`: an `SdkError` turned into a [`live::Failure`] without leaking the body.
//! - `limits`: how much of an answer is read, and how an answer is judged.
//! - `decode`: AWS error codes and messages (live or pasted) decoded into causes.
//! - `policies`: the policies IAM and Organizations hold for an identity, read when allowed.

pub mod decode;
pub mod failure;
pub mod keys;
pub mod limits;
pub mod live;
pub mod policies;
mod sdk_error;
