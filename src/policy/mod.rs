//! A local IAM policy evaluator: policies in (JSON text), a decision out,
//! naming the layer, policy and statement that decide. Pure: no IO, no
//! async; callers read the policies (bounded) and build the request.
//!
//! The API the rest of credwiz uses:
//!
//! ```text
//! let policy = Policy::parse("AdminAccess", text)?;              // PolicyError names policy, statement, field
//! let mut set = PolicySet::new();                                // identity Known(none), every other layer Absent
//! set.identity = Layer::Known(vec![policy]);
//! set.scps = Layer::Known(vec![OrgLevel { name: "r-root".into(), policies: vec![full_access] }]);
//! set.boundary = Layer::Unknown;                                 // could not be read: never becomes an allow
//! set.validate()?;                                               // Principal rules per layer
//! let context = RequestContext::new(principal_arn, "iam:ListUsers", "*")
//!     .with_mfa(false, None).with_region("eu-west-1").with_unknown("aws:SourceIp");
//! let decision = evaluate(&set, &context);                       // Decision: verdict + statement / lacking layer / unknowns
//! println!("{decision}");  // "denied by the explicit Deny in SCP `p-123` statement `DenyIam`"
//! for variant in what_would_change(&set, &context) { println!("{variant}"); }  // "with MFA: allowed by ..."
//! ```
//!
//! Modules: `catalogue` (the actions AWS defines, their resources and
//! condition keys, embedded at build time), `document` (grammar, parse errors), `pattern` (wildcards and
//! policy variables), `condition` + `values` (condition operators),
//! `context` (the request), `matching` (one statement against a request),
//! `evaluate` (layers and AWS's evaluation logic), `decision` (the answer
//! and its one-line rendering), `variants` (what would change the answer),
//! `tri` (three-valued logic for unknowns), `trust` (a role's trust policy
//! judged against a web identity token, condition by condition).

pub mod catalogue;
mod condition;
mod context;
mod decision;
mod document;
mod evaluate;
mod matching;
mod pattern;
mod tri;
pub mod trust;
mod values;
mod variants;

pub use context::{ContextEntry, ContextValue, PrincipalKind, RequestContext, RequestPrincipal};
pub use decision::{Decision, Lacking, LayerKind, StatementRef, Unknown, Verdict};
pub use document::{Effect, MAX_POLICY_BYTES, Policy, PolicyError};
pub use evaluate::{Layer, OrgLevel, PolicySet, evaluate};
pub use tri::Tri;
pub use variants::{Change, Variant, what_would_change};
