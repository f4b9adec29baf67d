//! The proptest generator: layered policy sets and requests over the policy
//! grammar, within what iam-simulate accepts (real actions and resource
//! types, RCPs with Principal "*" and Deny only). Catalogue-aware: requests
//! for actions that take no resource (`*`), wildcard actions that name them,
//! and service condition keys that apply to some actions and not others.
//! Shaped so that layers interact: the identity side often allows broadly
//! (a third or more of the cases are allowed), and the other layers come
//! often enough to decide a third or more of them.

use super::{ACCOUNT, ALICE, BOB, DEV_ROLE, DEV_SESSION, OTHER_ACCOUNT};
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
pub struct Case {
    pub principal: &'static str,
    pub action: &'static str,
    pub resource: &'static str,
    pub context: Vec<(&'static str, Value)>,
    pub identity: Vec<Value>,
    pub boundary: Option<Value>,
    pub session: Option<Value>,
    pub resource_policy: Option<Value>,
    pub scps: Option<Vec<Vec<Value>>>,
    pub rcps: Option<Vec<Vec<Value>>>,
}

const REQUESTS: &[(&str, &str)] = &[
    ("sqs:SendMessage", "arn:aws:sqs:us-east-1:111111111111:orders"),
    ("sqs:ReceiveMessage", "arn:aws:sqs:us-east-1:111111111111:alice"),
    ("sqs:DeleteQueue", "arn:aws:sqs:eu-west-1:111111111111:blue"),
    ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111111111111:table/Orders"),
    ("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:111111111111:table/alice"),
    ("sns:Publish", "arn:aws:sns:us-east-1:111111111111:alerts"),
    ("lambda:InvokeFunction", "arn:aws:lambda:us-east-1:111111111111:function:resize"),
    ("sqs:SendMessage", "arn:aws:sqs:us-east-1:222222222222:orders"),
    // Actions that take no resource (the catalogue): no resource-based policy applies.
    ("sqs:ListQueues", "*"),
    ("s3:ListAllMyBuckets", "*"),
    ("dynamodb:ListTables", "*"),
];

const ACTIONS: &[&str] = &[
    "*",
    "*",
    "sqs:*",
    "dynamodb:*",
    "sqs:*",
    "sqs:Send*",
    "sqs:SendMessage",
    "SQS:sendmessage",
    "sqs:*Message",
    "sqs:?eceiveMessage",
    "dynamodb:Get*",
    "dynamodb:*Item",
    "sns:Publish",
    "lambda:*",
    "s3:GetObject",
    "s3:List*",
    "s3:ListAllMyBuckets",
    "sqs:List*",
    "dynamodb:List*",
];

/// RCPs name only the services RCPs support, and never `*` alone.
const RCP_ACTIONS: &[&str] =
    &["sqs:*", "sqs:Send*", "sqs:SendMessage", "dynamodb:*", "dynamodb:GetItem", "s3:*", "sqs:List*"];

/// Service condition keys: each applies to some requests' actions and not to others (the catalogue).
const SERVICE_KEYS: &[&str] = &["s3:authType", "dynamodb:Select", "s3:prefix"];

const RESOURCES: &[&str] = &[
    "*",
    "*",
    "*",
    "arn:aws:sqs:us-east-1:111111111111:orders",
    "arn:aws:sqs:*:111111111111:*",
    "arn:aws:sqs:us-east-1:*:ord*",
    "arn:aws:sqs:*:*:${aws:username}",
    "arn:aws:sqs:*:*:${aws:PrincipalTag/team, 'orders'}",
    "arn:aws:sqs:*:*:${aws:PrincipalTag/team}",
    "arn:aws:dynamodb:*:*:table/Ord?rs",
    "arn:aws:dynamodb:us-east-1:111111111111:table/${aws:username}",
    "arn:aws:sns:*:*:*",
    "arn:aws:lambda:us-east-1:111111111111:function:*",
    "arn:aws:sqs:us-east-1:222222222222:*",
];

const AWS_PRINCIPALS: &[&str] =
    &[ACCOUNT, "arn:aws:iam::111111111111:root", ALICE, DEV_ROLE, DEV_SESSION, BOB, OTHER_ACCOUNT];

fn one_or_many(items: Vec<&'static str>) -> Value {
    if items.len() == 1 { json!(items[0]) } else { json!(items) }
}

fn strings(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Value> {
    prop::collection::vec(prop::sample::select(pool), 1..=max).prop_map(one_or_many)
}

/// (operators, key, values) families the generator draws conditions from.
fn condition() -> impl Strategy<Value = (String, &'static str, Value)> {
    const STRING_OPS: &[&str] = &[
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ];
    const NUMERIC_OPS: &[&str] = &[
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ];
    const DATE_OPS: &[&str] = &[
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
    ];
    const ARN_OPS: &[&str] = &["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"];
    let family = prop_oneof![
        (
            prop::sample::select(STRING_OPS),
            prop::sample::select(&["aws:PrincipalTag/team", "aws:username", "aws:RequestedRegion"][..]),
            strings(
                &[
                    "blue",
                    "BLUE",
                    "red",
                    "b*",
                    "?ed",
                    "${aws:username}",
                    "us-east-1",
                    "eu-*",
                    "alice",
                    "${aws:PrincipalTag/team}",
                    "${aws:PrincipalTag/team, 'blue'}",
                    "bl${*}",
                    "${?}ed"
                ],
                2
            ),
        ),
        (prop::sample::select(NUMERIC_OPS), Just("aws:MultiFactorAuthAge"), strings(&["3600", "60", "0", "600.5"], 2)),
        (
            prop::sample::select(DATE_OPS),
            Just("aws:CurrentTime"),
            strings(&["2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z", "2025-06-01T12:00:00.000Z", "2025-06-01"], 2),
        ),
        (
            Just("Bool"),
            prop::sample::select(&["aws:MultiFactorAuthPresent", "aws:SecureTransport"][..]),
            strings(&["true", "false"], 1),
        ),
        (
            prop::sample::select(&["IpAddress", "NotIpAddress"][..]),
            Just("aws:SourceIp"),
            strings(&["10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32", "203.0.113.5", "0.0.0.0/0"], 2),
        ),
        (
            prop::sample::select(ARN_OPS),
            Just("aws:PrincipalArn"),
            strings(
                &[
                    "arn:aws:iam::111111111111:user/*",
                    "arn:aws:iam::*:role/Dev",
                    "arn:aws:iam::*:user/alice",
                    "arn:aws:sts::111111111111:assumed-role/Dev/*",
                ],
                2,
            ),
        ),
    ];
    let service = (
        prop::sample::select(&["StringEquals", "StringNotEquals", "StringLike"][..]),
        prop::sample::select(SERVICE_KEYS),
        strings(&["REST-HEADER", "ALL_ATTRIBUTES", "home/*", "COUNT"], 2),
    )
        .prop_map(|(op, key, values)| (op.to_string(), key, values));
    let set_family = (
        prop::sample::select(&["ForAnyValue:", "ForAllValues:"][..]),
        prop::sample::select(&["StringEquals", "StringNotEquals", "StringLike", "StringNotLike"][..]),
        prop::sample::select(&["aws:TagKeys", "aws:CalledVia"][..]),
        strings(&["a", "b", "c*", "sqs.amazonaws.com"], 2),
    )
        .prop_map(|(set, op, key, values)| (format!("{set}{op}"), key, values));
    let null = (
        prop::sample::select(
            &[
                "aws:PrincipalTag/team",
                "aws:MultiFactorAuthPresent",
                "aws:SourceIp",
                "aws:TagKeys",
                "aws:RequestedRegion",
            ][..],
        ),
        strings(&["true", "false"], 1),
    )
        .prop_map(|(key, values)| ("Null".to_string(), key, values));
    let plain = (family, any::<u8>()).prop_map(|((op, key, values), roll)| {
        let op = if roll % 4 == 0 { format!("{op}IfExists") } else { op.to_string() };
        (op, key, values)
    });
    prop_oneof![6 => plain, 2 => set_family, 1 => null, 2 => service]
}

/// A statement; a Sid `S<n>` (its position) is given later when `Sid` is `true`.
fn statement(kind: PolicyKind) -> impl Strategy<Value = Value> {
    let actions = match kind {
        PolicyKind::Rcp => strings(RCP_ACTIONS, 2).boxed(),
        _ => strings(ACTIONS, 3).boxed(),
    };
    let effect = match kind {
        PolicyKind::Rcp => Just("Deny").boxed(),
        // Identity-based policies deny less often: their explicit denies would hide the other layers.
        PolicyKind::Identity => {
            prop::sample::select(&["Allow", "Allow", "Allow", "Allow", "Allow", "Deny"][..]).boxed()
        }
        _ => prop::sample::select(&["Allow", "Allow", "Allow", "Deny"][..]).boxed(),
    };
    (
        any::<bool>(),
        effect,
        any::<u8>(),
        actions,
        any::<u8>(),
        strings(RESOURCES, 3),
        any::<u8>(),
        strings(AWS_PRINCIPALS, 2),
        prop::collection::vec(condition(), 0..=2),
    )
        .prop_map(
            move |(
                with_sid,
                effect,
                action_roll,
                actions,
                resource_roll,
                resources,
                principal_roll,
                aws,
                conditions,
            )| {
                let mut statement = serde_json::Map::new();
                statement.insert("Sid".into(), json!(with_sid));
                statement.insert("Effect".into(), json!(effect));
                // RCPs take no NotAction.
                let negate_action = action_roll % 5 == 0 && !matches!(kind, PolicyKind::Rcp);
                let action_key = if negate_action { "NotAction" } else { "Action" };
                statement.insert(action_key.into(), actions);
                let resource_key = if resource_roll % 7 == 0 { "NotResource" } else { "Resource" };
                statement.insert(resource_key.into(), resources);
                match kind {
                    PolicyKind::Resource => {
                        let principal = if principal_roll % 5 == 0 { json!("*") } else { json!({"AWS": aws}) };
                        // NotPrincipal only with Deny, as the User Guide advises.
                        let key =
                            if principal_roll % 7 == 1 && effect == "Deny" { "NotPrincipal" } else { "Principal" };
                        statement.insert(key.into(), principal);
                    }
                    PolicyKind::Rcp => {
                        statement.insert("Principal".into(), json!("*"));
                    }
                    PolicyKind::Identity | PolicyKind::Scp => {}
                }
                if !conditions.is_empty() {
                    let mut block = serde_json::Map::new();
                    for (op, key, values) in conditions {
                        let tests = block.entry(op).or_insert_with(|| json!({}));
                        tests[key] = values;
                    }
                    statement.insert("Condition".into(), Value::Object(block));
                }
                Value::Object(statement)
            },
        )
}

#[derive(Debug, Clone, Copy)]
enum PolicyKind {
    Identity,
    Resource,
    Scp,
    Rcp,
}

fn policy(kind: PolicyKind, max_statements: usize) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(kind), 1..=max_statements).prop_map(|mut statements| {
        for (i, statement) in statements.iter_mut().enumerate() {
            if let Value::Object(fields) = statement {
                match fields.remove("Sid") {
                    Some(Value::Bool(true)) => fields.insert("Sid".into(), json!(format!("S{}", i + 1))),
                    _ => None,
                };
            }
        }
        json!({"Version": "2012-10-17", "Statement": statements})
    })
}

pub fn full_access() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

/// A boundary or session policy: half the time a broad grant beside the drawn statements.
fn layer_policy() -> impl Strategy<Value = Value> {
    (policy(PolicyKind::Identity, 2), any::<bool>(), broad_allow()).prop_map(|(mut drawn, broad, grant)| {
        if broad && let (Some(list), Some(extra)) = (drawn["Statement"].as_array_mut(), grant["Statement"].get(0)) {
            list.push(extra.clone());
        }
        drawn
    })
}

fn org_levels(kind: PolicyKind) -> impl Strategy<Value = Vec<Vec<Value>>> {
    let level = (any::<u8>(), prop::collection::vec(policy(kind, 3), 0..=2)).prop_map(move |(roll, mut policies)| {
        // Most levels keep FullAWSAccess, as most organisations do.
        if roll % 5 != 0 && matches!(kind, PolicyKind::Scp) {
            policies.insert(0, full_access());
        }
        policies
    });
    prop::collection::vec(level, 1..=2)
}

fn context() -> impl Strategy<Value = Vec<(&'static str, Value)>> {
    let maybe = |key: &'static str, values: &'static [&'static str]| {
        prop::option::weighted(0.7, prop::sample::select(values)).prop_map(move |v| v.map(|v| (key, json!(v))))
    };
    let multi = |key: &'static str| {
        prop::option::weighted(
            0.6,
            prop::collection::vec(prop::sample::select(&["a", "b", "c", "sqs.amazonaws.com"][..]), 0..=3),
        )
        .prop_map(move |v| v.map(|v| (key, json!(v))))
    };
    (
        maybe("aws:PrincipalTag/team", &["blue", "red", "orders", "Blue"]),
        maybe("aws:MultiFactorAuthPresent", &["true", "false"]),
        maybe("aws:MultiFactorAuthAge", &["30", "3600", "7200"]),
        maybe("aws:RequestedRegion", &["us-east-1", "eu-west-1"]),
        maybe("aws:SecureTransport", &["true", "false"]),
        maybe("aws:SourceIp", &["10.1.2.3", "192.0.2.77", "2001:db8::7", "203.0.113.5"]),
        maybe("aws:CurrentTime", &["2024-06-01T00:00:00Z", "2025-06-01T12:00:00Z", "2026-01-01T00:00:00Z"]),
        multi("aws:TagKeys"),
        multi("aws:CalledVia"),
        (
            maybe("s3:authType", &["REST-HEADER", "REST-QUERY-STRING"]),
            maybe("dynamodb:Select", &["ALL_ATTRIBUTES", "COUNT"]),
            maybe("s3:prefix", &["home/alice"]),
        ),
    )
        .prop_map(|(a, b, c, d, e, f, g, h, i, (j, k, l))| {
            [a, b, c, d, e, f, g, h, i, j, k, l].into_iter().flatten().collect()
        })
}

/// A broad grant: everything, or one service, on every resource.
fn broad_allow() -> impl Strategy<Value = Value> {
    prop::sample::select(&["*", "*", "*", "*", "*", "*", "*", "sqs:*", "dynamodb:*", "s3:*"][..]).prop_map(|action| {
        json!({"Version": "2012-10-17", "Statement": [{"Sid": "Broad", "Effect": "Allow", "Action": action, "Resource": "*"}]})
    })
}

pub fn case() -> impl Strategy<Value = Case> {
    let principal = prop::sample::select(&[ALICE, ALICE, DEV_SESSION, DEV_SESSION, BOB][..]);
    (
        principal,
        prop::sample::select(REQUESTS),
        context(),
        (prop::collection::vec(policy(PolicyKind::Identity, 3), 0..=2), prop::option::weighted(0.95, broad_allow())),
        prop::option::weighted(0.3, layer_policy()),
        prop::option::weighted(0.35, layer_policy()),
        prop::option::weighted(0.3, policy(PolicyKind::Resource, 2)),
        prop::option::weighted(0.4, org_levels(PolicyKind::Scp)),
        prop::option::weighted(0.25, org_levels(PolicyKind::Rcp)),
    )
        .prop_map(
            |(
                principal,
                (action, resource),
                context,
                (mut identity, broad),
                boundary,
                session,
                resource_policy,
                scps,
                rcps,
            )| Case {
                principal,
                action,
                resource,
                context,
                identity: {
                    identity.extend(broad);
                    identity
                },
                boundary,
                // iam-simulate takes a session policy only for role and federated sessions.
                session: session.filter(|_| principal == DEV_SESSION),
                resource_policy,
                scps,
                rcps,
            },
        )
}
