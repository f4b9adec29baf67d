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
        let host = endpoint.as_ref().ok().and_then(|e| Target::parse(e).ok()).map(|t| t.host).unwrap_or_default();
        let cli_proxy = proxy.filter(|_| !no_proxy_covers(no_proxy, &host)).map(str::to_string);
        ImdsSettings { disabled, endpoint, from, cli_proxy }
    }
}

fn ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

fn describe(result: &Result<Response, Failure>, target: &Target, limits: &Limits, ctx: &Context<'_>) -> String {
    match result {
        Ok(r) => format!("HTTP {}: {}", r.status, body_excerpt(&r.body, ctx)),
        Err(f) => f.describe(target, limits),
    }
}

/// Runs the hop.
pub async fn imds(settings: &ImdsSettings, ctx: &Context<'_>) -> Outcome {
    let started = Instant::now();
    let mut out = Outcome::new("imds", "EC2 instance metadata (IMDS)");
    let fail = |out: &mut Outcome, name: &str, started: Instant, why: String| {
        out.stages.push(Stage {
            name: name.into(),
            status: Status::Fail,
            duration_ms: ms(started),
            evidence: vec![why.clone()],
        });
        out.note(why);
        out.fail(Cause::ImdsUnavailable);
    };
    if settings.disabled {
        fail(&mut out, "settings", started, "AWS_EC2_METADATA_DISABLED is true: the SDKs do not ask IMDS".into());
        return out;
    }
    let target = match settings.endpoint.as_ref().map_err(Clone::clone).and_then(|e| Target::parse(e)) {
        Ok(t) => t,
        Err(why) => {
            fail(&mut out, "settings", started, format!("no usable IMDS endpoint: {why}"));
            return out;
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
    let budget = ctx.timeout.max(Duration::from_millis(100));
    let limits = Limits {
        connect: Duration::from_secs(1).min(budget),
        answer: Duration::from_secs(1).min(budget),
        max_body: 16 * 1024,
    };
    let token_started = Instant::now();
    let ttl = [("x-aws-ec2-metadata-token-ttl-seconds", "21600")];
    let token_answer = http::send("PUT", &target.with_path(TOKEN_PATH), &ttl, None, limits).await;
    let token = match &token_answer {
        Ok(r) if r.status == 200 && !r.body.is_empty() => {
            out.stages.push(Stage {
                name: "IMDSv2 token".into(),
                status: Status::Pass,
                duration_ms: ms(token_started),
                evidence: vec!["token issued".into()],
            });
            Some(secrecy::SecretString::from(String::from_utf8_lossy(&r.body).trim().to_string()))
        }
        other => {
            let mut why = describe(other, &target.with_path(TOKEN_PATH), &limits, ctx);
            match other {
                Err(Failure::NoAnswer) => why.push_str(
                    ": inside a container on EC2 this is the IMDSv2 hop limit (the answer needs 2 hops; raise HttpPutResponseHopLimit to 2)",
                ),
                Err(Failure::Refused | Failure::ConnectTimeout | Failure::Connect(_) | Failure::Resolve(_)) => {
                    why.push_str(": no instance metadata here (not an EC2 instance, or blocked)");
                    fail(&mut out, "IMDSv2 token", token_started, why);
                    cli_proxy_stage(settings, &target, limits, &mut out, ctx).await;
                    out.duration = started.elapsed();
                    return out;
                }
                Ok(r) if matches!(r.status, 403..=405) => why.push_str(": IMDSv2 is not offered here"),
                _ => {}
            }
            fail(&mut out, "IMDSv2 token", token_started, why);
            None
        }
    };
    if token.is_none() {
        // The Rust SDK stops; botocore falls back to IMDSv1 (a GET without token).
        let v1_started = Instant::now();
        let v1 = http::send("GET", &target.with_path(ROLE_PATH), &[], None, limits).await;
        let (status, line) = match &v1 {
            Ok(r) if r.status == 200 => {
                out.differences.push(ToolDifference {
                    topic: "IMDSv1".into(),
                    fails_in: Some(Tool::RustSdk),
                    note: "IMDSv1 answers without a token: the AWS CLI and boto3 fall back to it and work; the Rust SDK speaks IMDSv2 only and fails".into(),
                });
                (Status::Warn, "IMDSv1 (no token) answers: the AWS CLI would use it".to_string())
            }
            Ok(r) if r.status == 401 => {
                (Status::Fail, "IMDSv1 is refused too (HTTP 401: the instance requires IMDSv2)".to_string())
            }
            other => (Status::Fail, format!("IMDSv1: {}", describe(other, &target.with_path(ROLE_PATH), &limits, ctx))),
        };
        out.stages.push(Stage {
            name: "IMDSv1 fallback (AWS CLI)".into(),
            status,
            duration_ms: ms(v1_started),
            evidence: vec![line.clone()],
        });
        out.note(line);
        out.duration = started.elapsed();
        return out;
    }
    let token = token.map(|t| secrecy::ExposeSecret::expose_secret(&t).to_string()).unwrap_or_default();
    let auth = [("x-aws-ec2-metadata-token", token.as_str())];
    let role_started = Instant::now();
    let role_answer = http::send("GET", &target.with_path(ROLE_PATH), &auth, None, limits).await;
    let role = match &role_answer {
        Ok(r) if r.status == 200 => {
            String::from_utf8_lossy(&r.body).lines().next().unwrap_or_default().trim().to_string()
        }
        Ok(r) if r.status == 404 => String::new(),
        other => {
            let why = format!("role name: {}", describe(other, &target.with_path(ROLE_PATH), &limits, ctx));
            fail(&mut out, "role", role_started, why);
            out.duration = started.elapsed();
            return out;
        }
    };
    if role.is_empty() {
        fail(
            &mut out,
            "role",
            role_started,
            "no IAM role is attached to this instance (no instance profile): attach one".into(),
        );
        out.duration = started.elapsed();
        return out;
    }
    out.stages.push(Stage {
        name: "role".into(),
        status: Status::Pass,
        duration_ms: ms(role_started),
        evidence: vec![format!("instance role {}", quote(&role))],
    });
    let creds_started = Instant::now();
    let creds_target = target.with_path(&format!("{ROLE_PATH}{role}"));
    let answer = http::send("GET", &creds_target, &auth, None, limits).await;
    let result = match &answer {
        Ok(r) if r.status == 200 => parse_credentials(&r.body, ctx.now),
        other => Err(describe(other, &creds_target, &limits, ctx)),
    };
    match result {
        Ok(credentials) => {
            let line = format!(
                "credentials of role {} until {}",
                quote(&role),
                credentials.expiration.map(|e| e.to_rfc3339()).unwrap_or_default()
            );
            out.stages.push(Stage {
                name: "credentials".into(),
                status: Status::Pass,
                duration_ms: ms(creds_started),
                evidence: vec![line.clone()],
            });
            out.note(line);
            out.pass(credentials);
        }
        Err(why) => fail(&mut out, "credentials", creds_started, format!("credentials: {why}")),
    }
    cli_proxy_stage(settings, &target, limits, &mut out, ctx).await;
    out.duration = started.elapsed();
    out
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
        target.host,
        describe(&answer, &proxy, &limits, ctx)
    );
    let works = matches!(&answer, Ok(r) if r.status == 200);
    if !works {
        out.differences.push(ToolDifference {
            topic: "HTTP_PROXY and IMDS".into(),
            fails_in: Some(Tool::AwsCli),
            note: format!("add {} to NO_PROXY: the proxy answers for it, not the instance", target.host),
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
