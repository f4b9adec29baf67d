//! Hand-made live outcomes for the IAM & SCP tests: the caller, the
//! identity's and the organisation's policy reads, AWS's answers to a call
//! or a simulation, policy files; and a run of both front ends over them.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure};
use credwiz::aws::policies::{
    Fetched, IamPrincipal, IdentityPolicies, OrgLevelPolicies, OrgPolicies, PolicyText, ReadFailure,
};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::input::options::{ActionName, PolicyFile, PolicyLayer};
use credwiz::diagnose::run::check::{Identity, LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::{Facts, Options, Outcomes, Report, Status};
use credwiz::profile::ProfileFiles;
use serde_json::{Value, json};
use std::time::Duration;

pub const ARN: &str = "arn:aws:iam::123456789012:user/alice";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
pub const US: &str = "[default]\nregion = us-east-1\n";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

pub fn facts_with(key_id: &str, config: &str, options: Options) -> Facts {
    let token = if key_id.starts_with("ASIA") { "aws_session_token = tok\n" } else { "" };
    let credentials = format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {SECRET}\n{token}");
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(&credentials));
    let gathered = Gathered { env, files, side: SideFiles::default() };
    Facts::new(gathered, None, Options { timeout: Duration::from_secs(10), ..options }, now())
}

pub fn facts(config: &str, options: Options) -> Facts {
    facts_with("AKIAQWERTYUIOPASDFGH", config, options)
}

pub fn acting(list: &str) -> Options {
    Options { actions: ActionName::parse_list(list).expect("actions"), ..Options::default() }
}

pub fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>) -> Outcome {
    Outcome { check, call: Call { result, elapsed: Duration::from_millis(9), server_date: None, local_date: now() } }
}

pub fn aws(code: &str, message: &str) -> Failure {
    Failure::Aws(AwsError {
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: None,
        http_status: Some(403),
        operation: None,
    })
}

pub fn identity() -> Outcome {
    outcome(
        LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
        Ok(LiveValue::Identity(Identity {
            account: "123456789012".into(),
            arn: ARN.into(),
            user_id: "AIDAX".into(),
            account_alias: None,
        })),
    )
}

pub fn text(name: &str, statements: Value) -> PolicyText {
    PolicyText { name: name.into(), text: json!({"Version": "2012-10-17", "Statement": statements}).to_string() }
}

pub fn allow_all() -> Value {
    json!([{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}])
}

/// The identity's policies as read from IAM.
pub fn identity_read(policies: Vec<PolicyText>, boundary: Option<PolicyText>) -> Outcome {
    let read = IdentityPolicies {
        principal: IamPrincipal::User("alice".into()),
        policies: Fetched::Known(policies),
        boundary: boundary.map_or_else(|| Fetched::Absent("no permissions boundary is set".into()), Fetched::Known),
        tags: Fetched::Known(vec![("team".into(), "blue".into())]),
        role_arn: None,
        via: "the IAM reads of the identity",
    };
    outcome(
        LiveCheck::IdentityPolicies { who: Who::Active, principal: IamPrincipal::User("alice".into()) },
        Ok(LiveValue::IdentityPolicies(Box::new(read))),
    )
}

pub fn org_read(scps: Fetched<Vec<OrgLevelPolicies>>) -> Outcome {
    let read = OrgPolicies {
        organization: Fetched::Known("o-abc".into()),
        org_path: Some("o-abc/r-root/ou-prod/".into()),
        scps,
        rcps: Fetched::Absent("RCPs are not enabled in the organisation".into()),
    };
    outcome(
        LiveCheck::OrgPolicies { who: Who::Active, account: "123456789012".into() },
        Ok(LiveValue::OrgPolicies(Box::new(read))),
    )
}

pub fn no_org() -> Outcome {
    let why = "the account belongs to no organisation";
    let read = OrgPolicies {
        organization: Fetched::Absent(why.into()),
        org_path: None,
        scps: Fetched::Absent(why.into()),
        rcps: Fetched::Absent(why.into()),
    };
    outcome(
        LiveCheck::OrgPolicies { who: Who::Active, account: "123456789012".into() },
        Ok(LiveValue::OrgPolicies(Box::new(read))),
    )
}

pub fn org_denied() -> Outcome {
    let failure = ReadFailure {
        request: "organizations:ListRoots".into(),
        failure: Box::new(aws("AccessDeniedException", "You don't have permissions to access this resource.")),
    };
    let read = OrgPolicies {
        organization: Fetched::Known("o-abc".into()),
        org_path: None,
        scps: Fetched::Unknown(failure.clone()),
        rcps: Fetched::Unknown(failure),
    };
    outcome(
        LiveCheck::OrgPolicies { who: Who::Active, account: "123456789012".into() },
        Ok(LiveValue::OrgPolicies(Box::new(read))),
    )
}

pub fn try_action(action: &str, result: Result<LiveValue, Failure>) -> Outcome {
    let action = ActionName::parse(action).expect("action");
    outcome(LiveCheck::TryAction { who: Who::Active, action, user: Some("alice".into()) }, result)
}

/// The simulator refused (most developers may not call it): only the local verdict is left.
pub fn simulation_denied(action: &str) -> Outcome {
    let action = ActionName::parse(action).expect("action");
    let message = format!("User: {ARN} is not authorized to perform: iam:SimulatePrincipalPolicy");
    outcome(LiveCheck::Simulate { who: Who::Active, arn: ARN.into(), action }, Err(aws("AccessDenied", &message)))
}

pub fn run(facts: &Facts, outcomes: &[Outcome]) -> Report {
    crate::support::contract::agree_on(facts, &Outcomes::from(outcomes.to_vec()))
}

pub fn primary(report: &Report) -> &'static str {
    report.causes.first().and_then(|c| c.cause).map_or("", |c| c.id())
}

/// The evidence of the findings with this id, one string.
pub fn evidence(report: &Report, id: &str) -> String {
    report
        .steps
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| c.id == id)
        .flat_map(|c| c.evidence.iter().cloned().chain([c.summary.clone(), c.fix.clone().unwrap_or_default()]))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn check(report: &Report, id: &str) -> Option<(Status, Option<&'static str>, &'static str)> {
    report
        .steps
        .iter()
        .find_map(|s| s.checks.iter().find(|c| c.id == id).map(|c| (c.status, c.cause.map(|c| c.id()), s.step.id())))
}

pub fn file(layer: PolicyLayer, path: &str, statements: Value) -> PolicyFile {
    let file = PolicyFile {
        layer,
        path: path.into(),
        text: json!({"Version": "2012-10-17", "Statement": statements}).to_string(),
    };
    credwiz::diagnose::judge::policy_layers::check_file(&file).expect("a valid policy file");
    file
}
