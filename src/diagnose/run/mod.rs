//! The engine's second stage: the live checks.
//!
//! - `check` names the checks as data; `plan` (pure) decides which run and
//!   which follow from a result; `runner` schedules them concurrently and
//!   `execute` performs one through the SDK layer (`actions`, and
//!   `aws::policies` for the policy reads).
//! - `outcomes` answers every question about what they returned.
//! - `owners` finds a rejected key's user through another profile (bounded
//!   IAM reads), for `scan` and, through `key_owner`, for `check` and the wizard.

pub mod actions;
pub mod check;
pub mod execute;
pub mod key_owner;
pub mod outcomes;
pub mod owners;
pub mod plan;
pub mod runner;
