//! The network path through `credwiz check`: each test breaks one link on
//! 127.0.0.1 (a certificate from an unknown authority or for another name, a
//! proxy that asks for authentication or never answers, a name that does not
//! resolve, an override where nothing listens) and expects the cause the
//! probe names, within `--timeout`. The binary never reads the system's
//! certificate store here (`SSL_CERT_FILE` points at a throwaway authority),
//! and the failed lookup runs in a network namespace with only loopback.

#[path = "netpath/fakes.rs"]
#[allow(dead_code)] // the probe's own tests use the rest
mod fakes;
mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const KEYS: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";

/// A HOME with keys and a region, and a certificate store of one unrelated authority.
fn world() -> tempfile::TempDir {
    let home = support::home(Some(KEYS), Some("[default]\nregion = us-west-2\n"));
    std::fs::write(home.path().join("store.pem"), fakes::Ca::new("unrelated root").pem()).expect("store");
    home
}

fn run(home: &Path, env: &[(&str, &str)], wrap: Option<&str>) -> (serde_json::Value, Output, Duration) {
    let bin = env!("CARGO_BIN_EXE_credwiz");
    let mut command = match wrap {
        Some(script) => {
            let mut c = Command::new("unshare");
            c.args(["-n", "sh", "-c", script, "sh", bin]);
            c
        }
        None => Command::new(bin),
    };
    command
        .args(["check", "--json", "--timeout", "4"])
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("SSL_CERT_FILE", home.join("store.pem"))
        .env("CREDWIZ_LOG_DIR", home.join("logs"))
        .envs(env.iter().copied());
    let started = Instant::now();
    let out = command.output().expect("run credwiz");
    let took = started.elapsed();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    (json, out, took)
}

fn expect(home: &Path, env: &[(&str, &str)], cause: &str) -> serde_json::Value {
    let (report, out, took) = run(home, env, None);
    assert_eq!(support::primary(&report), cause, "{report:#}");
    assert_eq!(out.status.code(), Some(1));
    assert!(took < Duration::from_millis(4_800), "{cause} took {took:?} with --timeout 4");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_authority_is_tls_untrusted_until_aws_ca_bundle_names_it() {
    let home = world();
    let ca = fakes::Ca::new("Corp Inspection CA");
    let port = fakes::tls_server(ca.server(&["127.0.0.1"])).await;
    let url = format!("https://127.0.0.1:{port}");
    let path = home.path().to_path_buf();
    let url2 = url.clone();
    let report = tokio::task::spawn_blocking(move || expect(&path, &[("AWS_ENDPOINT_URL", &url2)], "tls-untrusted"))
        .await
        .expect("join");
    assert!(report.to_string().contains("Corp Inspection CA"), "the issuer is shown: {report:#}");
    assert!(!report.to_string().to_lowercase().contains("no-verify"), "never advises turning verification off");

    std::fs::write(home.path().join("corp.pem"), ca.pem()).expect("bundle");
    let bundle = home.path().join("corp.pem").display().to_string();
    let path = home.path().to_path_buf();
    let (report, _, _) = tokio::task::spawn_blocking(move || {
        run(&path, &[("AWS_ENDPOINT_URL", &url), ("AWS_CA_BUNDLE", &bundle)], None)
    })
    .await
    .expect("join");
    assert_ne!(support::primary(&report), "tls-untrusted", "{report:#}");
    assert_ne!(support::primary(&report), "endpoint-unreachable", "the endpoint answered over TLS: {report:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_for_another_name_is_tls_untrusted() {
    let home = world();
    let ca = fakes::Ca::new("Name CA");
    let port = fakes::tls_server(ca.server(&["sts.example.internal"])).await;
    std::fs::write(home.path().join("ca.pem"), ca.pem()).expect("bundle");
    let env = [
        ("AWS_ENDPOINT_URL".to_string(), format!("https://127.0.0.1:{port}")),
        ("AWS_CA_BUNDLE".to_string(), home.path().join("ca.pem").display().to_string()),
    ];
    let path = home.path().to_path_buf();
    let report = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        expect(&path, &env, "tls-untrusted")
    })
    .await
    .expect("join");
    assert!(report.to_string().contains("sts.example.internal"), "names the certificate's name: {report:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_asking_for_authentication_or_never_answering_is_proxy_failed() {
    let home = world();
    let (asks, _) = fakes::answering_proxy(
        "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n",
    )
    .await;
    let silent = fakes::silent_server().await;
    let target = fakes::closed_port().await;
    for proxy in [asks, silent] {
        let env = [
            ("AWS_ENDPOINT_URL".to_string(), format!("https://127.0.0.1:{target}")),
            ("HTTPS_PROXY".to_string(), format!("http://127.0.0.1:{proxy}")),
        ];
        let path = home.path().to_path_buf();
        let report = tokio::task::spawn_blocking(move || {
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            expect(&path, &env, "proxy-failed")
        })
        .await
        .expect("join");
        assert!(report.to_string().contains("HTTPS_PROXY"), "names the variable: {report:#}");
    }
}

#[test]
#[ignore = "needs a network namespace (`unshare -n`: root and util-linux); scripts/test runs it where it can"]
fn a_fips_host_that_does_not_resolve_is_dns_failure() {
    let home = world();
    let namespace = Command::new("unshare").args(["-n", "true"]).status();
    assert!(namespace.is_ok_and(|s| s.success()), "`unshare -n` does not work here: run this test as root");
    let script = "ip link set lo up && exec \"$@\"";
    let (report, _, took) = run(home.path(), &[("AWS_USE_FIPS_ENDPOINT", "true")], Some(script));
    assert_eq!(support::primary(&report), "dns-failure", "{report:#}");
    assert!(report.to_string().contains("AWS_USE_FIPS_ENDPOINT"), "names the setting that built the host: {report:#}");
    assert!(took < Duration::from_secs(5));
}

#[test]
fn an_override_at_an_emulator_is_a_warning_and_the_diagnosis_goes_on() {
    let moto = support::Moto::start();
    let alice = moto.user("alice", Some(support::SELF_READ), 1, &[]);
    moto.enforce_auth();
    let (id, secret) = &alice.keys[0];
    let home = support::home(
        Some(&format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")),
        Some("[default]\nregion = us-east-1\n"),
    );
    let (report, out) = support::check_json(home.path(), &moto.endpoint(), &[], &[]);
    assert_eq!(support::primary(&report), "", "{report:#}");
    assert_eq!(out.status.code(), Some(0));
    let warning =
        report["warnings"].as_array().and_then(|w| w.iter().find(|w| w["cause"] == "endpoint-override").cloned());
    let warning = warning.unwrap_or_else(|| panic!("no override warning: {report:#}"));
    let text = warning.to_string();
    assert!(text.contains("AWS_ENDPOINT_URL") && text.contains("emulator"), "{text}");
}
