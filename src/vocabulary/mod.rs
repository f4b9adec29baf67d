//! The shared vocabulary of the diagnosis, used by every layer above the files:
//! the five steps and check statuses, the one table of cause ids (SPEC 3, 3b, 3c,
//! 3d, 3e) with their fixes and guides, findings, access key ids, the regions
//! table, the kinds of credential sources, and the fix guides as terminal text. Pure.

pub mod cause;
pub mod finding;
pub mod guide;
pub mod keyid;
pub mod regions;
pub mod source;

pub use cause::{Cause, Status, Step};
pub use finding::{Finding, Repair};
pub use source::SourceKind;
