//! Benchmark: one decision over 100 identity-based policies of 10
//! statements each (conditions, wildcards, variables), plus a boundary and
//! two SCP levels; goal under 1 ms. Also the parse of those 100 policies.

use credwiz::policy::{Layer, OrgLevel, Policy, PolicySet, RequestContext, evaluate, what_would_change};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::hint::black_box;

fn policy_text(i: usize) -> String {
    let statements: Vec<_> = (0..10)
        .map(|j| {
            json!({
                "Sid": format!("P{i}S{j}"),
                "Effect": if j == 9 { "Deny" } else { "Allow" },
                "Action": [format!("service{i}:Get*"), format!("service{i}:List{j}?"), "ec2:Describe*"],
                "Resource": [format!("arn:aws:s3:::bucket-{i}/${{aws:username}}/*"), format!("arn:aws:sqs:*:*:queue-{j}-*")],
                "Condition": {
                    "StringEquals": {"aws:PrincipalTag/team": ["blue", format!("team-{j}")]},
                    "IpAddressIfExists": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                    "ForAllValues:StringLike": {"aws:TagKeys": ["env", "cost-*"]}
                }
            })
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements}).to_string()
}

fn setup() -> (Vec<String>, PolicySet, RequestContext) {
    let texts: Vec<String> = (0..100).map(policy_text).collect();
    let policies: Vec<Policy> =
        texts.iter().enumerate().map(|(i, t)| Policy::parse(&format!("policy-{i}"), t).expect("parses")).collect();
    let full = Policy::parse(
        "FullAWSAccess",
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
    )
    .expect("parses");
    let set = PolicySet {
        identity: Layer::Known(policies),
        boundary: Layer::Known(vec![full.clone()]),
        scps: Layer::Known(vec![
            OrgLevel { name: "r-root".into(), policies: vec![full.clone()] },
            OrgLevel { name: "111122223333".into(), policies: vec![full] },
        ]),
        ..PolicySet::new()
    };
    // The request matches no statement's action: every statement is looked at.
    let context =
        RequestContext::new("arn:aws:iam::111122223333:user/alice", "s3:GetObject", "arn:aws:s3:::bucket-7/alice/x")
            .with_principal_tag("team", "blue")
            .with_string("aws:SourceIp", "10.1.2.3")
            .with_strings("aws:TagKeys", &["env"]);
    (texts, set, context)
}

fn bench(c: &mut Criterion) {
    let (texts, set, context) = setup();
    c.bench_function("evaluate: 100 policies x 10 statements", |b| {
        b.iter(|| black_box(evaluate(black_box(&set), black_box(&context))))
    });
    let matching = RequestContext::new(
        "arn:aws:iam::111122223333:user/alice",
        "service99:GetThing",
        "arn:aws:s3:::bucket-99/alice/x",
    )
    .with_principal_tag("team", "blue")
    .with_string("aws:SourceIp", "10.1.2.3")
    .with_strings("aws:TagKeys", &["env"]);
    c.bench_function("evaluate: 100x10, conditions checked", |b| {
        b.iter(|| black_box(evaluate(&set, black_box(&matching))))
    });
    c.bench_function("what_would_change: 100x10", |b| {
        b.iter(|| black_box(what_would_change(&set, black_box(&context))))
    });
    c.bench_function("parse 100 policies x 10 statements", |b| {
        b.iter(|| {
            for (i, text) in texts.iter().enumerate() {
                black_box(Policy::parse(if i % 2 == 0 { "a" } else { "b" }, black_box(text)).expect("parses"));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
