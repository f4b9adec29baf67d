//! EC2 instance metadata, as aws-config's IMDS client reaches it: endpoint
//! from `AWS_EC2_METADATA_SERVICE_ENDPOINT`, the profile's
//! `ec2_metadata_service_endpoint`, then the endpoint mode (env, profile),
//! else `http://169.254.169.254`; `AWS_EC2_METADATA_DISABLED`. Stages: the
//! IMDSv2 token PUT (1 s: a token request that gets no answer inside a
//! container is the hop-limit case), the role name, the credentials. Where
//! the AWS CLI would differ (IMDSv1 fallback; `HTTP_PROXY` applied to IMDS
//! when `NO_PROXY` misses it) that path is probed too and said. IO: requests.

use super::http::{self, Failure, Limits, Response, Target};
use super::{body_excerpt, parse_credentials};
use crate::base::environment::Environment;
use crate::hops::text::quote;
use crate::hops::{Cause, Context, Outcome, Stage, Status, Tool, ToolDifference};
use crate::profile::view::Section;
use crate::vocabulary::SourceKind;
use secrecy::{ExposeSecret, SecretString};
use std::time::{Duration, Instant};

const TOKEN_PATH: &str = "/latest/api/token";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Where the SDK would find IMDS, and what the AWS CLI would do differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImdsSettings {
    pub disabled: bool,
    /// The endpoint URL, or why the SDK cannot build one.
    pub endpoint: Result<String, String>,
    /// Where the endpoint came from.
    pub from: String,
    /// The HTTP proxy botocore would send IMDS requests through.
    pub cli_proxy: Option<String>,
}

/// Python's `proxy_bypass_environment` for a host: `NO_PROXY` entries are
/// host suffixes (no CIDR), `*` bypasses everything.
fn no_proxy_covers(no_proxy: &str, host: &str) -> bool {
    no_proxy.split(',').map(|n| n.trim().trim_start_matches('.')).filter(|n| !n.is_empty()).any(|name| {
        let name = name.split(':').next().unwrap_or(name);
        name == "*"
            || host.eq_ignore_ascii_case(name)
            || host.to_ascii_lowercase().ends_with(&format!(".{}", name.to_ascii_lowercase()))
    })
}

impl ImdsSettings {
    /// Resolves the settings from the environment and the selected profile's section.
    pub fn resolve(env: &Environment, profile: Option<&Section>) -> Self {
        let disabled = env.imds_disabled();
        let from_profile = |key: &str| profile.and_then(|p| p.get(key)).map(str::to_string);
        let (endpoint, from) = if let Some(url) = env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            (Ok(url.to_string()), "AWS_EC2_METADATA_SERVICE_ENDPOINT".to_string())
        } else if let Some(url) = from_profile("ec2_metadata_service_endpoint") {
            (Ok(url), "the profile's ec2_metadata_service_endpoint".to_string())
        } else {
            let (mode, from) = match env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
                Some(mode) => (Some(mode.to_string()), "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"),
                None => (
                    from_profile("ec2_metadata_service_endpoint_mode"),
                    "the profile's ec2_metadata_service_endpoint_mode",
                ),
            };
            match mode {
                None => (Ok("http://169.254.169.254".to_string()), "the default".to_string()),
                Some(m) if m.eq_ignore_ascii_case("ipv4") => (Ok("http://169.254.169.254".into()), from.to_string()),
                Some(m) if m.eq_ignore_ascii_case("ipv6") => (Ok("http://[fd00:ec2::254]".into()), from.to_string()),
                Some(m) => (Err(format!("{from} is {}, not IPv4 or IPv6", quote(&m))), from.to_string()),
            }
        };
        // botocore: lowercase variables win; http:// URLs use the `http` proxy.
        let proxy = env.get("http_proxy").or_else(|| env.get("HTTP_PROXY"));
        let no_proxy = env.get("no_proxy").or_else(|| env.get("NO_PROXY")).unwrap_or_default();
        let host = endpoint
            .as_ref()
            .ok()
            .and_then(|e| Target::parse(e).ok())
            .map(|t| t.bare_host().to_string())
            .unwrap_or_default();
        let cli_proxy = proxy.filter(|_| !no_proxy_covers(no_proxy, &host)).map(str::to_string);
        ImdsSettings { disabled, endpoint, from, cli_proxy }
    }
}

fn ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn describe(result: &Result<Response, Failure>, target: &Target, limits: &Limits, ctx: &Context<'_>) -> String {
    match result {
        Ok(r) => format!("HTTP {}: {}", r.status(), body_excerpt(&r.body, ctx)),
        Err(f) => http::describe(f, target, limits),
    }
}

/// Records a failed stage, its note, and the hop's cause.
fn fail(out: &mut Outcome, name: &str, started: Instant, why: String) {
    out.stages.push(Stage {
        name: name.into(),
        status: Status::Fail,
        duration_ms: ms(started),
        evidence: vec![why.clone()],
    });
    out.note(why);
    out.fail(Cause::ImdsUnavailable);
}

/// Runs the hop.
pub async fn imds(settings: &ImdsSettings, ctx: &Context<'_>) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome::new(SourceKind::Imds, "EC2 instance metadata (IMDS)");
    let Some(target) = usable_endpoint(settings, &mut out, started) else { return out };
    let budget = ctx.timeout.max(Duration::from_millis(100));
    let limits = Limits {
        connect: Duration::from_secs(1).min(budget),
        answer: Duration::from_secs(1).min(budget),
        max_body: 16 * 1024,
    };
    match token(&target, limits, &mut out, ctx).await {
        Token::Issued(token) => {
            let auth = [("x-aws-ec2-metadata-token", token.expose_secret())];
            if let Some(role) = role_name(&target, &auth, limits, &mut out, ctx).await {
                role_credentials(&target, &role, &auth, limits, &mut out, ctx).await;
                cli_proxy_stage(settings, &target, limits, &mut out, ctx).await;
            }
        }
        Token::NotIssued => imdsv1_fallback(&target, limits, &mut out, ctx).await,
        Token::NoInstance => cli_proxy_stage(settings, &target, limits, &mut out, ctx).await,
    }
    out.duration = started.elapsed();
    out
}

/// The "settings" stage: whether the SDKs ask IMDS at all, and at which endpoint.
fn usable_endpoint(settings: &ImdsSettings, out: &mut Outcome, started: Instant) -> Option<Target> {
    if settings.disabled {
        fail(out, "settings", started, "AWS_EC2_METADATA_DISABLED is true: the SDKs do not ask IMDS".into());
        return None;
    }
    let target = match settings
        .endpoint
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|e| Target::parse(e).map_err(|why| why.to_string()))
    {
        Ok(t) => t,
        Err(why) => {
            fail(out, "settings", started, format!("no usable IMDS endpoint: {why}"));
            return None;
        }
    };
    out.title = format!("EC2 instance metadata at {}", crate::hops::text::escape(&target.url(), 200));
    out.stages.push(Stage {
        name: "settings".into(),
        status: Status::Pass,
        duration_ms: 0,
        evidence: vec![format!(
            "endpoint {} from {}",
            crate::hops::text::escape(&target.authority(), 200),
            settings.from
        )],
    });
    Some(target)
}

/// What the IMDSv2 token request came to.
enum Token {
    Issued(SecretString),
    /// An answer without a token, or none in time: the Rust SDK stops here,
    /// botocore falls back to IMDSv1.
    NotIssued,
    /// Nothing listens there: not an EC2 instance, or blocked.
    NoInstance,
}

/// The IMDSv2 token PUT, and what its failure means (hop limit, no IMDSv2, no instance).
async fn token(target: &Target, limits: Limits, out: &mut Outcome, ctx: &Context<'_>) -> Token {
    let started = Instant::now();
    let ttl = [("x-aws-ec2-metadata-token-ttl-seconds", "21600")];
    let answer = http::send("PUT", &target.with_path(TOKEN_PATH), &ttl, None, limits).await;
    if let Ok(r) = &answer
        && r.status() == 200
        && !r.body.is_empty()
    {
        out.stages.push(Stage {
            name: "IMDSv2 token".into(),
            status: Status::Pass,
            duration_ms: ms(started),
            evidence: vec!["token issued".into()],
        });
        return Token::Issued(SecretString::from(String::from_utf8_lossy(&r.body).trim().to_string()));
    }
    let mut why = describe(&answer, &target.with_path(TOKEN_PATH), &limits, ctx);
    let token = match &answer {
        Err(Failure::NoAnswer) => {
            why.push_str(
                ": inside a container on EC2 this is the IMDSv2 hop limit (the answer needs 2 hops; raise HttpPutResponseHopLimit to 2)",
            );
            Token::NotIssued
        }
        Err(Failure::Refused | Failure::ConnectTimeout | Failure::Connect(_) | Failure::Resolve(_)) => {
            why.push_str(": no instance metadata here (not an EC2 instance, or blocked)");
            Token::NoInstance
        }
        Ok(r) if matches!(r.status(), 403..=405) => {
            why.push_str(": IMDSv2 is not offered here");
            Token::NotIssued
        }
        _ => Token::NotIssued,
    };
    fail(out, "IMDSv2 token", started, why);
    token
}

/// Without a token the Rust SDK stops; botocore falls back to IMDSv1 (a GET
/// without token): whether that answers, which is where the tools differ.
async fn imdsv1_fallback(target: &Target, limits: Limits, out: &mut Outcome, ctx: &Context<'_>) {
    let started = Instant::now();
    let v1 = http::send("GET", &target.with_path(ROLE_PATH), &[], None, limits).await;
    let (status, line) = match &v1 {
        Ok(r) if r.status() == 200 => {
            out.differences.push(ToolDifference {
                topic: "IMDSv1".into(),
                fails_in: Some(Tool::RustSdk),
                note: "IMDSv1 answers without a token: the AWS CLI and boto3 fall back to it and work; the Rust SDK speaks IMDSv2 only and fails".into(),
            });
            (Status::Warn, "IMDSv1 (no token) answers: the AWS CLI would use it".to_string())
        }
        Ok(r) if r.status() == 401 => {
            (Status::Fail, "IMDSv1 is refused too (HTTP 401: the instance requires IMDSv2)".to_string())
        }
        other => (Status::Fail, format!("IMDSv1: {}", describe(other, &target.with_path(ROLE_PATH), &limits, ctx))),
    };
    out.stages.push(Stage {
        name: "IMDSv1 fallback (AWS CLI)".into(),
        status,
        duration_ms: ms(started),
        evidence: vec![line.clone()],
    });
    out.note(line);
}

/// The instance's role name; `None` (a failed stage) when there is none or no answer.
async fn role_name(
    target: &Target,
    auth: &[(&str, &str)],
    limits: Limits,
    out: &mut Outcome,
    ctx: &Context<'_>,
) -> Option<String> {
    let started = Instant::now();
    let answer = http::send("GET", &target.with_path(ROLE_PATH), auth, None, limits).await;
    let role = match &answer {
        Ok(r) if r.status() == 200 => {
            String::from_utf8_lossy(&r.body).lines().next().unwrap_or_default().trim().to_string()
        }
        Ok(r) if r.status() == 404 => String::new(),
        other => {
            let why = format!("role name: {}", describe(other, &target.with_path(ROLE_PATH), &limits, ctx));
            fail(out, "role", started, why);
            return None;
        }
    };
    if role.is_empty() {
        fail(out, "role", started, "no IAM role is attached to this instance (no instance profile): attach one".into());
        return None;
    }
    out.stages.push(Stage {
        name: "role".into(),
        status: Status::Pass,
        duration_ms: ms(started),
        evidence: vec![format!("instance role {}", quote(&role))],
    });
    Some(role)
}

/// The role's credentials: the hop passes with them, or fails with why not.
async fn role_credentials(
    target: &Target,
    role: &str,
    auth: &[(&str, &str)],
    limits: Limits,
    out: &mut Outcome,
    ctx: &Context<'_>,
) {
    let started = Instant::now();
    let creds_target = target.with_path(&format!("{ROLE_PATH}{role}"));
    let answer = http::send("GET", &creds_target, auth, None, limits).await;
    let result = match &answer {
        Ok(r) if r.status() == 200 => parse_credentials(&r.body, ctx.now),
        other => Err(describe(other, &creds_target, &limits, ctx)),
    };
    match result {
        Ok(credentials) => {
            let line = format!(
                "credentials of role {} until {}",
                quote(role),
                credentials.expiration.map(|e| e.to_rfc3339()).unwrap_or_default()
            );
            out.stages.push(Stage {
                name: "credentials".into(),
                status: Status::Pass,
                duration_ms: ms(started),
                evidence: vec![line.clone()],
            });
            out.note(line);
            out.pass(credentials);
        }
        Err(why) => fail(out, "credentials", started, format!("credentials: {why}")),
    }
}

/// When botocore would send IMDS requests through `HTTP_PROXY`: what the proxy answers.
async fn cli_proxy_stage(
    settings: &ImdsSettings,
    target: &Target,
    limits: Limits,
    out: &mut Outcome,
    ctx: &Context<'_>,
) {
    let Some(proxy_url) = &settings.cli_proxy else { return };
    let started = Instant::now();
    let shown = crate::hops::text::escape(proxy_url, 200);
    let proxy = match Target::parse(proxy_url) {
        Ok(p) => p,
        Err(why) => {
            out.stages.push(Stage {
                name: "proxy (AWS CLI)".into(),
                status: Status::Warn,
                duration_ms: 0,
                evidence: vec![format!("HTTP_PROXY {shown} is not a URL: {why}")],
            });
            return;
        }
    };
    let answer = http::send(
        "PUT",
        &target.with_path(TOKEN_PATH),
        &[("x-aws-ec2-metadata-token-ttl-seconds", "21600")],
        Some(&proxy),
        limits,
    )
    .await;
    let line = format!(
        "the AWS CLI and boto3 send IMDS requests through the proxy {shown} (NO_PROXY does not list {}); the proxy answered: {}",
        target.bare_host(),
        describe(&answer, &proxy, &limits, ctx)
    );
    let works = matches!(&answer, Ok(r) if r.status() == 200);
    if !works {
        out.differences.push(ToolDifference {
            topic: "HTTP_PROXY and IMDS".into(),
            fails_in: Some(Tool::AwsCli),
            note: format!("add {} to NO_PROXY: the proxy answers for it, not the instance", target.bare_host()),
        });
    }
    out.stages.push(Stage {
        name: "proxy (AWS CLI)".into(),
        status: if works { Status::Pass } else { Status::Warn },
        duration_ms: ms(started),
        evidence: vec![line.clone()],
    });
    out.note(line);
    if out.status == Status::Pass && !works {
        out.status = Status::Warn;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_and_proxy_rules() {
        let env = Environment::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")], None);
        assert_eq!(ImdsSettings::resolve(&env, None).endpoint, Ok("http://[fd00:ec2::254]".into()));
        let env = Environment::from_pairs([("HTTP_PROXY", "http://proxy:3128"), ("NO_PROXY", "localhost,.corp")], None);
        assert_eq!(ImdsSettings::resolve(&env, None).cli_proxy.as_deref(), Some("http://proxy:3128"));
        let env = Environment::from_pairs([("HTTP_PROXY", "http://proxy:3128"), ("no_proxy", "169.254.169.254")], None);
        assert_eq!(ImdsSettings::resolve(&env, None).cli_proxy, None);
        let env = Environment::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5")], None);
        assert!(ImdsSettings::resolve(&env, None).endpoint.is_err());
    }
}
