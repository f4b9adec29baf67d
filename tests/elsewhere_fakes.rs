//! SPEC 3e where neither moto nor the lab can go: a key younger than a
//! minute that IAM lists as Active while STS still refuses it (the lab's keys
//! are refused only for a reason), a `sudo` run (it needs another user's home
//! from the user database: here a directory of the test's own), and the
//! one-key fix of `sso-session-unsupported` applied to the files. Hand-made
//! outcomes are fed to the pure assessment; each test names its cause ids.

mod support;

use chrono::{DateTime, Duration as Span, Utc};
use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::input::invoker::Invoker;
use credwiz::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::{Facts, Options, Outcomes, Repair, Report};
use credwiz::profile::{Document, FileKind, ProfileFiles};
use std::time::Duration;

const ID: &str = "AKIAQWERTYUIOPASDFGH";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn facts_with(env: &[(&str, &str)], credentials: &str, config: &str, side: SideFiles) -> Facts {
    let mut pairs = vec![("AWS_EC2_METADATA_DISABLED", "true")];
    pairs.extend_from_slice(env);
    let env = Environment::from_pairs(pairs, Some("/root".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
    Facts::new(
        Gathered { env, files, side },
        None,
        Options { timeout: Duration::from_secs(10), ..Options::default() },
        now(),
    )
}

fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>) -> Outcome {
    Outcome {
        check,
        call: Call { result, elapsed: Duration::from_millis(9), server_date: Some(now()), local_date: now() },
    }
}

fn refused() -> Result<LiveValue, Failure> {
    Err(Failure::Aws(AwsError {
        code: Some("InvalidClientTokenId".into()),
        message: Some("The security token included in the request is invalid.".into()),
        request_id: Some("req-1".into()),
        http_status: Some(403),
        operation: None,
    }))
}

fn at(region: &str) -> LiveCheck {
    LiveCheck::CallerIdentity { who: Who::Active, region: Some(region.into()) }
}

fn ids(entries: &[credwiz::diagnose::report::CauseEntry]) -> Vec<&'static str> {
    entries.iter().filter_map(|e| e.cause).map(|c| c.id()).collect()
}

fn run(facts: &Facts, outcomes: Vec<Outcome>) -> Report {
    support::contract::agree_on(facts, &Outcomes::from(outcomes))
}

/// The default profile's key refused everywhere; profile `admin` (the same user) lists it, created `age` ago.
fn refused_key_listed(age: Span) -> Report {
    let credentials = format!(
        "[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n[admin]\naws_access_key_id = AKIAADMINADMINADMIN1\naws_secret_access_key = {SECRET}\n"
    );
    let f = facts_with(&[], &credentials, "[default]\nregion = us-east-1\n", SideFiles::default());
    let admin = Who::Other("admin".into());
    let listed = KeyInfo { id: ID.into(), active: true, created: Some(now() - age) };
    let caller = Identity {
        account: "123456789012".into(),
        arn: "arn:aws:iam::123456789012:user/alice".into(),
        user_id: "AIDAEXAMPLE".into(),
        account_alias: None,
    };
    let outcomes = vec![
        outcome(at("us-east-1"), refused()),
        outcome(at("cn-north-1"), refused()),
        outcome(at("us-gov-west-1"), refused()),
        outcome(
            LiveCheck::CallerIdentity { who: admin.clone(), region: Some("us-east-1".into()) },
            Ok(LiveValue::Identity(caller)),
        ),
        outcome(LiveCheck::ListAccessKeys { who: admin }, Ok(LiveValue::AccessKeys(vec![listed]))),
    ];
    run(&f, outcomes)
}

#[test]
fn a_key_created_seconds_ago_is_a_warning_to_wait_not_a_dead_key() {
    let r = refused_key_listed(Span::seconds(20));
    assert!(r.causes.is_empty(), "{:?}", ids(&r.causes));
    assert!(ids(&r.warnings).contains(&"key-not-yet-active"), "{:?}", ids(&r.warnings));
    let warning = r.warnings.iter().find(|w| w.cause.is_some_and(|c| c.id() == "key-not-yet-active"));
    let summary = warning.map(|w| w.summary.clone()).unwrap_or_default();
    assert!(summary.contains("created 20s before AWS refused it") && summary.contains("profile admin"), "{summary}");
}

#[test]
fn a_key_created_long_ago_is_still_unknown() {
    let r = refused_key_listed(Span::minutes(10));
    assert_eq!(ids(&r.causes).first(), Some(&"unknown-access-key"), "{:?}", ids(&r.causes));
    assert!(!ids(&r.warnings).contains(&"key-not-yet-active"));
}

fn invoker(profiles: &[(&str, bool)]) -> SideFiles {
    SideFiles {
        invoker: Some(Invoker {
            user: "alice".into(),
            home: "/home/alice".into(),
            config: "/home/alice/.aws/config".into(),
            profiles: profiles.iter().map(|(n, c)| (n.to_string(), *c)).collect(),
        }),
        ..SideFiles::default()
    }
}

#[test]
fn through_sudo_the_profile_in_the_invoking_users_home_is_the_root_cause() {
    let f = facts_with(&[("AWS_PROFILE", "dev"), ("SUDO_USER", "alice")], "", "", invoker(&[("dev", true)]));
    let r = run(&f, Vec::new());
    assert_eq!(ids(&r.causes).first(), Some(&"home-mismatch"), "before profile-not-found: {:?}", ids(&r.causes));
    let fix = r.causes[0].fix.clone().unwrap_or_default();
    assert!(r.causes[0].summary.contains("/home/alice/.aws/config") && fix.contains("--preserve-env=HOME"), "{fix}");
    // Root's files hold no profile at all, alice's do: still the root cause (sudo dropped AWS_PROFILE too).
    let f = facts_with(&[("SUDO_USER", "alice")], "", "", invoker(&[("dev", true)]));
    assert_eq!(ids(&run(&f, Vec::new()).causes).first(), Some(&"home-mismatch"));
}

#[test]
fn through_sudo_a_profile_in_both_homes_is_a_warning() {
    let credentials = format!("[dev]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n");
    let f = facts_with(&[("AWS_PROFILE", "dev")], &credentials, "", invoker(&[("dev", true)]));
    let findings = credwiz::diagnose::judge::all(&f, &Outcomes::new());
    let home = findings.iter().find(|f| f.cause.is_some_and(|c| c.id() == "home-mismatch"));
    assert_eq!(home.map(|f| f.status), Some(credwiz::diagnose::Status::Warn), "{findings:#?}");
    let alone = facts_with(&[("AWS_PROFILE", "dev")], &credentials, "", SideFiles::default());
    assert!(
        !credwiz::diagnose::judge::all(&alone, &Outcomes::new())
            .iter()
            .any(|f| f.cause.is_some_and(|c| c.id() == "home-mismatch"))
    );
}

const SSO: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\nsso_region = eu-west-1\n";

fn with_cause(facts: &Facts, id: &str) -> Option<credwiz::diagnose::Finding> {
    credwiz::diagnose::judge::all(facts, &Outcomes::new()).into_iter().find(|f| f.cause.is_some_and(|c| c.id() == id))
}

#[test]
fn the_sso_session_fix_writes_the_sessions_own_values_and_credwiz_still_reads_the_profile() {
    let f = facts_with(&[("AWS_PROFILE", "dev")], "", SSO, SideFiles::default());
    let warning = with_cause(&f, "sso-session-unsupported").expect("the warning for older tools");
    let Some(Repair::SetValues { file: FileKind::Config, section, values }) = warning.repair else {
        panic!("no one-key fix: {warning:?}")
    };
    assert_eq!(
        values,
        [
            ("sso_start_url".to_string(), "https://d-1.awsapps.com/start".to_string()),
            ("sso_region".into(), "eu-west-1".into())
        ]
    );
    let mut config = Document::parse(SSO);
    for (key, value) in &values {
        config.set(&section, key, value);
    }
    let fixed = facts_with(&[("AWS_PROFILE", "dev")], "", &config.render(), SideFiles::default());
    assert!(with_cause(&fixed, "sso-session-unsupported").is_none(), "fixed");
    assert!(
        with_cause(&fixed, "sso-config-incomplete").is_none(),
        "the equal values are read, as the AWS CLI reads them"
    );
    let disagree = with_cause(&fixed, "tools-disagree").expect("the Rust SDK refuses the fixed profile: said");
    assert!(
        disagree.summary.contains("the Rust SDK (aws-config): nothing: it refuses the profile"),
        "{}",
        disagree.summary
    );
}
