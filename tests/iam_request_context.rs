//! The request the local verdict is about, from hand-made live outcomes:
//! its resource (given, named by the error, or unknown), the MFA keys the
//! credentials tell of, and the RCPs that matter only for the services
//! they govern. The wizard agrees with `check` every time.

mod iam_fakes;
mod support;

use credwiz::aws::live::Failure;
use credwiz::diagnose::Options;
use credwiz::diagnose::input::options::{PolicyLayer, ResourceArn};
use credwiz::diagnose::run::check::{LiveCheck, LiveValue, Who};
use iam_fakes::*;
use serde_json::json;

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
