//! Workload identity (SPEC 3d), through the real binary: a GitHub Actions
//! job's token asked for as `core.getIDToken` asks and traded as
//! configure-aws-credentials trades it (a local fake plays the job's token
//! endpoint and STS, answering with AWS's own refusals); the trust policy
//! judged from `--policy trust=FILE`; `--format github` annotations; a token
//! file this user cannot read (the binary run as `nobody` when the test runs
//! as root, a mode-0000 file otherwise: the kernel decides, nothing is
//! faked); the EKS Pod Identity agent's HTTP 400; pasted CI errors.

mod hops_fakes;
mod support;

use hops_fakes::{Fake, Reply, sts_credentials, sts_error};
use std::sync::{Arc, Mutex};

const ROLE: &str = "arn:aws:iam::123456789012:role/gha-deploy";
const REQUEST_TOKEN: &str = "request-token-of-the-job";

fn b64(s: &str) -> String {
    aws_smithy_types::base64::encode(s).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// A token as GitHub issues it (not signed: nothing here verifies it).
fn github_token(sub: &str, aud: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    format!(
        "{}.{}.{}",
        b64(r#"{"alg":"RS256","kid":"k"}"#),
        b64(&format!(
            r#"{{"iss":"https://token.actions.githubusercontent.com","aud":"{aud}","sub":"{sub}","exp":{},"iat":{now},"repository":"octo-org/octo-repo","ref":"refs/heads/main","environment":"prod","event_name":"push"}}"#,
            now + 300
        )),
        b64("the-signature-nobody-may-print")
    )
}

/// An answer dated now (the fake's default date would read as a skewed clock).
fn dated(reply: Reply) -> Reply {
    match reply {
        Reply::Http { status, mut headers, body } => {
            headers.push(("Date".into(), chrono::Utc::now().format("%a, %d %b %Y %H:%M:%S GMT").to_string()));
            Reply::Http { status, headers, body }
        }
        other => other,
    }
}

fn caller_identity() -> Reply {
    dated(Reply::xml(
        200,
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:assumed-role/gha-deploy/GitHubActions</Arn><UserId>AROAEXAMPLE:GitHubActions</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetCallerIdentityResponse>".into(),
    ))
}

/// One fake for both the job's token endpoint (GET) and STS (POST);
/// `web_identity` answers AssumeRoleWithWebIdentity.
fn job_world(token: String, web_identity: Reply) -> Fake {
    let web_identity = Arc::new(Mutex::new(Some(web_identity)));
    Fake::start(move |request| {
        if request.method == "GET" {
            if request.header("authorization") != Some(&format!("Bearer {REQUEST_TOKEN}")) {
                return Reply::json(401, r#"{"message":"no"}"#);
            }
            return Reply::json(200, &format!(r#"{{"count":{},"value":"{token}"}}"#, token.len()));
        }
        match request.action().as_str() {
            "AssumeRoleWithWebIdentity" => dated(web_identity.lock().expect("reply").take().unwrap_or(Reply::Close)),
            "GetCallerIdentity" => caller_identity(),
            _ => dated(sts_error(403, "AccessDenied", "not in this test")),
        }
    })
}

fn job_env(fake: &Fake) -> Vec<(&'static str, String)> {
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("AWS_ROLE_ARN", ROLE.into()),
        ("AWS_REGION", "us-east-1".into()),
        ("ACTIONS_ID_TOKEN_REQUEST_URL", format!("{}/_apis/idtoken?api-version=2.0", fake.url())),
        ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN.into()),
    ]
}

fn run_check(fake: &Fake, env: &[(&str, String)], args: &[&str]) -> (serde_json::Value, std::process::Output) {
    let home = support::home(None, None);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    support::check_json(home.path(), &fake.url(), &env, args)
}

#[test]
fn a_github_job_asks_for_its_token_as_get_id_token_does_and_trades_it_as_the_action_does() {
    let token = github_token("repo:octo-org/octo-repo:environment:prod", "sts.amazonaws.com");
    let fake = job_world(
        token.clone(),
        sts_credentials("AssumeRoleWithWebIdentity", ROLE, "GitHubActions", "ASIAJOBJOBJOBJOB1234"),
    );
    let (report, out) = run_check(&fake, &job_env(&fake), &[]);
    assert_eq!(support::primary(&report), "", "{report:#}");
    let requests = fake.requests();
    let get = requests.iter().find(|r| r.method == "GET").expect("the token was asked for");
    assert_eq!(get.target, "/_apis/idtoken?api-version=2.0&audience=sts.amazonaws.com");
    let trade = requests.iter().find(|r| r.action() == "AssumeRoleWithWebIdentity").expect("traded");
    assert_eq!(trade.form("RoleArn").as_deref(), Some(ROLE));
    assert_eq!(trade.form("RoleSessionName").as_deref(), Some("GitHubActions"));
    assert_eq!(trade.form("DurationSeconds").as_deref(), Some("3600"));
    assert_eq!(trade.form("WebIdentityToken").as_deref(), Some(token.as_str()));
    assert!(!trade.body.contains("Tags"), "configure-aws-credentials sends no session tags with a web identity");
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(shown.contains("repo:octo-org/octo-repo:environment:prod"), "the claims are shown: {shown}");
    let signature = token.rsplit('.').next().unwrap_or_default();
    assert!(!shown.contains(&token) && !shown.contains(signature), "neither the token nor its signature is printed");
    assert!(!shown.contains(REQUEST_TOKEN), "nor the job's request token");
}

#[test]
fn an_audience_flag_is_requested_percent_encoded() {
    let token = github_token("repo:octo-org/octo-repo:ref:refs/heads/main", "https://github.com/octo-org");
    let fake = job_world(token, sts_error(400, "InvalidIdentityToken", "Incorrect token audience"));
    let (report, _) = run_check(&fake, &job_env(&fake), &["--audience", "https://github.com/octo-org"]);
    assert_eq!(support::primary(&report), "oidc-audience-mismatch", "{report:#}");
    let get = fake.requests().into_iter().find(|r| r.method == "GET").expect("asked");
    assert!(get.target.ends_with("&audience=https%3A%2F%2Fgithub.com%2Focto-org"), "{}", get.target);
    let text = report.to_string();
    assert!(text.contains("add-client-id-to-open-id-connect-provider"), "the fix names the command: {text}");
}

#[test]
fn a_job_without_id_token_write_has_no_token_to_trade() {
    let fake = job_world(String::new(), Reply::Close);
    let env: Vec<(&str, String)> =
        job_env(&fake).into_iter().filter(|(k, _)| !k.starts_with("ACTIONS_ID_TOKEN")).collect();
    let (report, out) = run_check(&fake, &env, &[]);
    assert_eq!(support::primary(&report), "oidc-token-unavailable", "{report:#}");
    assert!(report["causes"][0]["fix"].as_str().is_some_and(|f| f.contains("id-token: write")), "{report:#}");
    assert!(fake.requests().is_empty(), "nothing is asked without the variables");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn each_refusal_of_the_token_is_named() {
    let cases = [
        (
            "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
            "oidc-provider-missing",
            "create-open-id-connect-provider --url https://token.actions.githubusercontent.com",
        ),
        (
            "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
            "oidc-thumbprint-mismatch",
            "update-open-id-connect-provider-thumbprint",
        ),
        ("Incorrect token audience", "oidc-audience-mismatch", "sts.amazonaws.com"),
    ];
    for (message, cause, fix) in cases {
        let token = github_token("repo:octo-org/octo-repo:ref:refs/heads/main", "sts.amazonaws.com");
        let fake = job_world(token, sts_error(400, "InvalidIdentityToken", message));
        let (report, _) = run_check(&fake, &job_env(&fake), &[]);
        assert_eq!(support::primary(&report), cause, "{message}: {report:#}");
        assert!(report["causes"][0]["fix"].as_str().is_some_and(|f| f.contains(fix)), "{message}: {report:#}");
    }
}

#[test]
fn the_trust_policy_names_the_failing_condition_and_the_value_that_would_pass() {
    let token = github_token("repo:octo-org/octo-repo:environment:prod", "sts.amazonaws.com");
    let fake =
        job_world(token, sts_error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity"));
    let dir = tempfile::tempdir().expect("dir");
    let trust = dir.path().join("trust.json");
    std::fs::write(
        &trust,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}}]}"#,
    )
    .expect("trust");
    let spec = format!("trust={}", trust.display());
    let (report, _) = run_check(&fake, &job_env(&fake), &["--policy", &spec]);
    assert_eq!(support::primary(&report), "web-identity-trust-mismatch", "{report:#}");
    assert_eq!(report["causes"][0]["step"], "iam-scp");
    let summary = report["causes"][0]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("StringLike token.actions.githubusercontent.com:sub = repo:octo-org/octo-repo:ref:refs/heads/main fails: the token has repo:octo-org/octo-repo:environment:prod"),
        "{summary}"
    );
    let text = report.to_string();
    assert!(text.contains("the value that would pass is repo:octo-org/octo-repo:environment:prod"), "{text}");
    assert!(text.contains("a job with `environment:` always gets"), "GitHub's sub formats explained: {text}");
}

#[test]
fn format_github_adds_escaped_annotations_and_keeps_the_exit_status() {
    let fake = job_world(String::new(), Reply::Close);
    let home = support::home(None, None);
    let env = [("GITHUB_ACTIONS", "true"), ("AWS_ROLE_ARN", ROLE), ("AWS_REGION", "us-east-1")];
    let out = support::credwiz(home.path(), &fake.url(), &env, &["check", "--format", "github", "--no-color"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    let stop = lines.iter().position(|l| l.starts_with("::stop-commands::")).expect("fenced");
    let token = lines[stop].trim_start_matches("::stop-commands::");
    let resume = lines.iter().position(|l| *l == format!("::{token}::")).expect("resumed");
    assert!(
        lines[stop + 1..resume].iter().any(|l| l.contains("Primary cause: oidc-token-unavailable")),
        "the report is inside the fence"
    );
    let error =
        lines[resume..].iter().find(|l| l.starts_with("::error title=oidc-token-unavailable::")).expect("annotation");
    assert!(error.contains("id-token: write"), "{error}");
    let warning =
        lines[resume..].iter().find(|l| l.starts_with("::warning title=endpoint-override::")).expect("warning");
    assert!(warning.contains("http%3A//") || warning.contains("http://"), "{warning}");
    for line in &lines[resume + 1..] {
        let (properties, data) = line.trim_start_matches("::").split_once("::").expect("a command");
        assert!(
            !properties.trim_start_matches("error title=").trim_start_matches("warning title=").contains([':', ',']),
            "{line}"
        );
        assert!(!data.contains('\r'), "{line}");
    }
    let json = support::credwiz(home.path(), &fake.url(), &env, &["check", "--format", "json"]);
    assert!(serde_json::from_slice::<serde_json::Value>(&json.stdout).is_ok(), "--format json is the JSON report");
}

#[test]
fn a_token_file_this_user_cannot_read_is_named_with_mode_owner_and_ids() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path().join("serviceaccount");
    std::fs::create_dir_all(&dir).expect("dir");
    let token_file = dir.join("token");
    std::fs::write(&token_file, github_token("system:serviceaccount:default:app", "sts.amazonaws.com")).expect("token");
    use std::os::unix::fs::PermissionsExt;
    let root = nix::unistd::geteuid().is_root();
    for path in [home.path(), dir.as_path()] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o777)).expect("open dirs");
    }
    // As root (CI), mode 0000 would still be readable: the binary runs as nobody, and the file stays root's 0600.
    let mode = if root { 0o600 } else { 0o000 };
    std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(mode)).expect("mode");
    let binary = env!("CARGO_BIN_EXE_credwiz");
    let mut command = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", binary]);
        c
    } else {
        std::process::Command::new(binary)
    };
    let out = command
        .args(["check", "--json"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{}", hops_fakes::closed_port()))
        .env("CREDWIZ_LOG_DIR", home.path().join("logs"))
        .env("AWS_ROLE_ARN", ROLE)
        .env("AWS_WEB_IDENTITY_TOKEN_FILE", &token_file)
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("run credwiz");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    assert_eq!(support::primary(&report), "web-identity-token-unreadable", "{report:#}");
    let text = report.to_string();
    let (uid, owner) = if root { ("uid 65534", "owner uid 0") } else { ("", "mode 0000") };
    assert!(text.contains(&format!("mode {mode:04o}")) && text.contains(owner), "mode and owner: {text}");
    assert!(text.contains(uid) && text.contains("supplementary groups"), "the process's ids: {text}");
    assert!(report["causes"][0]["fix"].as_str().is_some_and(|f| f.contains("fsGroup")), "{report:#}");
}

#[test]
fn the_pod_identity_agent_refusing_a_request_without_a_token_is_decoded() {
    let agent = Fake::start(|_| Reply::status(400, "text/plain", "Service account token cannot be empty\n"));
    let fake = job_world(String::new(), Reply::Close);
    let home = support::home(None, None);
    let uri = format!("{}/v1/credentials", agent.url());
    let env = [("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri.as_str()), ("AWS_REGION", "us-east-1")];
    let (report, _) = support::check_json(home.path(), &fake.url(), &env, &[]);
    assert_eq!(support::primary(&report), "container-credentials-unavailable", "{report:#}");
    let text = report.to_string();
    assert!(text.contains("HTTP 400 from the Pod Identity agent: the request carried no token"), "{text}");
    assert!(text.contains("Service account token cannot be empty"), "the agent's words: {text}");
}

#[test]
fn pasted_ci_errors_are_named() {
    let fake = Fake::start(|request| match request.action().as_str() {
        "GetCallerIdentity" => caller_identity(),
        _ => dated(sts_error(403, "AccessDenied", "not in this test")),
    });
    let home = support::home(None, None);
    let env = [
        ("AWS_ACCESS_KEY_ID", "AKIAQWERTYUIOPASDFGH"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij"),
        ("AWS_REGION", "us-east-1"),
    ];
    let cases = [
        (
            "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: sts:TagSession on resource: arn:aws:iam::123456789012:role/deploy",
            "tag-session-denied",
        ),
        (
            "Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity",
            "web-identity-trust-mismatch",
        ),
        (
            "Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers",
            "oidc-token-unavailable",
        ),
        (
            "Could not assume role with OIDC: No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com",
            "oidc-provider-missing",
        ),
    ];
    for (error, cause) in cases {
        let (report, _) = support::check_json(home.path(), &fake.url(), &env, &["--error", error]);
        assert_eq!(support::primary(&report), cause, "{error}: {report:#}");
    }
}
