//! The probe's stages in the order a request crosses them: resolve, proxy,
//! connect, TLS, answer. Each stage runs within its slice of the budget and
//! records what it saw; the first one that fails ends the run and names the
//! cause. IO: DNS, TCP, TLS and one unsigned HTTP request.
//! The stages through a proxy live in `via_proxy`.

mod via_proxy;

use via_proxy::proxy_auth_lines;

use super::ProbeInput;
use super::answer::{self, EmulatorSigns};
use super::chain::{self, ChainReport};
use super::proxy::{self, ProxyHop, Route};
use super::reach::{self, BoxIo};
use super::stage::{Budget, STAGE_CAP, Stage, StageKind, StageStatus};
use super::target::{EndpointOrigin, Scheme, Target};
use super::text::{clean, clean_bytes};
use super::tls::{self, Trust};
use crate::base::http1::{self, BodyLimit, Head, Overflow};
use crate::vocabulary::Cause;
use std::time::Instant;

/// What a run produced.
pub(crate) struct Outcome {
    pub(crate) stages: Vec<Stage>,
    pub(crate) chain: Option<ChainReport>,
    pub(crate) signs: EmulatorSigns,
}

struct Run<'a> {
    input: &'a ProbeInput,
    target: &'a Target,
    budget: Budget,
    route: Route,
    trust: Option<Trust>,
    stages: Vec<Stage>,
    chain: Option<ChainReport>,
    signs: EmulatorSigns,
}

/// Runs every stage it can and returns them all (stages not reached are skipped).
pub(crate) async fn run(input: &ProbeInput) -> Outcome {
    let target = &input.target;
    let mut run = Run {
        input,
        target,
        budget: Budget::new(input.deadline),
        route: proxy::route(&input.proxy, target),
        trust: None,
        stages: Vec::new(),
        chain: None,
        signs: EmulatorSigns::default(),
    };
    run.go().await;
    for kind in [StageKind::Resolve, StageKind::Proxy, StageKind::Connect, StageKind::Tls, StageKind::Answer] {
        if !run.stages.iter().any(|s| s.kind == kind) {
            run.stages.push(Stage::skip(kind, "not reached: an earlier stage failed"));
        }
    }
    Outcome { stages: run.stages, chain: run.chain, signs: run.signs }
}

impl Run<'_> {
    async fn go(&mut self) {
        let stream = match self.route.hop.clone() {
            None => self.direct().await,
            Some(hop) => self.proxied(&hop).await,
        };
        let Some(stream) = stream else { return };
        let stream = match self.target.scheme() {
            Scheme::Http => {
                self.stages.push(Stage::skip(StageKind::Tls, "plain http://: no TLS"));
                stream
            }
            Scheme::Https => match self.tls(stream).await {
                Some(stream) => stream,
                None => return,
            },
        };
        self.answer(stream).await;
    }

    /// Resolve, no proxy, connect.
    async fn direct(&mut self) -> Option<BoxIo> {
        let started = Instant::now();
        let host = self.target.bare_host().to_string();
        let addrs = match reach::lookup(&host, self.target.port(), &self.budget).await {
            Ok(addrs) => {
                let summary = if self.target.ip().is_some() {
                    format!("{} is an address: nothing to resolve", clean(&host, 120))
                } else {
                    format!("{} resolves to {}", clean(&host, 120), reach::list(&addrs))
                };
                self.stages.push(Stage::pass(StageKind::Resolve, summary).timed(started));
                addrs
            }
            Err(error) => {
                let mut stage = Stage::fail(StageKind::Resolve, Cause::DnsFailure, error.describe(&host))
                    .with([self.target.built_from()]);
                stage.evidence.extend(self.plain_host_hint().await);
                stage = self.blame_ignored_proxy(stage);
                self.stages.push(stage.timed(started));
                return None;
            }
        };
        let proxy_stage = Stage::new(
            StageKind::Proxy,
            if self.route.suspicious { StageStatus::Warn } else { StageStatus::Skip },
            "no proxy: the SDK connects directly",
        );
        self.stages.push(proxy_stage.with(self.route.evidence.clone()));

        let started = Instant::now();
        match reach::connect(&addrs, &self.budget).await {
            Ok((stream, addr)) => {
                self.stages.push(Stage::pass(StageKind::Connect, format!("connected to {addr}")).timed(started));
                Some(Box::new(stream))
            }
            Err(failure) => {
                let where_ = clean(&self.target.authority(), 160);
                let stage = match (failure.all_refused, self.target.override_source()) {
                    (true, Some(source)) => Stage::fail(
                        StageKind::Connect,
                        Cause::EndpointOverride,
                        format!(
                            "nothing listens at {where_} (connection refused), where {} sends requests",
                            source.describe()
                        ),
                    )
                    .with([format!("start what it points at, or {}", source.how_to_remove())]),
                    (true, None) => Stage::fail(
                        StageKind::Connect,
                        Cause::EndpointUnreachable,
                        format!("{where_} refuses the connection"),
                    ),
                    (false, _) => Stage::fail(
                        StageKind::Connect,
                        Cause::EndpointUnreachable,
                        format!("no TCP connection to {where_}"),
                    )
                    .with(["a firewall that drops packets, a host that is down, or no route".to_string()]),
                };
                let stage = self.blame_ignored_proxy(stage.with(failure.tried));
                self.stages.push(stage.timed(started));
                None
            }
        }
    }

    /// A FIPS / dual-stack host that does not resolve while the plain one does: the setting built a host that does not exist.
    async fn plain_host_hint(&self) -> Vec<String> {
        let (Some(plain), EndpointOrigin::Rules { fips, dualstack, .. }) =
            (self.target.plain_host(), self.target.origin())
        else {
            return Vec::new();
        };
        let names: Vec<&str> = fips.iter().chain(dualstack.iter()).map(|s| s.name.as_str()).collect();
        let names = clean(&names.join(" and "), 120);
        let plain_shown = clean(plain, 120);
        match reach::lookup(plain, self.target.port(), &self.budget).await {
            Ok(_) => vec![format!(
                "{plain_shown} (the same endpoint without {names}) resolves: {names} built a host name that does not \
                 exist for this region; turn it off, or pick a region that has this endpoint"
            )],
            Err(_) => vec![format!(
                "{plain_shown} (the same endpoint without {names}) does not resolve either: the resolver fails, not the setting"
            )],
        }
    }

    /// A proxy variable the SDK ignores (it does not parse) explains a failed direct connection to AWS.
    fn blame_ignored_proxy(&self, mut stage: Stage) -> Stage {
        if let (Some(line), None) = (&self.route.ignored_proxy, self.target.override_source()) {
            stage.cause = Some(Cause::ProxyFailed);
            stage.evidence.push(format!("{line}; the direct connection it leads to failed"));
        }
        stage
    }

    /// The roots, loaded once per probe; `Err` says why not (the system's store did not load in time).
    pub(super) async fn trust(&mut self) -> Result<Trust, String> {
        if let Some(trust) = &self.trust {
            return Ok(trust.clone());
        }
        let certs =
            self.input.ca_bundle.as_ref().and_then(|b| tls::bundle_certificates(&b.pem).ok()).unwrap_or_default();
        let slice = self.budget.slice(STAGE_CAP);
        let trust = Trust::load(self.input.system_roots, &certs, slice)
            .await
            .ok_or_else(|| format!("the system's certificate store did not load {}", slice.describe()))?;
        self.trust = Some(trust.clone());
        Ok(trust)
    }

    /// The TLS handshake with the endpoint.
    async fn tls(&mut self, stream: BoxIo) -> Option<BoxIo> {
        let started = Instant::now();
        let trust = match self.trust().await {
            Ok(trust) => trust,
            Err(reason) => {
                self.stages.push(Stage::fail(StageKind::Tls, Cause::EndpointUnreachable, reason).timed(started));
                return None;
            }
        };
        let host = self.target.bare_host().to_string();
        let bundle_source = self.input.ca_bundle.as_ref().map(|b| b.source.clone());
        let mut roots_line = vec![format!("roots in use: {}", trust.describe(bundle_source.as_deref()))];
        if let Some(bundle) = &self.input.ca_bundle
            && let Err(error) = tls::bundle_certificates(&bundle.pem)
        {
            roots_line.push(format!(
                "the CA bundle from {} is unusable: {error}; the AWS SDK for Rust stops on such a file",
                clean(&bundle.source, 160)
            ));
        }
        let slice = self.budget.slice(STAGE_CAP);
        let handshake = match slice.run(tls::handshake(stream, &host, &trust)).await {
            None => {
                let stage = Stage::fail(
                    StageKind::Tls,
                    Cause::EndpointUnreachable,
                    format!(
                        "no TLS handshake {}: something takes the connection but does not answer TLS",
                        slice.describe()
                    ),
                );
                self.stages.push(stage.timed(started));
                return None;
            }
            Some(Err(reason)) => {
                self.stages.push(Stage::fail(StageKind::Tls, Cause::EndpointUnreachable, reason).timed(started));
                return None;
            }
            Some(Ok(handshake)) => handshake,
        };
        let seen = handshake.seen;
        let report = ChainReport::read(&seen.chain, &host, &trust, seen.verdict.as_ref());
        match handshake.result {
            Ok(stream) => {
                let stage = Stage::pass(StageKind::Tls, format!("the certificate of {} verifies", clean(&host, 120)))
                    .with(report.evidence(&host))
                    .with(roots_line);
                self.stages.push(stage.timed(started));
                self.chain = Some(report);
                Some(Box::new(stream))
            }
            Err(error) => {
                let stage = match tls::rustls_error(&error) {
                    Some(e) if chain::is_certificate_error(e) => Stage::fail(
                        StageKind::Tls,
                        Cause::TlsUntrusted,
                        format!("the certificate presented for {} does not verify", clean(&host, 120)),
                    )
                    .with(report.evidence(&host))
                    .with(roots_line)
                    .with(["trust the CA that signed it: AWS_CA_BUNDLE (or ca_bundle in the profile) set to its PEM file; never turn verification off".to_string()]),
                    Some(rustls::Error::InvalidMessage(_)) => Stage::fail(
                        StageKind::Tls,
                        Cause::EndpointUnreachable,
                        "the server does not answer in TLS",
                    )
                    .with(["if it speaks plain HTTP, the endpoint URL should start with http://".to_string()]),
                    _ => Stage::fail(
                        StageKind::Tls,
                        Cause::EndpointUnreachable,
                        format!("the TLS handshake failed: {}", clean(&error.to_string(), 160)),
                    ),
                };
                self.stages.push(stage.timed(started));
                self.chain = Some(report).filter(|r| r.presented > 0);
                None
            }
        }
    }

    /// One unsigned request; what answers.
    async fn answer(&mut self, mut stream: BoxIo) {
        let started = Instant::now();
        let forward = self.route.hop.clone().filter(|_| self.target.scheme() == Scheme::Http);
        let request = answer::request(self.target, forward.as_ref());
        let slice = self.budget.slice(STAGE_CAP);
        let until = tokio::time::Instant::now() + slice.limit;
        let where_ = clean(&self.target.authority(), 160);
        let stage = match slice.run(exchange(&mut stream, &request)).await {
            None => Stage::fail(
                StageKind::Answer,
                Cause::EndpointUnreachable,
                format!("{where_} took the request but did not answer {}", slice.describe()),
            ),
            Some(Err(error)) => {
                let mut stage = Stage::fail(
                    StageKind::Answer,
                    Cause::EndpointUnreachable,
                    head_error(&where_, "the request", &error),
                );
                if matches!(error, http1::Error::NotHttp { .. }) && self.target.scheme() == Scheme::Http {
                    stage.evidence.push("if it speaks TLS, the endpoint URL should start with https://".to_string());
                }
                stage
            }
            Some(Ok((head, already))) => {
                let limit = BodyLimit { max: answer::BODY_LIMIT, overflow: Overflow::Keep };
                let mut body = Vec::new();
                // What came before the deadline, a close or a framing error is what is judged.
                let read = http1::read_body_into(&mut stream, &head, already, limit, &mut body);
                let _ = tokio::time::timeout_at(until, read).await;
                self.judge_answer(&head, &body, forward.as_ref())
            }
        };
        self.stages.push(stage.timed(started));
    }

    fn judge_answer(&mut self, head: &Head, body: &[u8], forward: Option<&ProxyHop>) -> Stage {
        let (summary, evidence) = answer::describe(head, body);
        if let Some(hop) = forward {
            let proxy = hop.display();
            if head.status == 407 {
                return Stage::fail(
                    StageKind::Answer,
                    Cause::ProxyFailed,
                    format!("{proxy} asks for authentication (407)"),
                )
                .with(proxy_auth_lines(head, hop))
                .with(self.route.evidence.clone());
            }
            if matches!(head.status, 502..=504) {
                return Stage::fail(
                    StageKind::Answer,
                    Cause::ProxyFailed,
                    format!("{proxy} could not reach {} ({summary})", clean(&self.target.authority(), 160)),
                )
                .with(evidence)
                .with(self.route.evidence.clone());
            }
        }
        self.signs = EmulatorSigns::from_answer(head, body);
        let label = if self.target.override_source().is_some() { "emulator sign" } else { "not like AWS" };
        let emulator = self.signs.signs.iter().map(|s| format!("{label}: {s}"));
        let stage =
            Stage::pass(StageKind::Answer, format!("{} answered: {summary}", clean(&self.target.authority(), 160)))
                .with(evidence)
                .with(emulator.collect::<Vec<_>>());
        stage.warn_if(self.signs.any())
    }
}

/// A head that did not come back, in words.
pub(super) fn head_error(peer: &str, what: &str, error: &http1::Error) -> String {
    match error {
        http1::Error::Closed { got: 0 } => format!("{peer} closed the connection without answering {what}"),
        http1::Error::Closed { got } => {
            format!("{peer} closed the connection after {got} bytes of an answer to {what}")
        }
        http1::Error::HeadTooLong => {
            format!("{peer} answered {what} with a head over {} bytes (the SDK gives up too)", http1::HEAD_LIMIT)
        }
        http1::Error::NotHttp { start, .. } => {
            format!("{peer} answered {what} with something that is not HTTP: {}", clean_bytes(start, 40))
        }
        other => format!("{peer}: {} while waiting for the answer to {what}", clean(&other.to_string(), 120)),
    }
}

/// Writes a request and reads the answer's head (with the body bytes that came along).
pub(super) async fn exchange(stream: &mut BoxIo, request: &[u8]) -> Result<(Head, Vec<u8>), http1::Error> {
    http1::write_request(stream, request).await?;
    http1::read_head(stream).await
}
