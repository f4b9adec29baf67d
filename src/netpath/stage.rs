//! One link of the network path as a result (status, a summary, evidence lines
//! a network team can act on, the time it took, the cause when it broke), and
//! the time budget every stage draws from. Pure.

use crate::vocabulary::Cause;
use serde::Serialize;
use std::time::{Duration, Instant};

/// The links of the path, in the order a request crosses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageKind {
    /// Looking up the endpoint's host name (skipped when a proxy resolves it).
    Resolve,
    /// Reaching the proxy the SDK would use and its answer to CONNECT (skipped when there is none).
    Proxy,
    /// The TCP connection to the endpoint (skipped when the proxy's tunnel stands in for it).
    Connect,
    /// The TLS handshake and the certificate chain (skipped for `http://` endpoints).
    Tls,
    /// One plain, unsigned request: whether something answers, and whether it looks like AWS.
    Answer,
}

impl StageKind {
    /// A stable id: `resolve`, `proxy`, `connect`, `tls`, `answer`.
    pub fn id(self) -> &'static str {
        match self {
            StageKind::Resolve => "resolve",
            StageKind::Proxy => "proxy",
            StageKind::Connect => "connect",
            StageKind::Tls => "tls",
            StageKind::Answer => "answer",
        }
    }

    /// A short label for a row of stages: resolver, proxy, TCP, TLS, endpoint.
    pub fn label(self) -> &'static str {
        match self {
            StageKind::Resolve => "resolver",
            StageKind::Proxy => "proxy",
            StageKind::Connect => "TCP",
            StageKind::Tls => "TLS",
            StageKind::Answer => "endpoint",
        }
    }
}

/// How a stage went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StageStatus {
    Pass,
    /// It worked, but something in it deserves attention (a NO_PROXY near miss, an emulator).
    Warn,
    Fail,
    /// Not part of this path, or not reached.
    Skip,
}

impl StageStatus {
    /// The symbol the report and the wizard show (✓ ! ✗ -).
    pub fn symbol(self) -> &'static str {
        match self {
            StageStatus::Pass => "✓",
            StageStatus::Warn => "!",
            StageStatus::Fail => "✗",
            StageStatus::Skip => "-",
        }
    }
}

/// The outcome of one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub kind: StageKind,
    pub status: StageStatus,
    /// One line: what happened.
    pub summary: String,
    /// Lines for a network team: addresses, settings, answers, certificates.
    pub evidence: Vec<String>,
    /// The cause this stage names when it failed.
    pub cause: Option<Cause>,
    pub duration_ms: u64,
}

impl Stage {
    pub(crate) fn new(kind: StageKind, status: StageStatus, summary: impl Into<String>) -> Stage {
        Stage { kind, status, summary: summary.into(), evidence: Vec::new(), cause: None, duration_ms: 0 }
    }

    pub(crate) fn pass(kind: StageKind, summary: impl Into<String>) -> Stage {
        Stage::new(kind, StageStatus::Pass, summary)
    }

    pub(crate) fn skip(kind: StageKind, summary: impl Into<String>) -> Stage {
        Stage::new(kind, StageStatus::Skip, summary)
    }

    pub(crate) fn fail(kind: StageKind, cause: Cause, summary: impl Into<String>) -> Stage {
        Stage { cause: Some(cause), ..Stage::new(kind, StageStatus::Fail, summary) }
    }

    pub(crate) fn with(mut self, lines: impl IntoIterator<Item = String>) -> Stage {
        self.evidence.extend(lines);
        self
    }

    /// Puts `lines` before the evidence already there (the why before the what).
    pub(crate) fn led_by(mut self, lines: &[String]) -> Stage {
        self.evidence.splice(0..0, lines.iter().cloned());
        self
    }

    pub(crate) fn timed(mut self, started: Instant) -> Stage {
        self.duration_ms = millis(started.elapsed());
        self
    }

    /// Turns a pass into a warning (a fail or skip stays as it is).
    pub(crate) fn warn_if(mut self, warn: bool) -> Stage {
        if warn && self.status == StageStatus::Pass {
            self.status = StageStatus::Warn;
        }
        self
    }
}

/// Whole milliseconds, saturating.
pub(crate) fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The time a probe may spend: each stage gets its own cap, never past the deadline.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget {
    deadline: Instant,
}

/// The most a stage waits on one thing when the deadline allows more.
pub(crate) const STAGE_CAP: Duration = Duration::from_secs(3);

impl Budget {
    pub(crate) fn new(deadline: Instant) -> Budget {
        Budget { deadline }
    }

    /// The time left before the deadline.
    pub(crate) fn left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The time the next wait may take: its cap, or what is left when that is less.
    pub(crate) fn slice(&self, cap: Duration) -> Slice {
        let left = self.left();
        Slice { limit: cap.min(left), cut_by_deadline: left < cap }
    }
}

/// One wait's time limit, and whether the deadline (not the stage's cap) set it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slice {
    pub(crate) limit: Duration,
    pub(crate) cut_by_deadline: bool,
}

impl Slice {
    /// "within 3000 ms", or "within the 420 ms left of the time budget".
    pub(crate) fn describe(&self) -> String {
        if self.cut_by_deadline {
            format!("within the {} ms left of the time budget", millis(self.limit))
        } else {
            format!("within {} ms", millis(self.limit))
        }
    }

    /// Runs `future` within this slice; `None` when it ran out of time.
    pub(crate) async fn run<F: std::future::Future>(&self, future: F) -> Option<F::Output> {
        tokio::time::timeout(self.limit, future).await.ok()
    }
}
