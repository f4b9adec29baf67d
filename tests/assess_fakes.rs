//! Diagnosis of what the emulator cannot produce (clock skew, ExpiredToken,
//! MFA code errors, SCP / boundary / session-policy wording, opt-in regions,
//! inactive keys, SSO expiry), from hand-made live outcomes fed to the pure
//! assessment. Each test names the cause id it expects.

mod support;

use chrono::{DateTime, Duration as Span, Utc};
use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure, SigningKeys};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles, SsoCacheEntry};
use credwiz::diagnose::input::options::{ActionName, MfaCode};
use credwiz::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Session, Simulation, Who};
use credwiz::diagnose::{Facts, Options, Outcomes, Report};
use credwiz::profile::ProfileFiles;
use std::time::Duration;

const ID: &str = "AKIAQWERTYUIOPASDFGH";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
const ARN: &str = "arn:aws:iam::123456789012:user/alice";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn facts_with(credentials: &str, config: &str, options: Options) -> Facts {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
    let gathered = Gathered { env, files, side: SideFiles::default() };
    Facts::new(gathered, None, Options { timeout: Duration::from_secs(10), ..options }, now())
}

fn actions(list: &str) -> Vec<ActionName> {
    ActionName::parse_list(list).expect("actions")
}

fn code() -> Option<MfaCode> {
    MfaCode::parse("123456").ok()
}

fn facts(config: &str, options: Options) -> Facts {
    facts_with(&format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"), config, options)
}

fn aws(code: &str, message: &str) -> Failure {
    Failure::Aws(AwsError {
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some("req-1".into()),
        http_status: Some(403),
        operation: None,
    })
}

fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>, skew_s: i64) -> Outcome {
    Outcome {
        check,
        call: Call {
            result,
            elapsed: Duration::from_millis(12),
            server_date: Some(now() + Span::seconds(skew_s)),
            local_date: now(),
        },
    }
}

fn identity_ok() -> Result<LiveValue, Failure> {
    Ok(LiveValue::Identity(Identity {
        account: "123456789012".into(),
        arn: ARN.into(),
        user_id: "AIDAEXAMPLE".into(),
        account_alias: None,
    }))
}

fn active(region: Option<&str>) -> LiveCheck {
    LiveCheck::CallerIdentity { who: Who::Active, region: region.map(str::to_string) }
}

/// `check`'s report for these facts and outcomes, after asserting that the
/// wizard, fed the same outcomes, reaches the same verdict.
fn run(facts: &Facts, outcomes: &[Outcome]) -> Report {
    support::contract::agree_on(facts, &Outcomes::from(outcomes.to_vec()))
}

fn causes(report: &Report) -> Vec<&'static str> {
    report.causes.iter().map(|c| c.cause.map_or("unclassified", |c| c.id())).collect()
}

const US: &str = "[default]\nregion = us-east-1\n";

#[test]
fn signature_expired_is_clock_skew_not_secret_mismatch() {
    let f = facts(US, Options::default());
    let o = [outcome(
        active(Some("us-east-1")),
        Err(aws(
            "SignatureDoesNotMatch",
            "Signature expired: 20261121T120000Z is now earlier than 20261121T121000Z (20261121T121500Z - 5 min.)",
        )),
        900,
    )];
    let r = run(&f, &o);
    assert_eq!(causes(&r), ["clock-skew"]);
    assert_eq!(r.causes[0].step.id(), "expiry");
}

#[test]
fn small_drift_is_a_clock_warning_only() {
    let f = facts(US, Options::default());
    let r = run(&f, &[outcome(active(Some("us-east-1")), identity_ok(), -45)]);
    assert!(r.causes.is_empty());
    assert_eq!(r.warnings.iter().filter_map(|w| w.cause).map(|c| c.id()).collect::<Vec<_>>(), ["clock-skew"]);
}

#[test]
fn expired_token_is_credentials_expired() {
    let creds = format!(
        "[default]\naws_access_key_id = ASIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET}\naws_session_token = tok\n"
    );
    let f = facts_with(&creds, US, Options::default());
    let o = [outcome(
        active(Some("us-east-1")),
        Err(aws("ExpiredToken", "The security token included in the request is expired")),
        0,
    )];
    assert_eq!(causes(&run(&f, &o)), ["credentials-expired"]);
}

#[test]
fn invalid_region_scope_is_region_invalid() {
    let f = facts(US, Options::default());
    let o = [outcome(
        active(Some("us-east-1")),
        Err(aws("SignatureDoesNotMatch", "Credential should be scoped to a valid region.")),
        0,
    )];
    assert_eq!(causes(&run(&f, &o)), ["region-invalid"]);
}

#[test]
fn mfa_code_and_serial_errors() {
    let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let opts = || Options { mfa_code: code(), ..Options::default() };
    let session = || LiveCheck::SessionToken {
        serial: "arn:aws:iam::123456789012:mfa/alice".into(),
        code: code().expect("code"),
    };
    let f = facts(config, opts());
    for (message, cause) in [
        ("MultiFactorAuthentication failed with invalid MFA one time pass code.", "mfa-code-invalid"),
        (
            "MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.",
            "mfa-serial-invalid",
        ),
    ] {
        let o = [
            outcome(active(Some("us-east-1")), identity_ok(), 0),
            outcome(session(), Err(aws("AccessDenied", message)), 0),
        ];
        assert_eq!(causes(&run(&f, &o)), [cause]);
    }
    let creds = format!(
        "[default]\naws_access_key_id = ASIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET}\naws_session_token = tok\n"
    );
    let f = facts_with(&creds, config, opts());
    assert_eq!(causes(&run(&f, &[outcome(active(Some("us-east-1")), identity_ok(), 0)])), ["mfa-session-credentials"]);
}

#[test]
fn a_good_mfa_code_gives_a_session() {
    let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let f = facts(config, Options { mfa_code: code(), ..Options::default() });
    let keys = SigningKeys {
        access_key_id: "ASIANEW".into(),
        secret: "s".to_string().into(),
        token: Some("t".to_string().into()),
    };
    let o = [
        outcome(active(Some("us-east-1")), identity_ok(), 0),
        outcome(
            LiveCheck::SessionToken { serial: "x".into(), code: code().expect("code") },
            Ok(LiveValue::Session(Session { keys, expiration: Some(now()) })),
            0,
        ),
    ];
    let r = run(&f, &o);
    assert!(r.causes.is_empty(), "{:?}", causes(&r));
    let mfa = r.step(credwiz::diagnose::Step::Mfa).map(|s| s.status);
    assert_eq!(mfa, Some(credwiz::diagnose::Status::Pass));
}

fn denied(message: &str, config: &str) -> Vec<&'static str> {
    let f = facts(config, Options { actions: actions("iam:ListUsers"), ..Options::default() });
    let action = LiveCheck::TryAction { who: Who::Active, action: actions("iam:ListUsers").remove(0), user: None };
    let o =
        [outcome(active(Some("us-east-1")), identity_ok(), 0), outcome(action, Err(aws("AccessDenied", message)), 0)];
    causes(&run(&f, &o))
}

#[test]
fn denial_wordings_map_to_their_policy_type() {
    let base =
        format!("User: {ARN} is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::123456789012:user/");
    assert_eq!(denied(&format!("{base} with an explicit deny in a service control policy"), US), ["explicit-deny-scp"]);
    assert_eq!(
        denied(&format!("{base} because no permissions boundary allows the iam:ListUsers action"), US),
        ["permissions-boundary"]
    );
    assert_eq!(
        denied(&format!("{base} because no session policy allows the iam:ListUsers action"), US),
        ["denied-other-policy"]
    );
    assert_eq!(
        denied(&format!("{base} with an explicit deny in an identity-based policy"), US),
        ["explicit-deny-identity"]
    );
    assert_eq!(
        denied(&format!("{base} because no identity-based policy allows the iam:ListUsers action"), US),
        ["no-identity-allow"]
    );
    let with_mfa = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    assert_eq!(
        denied(&format!("{base} with an explicit deny in an identity-based policy"), with_mfa),
        ["mfa-required"]
    );
}

#[test]
fn simulation_decisions() {
    let f = facts(US, Options { actions: actions("s3:GetObject"), ..Options::default() });
    let sim = |decision: &str, org: Option<bool>| {
        let check =
            LiveCheck::Simulate { who: Who::Active, arn: ARN.into(), action: actions("s3:GetObject").remove(0) };
        let value = LiveValue::Simulation(Simulation {
            decision: decision.into(),
            allowed_by_organizations: org,
            allowed_by_boundary: None,
            matched: vec![],
        });
        causes(&run(&f, &[outcome(active(Some("us-east-1")), identity_ok(), 0), outcome(check, Ok(value), 0)]))
    };
    assert_eq!(sim("explicitDeny", Some(false)), ["explicit-deny-scp"]);
    assert_eq!(sim("implicitDeny", None), ["no-identity-allow"]);
    assert!(sim("allowed", None).is_empty());
}

#[test]
fn opt_in_region_rejecting_working_keys_is_region_not_enabled() {
    let f = facts("[default]\nregion = ap-east-1\n", Options::default());
    let o = [
        outcome(
            active(Some("ap-east-1")),
            Err(aws("InvalidClientTokenId", "The security token included in the request is invalid.")),
            0,
        ),
        outcome(active(Some("us-east-1")), identity_ok(), 0),
    ];
    assert_eq!(causes(&run(&f, &o)), ["region-not-enabled"]);
}

#[test]
fn inactive_key_seen_through_another_profile_is_key_inactive() {
    let creds = format!(
        "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n[admin]\naws_access_key_id = AKIAOTHERKEY00000000\naws_secret_access_key = {SECRET}\n"
    );
    let f = facts_with(&creds, US, Options::default());
    let rejected = Err(aws("InvalidClientTokenId", "The security token included in the request is invalid."));
    let other = Who::Other("admin".into());
    let o = [
        outcome(active(Some("us-east-1")), rejected, 0),
        outcome(LiveCheck::CallerIdentity { who: other.clone(), region: Some("us-east-1".into()) }, identity_ok(), 0),
        outcome(
            LiveCheck::AccessKeyInfo { who: other.clone(), key_id: ID.into() },
            Ok(LiveValue::Account("123456789012".into())),
            0,
        ),
        outcome(
            LiveCheck::ListAccessKeys { who: other },
            Ok(LiveValue::AccessKeys(vec![KeyInfo { id: ID.into(), active: false, created: None }])),
            0,
        ),
    ];
    let r = run(&f, &o);
    assert_eq!(causes(&r), ["key-inactive"]);
    assert!(r.causes[0].summary.contains("admin"), "names the other profile it used");
}

#[test]
fn old_key_is_a_warning() {
    let f = facts(US, Options::default());
    let keys = vec![KeyInfo { id: ID.into(), active: true, created: Some(now() - Span::days(200)) }];
    let o = [
        outcome(active(Some("us-east-1")), identity_ok(), 0),
        outcome(LiveCheck::ListAccessKeys { who: Who::Active }, Ok(LiveValue::AccessKeys(keys)), 0),
    ];
    let r = run(&f, &o);
    assert!(r.causes.is_empty());
    assert!(r.warnings.iter().any(|w| w.cause.map(|c| c.id()) == Some("key-old")));
}

#[test]
fn sso_profile_without_a_token_is_sso_session_expired() {
    let config = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
    let env = Environment::from_pairs(
        [("AWS_PROFILE", "dev"), ("AWS_EC2_METADATA_DISABLED", "true")],
        Some("/home/u".into()),
    );
    let files = ProfileFiles::from_texts(&env, Some(config), None);
    let mut side = SideFiles::default();
    side.sso_cache.insert("corp".into(), SsoCacheEntry { path: "~/.aws/sso/cache/x.json".into(), token: Ok(None) });
    let f = Facts::new(Gathered { env, files, side }, None, Options::default(), now());
    assert_eq!(causes(&run(&f, &[])), ["sso-session-expired"]);
}

#[test]
fn a_lint_that_explains_the_rejection_replaces_it() {
    let creds = format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = '{SECRET}'\n");
    let f = facts_with(&creds, US, Options::default());
    let o = [outcome(
        active(Some("us-east-1")),
        Err(aws("SignatureDoesNotMatch", "The request signature we calculated does not match")),
        0,
    )];
    assert_eq!(causes(&run(&f, &o)), ["credential-whitespace"]);
}

#[test]
fn an_unknown_error_code_is_shown_not_dropped() {
    let f = facts(US, Options::default());
    let o = [outcome(active(Some("us-east-1")), Err(aws("WeirdNewError", "something new")), 0)];
    let r = run(&f, &o);
    assert!(r.has_failure());
    let json = serde_json::to_string(&r).unwrap_or_default();
    assert!(json.contains("WeirdNewError") && json.contains("something new") && json.contains("req-1"));
}

#[test]
fn a_pasted_error_is_routed_to_its_step() {
    let text = format!(
        "An error occurred (AccessDenied) when calling the ListBuckets operation: User: {ARN} is not authorized to perform: s3:ListAllMyBuckets with an explicit deny in a service control policy"
    );
    let f = facts(US, Options { error: Some(text), ..Options::default() });
    let r = run(&f, &[outcome(active(Some("us-east-1")), identity_ok(), 0)]);
    assert_eq!(causes(&r), ["explicit-deny-scp"]);
    assert_eq!(r.causes[0].step.id(), "iam-scp");
}

#[test]
fn an_encoded_authorization_message_is_decoded_into_evidence() {
    let text = format!(
        "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. User: {ARN} is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/* with an explicit deny in an identity-based policy. Encoded authorization failure message: AbCdEf123"
    );
    let f = facts(US, Options { error: Some(text), ..Options::default() });
    let decoded = r#"{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"statementId":"1","effect":"DENY","sid":"DenyEC2","source":{"arn":"arn:aws:iam::123456789012:policy/guardrails"}}]}}"#;
    let o = [
        outcome(active(Some("us-east-1")), identity_ok(), 0),
        outcome(LiveCheck::DecodeMessage { message: "AbCdEf123".into() }, Ok(LiveValue::Decoded(decoded.into())), 0),
    ];
    let r = run(&f, &o);
    assert_eq!(causes(&r), ["explicit-deny-identity"]);
    let json = serde_json::to_string(&r).unwrap_or_default();
    assert!(json.contains("DenyEC2") && json.contains("policy/guardrails"), "{json}");
    // And the planner asks for the decode once the identity is known.
    let plan = credwiz::diagnose::run::plan::followups(&f, &Outcomes::new(), &o[0]);
    assert!(plan.iter().any(|c| matches!(c, LiveCheck::DecodeMessage { message } if message == "AbCdEf123")));
}

#[test]
fn a_session_without_mfa_refused_by_iam_is_iam_needs_mfa_session_not_an_unknown_key() {
    let creds = format!(
        "[default]\naws_access_key_id = ASIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET}\naws_session_token = FwoGZXIvYXdzEXAMPLETOKENvalueThatIsLongEnough\n"
    );
    let f = facts_with(&creds, US, Options::default());
    let invalid = || Err(aws("InvalidClientTokenId", "The security token included in the request is invalid."));
    let o = [
        outcome(active(Some("us-east-1")), identity_ok(), 0),
        outcome(LiveCheck::ListAccessKeys { who: Who::Active }, invalid(), 0),
        outcome(LiveCheck::ListMfaDevices { who: Who::Active }, invalid(), 0),
    ];
    let r = run(&f, &o);
    assert!(r.causes.is_empty(), "credwiz's own reads only warn: {:?}", causes(&r));
    let warned: Vec<_> = r.warnings.iter().filter_map(|w| w.cause).map(|c| c.id()).collect();
    assert_eq!(warned, ["iam-needs-mfa-session"]);
    // The user's own IAM action refused the same way is a failure with that cause.
    let f = facts_with(&creds, US, Options { actions: actions("iam:ListUsers"), ..Options::default() });
    let action = LiveCheck::TryAction { who: Who::Active, action: actions("iam:ListUsers").remove(0), user: None };
    let r = run(&f, &[outcome(active(Some("us-east-1")), identity_ok(), 0), outcome(action, invalid(), 0)]);
    assert_eq!(causes(&r), ["iam-needs-mfa-session"]);
}
