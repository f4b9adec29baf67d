//! The proxy stage: reaching the proxy the SDK would use (its name, TCP, TLS
//! for an `https://` proxy) and its answer to CONNECT, with the evidence a
//! network team needs (the schemes a 407 offers, whether credentials were
//! sent, a 5xx that means the proxy could not reach the endpoint).
//! IO: DNS, TCP and TLS to the proxy, one CONNECT.

use super::{Run, exchange, head_error};
use crate::base::http1::{Form, Head, Request};
use crate::netpath::chain::ChainReport;
use crate::netpath::proxy::ProxyHop;
use crate::netpath::reach::{self, BoxIo};
use crate::netpath::stage::{STAGE_CAP, Stage, StageKind, StageStatus};
use crate::netpath::target::Scheme;
use crate::netpath::text::{clean, clean_bytes};
use crate::netpath::tls;
use crate::vocabulary::Cause;
use std::time::Instant;

impl Run<'_> {
    /// The proxy stage: reach the proxy, then CONNECT for https:// (http:// goes to it in absolute form).
    pub(super) async fn proxied(&mut self, hop: &ProxyHop) -> Option<BoxIo> {
        let host = clean(self.target.host(), 120);
        self.stages.push(Stage::skip(StageKind::Resolve, format!("not resolved here: the proxy resolves {host}")));
        let started = Instant::now();
        let mut stream = match self.reach_proxy(hop).await {
            Ok(stream) => stream,
            Err(stage) => {
                self.stages.push(stage.led_by(&self.route.evidence).timed(started));
                return None;
            }
        };
        if self.target.scheme() == Scheme::Http {
            let stage =
                Stage::pass(StageKind::Proxy, format!("reached {}: requests go to it in absolute form", hop.display()));
            self.stages.push(stage.with(self.route.evidence.clone()).warn_if(self.route.suspicious).timed(started));
            self.stages.push(Stage::skip(StageKind::Connect, "the proxy connects to the endpoint"));
            return Some(stream);
        }
        let authority = self.target.authority();
        let mut request = Request::new(&http::Method::CONNECT, self.target.endpoint(), Form::Authority);
        if let Some(auth) = &hop.auth {
            request = request.header("Proxy-Authorization", auth);
        }
        let request = request.finish(b"");
        let slice = self.budget.slice(STAGE_CAP);
        let fail = |summary: String| Stage::fail(StageKind::Proxy, Cause::ProxyFailed, summary);
        let proxy = hop.display();
        let stage = match slice.run(exchange(&mut stream, &request)).await {
            Some(Ok((head, _))) if head.status == 200 => Stage::pass(
                StageKind::Proxy,
                format!("{proxy} opened a tunnel to {} (CONNECT: 200)", clean(&authority, 160)),
            )
            .warn_if(self.route.suspicious),
            Some(Ok((head, _))) => self.refused_connect(hop, &head),
            None => fail(format!("{proxy} accepted the connection but did not answer CONNECT {}", slice.describe())),
            Some(Err(error)) => fail(head_error(&proxy, "CONNECT", &error)),
        };
        let passed = stage.status != StageStatus::Fail;
        self.stages.push(stage.led_by(&self.route.evidence).timed(started));
        if passed {
            self.stages.push(Stage::skip(StageKind::Connect, "the proxy's tunnel stands in for the TCP connection"));
            Some(stream)
        } else {
            None
        }
    }

    /// Resolves and connects to the proxy (and TLS to an https:// proxy); a failure is the proxy stage's.
    async fn reach_proxy(&mut self, hop: &ProxyHop) -> Result<BoxIo, Stage> {
        let fail = |summary: String| Stage::fail(StageKind::Proxy, Cause::ProxyFailed, summary);
        let proxy = hop.display();
        let addrs = reach::lookup(hop.bare_host(), hop.port, &self.budget)
            .await
            .map_err(|e| fail(format!("the proxy {proxy} from {}: {}", hop.variable, e.describe(hop.bare_host()))))?;
        let (tcp, _) = reach::connect(&addrs, &self.budget).await.map_err(|failure| {
            let summary = if failure.all_refused {
                format!("the proxy {proxy} from {} refuses the connection: nothing listens there", hop.variable)
            } else {
                format!("no TCP connection to the proxy {proxy} from {}", hop.variable)
            };
            fail(summary).with(failure.tried)
        })?;
        if hop.scheme != "https" {
            return Ok(Box::new(tcp));
        }
        let trust = self.trust().await.map_err(fail)?;
        let slice = self.budget.slice(STAGE_CAP);
        let handshake = match slice.run(tls::handshake(tcp, hop.bare_host(), &trust)).await {
            None => return Err(fail(format!("no TLS handshake with the proxy {proxy} {}", slice.describe()))),
            Some(Err(reason)) => return Err(fail(reason)),
            Some(Ok(handshake)) => handshake,
        };
        match handshake.result {
            Ok(stream) => Ok(Box::new(stream)),
            Err(e) => {
                let report =
                    ChainReport::read(&handshake.seen.chain, hop.bare_host(), &trust, handshake.seen.verdict.as_ref());
                Err(fail(format!("TLS with the proxy {proxy} failed: {}", clean(&e.to_string(), 160)))
                    .with(report.evidence(hop.bare_host())))
            }
        }
    }

    /// A CONNECT answered with something else than 200.
    fn refused_connect(&self, hop: &ProxyHop, head: &Head) -> Stage {
        let proxy = hop.display();
        let reason = clean(&head.reason, 80);
        let mut stage = if head.status == 407 {
            Stage::fail(StageKind::Proxy, Cause::ProxyFailed, format!("{proxy} asks for authentication (407 {reason})"))
                .with(proxy_auth_lines(head, hop))
        } else {
            Stage::fail(
                StageKind::Proxy,
                Cause::ProxyFailed,
                format!("{proxy} refused CONNECT {}: {} {reason}", clean(&self.target.authority(), 160), head.status),
            )
        };
        if (200..300).contains(&head.status) {
            stage.evidence.push("the SDK accepts only 200 as the answer to CONNECT".to_string());
        }
        if head.status >= 500 {
            stage.evidence.push(format!("the proxy could not reach the endpoint: {}", self.target.built_from()));
        }
        for name in ["server", "via"] {
            if let Some(value) = head.get(name) {
                stage.evidence.push(format!("{name}: {}", clean_bytes(value, 120)));
            }
        }
        stage
    }
}

/// The 407 evidence: the schemes the proxy offers and whether credentials were sent.
pub(super) fn proxy_auth_lines(head: &Head, hop: &ProxyHop) -> Vec<String> {
    let offers: Vec<String> = head.all("proxy-authenticate").take(6).map(|v| clean_bytes(v, 120)).collect();
    let schemes: Vec<String> = offers
        .iter()
        .filter_map(|o| o.split_whitespace().next())
        .map(|s| s.trim_end_matches(',').to_ascii_lowercase())
        .collect();
    let mut lines = Vec::new();
    if offers.is_empty() {
        lines.push("the proxy names no scheme (no Proxy-Authenticate header)".to_string());
    } else {
        lines.push(format!("Proxy-Authenticate: {}", offers.join(" | ")));
    }
    if hop.auth.is_some() {
        lines.push(format!("the proxy refused the user and password in {}", hop.variable));
    } else {
        lines.push(format!(
            "{} carries no credentials: the SDK sends only Basic credentials written in the proxy URL (http://USER:PASSWORD@host:port)",
            hop.variable
        ));
    }
    if !schemes.is_empty() && !schemes.iter().any(|s| s == "basic") {
        lines.push(format!(
            "the proxy does not offer Basic (it offers {}): the SDK cannot authenticate to it; \
             use a local authenticating proxy in front of it, or a proxy that accepts Basic",
            schemes.join(", ")
        ));
    }
    lines
}
