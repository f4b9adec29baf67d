//! What an evaluation answers: allowed, denied (explicitly or implicitly)
//! or undetermined, with the statement that decides (layer, policy, Sid or
//! index), the layer that lacked an allow, and what an undetermined answer
//! depends on. Renders the one-line explanation shown to people. Pure.

use super::document::shown;
use std::fmt;

/// A kind of policy that takes part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LayerKind {
    /// Service control policies (AWS Organizations), by level.
    Scp,
    /// Resource control policies (AWS Organizations), by level.
    Rcp,
    /// The resource-based policy of the resource.
    Resource,
    /// The identity-based policies of the principal (inline, managed, groups).
    Identity,
    /// The principal's permissions boundary.
    Boundary,
    /// The session policy of a role or federated-user session.
    Session,
}

impl LayerKind {
    /// Every layer, in the order explicit denies are reported.
    pub const ALL: [LayerKind; 6] = [
        LayerKind::Scp,
        LayerKind::Rcp,
        LayerKind::Resource,
        LayerKind::Identity,
        LayerKind::Boundary,
        LayerKind::Session,
    ];

    /// The short id (`scp`, `rcp`, `resource`, `identity`, `boundary`, `session`).
    pub fn id(self) -> &'static str {
        match self {
            LayerKind::Scp => "scp",
            LayerKind::Rcp => "rcp",
            LayerKind::Resource => "resource",
            LayerKind::Identity => "identity",
            LayerKind::Boundary => "boundary",
            LayerKind::Session => "session",
        }
    }

    /// The name of one policy of this kind, as people say it.
    pub fn noun(self) -> &'static str {
        match self {
            LayerKind::Scp => "SCP",
            LayerKind::Rcp => "RCP",
            LayerKind::Resource => "resource-based policy",
            LayerKind::Identity => "identity-based policy",
            LayerKind::Boundary => "permissions boundary",
            LayerKind::Session => "session policy",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            LayerKind::Scp => "the SCPs",
            LayerKind::Rcp => "the RCPs",
            LayerKind::Resource => "the resource-based policy",
            LayerKind::Identity => "the identity-based policies",
            LayerKind::Boundary => "the permissions boundary",
            LayerKind::Session => "the session policy",
        }
    }
}

/// One statement of one policy of one layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub layer: LayerKind,
    /// The organization level (root, OU, account) for SCPs and RCPs.
    pub level: Option<String>,
    /// The policy's name as it was given.
    pub policy: String,
    /// The statement's Sid, if it has one.
    pub sid: Option<String>,
    /// Its 1-based position in the policy.
    pub index: usize,
}

impl StatementRef {
    /// The Sid, else `#index`.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => sid.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}` statement `{}`", self.layer.noun(), shown(&self.policy), shown(&self.label()))
    }
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// A Deny statement applies.
    ExplicitDeny,
    /// No Deny applies, but a layer that must allow does not.
    ImplicitDeny,
    /// The answer depends on something unknown; it is never taken as an allow.
    Undetermined,
}

/// A layer that lacked the allow it needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lacking {
    pub layer: LayerKind,
    /// The organization level that lacked it, for SCPs.
    pub level: Option<String>,
}

/// Something unknown an undetermined answer depends on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unknown {
    /// A layer that could not be read.
    Layer(LayerKind),
    /// A context key whose value is unknown (name in lowercase).
    ContextKey(String),
    /// The request's resource (not given, and not named by the error).
    Resource,
}

/// The decision on one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    /// Allowed: the statement that grants. ExplicitDeny: the Deny.
    /// Undetermined: the statement the answer hinges on, when there is one.
    pub statement: Option<StatementRef>,
    /// ImplicitDeny: the layer that lacked an allow.
    pub lacking: Option<Lacking>,
    /// Undetermined: what is unknown.
    pub depends_on: Vec<Unknown>,
}

impl Decision {
    /// Whether the request is allowed (an undetermined answer is not).
    pub fn is_allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.verdict, &self.statement) {
            (Verdict::Allowed, Some(statement)) => write!(f, "allowed by {statement}"),
            (Verdict::Allowed, None) => write!(f, "allowed"),
            (Verdict::ExplicitDeny, Some(statement)) => write!(f, "denied by the explicit Deny in {statement}"),
            (Verdict::ExplicitDeny, None) => write!(f, "denied by an explicit Deny"),
            (Verdict::ImplicitDeny, _) => {
                write!(f, "denied: no statement allows it")?;
                if let Some(lacking) = &self.lacking {
                    write!(f, " in {}", lacking.layer.plural())?;
                    if let Some(level) = &lacking.level {
                        write!(f, " at `{}`", shown(level))?;
                    }
                    if lacking.layer == LayerKind::Resource {
                        write!(f, " (cross-account access needs an allow there too)")?;
                    }
                }
                Ok(())
            }
            (Verdict::Undetermined, statement) => {
                write!(f, "undetermined: depends on ")?;
                for (i, unknown) in self.depends_on.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    match unknown {
                        Unknown::Layer(layer) => write!(f, "{} (unknown)", layer.plural())?,
                        Unknown::ContextKey(key) => write!(f, "the unknown context key `{}`", shown(key))?,
                        Unknown::Resource => write!(f, "the resource (unknown)")?,
                    }
                }
                if let Some(statement) = statement {
                    write!(f, "; it hinges on {statement}")?;
                }
                Ok(())
            }
        }
    }
}
