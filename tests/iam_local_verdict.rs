//! The local policy verdict in the IAM & SCP step, from hand-made live
//! outcomes (what moto cannot give: SCPs and RCPs read from Organizations,
//! AWS's policy-type wordings, regions, MFA sessions) and `--policy`
//! files: each test names the cause it expects and the deciding statement
//! the evidence must name, and the wizard agrees with `check` every time.

mod support;

use chrono::{DateTime, Utc};
use credwiz::diagnose::check::{Identity, LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::decode::AwsError;
use credwiz::diagnose::gather::{Gathered, SideFiles};
use credwiz::diagnose::live::{Call, Failure};
use credwiz::diagnose::options::{ActionName, PolicyFile, PolicyLayer, ResourceArn};
use credwiz::diagnose::policies::{
    Fetched, IamPrincipal, IdentityPolicies, OrgLevelPolicies, OrgPolicies, PolicyText, ReadFailure,
};
use credwiz::diagnose::{Facts, Options, Outcomes, Report, Status};
use credwiz::environment::Environment;
use credwiz::profile::ProfileFiles;
use serde_json::{Value, json};
use std::time::Duration;

const ARN: &str = "arn:aws:iam::123456789012:user/alice";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
const US: &str = "[default]\nregion = us-east-1\n";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn facts_with(key_id: &str, config: &str, options: Options) -> Facts {
    let token = if key_id.starts_with("ASIA") { "aws_session_token = tok\n" } else { "" };
    let credentials = format!("[default]\naws_access_key_id = {key_id}\naws_secret_access_key = {SECRET}\n{token}");
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/u".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(&credentials));
    let gathered = Gathered { env, files, side: SideFiles::default() };
    Facts::new(gathered, None, Options { timeout: Duration::from_secs(10), ..options }, now())
}

fn facts(config: &str, options: Options) -> Facts {
    facts_with("AKIAQWERTYUIOPASDFGH", config, options)
}

fn acting(list: &str) -> Options {
    Options { actions: ActionName::parse_list(list).expect("actions"), ..Options::default() }
}

fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>) -> Outcome {
    Outcome { check, call: Call { result, elapsed: Duration::from_millis(9), server_date: None, local_date: now() } }
}

fn aws(code: &str, message: &str) -> Failure {
    Failure::Aws(AwsError {
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: None,
        http_status: Some(403),
        operation: None,
    })
}

fn identity() -> Outcome {
    outcome(
        LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
        Ok(LiveValue::Identity(Identity { account: "123456789012".into(), arn: ARN.into(), user_id: "AIDAX".into() })),
    )
}

fn text(name: &str, statements: Value) -> PolicyText {
    PolicyText { name: name.into(), text: json!({"Version": "2012-10-17", "Statement": statements}).to_string() }
}

fn allow_all() -> Value {
    json!([{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}])
}

/// The identity's policies as read from IAM.
fn identity_read(policies: Vec<PolicyText>, boundary: Option<PolicyText>) -> Outcome {
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

fn org_read(scps: Fetched<Vec<OrgLevelPolicies>>) -> Outcome {
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

fn no_org() -> Outcome {
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

fn org_denied() -> Outcome {
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

fn try_action(action: &str, result: Result<LiveValue, Failure>) -> Outcome {
    let action = ActionName::parse(action).expect("action");
    outcome(LiveCheck::TryAction { who: Who::Active, action, user: Some("alice".into()) }, result)
}

/// The simulator refused (most developers may not call it): only the local verdict is left.
fn simulation_denied(action: &str) -> Outcome {
    let action = ActionName::parse(action).expect("action");
    let message = format!("User: {ARN} is not authorized to perform: iam:SimulatePrincipalPolicy");
    outcome(LiveCheck::Simulate { who: Who::Active, arn: ARN.into(), action }, Err(aws("AccessDenied", &message)))
}

fn run(facts: &Facts, outcomes: &[Outcome]) -> Report {
    support::contract::agree_on(facts, &Outcomes::from(outcomes.to_vec()))
}

fn primary(report: &Report) -> &'static str {
    report.causes.first().and_then(|c| c.cause).map_or("", |c| c.id())
}

/// The evidence of the findings with this id, one string.
fn evidence(report: &Report, id: &str) -> String {
    report
        .steps
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| c.id == id)
        .flat_map(|c| c.evidence.iter().cloned().chain([c.summary.clone(), c.fix.clone().unwrap_or_default()]))
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(report: &Report, id: &str) -> Option<(Status, Option<&'static str>, &'static str)> {
    report
        .steps
        .iter()
        .find_map(|s| s.checks.iter().find(|c| c.id == id).map(|c| (c.status, c.cause.map(|c| c.id()), s.step.id())))
}

fn file(layer: PolicyLayer, path: &str, statements: Value) -> PolicyFile {
    let file = PolicyFile {
        layer,
        path: path.into(),
        text: json!({"Version": "2012-10-17", "Statement": statements}).to_string(),
    };
    credwiz::diagnose::assess::policy_layers::check_file(&file).expect("a valid policy file");
    file
}

#[test]
fn an_scp_read_from_the_organisation_names_the_deny_and_its_level() {
    let f = facts(US, acting("iam:CreateUser"));
    let deny = text(
        "DenyIamWrites (p-123)",
        json!([{"Sid": "NoNewUsers", "Effect": "Deny", "Action": "iam:Create*", "Resource": "*"}]),
    );
    let scps = Fetched::Known(vec![
        OrgLevelPolicies {
            target: "r-root".into(),
            policies: vec![text("FullAWSAccess (p-FullAWSAccess)", allow_all())],
        },
        OrgLevelPolicies { target: "ou-prod".into(), policies: vec![deny] },
    ]);
    let r = run(
        &f,
        &[
            identity(),
            identity_read(vec![text("admin", allow_all())], None),
            org_read(scps),
            simulation_denied("iam:CreateUser"),
        ],
    );
    assert_eq!(primary(&r), "explicit-deny-scp");
    let said = evidence(&r, "action");
    assert!(
        said.contains(
            "denied by the explicit Deny in SCP `DenyIamWrites (p-123)` statement `NoNewUsers` at level `ou-prod`"
        ),
        "{said}"
    );
    assert!(said.contains("the local evaluation decides (policy simulation failed: AccessDenied)"), "{said}");
    assert_eq!(check(&r, "policy-layers").map(|c| c.0), Some(Status::Pass), "every layer known or absent");
    let layers = evidence(&r, "policy-layers");
    assert!(
        layers
            .contains("layer scp: known: r-root: `FullAWSAccess (p-FullAWSAccess)`; ou-prod: `DenyIamWrites (p-123)`"),
        "{layers}"
    );
}

#[test]
fn a_plain_denial_from_aws_is_named_by_the_local_verdict() {
    let f = facts(US, acting("iam:ListUsers"));
    let policies = vec![text(
        "guardrails (inline, user alice)",
        json!([{"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
               {"Sid": "NoListingUsers", "Effect": "Deny", "Action": "iam:ListUsers", "Resource": "*"}]),
    )];
    // Older and emulated messages stop after "perform: ACTION": no policy type named.
    let plain = format!("User: {ARN} is not authorized to perform: iam:ListUsers");
    let r = run(
        &f,
        &[
            identity(),
            identity_read(policies, None),
            no_org(),
            try_action("iam:ListUsers", Err(aws("AccessDenied", &plain))),
        ],
    );
    assert_eq!(primary(&r), "explicit-deny-identity");
    let said = evidence(&r, "action");
    assert!(
        said.contains(
            "change the Deny of identity-based policy `guardrails (inline, user alice)` statement `NoListingUsers`"
        ),
        "{said}"
    );
}

#[test]
fn aws_beats_the_local_verdict_and_the_evidence_says_so() {
    let f = facts(US, acting("iam:ListUsers"));
    let scp = format!(
        "User: {ARN} is not authorized to perform: iam:ListUsers on resource: * with an explicit deny in a service control policy"
    );
    let denied = try_action("iam:ListUsers", Err(aws("AccessDenied", &scp)));
    let r = run(&f, &[identity(), identity_read(vec![text("admin", allow_all())], None), no_org(), denied]);
    assert_eq!(primary(&r), "explicit-deny-scp", "AWS names the SCP; credwiz saw no organisation");
    let said = evidence(&r, "action");
    assert!(said.contains("AWS's answer decides: AWS denied the call, while the local evaluation says allowed by identity-based policy `admin` statement `Everything`"), "{said}");

    // The other way round: AWS allows what the local verdict denies.
    let allowed = try_action("iam:ListUsers", Ok(LiveValue::Allowed));
    let r = run(&f, &[identity(), identity_read(vec![], None), no_org(), allowed]);
    assert_eq!(primary(&r), "");
    assert_eq!(check(&r, "action").map(|c| c.0), Some(Status::Pass));
    assert!(evidence(&r, "action").contains("AWS's answer decides: AWS allowed the call, while the local evaluation says denied: no statement allows it in the identity-based policies"));
}

#[test]
fn allowed_with_mfa_routes_to_mfa_required_with_the_statement() {
    let f = facts(US, acting("iam:ListUsers"));
    let policies = vec![text(
        "require-mfa (inline, user alice)",
        json!([{"Effect": "Allow", "Action": "*", "Resource": "*"},
               {"Sid": "DenyWithoutMfa", "Effect": "Deny", "NotAction": "sts:GetSessionToken", "Resource": "*",
                "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]),
    )];
    let message = format!(
        "User: {ARN} is not authorized to perform: iam:ListUsers on resource: * with an explicit deny in an identity-based policy"
    );
    // No mfa_serial and no device listed: only the local verdict knows MFA would lift the deny.
    let r = run(
        &f,
        &[
            identity(),
            identity_read(policies, None),
            no_org(),
            try_action("iam:ListUsers", Err(aws("AccessDenied", &message))),
        ],
    );
    assert_eq!(primary(&r), "mfa-required");
    assert_eq!(r.causes[0].step.id(), "mfa");
    assert_eq!(check(&r, "mfa-required").map(|c| (c.0, c.2)), Some((Status::Fail, "mfa")));
    let said = evidence(&r, "mfa-required");
    assert!(said.contains("statement `DenyWithoutMfa`"), "{said}");
    assert!(
        said.contains("with MFA: allowed by identity-based policy `require-mfa (inline, user alice)` statement `#1`"),
        "{said}"
    );
    assert!(evidence(&r, "action").contains("MFA absent (long-term keys carry no MFA)"));
}

#[test]
fn an_scp_that_allows_one_region_sends_the_user_to_the_region_step() {
    let f = facts("[default]\nregion = eu-west-1\n", acting("ec2:DescribeInstances"));
    let region_lock = text(
        "RegionLock (p-9)",
        json!([{"Sid": "OnlyUsEast1", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}]),
    );
    let scps = Fetched::Known(vec![OrgLevelPolicies {
        target: "r-root".into(),
        policies: vec![text("FullAWSAccess", allow_all()), region_lock],
    }]);
    let outcomes = [
        identity(),
        identity_read(vec![text("admin", allow_all())], None),
        org_read(scps),
        simulation_denied("ec2:DescribeInstances"),
    ];
    let r = run(&f, &outcomes);
    assert_eq!(primary(&r), "explicit-deny-scp");
    assert_eq!(check(&r, "action-region"), Some((Status::Fail, Some("explicit-deny-scp"), "account-region")));
    let said = evidence(&r, "action-region");
    assert!(said.contains("ec2:DescribeInstances is denied in eu-west-1 but allowed in us-east-1"), "{said}");
    assert!(said.contains("statement `OnlyUsEast1`"), "{said}");
    assert_eq!(r.step(credwiz::diagnose::Step::AccountRegion).map(|s| s.status), Some(Status::Fail));
}

#[test]
fn a_boundary_that_lacks_the_action_is_permissions_boundary_and_says_what_would_change() {
    let f = facts(US, acting("iam:ListUsers"));
    let boundary = text("S3Only", json!([{"Sid": "S3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]));
    let plain = format!("User: {ARN} is not authorized to perform: iam:ListUsers");
    let r = run(
        &f,
        &[
            identity(),
            identity_read(vec![text("admin", allow_all())], Some(boundary)),
            no_org(),
            try_action("iam:ListUsers", Err(aws("AccessDenied", &plain))),
        ],
    );
    assert_eq!(primary(&r), "permissions-boundary");
    let said = evidence(&r, "action");
    assert!(said.contains("denied: no statement allows it in the permissions boundary"), "{said}");
    assert!(
        said.contains(
            "without the permissions boundary: allowed by identity-based policy `admin` statement `Everything`"
        ),
        "{said}"
    );
}

#[test]
fn policy_files_stand_for_layers_credwiz_cannot_read_and_a_deny_only_scp_gets_full_access() {
    let scp = file(
        PolicyLayer::Scp,
        "deny-deletes.json",
        json!([{"Sid": "NoDeletes", "Effect": "Deny", "Action": "iam:Delete*", "Resource": "*"}]),
    );
    let options = Options { policy_files: vec![scp], ..acting("iam:DeleteUser iam:ListUsers") };
    // (RCPs do not govern IAM: their unknown state does not matter here.)
    let f = facts(US, options);
    let outcomes = [
        identity(),
        identity_read(vec![text("admin", allow_all())], None),
        org_denied(),
        simulation_denied("iam:DeleteUser"),
        try_action("iam:ListUsers", Ok(LiveValue::Allowed)),
    ];
    let r = run(&f, &outcomes);
    assert_eq!(primary(&r), "explicit-deny-scp");
    let said = evidence(&r, "action");
    assert!(
        said.contains("denied by the explicit Deny in SCP `file deny-deletes.json` statement `NoDeletes`"),
        "{said}"
    );
    assert!(
        said.contains("allowed by identity-based policy `admin` statement `Everything`"),
        "ListUsers passes the file's level through FullAWSAccess: {said}"
    );
    let layers = evidence(&r, "policy-layers");
    assert!(layers.contains("has no Allow statement: AWS attaches FullAWSAccess"), "{layers}");
    assert!(layers.contains("layer scp: known: the files `file deny-deletes.json`"), "{layers}");
    // The organisation's read was denied: a warning, never a failure of its own.
    assert_eq!(check(&r, "policy-layers").map(|c| c.0), Some(Status::Warn));
    assert!(r.warnings.iter().any(|w| w.summary.contains("organizations:ListRoots")));
}

#[test]
fn unknown_layers_never_allow_and_the_verdict_says_what_it_depends_on() {
    let f = facts(US, acting("iam:CreateRole"));
    let failure = ReadFailure {
        request: "iam:ListUserPolicies".into(),
        failure: Box::new(aws(
            "AccessDenied",
            &format!("User: {ARN} is not authorized to perform: iam:ListUserPolicies"),
        )),
    };
    let read = IdentityPolicies {
        principal: IamPrincipal::User("alice".into()),
        policies: Fetched::Unknown(failure.clone()),
        boundary: Fetched::Unknown(failure),
        tags: Fetched::Known(vec![]),
        role_arn: None,
        via: "the IAM reads of the identity",
    };
    let read = outcome(
        LiveCheck::IdentityPolicies { who: Who::Active, principal: IamPrincipal::User("alice".into()) },
        Ok(LiveValue::IdentityPolicies(Box::new(read))),
    );
    let r = run(&f, &[identity(), read, no_org(), simulation_denied("iam:CreateRole")]);
    assert_eq!(primary(&r), "", "nothing the user's own use hit");
    assert_eq!(check(&r, "action").map(|c| c.0), Some(Status::Skip));
    let said = evidence(&r, "action");
    assert!(
        said.contains(
            "undetermined: depends on the identity-based policies (unknown), the permissions boundary (unknown)"
        ),
        "{said}"
    );
    assert_eq!(check(&r, "policy-layers").map(|c| (c.0, c.1)), Some((Status::Warn, Some("no-identity-allow"))));
}

#[test]
fn the_resource_comes_from_the_option_or_the_error_and_stays_unknown_otherwise() {
    let policies = vec![text(
        "s3-reports (inline, user alice)",
        json!([{"Sid": "Reports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
               {"Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::secrets/*"}]),
    )];
    let judge = |options: Options| {
        let f = facts(US, options);
        let r =
            run(&f, &[identity(), identity_read(policies.clone(), None), no_org(), simulation_denied("s3:GetObject")]);
        (primary(&r), evidence(&r, "action") + &evidence(&r, "pasted-error"))
    };
    let (cause, said) = judge(acting("s3:GetObject"));
    assert_eq!(cause, "");
    assert!(said.contains("depends on the resource-based policy (unknown), the resource (unknown)"), "{said}");
    let secret = Options {
        resources: vec![ResourceArn::parse("arn:aws:s3:::secrets/k").expect("arn")],
        ..acting("s3:GetObject")
    };
    let (cause, said) = judge(secret);
    assert_eq!(cause, "explicit-deny-identity", "an explicit deny decides whatever the bucket policy says");
    assert!(said.contains("statement `NoSecrets`") && said.contains("on arn:aws:s3:::secrets/k (as given)"), "{said}");
    let pasted = format!(
        "An error occurred (AccessDenied) when calling the GetObject operation: User: {ARN} is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::secrets/k\" with an explicit deny in an identity-based policy"
    );
    let (cause, said) = judge(Options { error: Some(pasted), ..Options::default() });
    assert_eq!(cause, "explicit-deny-identity");
    assert!(said.contains("(named by the error)") && said.contains("statement `NoSecrets`"), "{said}");
}

#[test]
fn the_request_carries_what_the_credentials_tell_of_mfa() {
    let mfa_only = file(
        PolicyLayer::Identity,
        "mfa-only.json",
        json!([{"Sid": "WithMfa", "Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
    );
    // Both identity layers from files: no IAM read of the identity tells anything of MFA here.
    let boundary = file(PolicyLayer::Boundary, "boundary.json", allow_all());
    let options = Options { policy_files: vec![mfa_only, boundary], ..acting("iam:ListUsers") };
    let judge = |key: &str, iam_said: Option<Result<LiveValue, Failure>>| {
        let f = facts_with(key, US, options.clone());
        let mut outcomes = vec![identity(), no_org(), simulation_denied("iam:ListUsers")];
        outcomes.extend(iam_said.map(|result| outcome(LiveCheck::ListMfaDevices { who: Who::Active }, result)));
        evidence(&run(&f, &outcomes), "action")
    };
    let long_term = judge("AKIAQWERTYUIOPASDFGH", None);
    assert!(long_term.contains("MFA absent (long-term keys carry no MFA)"), "{long_term}");
    assert!(long_term.contains("denied: no statement allows it in the identity-based policies"), "{long_term}");
    assert!(
        long_term.contains(
            "what would change it: with MFA: allowed by identity-based policy `file mfa-only.json` statement `WithMfa`"
        ),
        "{long_term}"
    );
    // Session credentials of an IAM user: IAM accepts them only when they were made with MFA.
    let accepted = judge("ASIAQWERTYUIOPASDFGH", Some(Ok(LiveValue::MfaDevices(vec![]))));
    assert!(accepted.contains("MFA present (IAM accepts these session credentials"), "{accepted}");
    assert!(
        accepted
            .contains("local evaluation: allowed by identity-based policy `file mfa-only.json` statement `WithMfa`"),
        "{accepted}"
    );
    let refused = judge(
        "ASIAQWERTYUIOPASDFGH",
        Some(Err(aws("InvalidClientTokenId", "The security token included in the request is invalid"))),
    );
    assert!(refused.contains("MFA false (IAM refuses these session credentials: made without MFA)"), "{refused}");
    assert!(refused.contains("denied: no statement allows it"), "{refused}");
    let unknown = judge("ASIAQWERTYUIOPASDFGH", None);
    assert!(
        unknown.contains("undetermined: depends on the unknown context key `aws:multifactorauthpresent`"),
        "{unknown}"
    );
}

#[test]
fn rcps_that_cannot_be_read_matter_only_for_the_services_they_govern() {
    let options = acting("iam:ListUsers sqs:ListQueues");
    let f = facts(US, options);
    let r = run(
        &f,
        &[
            identity(),
            identity_read(vec![text("admin", allow_all())], None),
            org_denied(),
            simulation_denied("sqs:ListQueues"),
        ],
    );
    let said = evidence(&r, "action");
    assert!(said.contains("layer rcp: absent: RCPs do not govern iam actions"), "{said}");
    assert!(said.contains("depends on the SCPs (unknown), the RCPs (unknown)"), "sqs is governed: {said}");
}
