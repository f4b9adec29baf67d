//! SPEC 3e in the acceptance lab: keys of another partition, version-1
//! session tokens in opt-in regions, the account alias on the identity line,
//! tools that read one profile differently, and `sso_session` profiles older
//! tools cannot read. Each world of `tests/lab_worlds/` runs `credwiz check`
//! in a world of its own (several at once); each test names the cause ids it
//! expects.

mod support;

use serde_json::Value;
use support::{lab, primary};

/// `check --json` in each world, run side by side.
fn reports(names: &[&'static str]) -> Vec<(&'static str, Value)> {
    std::thread::scope(|scope| {
        let runs: Vec<_> =
            names.iter().map(|name| scope.spawn(move || (*name, lab::check(&lab::world(name), &[]).0))).collect();
        runs.into_iter().map(|run| run.join().expect("a world's run")).collect()
    })
}

/// The warning with this cause id.
fn warning<'a>(report: &'a Value, cause: &str) -> Option<&'a Value> {
    report["warnings"].as_array().and_then(|w| w.iter().find(|w| w["cause"] == cause))
}

/// Every check's summary, fix and evidence, as one text.
fn checks_text(report: &Value) -> String {
    report["steps"].as_array().map(|steps| steps.iter().map(|s| s["checks"].to_string()).collect()).unwrap_or_default()
}

#[test]
fn keys_of_another_partition_are_named_with_a_region_that_takes_them() {
    let expected = [
        ("partition-cn-keys-eu-west-1.toml", "AWS China (aws-cn)", "set region = cn-north-1"),
        ("partition-aws-keys-gov-region.toml", "commercial AWS (aws)", "set region = us-east-1"),
        ("partition-gov-keys-env.toml", "AWS GovCloud (aws-us-gov)", "set AWS_REGION=us-gov-west-1"),
        ("partition-cn-session-us-east-1.toml", "AWS China (aws-cn)", "set region = cn-north-1"),
    ];
    let names: Vec<&str> = expected.iter().map(|e| e.0).collect();
    for ((name, report), (_, partition, fix)) in reports(&names).into_iter().zip(expected) {
        assert_eq!(primary(&report), "partition-mismatch", "{name}: {report:#}");
        let cause = &report["causes"][0];
        assert_eq!(cause["step"], "account-region", "{name}");
        let summary = cause["summary"].as_str().unwrap_or_default();
        assert!(summary.contains(&format!("belong to {partition}")), "{name}: names the key's partition: {summary}");
        assert!(cause["fix"].as_str().is_some_and(|f| f.contains(fix)), "{name}: {fix}: {cause:#}");
        assert!(!checks_text(&report).contains("unknown-access-key"), "{name}: not blamed on the key: {report:#}");
    }
}

#[test]
fn keys_in_their_own_partition_are_healthy_and_iam_answers_there_with_the_alias() {
    let report = &reports(&["partition-cn-northwest-healthy.toml"])[0].1;
    assert_eq!(primary(report), "", "{report:#}");
    assert!(report["identity"]["arn"].as_str().is_some_and(|a| a.starts_with("arn:aws-cn:iam::")), "{report:#}");
    assert_eq!(report["identity"]["account_alias"], "acme-cn", "{report:#}");
    // IAM is asked in China's own region: the key's age and the MFA devices are read.
    let text = checks_text(report);
    assert!(!text.contains("could not read the key's age") && !text.contains("could not list the MFA"), "{text}");
}

#[test]
fn the_identity_line_shows_the_alias() {
    let out = lab::run(&lab::world("partition-cn-northwest-healthy.toml"), &[env!("CARGO_BIN_EXE_credwiz"), "check"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("(account 123456789012, alias acme-cn)"), "{text}");
}

#[test]
fn a_version_1_session_token_is_named_in_an_opt_in_region_only() {
    let names = [
        "sts-v1-token-af-south-1.toml",
        "sts-v2-token-optin-disabled.toml",
        "sts-v1-token-default-region-healthy.toml",
    ];
    let got = reports(&names);
    let v1 = &got[0].1;
    assert_eq!(primary(v1), "sts-token-v1-optin-region", "{v1:#}");
    assert_eq!(v1["causes"][0]["step"], "account-region");
    let cause = v1["causes"][0].to_string();
    assert!(cause.contains("af-south-1") && cause.contains("version-1"), "names the token and the region: {cause}");
    assert!(cause.contains("set-security-token-service-preferences"), "{cause}");
    assert!(checks_text(v1).contains("begins FwoGZXIvYXdz"), "the evidence: {v1:#}");
    assert_eq!(primary(&got[1].1), "region-not-enabled", "a v2 token: the region is the cause: {:#}", got[1].1);
    assert_eq!(primary(&got[2].1), "", "a v1 token in a default region works: {:#}", got[2].1);
}

#[test]
fn static_keys_beside_another_source_name_what_each_tool_family_picks() {
    let got = reports(&["tools-disagree-process.toml", "tools-disagree-sso.toml"]);
    let (process, sso) = (&got[0].1, &got[1].1);
    assert_eq!(primary(process), "", "{process:#}");
    let said = warning(process, "tools-disagree").map(|w| w["summary"].to_string());
    let said = said.unwrap_or_else(|| panic!("no tools-disagree warning: {process:#}"));
    assert!(said.contains("the AWS CLI v2 and boto3, the Go SDK v2, the JavaScript SDK v3: the static keys"), "{said}");
    assert!(said.contains("the Rust SDK (aws-config), the Java SDK v2: credential_process"), "{said}");
    assert!(process["identity"]["arn"].as_str().is_some_and(|a| a.ends_with(":user/bob")), "the Rust SDK's pick");
    let said = warning(sso, "tools-disagree").map(|w| w.to_string()).unwrap_or_default();
    assert!(
        said.contains("the Java SDK v2: SSO") && said.contains("the JavaScript SDK v3: the static keys"),
        "{sso:#}"
    );
    assert!(said.contains("~/.aws/credentials:2") && said.contains("~/.aws/config:2"), "both sources located: {said}");
}

#[test]
fn an_sso_session_profile_warns_for_older_tools() {
    let report = &reports(&["sso-session-legacy-tools.toml"])[0].1;
    assert_eq!(primary(report), "", "{report:#}");
    let said = warning(report, "sso-session-unsupported").map(|w| w.to_string());
    let said = said.unwrap_or_else(|| panic!("no sso-session-unsupported warning: {report:#}"));
    assert!(said.contains("sso_start_url = https://") && said.contains("sso_region = us-east-1"), "{said}");
    assert_eq!(report["identity"]["account_alias"], "acme-sso", "{report:#}");
}
