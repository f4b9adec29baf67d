//! Unit tests of `context`.

use super::*;

#[test]
fn principal_kinds_come_from_the_arn() {
    let user = RequestPrincipal::parse("arn:aws:iam::111122223333:user/dev/alice");
    assert_eq!(user.kind, PrincipalKind::User { name: "alice".into() });
    assert_eq!(user.account.as_deref(), Some("111122223333"));
    let session = RequestPrincipal::parse("arn:aws:sts::111122223333:assumed-role/Admin/bob@example.com");
    assert_eq!(session.kind, PrincipalKind::AssumedRole { role: "Admin".into(), session: "bob@example.com".into() });
    assert_eq!(RequestPrincipal::parse("arn:aws:iam::111122223333:root").kind, PrincipalKind::Root);
    assert_eq!(RequestPrincipal::parse("not an arn").kind, PrincipalKind::Other);
}

#[test]
fn new_fills_what_the_arn_tells_and_keys_are_case_insensitive() {
    let context = RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::b/k");
    assert_eq!(context.lookup_lower("aws:username"), Lookup::Single("alice"));
    assert_eq!(context.lookup_lower("aws:principalaccount"), Lookup::Single("111122223333"));
    assert_eq!(context.lookup_lower("aws:sourceip"), Lookup::Missing);
    let context = context.with_unknown("aws:SourceIp");
    assert_eq!(context.lookup_lower("aws:sourceip"), Lookup::Unknown);
    assert!(context.same_account(), "an S3 ARN names no account: same account assumed");
    assert!(!context.with_resource_account("444455556666").same_account());
}

#[test]
fn unset_keys_can_be_unknown_except_those_known_missing() {
    let context = RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
        .unset_keys_unknown()
        .without("aws:MultiFactorAuthPresent")
        .without_prefix("aws:PrincipalTag/")
        .with_principal_tag("team", "blue");
    assert_eq!(context.lookup_lower("s3:prefix"), Lookup::Unknown);
    assert_eq!(context.lookup_lower("aws:multifactorauthpresent"), Lookup::Missing);
    assert_eq!(context.lookup_lower("aws:principaltag/team"), Lookup::Single("blue"));
    assert_eq!(context.lookup_lower("aws:principaltag/cost-center"), Lookup::Missing);
    assert_eq!(context.lookup_lower("aws:username"), Lookup::Single("alice"));
    let plain = RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*");
    assert_eq!(plain.lookup_lower("s3:prefix"), Lookup::Missing, "without it, unset keys stay missing");
}

#[test]
fn service_keys_the_action_cannot_carry_are_missing_even_when_set() {
    let context = RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "*")
        .unset_keys_unknown()
        .with_string("sqs:QueueTag", "x")
        .with_service_keys(&["s3:ExistingObjectTag/<key>", "s3:TlsVersion"]);
    assert_eq!(context.lookup_lower("s3:existingobjecttag/team"), Lookup::Unknown);
    assert_eq!(context.lookup_lower("s3:tlsversion"), Lookup::Unknown);
    assert_eq!(context.lookup_lower("s3:prefix"), Lookup::Missing, "not a key of s3:GetObject");
    assert_eq!(context.lookup_lower("sqs:queuetag"), Lookup::Missing, "another service's key");
    assert_eq!(context.lookup_lower("aws:sourceip"), Lookup::Unknown, "global keys are not concerned");
}
