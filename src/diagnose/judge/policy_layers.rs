//! The policy layers of the local evaluation, assembled from what the live
//! reads fetched (the identity's policies, the organisation's) and the
//! `--policy` files: each layer known (with where its policies come from),
//! unknown (with why: a denied read stays unknown, never an allow) or
//! absent (with why it does not apply). A file stands for its layer: it
//! adds to what was read, or replaces what could not be read. Each SCP file
//! is one level of the organisation; one without an Allow statement gets
//! FullAWSAccess beside it, as AWS attaches it wherever SCPs are enabled,
//! and a note says so. The resource and RCP layers depend on the action's
//! service (`policy_services`). Pure.

use crate::aws::policies::{Fetched, OrgLevelPolicies, PolicyText, ReadFailure};
use crate::base::sanitize::shown;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::options::{PolicyFile, PolicyLayer};
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::run::outcomes::Outcomes;
use crate::policy::{Layer, LayerKind, OrgLevel, Policy, PolicySet, PrincipalKind, RequestPrincipal};
use std::fmt;

/// The policy AWS attaches at every level where SCPs are enabled.
const FULL_AWS_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Whether a layer is known, unknown or absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Known,
    Unknown,
    Absent,
}

impl State {
    pub fn word(self) -> &'static str {
        match self {
            State::Known => "known",
            State::Unknown => "unknown",
            State::Absent => "absent",
        }
    }
}

/// One layer as the evidence and the wizard show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerView {
    pub layer: LayerKind,
    pub state: State,
    /// Where its policies come from, or why it is unknown or absent.
    pub detail: String,
}

impl fmt::Display for LayerView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.layer.id(), self.state.word(), self.detail)
    }
}

/// Every layer but the resource's (which depends on the action).
#[derive(Debug, Clone)]
pub struct Layers {
    pub set: PolicySet,
    pub views: Vec<LayerView>,
    /// What credwiz added or could not use (FullAWSAccess beside an SCP file, a policy it could not parse).
    pub notes: Vec<String>,
    /// The reads that failed and left a layer or a context key unknown.
    pub failures: Vec<ReadFailure>,
}

/// Checks a `--policy` file: it parses, and follows its layer's rules (a
/// Principal in resource-based policies and RCPs, none elsewhere).
pub fn check_file(file: &PolicyFile) -> Result<(), String> {
    let policy = Policy::parse(&file.name(), &file.text).map_err(|e| e.to_string())?;
    let mut set = PolicySet::new();
    let level = || Layer::Known(vec![OrgLevel { name: file.name(), policies: vec![policy.clone()] }]);
    match file.layer {
        PolicyLayer::Identity => set.identity = Layer::Known(vec![policy.clone()]),
        PolicyLayer::Boundary => set.boundary = Layer::Known(vec![policy.clone()]),
        PolicyLayer::Session => set.session = Layer::Known(vec![policy.clone()]),
        PolicyLayer::Resource | PolicyLayer::Trust => set.resource = Layer::Known(vec![policy.clone()]),
        PolicyLayer::Scp => set.scps = level(),
        PolicyLayer::Rcp => set.rcps = level(),
    }
    set.validate().map_err(|e| e.to_string())
}

/// A list of names for one line: the first few, then how many more.
pub(super) fn names<'a>(list: impl Iterator<Item = &'a str>) -> String {
    let all: Vec<String> = list.map(|n| format!("`{}`", shown(n, 60))).collect();
    match all.len() {
        0 => "no policy".into(),
        n if n <= 6 => all.join(", "),
        n => format!("{} and {} more", all[..6].join(", "), n - 6),
    }
}

/// Whether the failure is of a request sent to AWS (`service:Operation`), not a layer credwiz cannot read at all.
fn is_request(failure: &ReadFailure) -> bool {
    failure.request.contains(':')
}

fn failure_line(failure: &ReadFailure) -> String {
    let why = shown(&crate::diagnose::judge::failure_text(&failure.failure), 400);
    if is_request(failure) { format!("{} failed: {why}", failure.request) } else { why }
}

/// Parses what was read; a policy credwiz cannot parse leaves the layer unknown.
fn parse_all(texts: &[PolicyText], notes: &mut Vec<String>) -> Option<Vec<Policy>> {
    let mut policies = Vec::with_capacity(texts.len());
    for text in texts {
        match Policy::parse(&text.name, &text.text) {
            Ok(policy) => policies.push(policy),
            Err(e) => {
                notes.push(format!("credwiz could not read {e}"));
                return None;
            }
        }
    }
    Some(policies)
}

pub(super) fn file_policies<'a>(files: impl Iterator<Item = &'a PolicyFile>) -> Vec<Policy> {
    // The files were checked at the edge; one that no longer parses is left out.
    files.filter_map(|f| Policy::parse(&f.name(), &f.text).ok()).collect()
}

struct Builder<'a> {
    facts: &'a Facts,
    notes: Vec<String>,
    failures: Vec<ReadFailure>,
    views: Vec<LayerView>,
}

impl Builder<'_> {
    fn view(&mut self, layer: LayerKind, state: State, detail: impl Into<String>) {
        self.views.push(LayerView { layer, state, detail: detail.into() });
    }

    fn unknown<T>(&mut self, layer: LayerKind, failure: &ReadFailure) -> Layer<T> {
        if is_request(failure) {
            self.failures.push(failure.clone());
        }
        self.view(layer, State::Unknown, failure_line(failure));
        Layer::Unknown
    }

    /// A simple layer from what was read and the files given for it.
    fn simple(
        &mut self,
        kind: LayerKind,
        layer: PolicyLayer,
        fetched: Fetched<Vec<PolicyText>>,
        via: &str,
    ) -> Layer<Vec<Policy>> {
        let files: Vec<&PolicyFile> = self.facts.options.policy_files_of(layer).collect();
        let from_files = file_policies(files.iter().copied());
        let file_names = names(files.iter().map(|f| f.path.as_str()));
        match fetched {
            Fetched::Known(texts) => match parse_all(&texts, &mut self.notes) {
                Some(mut read) => {
                    let detail = format!("{} ({via})", names(texts.iter().map(|t| t.name.as_str())));
                    let detail =
                        if files.is_empty() { detail } else { format!("{detail}, and the files {file_names}") };
                    read.extend(from_files);
                    self.view(kind, State::Known, detail);
                    Layer::Known(read)
                }
                None if !files.is_empty() => {
                    self.view(kind, State::Known, format!("the files {file_names} (what AWS gave could not be read)"));
                    Layer::Known(from_files)
                }
                None => {
                    self.view(kind, State::Unknown, "a policy could not be read (see the note)");
                    Layer::Unknown
                }
            },
            _ if !files.is_empty() => {
                self.view(kind, State::Known, format!("the files {file_names}"));
                Layer::Known(from_files)
            }
            Fetched::Absent(why) => {
                self.view(kind, State::Absent, why);
                Layer::Absent
            }
            Fetched::Unknown(failure) => self.unknown(kind, &failure),
        }
    }

    /// SCPs or RCPs: the levels read, then one level per file.
    fn org(
        &mut self,
        kind: LayerKind,
        layer: PolicyLayer,
        fetched: Fetched<Vec<OrgLevelPolicies>>,
    ) -> Layer<Vec<OrgLevel>> {
        let mut file_levels = Vec::new();
        for file in self.facts.options.policy_files_of(layer) {
            let Ok(policy) = Policy::parse(&file.name(), &file.text) else { continue };
            let mut policies = vec![policy];
            if kind == LayerKind::Scp && !policies[0].has_allow() {
                policies.extend(Policy::parse("FullAWSAccess (added by credwiz)", FULL_AWS_ACCESS).ok());
                self.notes.push(format!(
                    "the SCP file {} has no Allow statement: AWS attaches FullAWSAccess wherever SCPs are enabled, so credwiz judges it beside FullAWSAccess at its level",
                    shown(&file.path, 120)
                ));
            }
            file_levels.push(OrgLevel { name: file.name(), policies });
        }
        let file_detail = names(file_levels.iter().map(|l| l.name.as_str()));
        let read = match fetched {
            Fetched::Known(levels) => {
                let mut parsed = Vec::new();
                for level in &levels {
                    match parse_all(&level.policies, &mut self.notes) {
                        Some(policies) => parsed.push(OrgLevel { name: level.target.clone(), policies }),
                        None => {
                            parsed.clear();
                            break;
                        }
                    }
                }
                if parsed.len() == levels.len() {
                    let detail = levels
                        .iter()
                        .map(|l| {
                            format!("{}: {}", shown(&l.target, 40), names(l.policies.iter().map(|p| p.name.as_str())))
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                    Some((parsed, format!("{detail} (AWS Organizations)")))
                } else {
                    None
                }
            }
            _ if !file_levels.is_empty() => None,
            Fetched::Absent(why) => {
                self.view(kind, State::Absent, why);
                return Layer::Absent;
            }
            Fetched::Unknown(failure) => return self.unknown(kind, &failure),
        };
        match read {
            Some((mut levels, detail)) => {
                let detail =
                    if file_levels.is_empty() { detail } else { format!("{detail}, and the files {file_detail}") };
                levels.extend(file_levels);
                self.view(kind, State::Known, detail);
                Layer::Known(levels)
            }
            None if !file_levels.is_empty() => {
                self.view(kind, State::Known, format!("the files {file_detail}, one level each"));
                Layer::Known(file_levels)
            }
            None => {
                self.view(kind, State::Unknown, "a policy could not be read (see the note)");
                Layer::Unknown
            }
        }
    }
}

/// Why the session layer is absent or unknown, from the principal and where the credentials come from.
fn session_layer(facts: &Facts, principal: &PrincipalKind) -> Fetched<Vec<PolicyText>> {
    let from_sdk = facts
        .chain
        .winner()
        .is_some_and(|s| matches!(s.kind, SourceKind::AssumeRole | SourceKind::Sso | SourceKind::WebIdentity));
    match principal {
        PrincipalKind::User { .. } | PrincipalKind::Root => {
            Fetched::Absent("an IAM user's keys and GetSessionToken sessions carry no session policy".into())
        }
        PrincipalKind::AssumedRole { .. } if from_sdk => {
            Fetched::Absent("the SDK's own AssumeRole or SSO sign-in passes no session policy".into())
        }
        _ => Fetched::Unknown(ReadFailure::other(
            "the session policy",
            "these session credentials come from elsewhere: a session policy passed when they were made cannot be read",
        )),
    }
}

/// A stand-in for what was not read, with the reason.
fn not_read<T>(what: &str, check: Option<&crate::diagnose::run::check::Outcome>) -> Fetched<T> {
    match check.and_then(|o| o.call.result.as_ref().err()) {
        Some(failure) => Fetched::Unknown(ReadFailure { request: what.into(), failure: Box::new(failure.clone()) }),
        None => Fetched::Unknown(ReadFailure::other(what, "not read yet (the identity must be known first)")),
    }
}

/// Assembles every layer but the resource's for the caller (`principal_arn`).
pub fn assemble(facts: &Facts, outcomes: &Outcomes, principal_arn: &str) -> Layers {
    let principal = RequestPrincipal::parse(principal_arn).kind;
    let mut builder = Builder { facts, notes: Vec::new(), failures: Vec::new(), views: Vec::new() };
    let identity_read = outcomes.identity_policies();
    let (identity, boundary, via) = match (&principal, identity_read) {
        (PrincipalKind::Root, _) => (
            Fetched::Known(vec![PolicyText {
                name: "the root user (every action)".into(),
                text: FULL_AWS_ACCESS.into(),
            }]),
            Fetched::Absent("the root user has no permissions boundary".into()),
            "the root user's own rights",
        ),
        (_, Some(read)) => (read.policies.clone(), read.boundary.clone().map(|p| vec![p]), read.via),
        (PrincipalKind::FederatedUser { .. }, None) => {
            let why = "a federated user's session: its user's policies and session policy are not read";
            (
                Fetched::Unknown(ReadFailure::other("the identity's policies", why)),
                Fetched::Unknown(ReadFailure::other("the boundary", why)),
                "",
            )
        }
        (_, None) => {
            let check = outcomes.identity_policies_check();
            (not_read("the identity's policies", check), not_read("the boundary", check), "")
        }
    };
    let identity = builder.simple(LayerKind::Identity, PolicyLayer::Identity, identity, via);
    let boundary = builder.simple(LayerKind::Boundary, PolicyLayer::Boundary, boundary, via);
    // Unread tags leave `aws:PrincipalTag/*` unknown: a failed read like the others.
    if let Some(Fetched::Unknown(failure)) = identity_read.map(|read| &read.tags)
        && is_request(failure)
    {
        builder.failures.push(failure.clone());
    }
    let session = builder.simple(LayerKind::Session, PolicyLayer::Session, session_layer(facts, &principal), "");
    let (scps, rcps) = match outcomes.org_policies() {
        Some(org) => (org.scps.clone(), org.rcps.clone()),
        None => {
            let check = outcomes.org_policies_check();
            (not_read("the SCPs", check), not_read("the RCPs", check))
        }
    };
    let scps = builder.org(LayerKind::Scp, PolicyLayer::Scp, scps);
    let rcps = builder.org(LayerKind::Rcp, PolicyLayer::Rcp, rcps);
    let mut failures: Vec<ReadFailure> = Vec::new();
    for failure in builder.failures {
        if !failures.contains(&failure) {
            failures.push(failure);
        }
    }
    Layers {
        set: PolicySet { identity, boundary, session, resource: Layer::Absent, scps, rcps },
        views: builder.views,
        notes: builder.notes,
        failures,
    }
}
