//! The network path to one endpoint, probed link by link after a live check
//! got no answer from AWS (SPEC 3c; it costs nothing on a healthy run): the
//! name lookup, the proxy the SDK would use and its answer to CONNECT, the TCP
//! connection, the TLS handshake with the SDK's own roots (plus a CA bundle;
//! an untrusted chain is read without trusting it), and one plain unsigned
//! request. The first stage that fails names the cause; every stage carries
//! evidence a network team can act on. An endpoint override is always
//! described, with whether an emulator answers there. HTTP (CONNECT, the
//! request, the answer's head and body) goes through `base::http1` over the
//! probe's own TCP, TLS and tunnel streams.
//!
//! ```text
//! let target = Target::sts(Setting::new("region", "us-east-1", "AWS_REGION"), None, None)?;
//! let input = ProbeInput::new(target, ProxyEnv::from_environment(&env), Instant::now() + budget)
//!     .with_ca_bundle(CaBundle { pem, source: "AWS_CA_BUNDLE".into() });
//! let report = probe(&input).await;   // report.cause, report.stages, report.chain, report.override_notice
//! ```
//!
//! IO: DNS, TCP, TLS and one HTTP request per probe (no credentials are ever
//! sent), all within the deadline; `recheck_ca_bundle` reads one file, bounded.
//! Secrets: proxy passwords stay in `SecretString` and are never shown.

mod answer;
mod chain;
mod fix;
mod proxy;
mod reach;
mod run;
mod stage;
mod target;
mod text;
mod tls;

pub use crate::vocabulary::Cause;
pub use answer::{EmulatorSigns, OverrideNotice};
pub use chain::{CertSummary, ChainReport};
pub use fix::{BundleCheck, recheck_ca_bundle};
pub use proxy::ProxyEnv;
pub use stage::{Stage, StageKind, StageStatus};
pub use target::{EndpointOrigin, OverrideSource, Scheme, Setting, Target, TargetError};
pub use tls::{BundleError, bundle_certificates};
pub(crate) use tls::{Trust, handshake};

use serde::Serialize;
use std::time::Instant;

/// A CA bundle to trust on top of the system roots, and where it comes from.
#[derive(Clone)]
pub struct CaBundle {
    /// PEM certificates.
    pub pem: Vec<u8>,
    /// Where it was named, for messages: `AWS_CA_BUNDLE (/etc/corp/ca.pem)`, `ca_bundle in ~/.aws/config:9`.
    pub source: String,
}

impl std::fmt::Debug for CaBundle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaBundle").field("bytes", &self.pem.len()).field("source", &self.source).finish()
    }
}

/// Everything a probe needs.
#[derive(Debug, Clone)]
pub struct ProbeInput {
    pub target: Target,
    pub proxy: ProxyEnv,
    pub ca_bundle: Option<CaBundle>,
    /// Trust the platform's roots, as the SDK does (tests turn this off to stay off system paths).
    pub system_roots: bool,
    /// The probe is over by then, whatever happens.
    pub deadline: Instant,
}

impl ProbeInput {
    /// A probe of `target` with the SDK's trust (system roots, no bundle).
    pub fn new(target: Target, proxy: ProxyEnv, deadline: Instant) -> ProbeInput {
        ProbeInput { target, proxy, ca_bundle: None, system_roots: true, deadline }
    }

    pub fn with_ca_bundle(mut self, bundle: CaBundle) -> ProbeInput {
        self.ca_bundle = Some(bundle);
        self
    }

    /// Trusts only the CA bundle (for tests, which must not read the system's certificate store).
    pub fn without_system_roots(mut self) -> ProbeInput {
        self.system_roots = false;
        self
    }
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathReport {
    /// The endpoint URL (credentials hidden).
    pub endpoint: String,
    /// Resolve, proxy, connect, TLS, answer: always all five, in that order.
    pub stages: Vec<Stage>,
    /// The cause named by the first failing stage; `None` when the path works.
    pub cause: Option<Cause>,
    /// One line: the failing stage's summary, or that the path works.
    pub summary: String,
    /// The certificate chain the endpoint presented, when the handshake got that far.
    pub chain: Option<ChainReport>,
    /// Set whenever the endpoint comes from an override, failing or not.
    pub override_notice: Option<OverrideNotice>,
    pub duration_ms: u64,
}

impl PathReport {
    /// A stage by kind.
    pub fn stage(&self, kind: StageKind) -> Option<&Stage> {
        self.stages.iter().find(|s| s.kind == kind)
    }

    /// The stage that names the cause.
    pub fn failing_stage(&self) -> Option<&Stage> {
        self.stages.iter().find(|s| s.status == StageStatus::Fail)
    }
}

/// Probes the path to `input.target`; never takes longer than the deadline (plus scheduling).
pub async fn probe(input: &ProbeInput) -> PathReport {
    let started = Instant::now();
    let outcome = run::run(input).await;
    let failing = outcome.stages.iter().find(|s| s.status == StageStatus::Fail);
    let cause = failing.and_then(|s| s.cause);
    let summary = match failing {
        Some(stage) => stage.summary.clone(),
        None => format!("the path to {} works", input.target.display_url()),
    };
    let override_notice = OverrideNotice::for_target(&input.target).map(|n| n.with_signs(outcome.signs));
    PathReport {
        endpoint: input.target.display_url(),
        cause,
        summary,
        chain: outcome.chain,
        override_notice,
        stages: outcome.stages,
        duration_ms: stage::millis(started.elapsed()),
    }
}

/// The roots the SDK would trust (the system's and `AWS_CA_BUNDLE`'s
/// certificates), for another https request credwiz makes as the SDK would
/// (a CI job's token endpoint). `None` when the system store did not load in time.
pub(crate) async fn sdk_trust(bundle_pem: Option<&[u8]>, within: std::time::Duration) -> Option<Trust> {
    let certificates = bundle_pem.and_then(|pem| bundle_certificates(pem).ok()).unwrap_or_default();
    Trust::load(true, &certificates, stage::Slice { limit: within, cut_by_deadline: false }).await
}
