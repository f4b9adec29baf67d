//! The network path probe against local stand-ins: each test builds one
//! broken link on 127.0.0.1 (an untrusted or misnamed certificate, a proxy
//! that wants authentication or never answers, an override where nothing
//! listens or something hangs, an emulator), probes it, and checks the cause
//! it names, the evidence a user needs, and that it finished within its
//! deadline. The failed name lookup runs in a network namespace of its own.
//! No packet leaves 127.0.0.1.

mod fakes;
#[path = "../support/mod.rs"]
mod support;

use credwiz::base::environment::Environment;
use credwiz::netpath::{
    BundleCheck, CaBundle, Cause, EndpointOrigin, OverrideSource, PathReport, ProbeInput, ProxyEnv, Setting, StageKind,
    StageStatus, Target, probe, recheck_ca_bundle,
};
use std::time::{Duration, Instant};

/// The budget every probe here gets.
const BUDGET: Duration = Duration::from_millis(1500);
/// Scheduling slack on top of the deadline.
const SLACK: Duration = Duration::from_millis(300);

fn sts_override(url: &str) -> Target {
    let source = OverrideSource::EnvService { variable: "AWS_ENDPOINT_URL_STS".into() };
    Target::new(url, EndpointOrigin::Override(source)).expect("target")
}

fn proxies(pairs: &[(&str, &str)]) -> ProxyEnv {
    ProxyEnv::from_environment(&Environment::from_pairs(pairs.iter().copied(), None))
}

/// A probe that trusts only `bundle` (never the system's store), timed against its deadline.
async fn run(target: Target, proxy: ProxyEnv, bundle: Option<&str>) -> PathReport {
    let started = Instant::now();
    let mut input = ProbeInput::new(target, proxy, started + BUDGET).without_system_roots();
    if let Some(pem) = bundle {
        input = input.with_ca_bundle(CaBundle { pem: pem.as_bytes().to_vec(), source: "AWS_CA_BUNDLE".into() });
    }
    let report = probe(&input).await;
    assert!(started.elapsed() <= BUDGET + SLACK, "took {:?}: {report:#?}", started.elapsed());
    report
}

fn evidence(report: &PathReport, kind: StageKind) -> String {
    report.stage(kind).map(|s| format!("{}\n{}", s.summary, s.evidence.join("\n"))).unwrap_or_default()
}

#[tokio::test]
async fn tls_untrusted_names_the_issuer_then_verifies_with_the_ca_bundle() {
    let ca = fakes::Ca::new("credwiz throwaway CA");
    let port = fakes::tls_server(ca.server(&["127.0.0.1"])).await;
    let url = format!("https://127.0.0.1:{port}");

    let untrusted = run(sts_override(&url), ProxyEnv::none(), None).await;
    assert_eq!(untrusted.cause, Some(Cause::TlsUntrusted), "{untrusted:#?}");
    let tls = evidence(&untrusted, StageKind::Tls);
    assert!(tls.contains("unknown issuer"), "{tls}");
    assert!(tls.contains("issued by CN=credwiz throwaway CA"), "{tls}");
    assert!(tls.contains("the certificate is valid for 127.0.0.1"), "{tls}");
    let chain = untrusted.chain.as_ref().expect("chain");
    assert_eq!((chain.name_matches, chain.chains_to_trusted_root, chain.presented), (Some(true), Some(false), 2));

    let trusted = run(sts_override(&url), ProxyEnv::none(), Some(&ca.pem())).await;
    assert_eq!(trusted.cause, None, "{trusted:#?}");
    assert_eq!(trusted.stage(StageKind::Tls).map(|s| s.status), Some(StageStatus::Pass));
    assert!(evidence(&trusted, StageKind::Answer).contains("MissingAuthenticationToken"), "{trusted:#?}");
}

#[tokio::test]
async fn the_fix_saves_only_a_bundle_that_makes_the_handshake_verify() {
    let ca = fakes::Ca::new("credwiz throwaway CA");
    let port = fakes::tls_server(ca.server(&["127.0.0.1"])).await;
    let input = ProbeInput::new(
        sts_override(&format!("https://127.0.0.1:{port}")),
        ProxyEnv::none(),
        Instant::now() + Duration::from_secs(5),
    )
    .without_system_roots();
    let dir = tempfile::tempdir().expect("dir");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };

    let right = recheck_ca_bundle(&write("right.pem", &ca.pem()), &input).await;
    assert!(right.verifies(), "{right:#?}");
    let other = recheck_ca_bundle(&write("other.pem", &fakes::Ca::new("some other CA").pem()), &input).await;
    assert!(matches!(other, BundleCheck::StillUntrusted { certificates: 1, .. }), "{other:#?}");
    let text = recheck_ca_bundle(&write("notes.txt", "just some text\n"), &input).await;
    assert!(matches!(&text, BundleCheck::Unusable { reason } if reason.contains("no PEM certificate")), "{text:#?}");
    let broken = recheck_ca_bundle(
        &write("broken.pem", "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"),
        &input,
    )
    .await;
    assert!(matches!(&broken, BundleCheck::Unusable { reason } if reason.contains("malformed")), "{broken:#?}");
    let missing = recheck_ca_bundle(&dir.path().join("absent.pem"), &input).await;
    assert!(matches!(missing, BundleCheck::Unusable { .. }));
}

#[tokio::test]
async fn a_certificate_for_another_name_is_tls_untrusted() {
    let ca = fakes::Ca::new("credwiz throwaway CA");
    let port = fakes::tls_server(ca.server(&["other.example"])).await;
    let report = run(sts_override(&format!("https://127.0.0.1:{port}")), ProxyEnv::none(), Some(&ca.pem())).await;
    assert_eq!(report.cause, Some(Cause::TlsUntrusted), "{report:#?}");
    let tls = evidence(&report, StageKind::Tls);
    assert!(tls.contains("names another host"), "{tls}");
    assert!(tls.contains("not valid for 127.0.0.1"), "{tls}");
    assert!(tls.contains("names other.example"), "{tls}");
    let chain = report.chain.as_ref().expect("chain");
    assert_eq!((chain.name_matches, chain.chains_to_trusted_root), (Some(false), Some(true)));
}

#[tokio::test]
async fn an_inspecting_proxy_is_shown_by_its_issuer_until_its_ca_is_trusted() {
    let corp = fakes::Ca::new("Corp TLS Inspection CA");
    let port = fakes::inspecting_proxy(corp.server(&["sts.us-east-1.amazonaws.com"])).await;
    let region = Setting::new("region", "us-east-1", "AWS_REGION");
    let target = Target::sts(region, None, None).expect("sts");
    let proxy = proxies(&[("HTTPS_PROXY", &format!("http://127.0.0.1:{port}"))]);

    let report = run(target.clone(), proxy.clone(), None).await;
    assert_eq!(report.cause, Some(Cause::TlsUntrusted), "{report:#?}");
    assert_eq!(report.stage(StageKind::Resolve).map(|s| s.status), Some(StageStatus::Skip), "the proxy resolves");
    assert_eq!(report.stage(StageKind::Proxy).map(|s| s.status), Some(StageStatus::Pass));
    assert!(evidence(&report, StageKind::Tls).contains("Corp TLS Inspection CA"), "{report:#?}");

    let trusted = run(target, proxy, Some(&corp.pem())).await;
    assert_eq!(trusted.cause, None, "{trusted:#?}");
}

#[tokio::test]
async fn a_proxy_that_wants_authentication_is_proxy_failed_without_showing_the_password() {
    let answer = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nProxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n";
    let (port, seen) = fakes::answering_proxy(answer).await;
    let target = Target::sts(Setting::new("region", "eu-west-1", "~/.aws/config:2"), None, None).expect("sts");
    let proxy = proxies(&[("HTTPS_PROXY", &format!("http://bob:s3cret@127.0.0.1:{port}"))]);
    let report = run(target, proxy, None).await;

    assert_eq!(report.cause, Some(Cause::ProxyFailed), "{report:#?}");
    let stage = evidence(&report, StageKind::Proxy);
    assert!(stage.contains("407"), "{stage}");
    assert!(stage.contains("Proxy-Authenticate: NTLM | Negotiate"), "{stage}");
    assert!(stage.contains("refused the user and password in HTTPS_PROXY"), "{stage}");
    assert!(stage.contains("does not offer Basic"), "{stage}");
    // It sent what the SDK sends: CONNECT with the URL's Basic credentials...
    let heads = seen.lock().expect("log").clone();
    assert!(heads.iter().any(|h| h.starts_with("CONNECT sts.eu-west-1.amazonaws.com:443 HTTP/1.1\r\n")), "{heads:?}");
    assert!(heads.iter().any(|h| h.contains("Proxy-Authorization: Basic Ym9iOnMzY3JldA==")), "{heads:?}");
    // ...and shows neither the password nor its encoding anywhere.
    let json = serde_json::to_string(&report).expect("json");
    assert!(!json.contains("s3cret") && !json.contains("Ym9iOnMzY3JldA"), "{json}");
}

#[tokio::test]
async fn a_proxy_that_never_answers_or_refuses_is_proxy_failed_within_the_deadline() {
    let target = Target::sts(Setting::new("region", "us-east-1", "AWS_REGION"), None, None).expect("sts");
    let silent = fakes::silent_server().await;
    let report = run(target.clone(), proxies(&[("https_proxy", &format!("http://127.0.0.1:{silent}"))]), None).await;
    assert_eq!(report.cause, Some(Cause::ProxyFailed), "{report:#?}");
    assert!(report.summary.contains("did not answer CONNECT"), "{}", report.summary);
    assert!(report.duration_ms >= 1000, "it waited for the proxy: {report:#?}");

    let closed = fakes::closed_port().await;
    let report = run(target, proxies(&[("HTTPS_PROXY", &format!("http://127.0.0.1:{closed}"))]), None).await;
    assert_eq!(report.cause, Some(Cause::ProxyFailed), "{report:#?}");
    assert!(report.summary.contains("refuses the connection"), "{}", report.summary);
}

#[tokio::test]
async fn an_https_proxy_is_verified_as_the_sdk_verifies_it() {
    let ca = fakes::Ca::new("credwiz proxy CA");
    // A TLS server that answers every request, CONNECT included, with STS's 403.
    let port = fakes::tls_server(ca.server(&["127.0.0.1"])).await;
    let target = Target::sts(Setting::new("region", "us-east-1", "AWS_REGION"), None, None).expect("sts");
    let proxy = proxies(&[("HTTPS_PROXY", &format!("https://127.0.0.1:{port}"))]);

    let untrusted = run(target.clone(), proxy.clone(), None).await;
    assert_eq!(untrusted.cause, Some(Cause::ProxyFailed), "{untrusted:#?}");
    let stage = evidence(&untrusted, StageKind::Proxy);
    assert!(stage.contains("TLS with the proxy https://127.0.0.1"), "{stage}");
    assert!(stage.contains("issued by CN=credwiz proxy CA"), "{stage}");

    let trusted = run(target, proxy, Some(&ca.pem())).await;
    assert_eq!(trusted.cause, Some(Cause::ProxyFailed), "{trusted:#?}");
    assert!(trusted.summary.contains("refused CONNECT sts.us-east-1.amazonaws.com:443: 403"), "{}", trusted.summary);
}

#[tokio::test]
async fn a_loopback_override_sent_to_a_proxy_is_proxy_failed() {
    let answer = "HTTP/1.1 502 Bad Gateway\r\nVia: 1.1 corp-proxy\r\nContent-Length: 0\r\n\r\n";
    let (port, _) = fakes::answering_proxy(answer).await;
    let emulator = fakes::http_server(fakes::EMULATOR_ANSWER).await;
    let proxy = proxies(&[("HTTP_PROXY", &format!("http://127.0.0.1:{port}")), ("NO_PROXY", "localhost")]);
    let report = run(sts_override(&format!("http://127.0.0.1:{emulator}")), proxy, None).await;
    assert_eq!(report.cause, Some(Cause::ProxyFailed), "{report:#?}");
    let all = format!("{}\n{}", evidence(&report, StageKind::Proxy), evidence(&report, StageKind::Answer));
    assert!(all.contains("loopback"), "{all}");
    assert!(all.contains("`127.0.0.1` would"), "{all}");
}

#[tokio::test]
async fn a_closed_override_port_is_endpoint_override() {
    let port = fakes::closed_port().await;
    let started = Instant::now();
    let report = run(sts_override(&format!("http://127.0.0.1:{port}")), ProxyEnv::none(), None).await;
    assert_eq!(report.cause, Some(Cause::EndpointOverride), "{report:#?}");
    let connect = evidence(&report, StageKind::Connect);
    assert!(connect.contains("connection refused"), "{connect}");
    assert!(connect.contains("unset AWS_ENDPOINT_URL_STS"), "{connect}");
    assert!(started.elapsed() < Duration::from_millis(500), "refused at once: {:?}", started.elapsed());
    let notice = report.override_notice.as_ref().expect("notice");
    assert!(notice.describe().contains("AWS_ENDPOINT_URL_STS in the environment"), "{}", notice.describe());
}

#[tokio::test]
async fn a_hanging_override_stays_endpoint_unreachable() {
    let port = fakes::silent_server().await;
    let report = run(sts_override(&format!("http://127.0.0.1:{port}")), ProxyEnv::none(), None).await;
    assert_eq!(report.cause, Some(Cause::EndpointUnreachable), "{report:#?}");
    assert_eq!(report.stage(StageKind::Connect).map(|s| s.status), Some(StageStatus::Pass));
    assert!(report.summary.contains("did not answer"), "{}", report.summary);
}

#[tokio::test]
async fn an_override_where_an_emulator_answers_is_no_failure_but_a_notice() {
    let port = fakes::http_server(fakes::EMULATOR_ANSWER).await;
    let report = run(sts_override(&format!("http://127.0.0.1:{port}")), ProxyEnv::none(), None).await;
    assert_eq!(report.cause, None, "{report:#?}");
    let notice = report.override_notice.as_ref().expect("notice");
    assert!(notice.emulator.signs.iter().any(|s| s.contains("Werkzeug")), "{notice:#?}");
    assert!(notice.describe().contains("an emulator answers there"), "{}", notice.describe());
}

#[tokio::test]
async fn moto_is_recognised_as_an_emulator() {
    let moto = support::Moto::start();
    let report = run(sts_override(&moto.endpoint()), ProxyEnv::none(), None).await;
    assert_eq!(report.cause, None, "{report:#?}");
    let notice = report.override_notice.as_ref().expect("notice");
    assert!(notice.emulator.any(), "{notice:#?}");
}

/// Set in the child that runs inside the namespace.
const IN_NAMESPACE: &str = "CREDWIZ_NETPATH_IN_NAMESPACE";

#[tokio::test]
#[ignore = "needs a network namespace (`unshare -n`: root and util-linux); scripts/test runs it where it can"]
async fn an_unresolvable_fips_host_is_dns_failure() {
    let usable = std::process::Command::new("unshare").args(["-n", "true"]).status().is_ok_and(|s| s.success());
    assert!(usable, "`unshare -n` does not work here: run this test as root");
    let exe = std::env::args().next().expect("test binary");
    let started = Instant::now();
    let out = std::process::Command::new("unshare")
        .args([
            "-n",
            "sh",
            "-c",
            "ip link set lo up && exec \"$0\" dns_probe_in_namespace --exact --ignored --nocapture",
        ])
        .arg(&exe)
        .env(IN_NAMESPACE, "1")
        .output()
        .expect("run in a namespace");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("NETPATH-REPORT "))
        .unwrap_or_else(|| panic!("no report from the namespace:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let report: serde_json::Value = serde_json::from_str(line).expect("json");
    assert_eq!(report["cause"], "dns-failure", "{report:#}");
    let resolve = &report["stages"][0];
    assert_eq!((resolve["kind"].as_str(), resolve["status"].as_str()), (Some("resolve"), Some("fail")));
    let lines = resolve["evidence"].to_string();
    assert!(lines.contains("sts-fips.us-west-2.amazonaws.com was built by the SDK's endpoint rules"), "{lines}");
    assert!(lines.contains("use_fips_endpoint = true (~/.aws/config:7)"), "{lines}");
    assert!(
        lines.contains(
            "sts.us-west-2.amazonaws.com (the same endpoint without use_fips_endpoint) does not resolve either"
        ),
        "{lines}"
    );
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
}

#[tokio::test]
#[ignore = "runs only inside the network namespace that an_unresolvable_fips_host_is_dns_failure makes"]
#[allow(clippy::print_stdout)] // the outer test reads this line
async fn dns_probe_in_namespace() {
    if std::env::var_os(IN_NAMESPACE).is_none() {
        eprintln!("not inside a network namespace of its own: no lookup is made");
        return;
    }
    let region = Setting::new("region", "us-west-2", "AWS_REGION");
    let fips = Setting::new("use_fips_endpoint", "true", "~/.aws/config:7");
    let target = Target::sts(region, Some(fips), None).expect("sts");
    let report = run(target, ProxyEnv::none(), None).await;
    println!("NETPATH-REPORT {}", serde_json::to_string(&report).expect("json"));
}
