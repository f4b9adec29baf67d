//! The policy evaluator's behaviour as the IAM & SCP step relies on it:
//! which layer and statement decide, how unknowns stay unknown, what
//! would change the answer, and the condition operators' semantics
//! (missing keys, IfExists, set operators, Null, typed comparisons).

use credwiz::policy::{
    Change, Layer, LayerKind, OrgLevel, Policy, PolicySet, RequestContext, Unknown, Verdict, evaluate,
    what_would_change,
};
use serde_json::{Value, json};

const ALICE: &str = "arn:aws:iam::111122223333:user/alice";
const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/Dev/alice";
const BUCKET_KEY: &str = "arn:aws:s3:::reports/q1.csv";

fn policy(name: &str, statements: Value) -> Policy {
    let text = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    Policy::parse(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn allow_all(name: &str) -> Policy {
    policy(name, json!([{"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "*"}]))
}

fn identity(statements: Value) -> PolicySet {
    PolicySet { identity: Layer::Known(vec![policy("dev-access", statements)]), ..PolicySet::new() }
}

fn request() -> RequestContext {
    RequestContext::new(ALICE, "s3:GetObject", BUCKET_KEY)
}

#[test]
fn an_explicit_deny_in_an_scp_wins_and_is_named() {
    let mut set = PolicySet { identity: Layer::Known(vec![allow_all("AdminAccess")]), ..PolicySet::new() };
    let deny = policy("p-123", json!([{"Sid": "DenyIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"}]));
    set.scps = Layer::Known(vec![OrgLevel { name: "r-root".into(), policies: vec![allow_all("FullAWSAccess"), deny] }]);
    let decision = evaluate(&set, &RequestContext::new(ALICE, "iam:ListUsers", "*"));
    assert_eq!(decision.verdict, Verdict::ExplicitDeny);
    assert_eq!(decision.to_string(), "denied by the explicit Deny in SCP `p-123` statement `DenyIam`");
    let statement = decision.statement.expect("names the statement");
    assert_eq!((statement.layer, statement.level.as_deref()), (LayerKind::Scp, Some("r-root")));
    assert!(evaluate(&set, &request()).is_allowed(), "the SCP denies IAM only");
}

#[test]
fn an_implicit_deny_names_the_layer_that_lacked_the_allow() {
    let set = identity(json!([{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]));
    let decision = evaluate(&set, &request());
    assert_eq!(decision.verdict, Verdict::ImplicitDeny);
    assert_eq!(decision.to_string(), "denied: no statement allows it in the identity-based policies");

    let mut set = PolicySet { identity: Layer::Known(vec![allow_all("AdminAccess")]), ..PolicySet::new() };
    set.scps = Layer::Known(vec![
        OrgLevel { name: "r-root".into(), policies: vec![allow_all("FullAWSAccess")] },
        OrgLevel {
            name: "ou-prod".into(),
            policies: vec![policy("ec2-only", json!([{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]))],
        },
    ]);
    let decision = evaluate(&set, &request());
    assert_eq!(decision.verdict, Verdict::ImplicitDeny);
    assert_eq!(decision.to_string(), "denied: no statement allows it in the SCPs at `ou-prod`");
}

#[test]
fn allowed_names_the_granting_statement_by_sid_or_index() {
    let set = identity(json!([
        {"Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::reports/*"}
    ]));
    assert_eq!(evaluate(&set, &request()).to_string(), "allowed by identity-based policy `dev-access` statement `#2`");
}

#[test]
fn an_unknown_layer_never_becomes_an_allow_but_a_known_deny_still_decides() {
    let mut set = PolicySet { identity: Layer::Known(vec![allow_all("AdminAccess")]), ..PolicySet::new() };
    set.scps = Layer::Unknown;
    let decision = evaluate(&set, &request());
    assert_eq!(decision.verdict, Verdict::Undetermined);
    assert!(!decision.is_allowed());
    assert_eq!(decision.depends_on, vec![Unknown::Layer(LayerKind::Scp)]);
    assert!(decision.to_string().contains("the SCPs (unknown)"), "{decision}");

    set.identity =
        Layer::Known(vec![policy("deny-s3", json!([{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]))]);
    assert_eq!(evaluate(&set, &request()).verdict, Verdict::ExplicitDeny, "a known deny does not depend on the SCPs");

    set.identity = Layer::Known(Vec::new());
    assert_eq!(
        evaluate(&set, &request()).verdict,
        Verdict::ImplicitDeny,
        "no allow anywhere: no unknown can supply one"
    );
}

#[test]
fn an_unknown_context_key_makes_the_answer_depend_on_it_only_when_it_matters() {
    let set = identity(json!([
        {"Sid": "Office", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}
    ]));
    let unknown_ip = request().with_unknown("aws:SourceIp");
    let decision = evaluate(&set, &unknown_ip);
    assert_eq!(decision.verdict, Verdict::Undetermined);
    assert_eq!(decision.depends_on, vec![Unknown::ContextKey("aws:sourceip".into())]);
    assert!(decision.to_string().contains("statement `Office`"), "{decision}");
    // The same unknown key, for an action no statement covers: denied regardless.
    let other = RequestContext::new(ALICE, "ec2:RunInstances", "*").with_unknown("aws:SourceIp");
    assert_eq!(evaluate(&set, &other).verdict, Verdict::ImplicitDeny);
    // A missing key is not an unknown one: the condition is simply false.
    assert_eq!(evaluate(&set, &request()).verdict, Verdict::ImplicitDeny);
}

#[test]
fn what_would_change_finds_mfa_region_and_boundary() {
    let mut set = identity(json!([
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
        {"Sid": "RequireMfa", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
        {"Sid": "OnlyUsEast1", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}}
    ]));
    let context = request().with_region("eu-west-1").with_mfa(false, None);
    assert_eq!(
        evaluate(&set, &context).to_string(),
        "denied by the explicit Deny in identity-based policy `dev-access` statement `RequireMfa`"
    );
    assert!(what_would_change(&set, &context).is_empty(), "each change alone still meets the other deny");

    let mfa_only = request().with_region("us-east-1").with_mfa(false, None);
    let variants = what_would_change(&set, &mfa_only);
    assert_eq!(variants.len(), 1, "{variants:?}");
    assert_eq!(variants[0].change, Change::MfaPresent);
    assert_eq!(variants[0].to_string(), "with MFA: allowed by identity-based policy `dev-access` statement `#1`");

    let region_only = request().with_region("eu-west-1").with_mfa(true, Some(30));
    let variants = what_would_change(&set, &region_only);
    assert_eq!(variants.iter().map(|v| v.change.clone()).collect::<Vec<_>>(), [Change::Region("us-east-1".into())]);

    set.boundary =
        Layer::Known(vec![policy("ec2-boundary", json!([{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]))]);
    let fine = request().with_region("us-east-1").with_mfa(true, Some(30));
    assert_eq!(evaluate(&set, &fine).to_string(), "denied: no statement allows it in the permissions boundary");
    let variants = what_would_change(&set, &fine);
    assert_eq!(variants.len(), 1);
    assert_eq!(variants[0].change, Change::BoundaryRemoved);
    assert!(variants[0].decision.is_allowed());
}

#[test]
fn mfa_age_conditions_see_a_fresh_session() {
    let set = identity(json!([
        {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}}
    ]));
    let variants = what_would_change(&set, &request());
    assert!(variants.iter().any(|v| v.change == Change::MfaPresent && v.decision.is_allowed()), "{variants:?}");
}

fn resource_policy(principal: Value) -> Layer<Vec<Policy>> {
    Layer::Known(vec![policy(
        "bucket-policy",
        json!([{"Sid": "Share", "Effect": "Allow", "Principal": principal, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]),
    )])
}

fn boundary_s3_denied() -> Layer<Vec<Policy>> {
    Layer::Known(vec![policy("boundary", json!([{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]))])
}

#[test]
fn a_same_account_resource_policy_grants_as_the_documentation_says() {
    // Naming the user: grants on its own, past the boundary.
    let set = PolicySet {
        resource: resource_policy(json!({"AWS": ALICE})),
        boundary: boundary_s3_denied(),
        ..PolicySet::new()
    };
    let decision = evaluate(&set, &request());
    assert_eq!(decision.to_string(), "allowed by resource-based policy `bucket-policy` statement `Share`");
    // Naming the account: delegates to identity-based policies, which allow nothing.
    let set = PolicySet { resource: resource_policy(json!({"AWS": "111122223333"})), ..PolicySet::new() };
    assert_eq!(evaluate(&set, &request()).verdict, Verdict::ImplicitDeny);
    // Naming the role of a session: grants, but only within the boundary.
    let session = RequestContext::new(SESSION, "s3:GetObject", BUCKET_KEY);
    let role = json!({"AWS": "arn:aws:iam::111122223333:role/team/Dev"});
    let set = PolicySet { resource: resource_policy(role.clone()), ..PolicySet::new() };
    assert!(evaluate(&set, &session).is_allowed());
    let set = PolicySet { resource: resource_policy(role), boundary: boundary_s3_denied(), ..PolicySet::new() };
    assert_eq!(evaluate(&set, &session).to_string(), "denied: no statement allows it in the permissions boundary");
    // Naming the session itself: past the boundary.
    let set = PolicySet {
        resource: resource_policy(json!({"AWS": SESSION})),
        boundary: boundary_s3_denied(),
        ..PolicySet::new()
    };
    assert!(evaluate(&set, &session).is_allowed());
}

#[test]
fn cross_account_access_needs_both_sides() {
    let bob = "arn:aws:iam::444455556666:user/bob";
    let context = RequestContext::new(bob, "s3:GetObject", BUCKET_KEY).with_resource_account("111122223333");
    let shared = resource_policy(json!({"AWS": "444455556666"}));
    let only_resource = PolicySet { resource: shared.clone(), ..PolicySet::new() };
    assert_eq!(
        evaluate(&only_resource, &context).to_string(),
        "denied: no statement allows it in the identity-based policies"
    );
    let only_identity = PolicySet { identity: Layer::Known(vec![allow_all("bob-admin")]), ..PolicySet::new() };
    assert_eq!(
        evaluate(&only_identity, &context).to_string(),
        "denied: no statement allows it in the resource-based policy (cross-account access needs an allow there too)"
    );
    let both = PolicySet { identity: Layer::Known(vec![allow_all("bob-admin")]), resource: shared, ..PolicySet::new() };
    assert!(evaluate(&both, &context).is_allowed());
}

#[test]
fn rcps_only_deny_explicitly() {
    let rcp = policy(
        "p-rcp",
        json!([{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:SecureTransport": "false"}}}]),
    );
    let set = PolicySet {
        identity: Layer::Known(vec![allow_all("AdminAccess")]),
        rcps: Layer::Known(vec![OrgLevel { name: "r-root".into(), policies: vec![rcp] }]),
        ..PolicySet::new()
    };
    assert!(
        evaluate(&set, &request().with_secure_transport(true)).is_allowed(),
        "RCPFullAWSAccess is implied at every level"
    );
    let decision = evaluate(&set, &request().with_secure_transport(false));
    assert_eq!(decision.to_string(), "denied by the explicit Deny in RCP `p-rcp` statement `TlsOnly`");
}

#[test]
fn layer_rules_are_checked() {
    let mut set = PolicySet { resource: Layer::Known(vec![allow_all("no-principal")]), ..PolicySet::new() };
    let error = set.validate().expect_err("a resource policy names a principal").to_string();
    assert_eq!(
        error,
        "policy `no-principal` statement `All` field `Principal`: missing: this kind of policy names a Principal or NotPrincipal"
    );
    set.resource = Layer::Absent;
    set.identity = resource_policy(json!("*"));
    assert!(set.validate().is_err(), "identity-based policies name no principal");
}

/// One condition block against one request: allowed (the condition holds) or not.
fn holds(condition: Value, context: RequestContext) -> Verdict {
    let set = identity(json!([{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": condition}]));
    evaluate(&set, &context).verdict
}

#[test]
fn condition_operators_follow_the_user_guide() {
    use Verdict::{Allowed as Y, ImplicitDeny as N};
    let tagged = || request().with_principal_tag("team", "Blue").with_strings("aws:TagKeys", &["env", "team"]);
    let cases: Vec<(Value, RequestContext, Verdict, &str)> = vec![
        (json!({"StringEquals": {"aws:PrincipalTag/team": "Blue"}}), tagged(), Y, "equal"),
        (json!({"StringEquals": {"aws:PrincipalTag/team": "blue"}}), tagged(), N, "case-sensitive"),
        (json!({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "BLUE"}}), tagged(), Y, "ignore case"),
        (json!({"StringLike": {"aws:PrincipalTag/team": "B?u*"}}), tagged(), Y, "like"),
        (json!({"StringEquals": {"aws:PrincipalTag/team": "B*"}}), tagged(), N, "no wildcards in Equals"),
        (json!({"StringEquals": {"aws:PrincipalTag/team": ["Red", "Blue"]}}), tagged(), Y, "values are ORed"),
        (
            json!({"StringNotEquals": {"aws:PrincipalTag/team": ["Red", "Blue"]}}),
            tagged(),
            N,
            "negated: none may match",
        ),
        (json!({"StringEquals": {"aws:PrincipalTag/dept": "x"}}), tagged(), N, "missing key fails"),
        (json!({"StringNotEquals": {"aws:PrincipalTag/dept": "x"}}), tagged(), Y, "negated holds on a missing key"),
        (
            json!({"StringEqualsIfExists": {"aws:PrincipalTag/dept": "x"}}),
            tagged(),
            Y,
            "IfExists holds on a missing key",
        ),
        (json!({"StringEqualsIfExists": {"aws:PrincipalTag/team": "x"}}), tagged(), N, "IfExists tests a present key"),
        (
            json!({"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}),
            tagged().with_principal_tag("team", "alice"),
            Y,
            "variable",
        ),
        (json!({"StringEquals": {"aws:TagKeys": "env"}}), tagged(), N, "a single-valued operator on a multivalued key"),
        (json!({"ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "cost"]}}), tagged(), Y, "any value"),
        (json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "cost"]}}), tagged(), N, "all values"),
        (json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}), tagged(), Y, "all values, all listed"),
        (
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}),
            request(),
            Y,
            "ForAllValues holds on a missing key",
        ),
        (
            json!({"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}),
            request(),
            N,
            "ForAnyValue fails on a missing key",
        ),
        (
            json!({"ForAllValues:StringEquals": {"aws:TagKeys": "env"}}),
            request().with_strings::<&str>("aws:TagKeys", &[]),
            Y,
            "empty set",
        ),
        (json!({"ForAnyValue:StringNotEquals": {"aws:TagKeys": "env"}}), tagged(), Y, "some value is not env"),
        (json!({"Null": {"aws:PrincipalTag/dept": "true"}}), tagged(), Y, "Null true: absent"),
        (json!({"Null": {"aws:PrincipalTag/team": "true"}}), tagged(), N, "Null true: present"),
        (json!({"Null": {"aws:PrincipalTag/team": false}}), tagged(), Y, "Null false, JSON boolean"),
        (
            json!({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}),
            request().with_mfa(true, Some(120)),
            Y,
            "numeric",
        ),
        (
            json!({"NumericGreaterThanEquals": {"aws:MultiFactorAuthAge": 120}}),
            request().with_mfa(true, Some(120)),
            Y,
            "JSON number",
        ),
        (
            json!({"NumericEquals": {"aws:MultiFactorAuthAge": "abc"}}),
            request().with_mfa(true, Some(120)),
            N,
            "not a number",
        ),
        (
            json!({"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}),
            request().with_string("aws:CurrentTime", "2025-03-01T10:00:00Z"),
            Y,
            "date",
        ),
        (
            json!({"DateLessThan": {"aws:CurrentTime": "1700000000"}}),
            request().with_string("aws:CurrentTime", "2025-03-01T10:00:00Z"),
            N,
            "epoch seconds",
        ),
        (json!({"Bool": {"aws:SecureTransport": "true"}}), request().with_secure_transport(true), Y, "bool"),
        (json!({"Bool": {"aws:SecureTransport": true}}), request().with_secure_transport(false), N, "bool false"),
        (
            json!({"BinaryEquals": {"s3:x-amz-content": "QmluYXJ5"}}),
            request().with_string("s3:x-amz-content", "QmluYXJ5"),
            Y,
            "binary",
        ),
        (
            json!({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}),
            request().with_string("aws:SourceIp", "2001:db8::1"),
            Y,
            "v6",
        ),
        (
            json!({"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}}),
            request().with_string("aws:SourceIp", "192.0.2.9"),
            N,
            "not ip",
        ),
        (json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/al*"}}), request(), Y, "arn like"),
        (
            json!({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/Alice"}}),
            request(),
            N,
            "arn case-sensitive",
        ),
        (json!({"ArnNotLike": {"aws:SourceArn": "arn:aws:sns:*:*:*"}}), request(), Y, "negated arn, missing key"),
        (json!({"StringEquals": {"AWS:USERNAME": "alice"}}), request(), Y, "key names ignore case"),
        (json!({"stringequals": {"aws:username": "alice"}}), request(), Y, "operator names ignore case"),
    ];
    for (condition, context, expected, what) in cases {
        assert_eq!(holds(condition.clone(), context), expected, "{what}: {condition}");
    }
}

#[test]
fn variables_are_text_in_a_2008_policy() {
    let text = r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}"#;
    let set =
        PolicySet { identity: Layer::Known(vec![Policy::parse("old", text).expect("parses")]), ..PolicySet::new() };
    let own = RequestContext::new(ALICE, "s3:GetObject", "arn:aws:s3:::home/alice/x");
    assert_eq!(evaluate(&set, &own).verdict, Verdict::ImplicitDeny);
    let literal = RequestContext::new(ALICE, "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x");
    assert!(evaluate(&set, &literal).is_allowed());
}

#[test]
fn actions_ignore_case_and_resources_do_not() {
    let set = identity(json!([{"Effect": "Allow", "Action": "S3:get*", "Resource": "arn:aws:s3:::Reports/*"}]));
    assert!(evaluate(&set, &RequestContext::new(ALICE, "s3:GetObject", "arn:aws:s3:::Reports/a")).is_allowed());
    assert!(!evaluate(&set, &RequestContext::new(ALICE, "s3:GetObject", "arn:aws:s3:::reports/a")).is_allowed());
    let not_action =
        identity(json!([{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}]));
    assert!(evaluate(&not_action, &request()).is_allowed());
    assert!(!evaluate(&not_action, &RequestContext::new(ALICE, "iam:ListUsers", "*")).is_allowed());
    assert!(!evaluate(&not_action, &RequestContext::new(ALICE, "s3:GetObject", "arn:aws:s3:::secret/k")).is_allowed());
}

#[test]
fn hostile_names_do_not_reach_the_terminal() {
    let set = PolicySet { identity: Layer::Known(vec![allow_all("evil\u{1b}]0;pwned\u{7}")]), ..PolicySet::new() };
    let line = evaluate(&set, &request()).to_string();
    assert!(!line.chars().any(char::is_control), "{line:?}");
}

#[test]
fn a_not_principal_deny_catches_every_principal_with_a_boundary() {
    let bucket = Layer::Known(vec![policy(
        "bucket-policy",
        json!([{"Sid": "OnlyAlice", "Effect": "Deny", "NotPrincipal": {"AWS": ALICE}, "Action": "s3:*", "Resource": "*"}]),
    )]);
    let mut set =
        PolicySet { identity: Layer::Known(vec![allow_all("AdminAccess")]), resource: bucket, ..PolicySet::new() };
    assert!(evaluate(&set, &request()).is_allowed(), "alice is the excepted principal");
    set.boundary = Layer::Known(vec![allow_all("wide-boundary")]);
    let decision = evaluate(&set, &request());
    assert_eq!(
        decision.to_string(),
        "denied by the explicit Deny in resource-based policy `bucket-policy` statement `OnlyAlice`"
    );
    let variants = what_would_change(&set, &request());
    assert!(variants.iter().any(|v| v.change == Change::BoundaryRemoved && v.decision.is_allowed()), "{variants:?}");
}

#[test]
fn an_unknown_resource_leaves_specific_resources_undetermined_and_says_so() {
    let set = identity(
        json!([{"Sid": "Reports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]),
    );
    let unknown = RequestContext::new(ALICE, "s3:GetObject", "*").with_unknown_resource();
    let decision = evaluate(&set, &unknown);
    assert_eq!(decision.verdict, Verdict::Undetermined);
    assert_eq!(decision.depends_on, vec![Unknown::Resource]);
    assert!(decision.to_string().contains("the resource (unknown)"), "{decision}");
    // `*` matches whatever the resource is, and a deny of every resource still decides.
    assert!(
        evaluate(&identity(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}])), &unknown).is_allowed()
    );
    let deny = identity(json!([
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"},
        {"Sid": "NoS3", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}
    ]));
    assert_eq!(evaluate(&deny, &unknown).verdict, Verdict::ExplicitDeny);
}

#[test]
fn with_unset_keys_unknown_a_condition_on_a_key_nobody_set_is_undetermined() {
    let set = identity(json!([{"Sid": "Prefix", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringEquals": {"s3:ExistingObjectTag/team": "blue"}}}]));
    assert_eq!(evaluate(&set, &request()).verdict, Verdict::ImplicitDeny, "missing by default");
    let decision = evaluate(&set, &request().unset_keys_unknown());
    assert_eq!(decision.verdict, Verdict::Undetermined);
    assert_eq!(decision.depends_on, vec![Unknown::ContextKey("s3:existingobjecttag/team".into())]);
    // Keys known to be missing stay missing: a long-term key carries no MFA.
    let mfa = identity(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "NoMfa", "Effect": "Deny", "Action": "*", "Resource": "*",
         "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]));
    let long_term = request().unset_keys_unknown().without("aws:MultiFactorAuthPresent");
    assert_eq!(evaluate(&mfa, &long_term).verdict, Verdict::ExplicitDeny);
    assert_eq!(evaluate(&mfa, &request().unset_keys_unknown()).verdict, Verdict::Undetermined);
}
