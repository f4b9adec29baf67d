//! The local policy verdict in the IAM & SCP step, from hand-made live
//! outcomes (what moto cannot give: SCPs read from Organizations, AWS's
//! policy-type wordings, regions, a user's boundary) and `--policy` files:
//! each test names the cause it expects and the deciding statement the
//! evidence must name, and the wizard agrees with `check` every time.

mod iam_fakes;
mod support;

use credwiz::aws::policies::{Fetched, IamPrincipal, IdentityPolicies, OrgLevelPolicies, ReadFailure};
use credwiz::diagnose::Options;
use credwiz::diagnose::Status;
use credwiz::diagnose::input::options::PolicyLayer;
use credwiz::diagnose::run::check::{LiveCheck, LiveValue, Who};
use iam_fakes::*;
use serde_json::json;

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
