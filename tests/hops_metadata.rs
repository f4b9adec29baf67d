//! The container endpoint and IMDS against fakes on 127.0.0.1: healthy,
//! refused, hanging, 404, garbage, a missing or newline-ended authorization
//! token file, a host the SDKs refuse; IMDSv2, the token request that never
//! gets an answer (the hop-limit case), IMDSv1 only, no role, disabled, and a
//! proxy the AWS CLI would send IMDS requests through.

mod hops_fakes;

use credwiz::hops::metadata::{ImdsSettings, container, imds};
use credwiz::hops::{Cause, Context, Outcome, Scrubber, Status, Tool};
use hops_fakes::{Fake, Reply};
use std::time::{Duration, Instant};

const CREDS: &str = r#"{"RoleArn": "arn:aws:iam::123456789012:role/app-task", "AccessKeyId": "ASIACONTAINER", "SecretAccessKey": "container-SECRET", "Token": "container-SECRET-TOKEN", "Expiration": "2099-01-01T00:00:00Z"}"#;

async fn run_container(pairs: &[(&str, &str)], timeout: Duration) -> (Outcome, String) {
    let home = tempfile::tempdir().expect("home");
    let env = hops_fakes::env(home.path(), pairs);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, timeout, &scrubber);
    let out = container(&ctx).await;
    let text = format!("{out:?}");
    assert!(!text.contains("SECRET"), "{text}");
    (out, text)
}

fn container_fake() -> Fake {
    Fake::start(|req| match (req.path(), req.header("authorization")) {
        ("/v2/credentials/task", Some("Bearer SECRET-pod-token")) => Reply::json(200, CREDS),
        ("/v2/credentials/task", Some(_)) => {
            Reply::json(403, r#"{"code": "AccessDenied", "message": "Authorization token is invalid"}"#)
        }
        ("/v2/credentials/task", None) => {
            Reply::json(401, r#"{"code": "InvalidAuthorizationToken", "message": "Authorization header is missing"}"#)
        }
        ("/hang", _) => Reply::Hang,
        ("/garbage", _) => Reply::status(200, "text/html", "<html><head><title>502 Bad Gateway</title></head></html>"),
        _ => Reply::status(404, "text/plain", "404 page not found\n"),
    })
}

#[tokio::test]
async fn a_healthy_container_endpoint() {
    let fake = container_fake();
    let url = format!("{}/v2/credentials/task", fake.url());
    let (out, _) = run_container(
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer SECRET-pod-token"),
        ],
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(out.status, Status::Pass);
    let creds = out.credentials.expect("credentials");
    assert_eq!(creds.assumed_role_arn.as_deref(), Some("arn:aws:iam::123456789012:role/app-task"));
    assert_eq!(creds.account_id.as_deref(), Some("123456789012"));
    // The token file wins over the variable, as in the SDK.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("token");
    std::fs::write(&file, "Bearer SECRET-pod-token").expect("token");
    let (out, _) = run_container(
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &url),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", &file.display().to_string()),
        ],
        Duration::from_secs(5),
    )
    .await;
    assert_eq!(out.status, Status::Pass);
}

#[tokio::test]
async fn container_credentials_unavailable_each_way() {
    let fake = container_fake();
    let closed = format!("http://127.0.0.1:{}/v2/credentials/task", hops_fakes::closed_port());
    let dir = tempfile::tempdir().expect("dir");
    let newline = dir.path().join("token");
    std::fs::write(&newline, "Bearer SECRET-pod-token\n").expect("token");
    let missing = dir.path().join("absent").display().to_string();
    let newline = newline.display().to_string();
    let url = |p: &str| format!("{}{p}", fake.url());
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", closed)], "connection refused"),
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/hang"))], "no answer within"),
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/other"))], "HTTP 404 (wrong path"),
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/garbage"))], "found `<`"),
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v2/credentials/task"))], "HTTP 401"),
        (
            vec![
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v2/credentials/task")),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", missing),
            ],
            "does not exist",
        ),
        (
            vec![
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", url("/v2/credentials/task")),
                ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", newline),
            ],
            "line break",
        ),
        (vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds".into())], "a host the SDKs refuse"),
    ];
    for (pairs, want) in cases {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let started = Instant::now();
        let (out, text) = run_container(&pairs, Duration::from_millis(700)).await;
        assert_eq!(out.cause, Some(Cause::ContainerCredentialsUnavailable), "{want}: {text}");
        assert!(text.contains(want), "{want}: {text}");
        assert!(started.elapsed() < Duration::from_secs(2), "{want}: took {:?}", started.elapsed());
    }
    let (out, _) = run_container(&[], Duration::from_secs(1)).await;
    assert_eq!(out.status, Status::Skip, "not configured: nothing to check");
    let (out, _) =
        run_container(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://creds.example/x")], Duration::from_secs(1))
            .await;
    assert_eq!(out.status, Status::Skip, "https is allowed, and not probed");
}

/// A fake IMDS: `mode` as the lab's (v2, v1-only, token-blocked, no-role).
fn imds_fake(mode: &'static str) -> Fake {
    Fake::start(move |req| {
        let token_ok = req.header("x-aws-ec2-metadata-token") == Some("SECRET-imds-token");
        match (req.method.as_str(), req.path()) {
            ("PUT", "/latest/api/token") => match mode {
                "token-blocked" => Reply::Hang,
                "v1-only" => Reply::status(404, "text/html", "<html>404 - Not Found</html>"),
                _ if req.header("x-aws-ec2-metadata-token-ttl-seconds").is_none() => {
                    Reply::status(400, "text/html", "bad")
                }
                _ => Reply::status(200, "text/plain", "SECRET-imds-token"),
            },
            _ if !token_ok && mode != "v1-only" => Reply::status(401, "text/html", "<html>401 - Unauthorized</html>"),
            ("GET", "/latest/meta-data/iam/security-credentials/") if mode == "no-role" => {
                Reply::status(404, "text/html", "<html>404 - Not Found</html>")
            }
            ("GET", "/latest/meta-data/iam/security-credentials/") => Reply::status(200, "text/plain", "web-server"),
            ("GET", "/latest/meta-data/iam/security-credentials/web-server") => Reply::status(
                200,
                "text/plain",
                r#"{"Code" : "Success", "LastUpdated" : "2024-01-01T00:00:00Z", "Type" : "AWS-HMAC", "AccessKeyId" : "ASIAIMDS", "SecretAccessKey" : "imds-SECRET", "Token" : "imds-SECRET-TOKEN", "Expiration" : "2099-01-01T00:00:00Z"}"#,
            ),
            _ => Reply::status(404, "text/html", "<html>404 - Not Found</html>"),
        }
    })
}

async fn run_imds(pairs: &[(&str, &str)]) -> (Outcome, String) {
    let home = tempfile::tempdir().expect("home");
    let env = hops_fakes::env(home.path(), pairs);
    let scrubber = Scrubber::new();
    let ctx = Context::new(&env, Duration::from_secs(5), &scrubber);
    let out = imds(&ImdsSettings::resolve(&env, None), &ctx).await;
    let text = format!("{out:?}");
    assert!(!text.contains("SECRET"), "{text}");
    (out, text)
}

#[tokio::test]
async fn imds_v2_gives_the_instance_role_credentials() {
    let fake = imds_fake("v2");
    let (out, text) = run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fake.url())]).await;
    assert_eq!(out.status, Status::Pass, "{text}");
    assert_eq!(out.credentials.as_ref().map(|c| c.access_key_id.as_str()), Some("ASIAIMDS"));
    let stages: Vec<_> = out.stages.iter().map(|s| (s.name.as_str(), s.status)).collect();
    assert_eq!(
        stages,
        vec![
            ("settings", Status::Pass),
            ("IMDSv2 token", Status::Pass),
            ("role", Status::Pass),
            ("credentials", Status::Pass)
        ]
    );
}

#[tokio::test]
async fn imds_unavailable_each_way() {
    let blocked = imds_fake("token-blocked");
    let started = Instant::now();
    let (out, text) = run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &blocked.url())]).await;
    assert_eq!(out.cause, Some(Cause::ImdsUnavailable));
    assert!(text.contains("hop limit") && text.contains("IMDSv1 is refused too"), "{text}");
    assert!(started.elapsed() < Duration::from_secs(3), "a short token timeout: {:?}", started.elapsed());

    let v1 = imds_fake("v1-only");
    let (out, text) = run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &v1.url())]).await;
    assert_eq!(out.cause, Some(Cause::ImdsUnavailable), "the Rust SDK speaks IMDSv2 only");
    assert!(out.differences.iter().any(|d| d.fails_in == Some(Tool::RustSdk)), "{text}");

    let no_role = imds_fake("no-role");
    let (out, text) = run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &no_role.url())]).await;
    assert_eq!(out.cause, Some(Cause::ImdsUnavailable));
    assert!(text.contains("no IAM role is attached"), "{text}");

    let nothing = format!("http://127.0.0.1:{}", hops_fakes::closed_port());
    let (out, text) = run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &nothing)]).await;
    assert_eq!(out.cause, Some(Cause::ImdsUnavailable));
    assert!(text.contains("no instance metadata here"), "{text}");

    let (out, text) =
        run_imds(&[("AWS_EC2_METADATA_DISABLED", "TRUE"), ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &nothing)]).await;
    assert_eq!(out.cause, Some(Cause::ImdsUnavailable));
    assert!(text.contains("AWS_EC2_METADATA_DISABLED"), "{text}");
}

#[tokio::test]
async fn a_proxy_answering_for_imds_is_what_the_cli_would_see() {
    let fake = imds_fake("v2");
    let proxy = Fake::start(|_| Reply::status(403, "text/html", "<html>Access denied by corporate proxy</html>"));
    let (out, text) =
        run_imds(&[("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fake.url()), ("HTTP_PROXY", &proxy.url())]).await;
    assert_eq!(out.status, Status::Warn, "the Rust SDK goes direct and works: {text}");
    assert!(out.credentials.is_some());
    assert!(out.differences.iter().any(|d| d.fails_in == Some(Tool::AwsCli) && d.note.contains("NO_PROXY")), "{text}");
    assert!(text.contains("Access denied by corporate proxy"), "{text}");
    let sent = proxy.requests();
    assert!(
        sent.first().is_some_and(|r| r.target.starts_with("http://127.0.0.1:")),
        "absolute form to the proxy: {sent:?}"
    );
    // With NO_PROXY covering the host, the CLI goes direct too.
    let (out, _) = run_imds(&[
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", &fake.url()),
        ("HTTP_PROXY", &proxy.url()),
        ("NO_PROXY", "localhost,127.0.0.1"),
    ])
    .await;
    assert_eq!(out.status, Status::Pass);
}
