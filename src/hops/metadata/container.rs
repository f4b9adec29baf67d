//! The container credentials endpoint, as aws-config's `ecs.rs` reaches it:
//! `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on 169.254.170.2) wins over
//! `_FULL_URI` (https, or http to a loopback, ECS or EKS Pod Identity
//! address only); the `Authorization` header from
//! `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, else `_TOKEN`; then one GET
//! (connect 2 s, answer 5 s, as the SDK) and the document checked. Each stage
//! has its status and evidence. IO: the token file and the request.

use super::http::{self, Limits, Target};
use super::{body_excerpt, parse_credentials};
use crate::base::bounded::read_regular;
use crate::hops::HopCredentials;
use crate::hops::text::quote;
use crate::hops::{Cause, Context, Outcome, Stage, Status, Tool, ToolDifference};
use crate::vocabulary::SourceKind;
use secrecy::{ExposeSecret, SecretString};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The ECS agent's address and EKS Pod Identity's.
const ALLOWED: [&str; 3] = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"];

fn allowed_ip(ip: IpAddr) -> bool {
    ip.is_loopback() || ALLOWED.iter().any(|a| a.parse::<IpAddr>().ok() == Some(ip))
}

fn ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn stage(name: &str, status: Status, started: Instant, evidence: Vec<String>) -> Stage {
    Stage { name: name.into(), status, duration_ms: ms(started), evidence }
}

/// The URL the SDK would use, and the variable it came from.
async fn endpoint(ctx: &Context<'_>, out: &mut Outcome) -> Result<Option<(Target, &'static str)>, String> {
    if let Some(relative) = ctx.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let path = if relative.starts_with('/') { relative.to_string() } else { format!("/{relative}") };
        let target = Target::parse(&format!("http://169.254.170.2{path}")).map_err(|why| {
            format!("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI {} is not a path: {why}", quote(relative))
        })?;
        return Ok(Some((target, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")));
    }
    let Some(full) = ctx.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return Ok(None) };
    let target = Target::parse(full)
        .map_err(|why| format!("AWS_CONTAINER_CREDENTIALS_FULL_URI {} is not a URL: {why}", quote(full)))?;
    if target.is_https() {
        return Ok(Some((target, "AWS_CONTAINER_CREDENTIALS_FULL_URI")));
    }
    let refused = || {
        format!(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI {} is plain http to a host the SDKs refuse: only https, a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23",
            quote(full)
        )
    };
    match target.bare_host().parse::<IpAddr>() {
        Ok(ip) if allowed_ip(ip) => {}
        Ok(_) => return Err(refused()),
        Err(_) if target.bare_host().eq_ignore_ascii_case("localhost") => {}
        Err(_) => {
            let lookup = tokio::net::lookup_host((target.bare_host(), target.port()));
            let resolved: Vec<IpAddr> =
                match tokio::time::timeout(Duration::from_secs(2).min(ctx.timeout), lookup).await {
                    Ok(Ok(addrs)) => addrs.map(|a| a.ip()).collect(),
                    _ => Vec::new(),
                };
            if resolved.is_empty() || !resolved.iter().all(|ip| allowed_ip(*ip)) {
                return Err(refused());
            }
            out.differences.push(ToolDifference {
                topic: "AWS_CONTAINER_CREDENTIALS_FULL_URI".into(),
                fails_in: Some(Tool::AwsCli),
                note: format!(
                    "host {} resolves to allowed addresses: the Rust SDK accepts it, botocore accepts only localhost and the listed addresses by name",
                    quote(target.bare_host())
                ),
            });
        }
    }
    Ok(Some((target, "AWS_CONTAINER_CREDENTIALS_FULL_URI")))
}

/// Why the Authorization header cannot be built: the message, and whether
/// the token file exists but this process may not read it.
struct AuthProblem {
    why: String,
    unreadable: bool,
}

impl From<String> for AuthProblem {
    fn from(why: String) -> Self {
        AuthProblem { why, unreadable: false }
    }
}

impl From<&str> for AuthProblem {
    fn from(why: &str) -> Self {
        AuthProblem { why: why.to_string(), unreadable: false }
    }
}

/// The Authorization header value, from the token file (which wins) or the variable.
fn authorization(ctx: &Context<'_>) -> Result<Option<(SecretString, String)>, AuthProblem> {
    if let Some(file) = ctx.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        let path = std::path::Path::new(file);
        let shown = crate::base::display::display_path(ctx.env, path);
        let bytes = match read_regular(path, 16 * 1024) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(format!("the authorization token file {} does not exist", quote(&shown)).into()),
            Err(crate::base::bounded::ReadError::Io(e)) if crate::hops::access::is_denied(&e) => {
                let why = format!(
                    "the authorization token file {}",
                    crate::hops::access::describe_denied(path, &quote(&shown))
                );
                return Err(AuthProblem { why, unreadable: true });
            }
            Err(e) => return Err(format!("the authorization token file {} cannot be read: {e}", quote(&shown)).into()),
        };
        let token = String::from_utf8(bytes)
            .map_err(|_| format!("the authorization token file {} is not text", quote(&shown)))?;
        if token.contains(['\r', '\n']) {
            return Err(format!(
                "the authorization token file {} has a line break (often a final newline): the SDKs refuse it as a header value",
                quote(&shown)
            )
            .into());
        }
        return Ok(Some((
            SecretString::from(token),
            format!("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {}", quote(&shown)),
        )));
    }
    match ctx.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
        Some(token) if token.contains(['\r', '\n']) => Err(AuthProblem::from(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN has a line break: the SDKs refuse it as a header value",
        )),
        Some(token) => Ok(Some((SecretString::from(token.to_string()), "AWS_CONTAINER_AUTHORIZATION_TOKEN".into()))),
        None => Ok(None),
    }
}

/// Runs the hop. Skipped when neither URI variable is set.
pub async fn container(ctx: &Context<'_>) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome::new(SourceKind::Container, "container credentials endpoint");
    let (target, from) = match endpoint(ctx, &mut out).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            out.note("neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor _FULL_URI is set");
            return out;
        }
        Err(why) => {
            out.stages.push(stage("settings", Status::Fail, started, vec![why.clone()]));
            out.note(why);
            out.fail(Cause::ContainerCredentialsUnavailable);
            return out;
        }
    };
    out.title = format!("container credentials endpoint {}", crate::hops::text::escape(&target.url(), 300));
    let token_file = ctx.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    let workload = crate::hops::workload::of_container(target.bare_host(), token_file);
    if let Some(workload) = workload {
        out.note(format!("workload: {}", workload.describe()));
    }
    let pod = workload == Some(crate::hops::workload::Workload::EksPodIdentity);
    let auth = match authorization(ctx) {
        Ok(auth) => auth,
        Err(problem) => {
            let settings = format!("URL from {from}");
            no_authorization(&mut out, problem.why, problem.unreadable, settings, started);
            return out;
        }
    };
    if target.is_https() {
        // Allowed by the SDKs, but rare (ECS and EKS serve plain HTTP): not judged.
        out.note("an https container endpoint: the SDKs accept it; credwiz does not probe it");
        return out;
    }
    let auth_line =
        auth.as_ref().map_or("no Authorization header".to_string(), |(_, from)| format!("Authorization from {from}"));
    out.stages.push(stage("settings", Status::Pass, started, vec![format!("URL from {from}"), auth_line]));
    let limits = Limits {
        connect: Duration::from_secs(2).min(ctx.timeout),
        answer: Duration::from_secs(5).min(ctx.timeout),
        max_body: 64 * 1024,
    };
    let request_started = Instant::now();
    let result = fetch(&target, auth.as_ref().map(|(token, _)| token), limits, pod, ctx).await;
    out.duration = started.elapsed();
    record(&mut out, result, request_started);
    out
}

/// The authorization token could not be had: the settings stage fails, and an
/// unreadable token file is named as such (the pod's user cannot read it).
fn no_authorization(out: &mut Outcome, why: String, unreadable: bool, settings: String, started: Instant) {
    out.stages.push(stage("settings", Status::Fail, started, vec![settings, why.clone()]));
    out.evidence.insert(0, why);
    if unreadable {
        out.fail(Cause::WebIdentityTokenUnreadable);
        out.advice = Some(
            "run as a user that can read the token: set securityContext.fsGroup (or runAsUser) in the pod spec".into(),
        );
    } else {
        out.fail(Cause::ContainerCredentialsUnavailable);
    }
}

/// Asks the endpoint for credentials and reads its answer: the credentials,
/// or why not (a Pod Identity agent's 400 decoded, other statuses explained).
async fn fetch(
    target: &http::Target,
    token: Option<&SecretString>,
    limits: Limits,
    pod: bool,
    ctx: &Context<'_>,
) -> Result<HopCredentials, String> {
    let header = token.map(|token| token.expose_secret().to_string());
    let headers: Vec<(&str, &str)> = header.as_deref().map(|h| vec![("Authorization", h)]).unwrap_or_default();
    match http::send("GET", target, &headers, None, limits).await {
        Err(failure) => Err(http::describe(&failure, target, &limits)),
        Ok(response) if response.status() == 200 => parse_credentials(&response.body, ctx.now)
            .map_err(|why| format!("HTTP 200, but the answer is not credentials: {why}")),
        Ok(response)
            if let Some(why) = (response.status() == 400)
                .then(|| super::pod_identity::explain_400(&response.body, pod, ctx))
                .flatten() =>
        {
            Err(why)
        }
        Ok(response) => {
            let hint = match response.status() {
                401 => " (no or wrong authorization token: check AWS_CONTAINER_AUTHORIZATION_TOKEN / _FILE)",
                403 => " (the authorization token was refused)",
                404 => " (wrong path: the task or pod has no role there, or the URI is stale)",
                500..=599 => " (the agent failed: the task role may not be assumable)",
                _ => "",
            };
            Err(format!("HTTP {}{hint}: {}", response.status(), body_excerpt(&response.body, ctx)))
        }
    }
}

/// The credentials stage, passed with the credentials or failed with why.
fn record(out: &mut Outcome, result: Result<HopCredentials, String>, request_started: Instant) {
    match result {
        Ok(credentials) => {
            let role = credentials
                .assumed_role_arn
                .as_deref()
                .map(|r| format!(" for {}", crate::hops::text::escape(r, 300)))
                .unwrap_or_default();
            let line = format!(
                "credentials{role} until {}",
                credentials.expiration.map(|e| e.to_rfc3339()).unwrap_or_default()
            );
            out.stages.push(stage("credentials", Status::Pass, request_started, vec![line.clone()]));
            out.note(line);
            out.pass(credentials);
        }
        Err(why) => {
            out.stages.push(stage("credentials", Status::Fail, request_started, vec![why.clone()]));
            out.fail(super::pod_identity::cause_of(&why));
            out.evidence.insert(0, why);
        }
    }
}
