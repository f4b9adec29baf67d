//! Differential test of credwiz's policy evaluator against an independent
//! engine, `@cloud-copilot/iam-simulate` (npm, AGPL-3.0: a dev-time oracle
//! that runs in its own Node process from `tests/iam_oracle`, never linked
//! or shipped). proptest generates layered policy sets and requests over
//! the policy grammar; both engines must agree on the verdict and on the
//! deciding layer (and, for an explicit deny, the policy and statement).
//!
//! Cases: `CREDWIZ_POLICY_CASES` (default 10,000). `CREDWIZ_POLICY_SURVEY=1`
//! lists disagreements instead of failing on the first (to find new ones).
//! Disagreements where the oracle departs from the AWS documentation are
//! fixtures in `tests/policy_fixtures/` (checked by `policy_fixtures.rs`);
//! the generator steers clear of those classes, listed in `known_divergence`.
//! Without Node the test says so loudly and does not compare anything.

use credwiz::policy::{Layer, LayerKind, OrgLevel, Policy, PolicySet, RequestContext, Verdict, evaluate};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "111111111111";
const OTHER_ACCOUNT: &str = "222222222222";
const ALICE: &str = "arn:aws:iam::111111111111:user/alice";
const DEV_ROLE: &str = "arn:aws:iam::111111111111:role/Dev";
const DEV_SESSION: &str = "arn:aws:sts::111111111111:assumed-role/Dev/s1";
const BOB: &str = "arn:aws:iam::222222222222:user/bob";

// ---------------------------------------------------------------- the oracle

/// The Node process answering one JSON line per request.
struct Oracle {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
    answered: u64,
}

impl Oracle {
    fn oracle_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/iam_oracle")
    }

    /// `None` when Node is not installed; panics when Node is there but the
    /// oracle's packages are not (run `npm ci` in tests/iam_oracle, as scripts/test does).
    fn start() -> Option<Oracle> {
        let node = Command::new("node").arg("--version").output().ok().filter(|o| o.status.success())?;
        let dir = Self::oracle_dir();
        assert!(
            dir.join("node_modules/@cloud-copilot/iam-simulate").is_dir(),
            "Node {} is installed but the oracle's packages are not: run `npm ci` in {} (scripts/test does)",
            String::from_utf8_lossy(&node.stdout).trim(),
            dir.display()
        );
        let mut child = Command::new("node")
            .arg("oracle.mjs")
            .current_dir(&dir)
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start node oracle.mjs");
        let stdin = child.stdin.take().expect("oracle stdin");
        let stdout = child.stdout.take().expect("oracle stdout");
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut oracle = Oracle { child, stdin, lines, next_id: 0, answered: 0 };
        let ready = oracle.read_line();
        assert!(ready.contains("\"ready\":true"), "oracle did not start: {ready}");
        eprintln!("policy_differential: oracle ready: {ready}");
        Some(oracle)
    }

    fn read_line(&mut self) -> String {
        self.lines.recv_timeout(Duration::from_secs(20)).expect("the oracle answers within 20 s")
    }

    /// Sends one simulation; answers come back in order through `receive`.
    fn send(&mut self, simulation: &Value) {
        self.next_id += 1;
        let request = json!({"id": self.next_id, "simulation": simulation});
        writeln!(self.stdin, "{request}").expect("write to oracle");
        self.stdin.flush().expect("flush oracle");
    }

    fn receive(&mut self) -> Value {
        let answer: Value = serde_json::from_str(&self.read_line()).expect("oracle answers JSON");
        self.answered += 1;
        assert_eq!(answer["id"], json!(self.answered), "oracle answers in order");
        answer
    }

    fn ask(&mut self, simulation: &Value) -> Value {
        self.send(simulation);
        self.receive()
    }
}

impl Drop for Oracle {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- the generator

#[derive(Debug, Clone)]
struct Case {
    principal: &'static str,
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, Value)>,
    identity: Vec<Value>,
    boundary: Option<Value>,
    session: Option<Value>,
    resource_policy: Option<Value>,
    scps: Option<Vec<Vec<Value>>>,
    rcps: Option<Vec<Vec<Value>>>,
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
];

/// RCPs name only the services RCPs support, and never `*` alone.
const RCP_ACTIONS: &[&str] = &["sqs:*", "sqs:Send*", "sqs:SendMessage", "dynamodb:*", "dynamodb:GetItem"];

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
                    "${aws:PrincipalTag/team}"
                ],
                2
            ),
        ),
        (prop::sample::select(NUMERIC_OPS), Just("aws:MultiFactorAuthAge"), strings(&["3600", "60", "0", "600.5"], 2)),
        (
            prop::sample::select(DATE_OPS),
            Just("aws:CurrentTime"),
            strings(&["2024-01-01T00:00:00Z", "2025-06-01T12:00:00Z", "2025-06-01T12:00:00.000Z"], 2),
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
    prop_oneof![6 => plain, 2 => set_family, 1 => null]
}

/// A statement; a Sid `S<n>` (its position) is given later when `Sid` is `true`.
fn statement(kind: PolicyKind) -> impl Strategy<Value = Value> {
    let actions = match kind {
        PolicyKind::Rcp => strings(RCP_ACTIONS, 2).boxed(),
        _ => strings(ACTIONS, 3).boxed(),
    };
    let effect = match kind {
        PolicyKind::Rcp => Just("Deny").boxed(),
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
                        statement.insert("Principal".into(), principal);
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

fn full_access() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

fn org_levels(kind: PolicyKind) -> impl Strategy<Value = Vec<Vec<Value>>> {
    let level =
        (any::<bool>(), prop::collection::vec(policy(kind, 3), 0..=2)).prop_map(move |(with_full, mut policies)| {
            if with_full && matches!(kind, PolicyKind::Scp) {
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
    )
        .prop_map(|(a, b, c, d, e, f, g, h, i)| [a, b, c, d, e, f, g, h, i].into_iter().flatten().collect())
}

fn case() -> impl Strategy<Value = Case> {
    let principal = prop::sample::select(&[ALICE, ALICE, DEV_SESSION, DEV_SESSION, BOB][..]);
    (
        principal,
        prop::sample::select(REQUESTS),
        context(),
        prop::collection::vec(policy(PolicyKind::Identity, 3), 0..=2),
        prop::option::weighted(0.3, policy(PolicyKind::Identity, 2)),
        prop::option::weighted(0.25, policy(PolicyKind::Identity, 2)),
        prop::option::weighted(0.4, policy(PolicyKind::Resource, 2)),
        prop::option::weighted(0.5, org_levels(PolicyKind::Scp)),
        prop::option::weighted(0.25, org_levels(PolicyKind::Rcp)),
    )
        .prop_map(
            |(principal, (action, resource), context, identity, boundary, session, resource_policy, scps, rcps)| Case {
                principal,
                action,
                resource,
                context,
                identity,
                boundary,
                // iam-simulate takes a session policy only for role and federated sessions.
                session: session.filter(|_| principal == DEV_SESSION),
                resource_policy,
                scps,
                rcps,
            },
        )
}

// ---------------------------------------------------------------- both engines

fn level_name(index: usize, count: usize) -> String {
    match index {
        0 => "r-root".to_string(),
        i if i + 1 == count => ACCOUNT.to_string(),
        i => format!("ou-{i}"),
    }
}

fn resource_account(case: &Case) -> &'static str {
    if case.resource.contains(OTHER_ACCOUNT) { OTHER_ACCOUNT } else { ACCOUNT }
}

/// The simulation as iam-simulate takes it.
fn simulation(case: &Case, context: &RequestContext) -> Value {
    let mut variables = serde_json::Map::new();
    for (name, entry) in context.entries() {
        if let credwiz::policy::ContextEntry::Known(value) = entry {
            variables.insert(
                name.to_string(),
                match value {
                    credwiz::policy::ContextValue::Single(one) => json!(one),
                    credwiz::policy::ContextValue::Multi(many) => json!(many),
                },
            );
        }
    }
    let org = |levels: &Option<Vec<Vec<Value>>>, prefix: &str| match levels {
        None => json!([]),
        Some(levels) => Value::Array(
            levels
                .iter()
                .enumerate()
                .map(|(i, policies)| {
                    json!({"orgIdentifier": level_name(i, levels.len()), "policies": policies.iter().enumerate()
                        .map(|(j, p)| json!({"name": format!("{prefix}-{i}-{j}"), "policy": p})).collect::<Vec<_>>()})
                })
                .collect(),
        ),
    };
    let mut simulation = json!({
        "request": {
            "principal": case.principal,
            "action": case.action,
            "resource": {"resource": case.resource, "accountId": resource_account(case)},
            "contextVariables": variables,
        },
        "identityPolicies": case.identity.iter().enumerate()
            .map(|(i, p)| json!({"name": format!("id-{i}"), "policy": p})).collect::<Vec<_>>(),
        "serviceControlPolicies": org(&case.scps, "scp"),
        "resourceControlPolicies": org(&case.rcps, "rcp"),
    });
    if let Some(boundary) = &case.boundary {
        simulation["permissionBoundaryPolicies"] = json!([{"name": "boundary", "policy": boundary}]);
    }
    if let Some(session) = &case.session {
        simulation["sessionPolicy"] = session.clone();
    }
    if let Some(resource) = &case.resource_policy {
        simulation["resourcePolicy"] = resource.clone();
    }
    simulation
}

fn parse(name: &str, value: &Value) -> Policy {
    Policy::parse(name, &value.to_string()).unwrap_or_else(|e| panic!("credwiz refuses a generated policy: {e}"))
}

fn ours(case: &Case) -> (PolicySet, RequestContext) {
    let mut context = RequestContext::new(case.principal, case.action, case.resource);
    if case.principal == ALICE {
        context = context.with_string("aws:userid", "AIDAALICEEXAMPLE");
    }
    for (key, value) in &case.context {
        context = match value {
            Value::Array(values) => {
                let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                context.with_strings(key, &values)
            }
            other => context.with_string(key, other.as_str().unwrap_or_default()),
        };
    }
    let context = context.with_resource_account(resource_account(case));
    let levels = |levels: &Option<Vec<Vec<Value>>>, prefix: &str| match levels {
        None => Layer::Absent,
        Some(levels) => Layer::Known(
            levels
                .iter()
                .enumerate()
                .map(|(i, policies)| OrgLevel {
                    name: level_name(i, levels.len()),
                    policies: policies
                        .iter()
                        .enumerate()
                        .map(|(j, p)| parse(&format!("{prefix}-{i}-{j}"), p))
                        .collect(),
                })
                .collect(),
        ),
    };
    let set = PolicySet {
        identity: Layer::Known(case.identity.iter().enumerate().map(|(i, p)| parse(&format!("id-{i}"), p)).collect()),
        boundary: case.boundary.as_ref().map_or(Layer::Absent, |p| Layer::Known(vec![parse("boundary", p)])),
        session: case.session.as_ref().map_or(Layer::Absent, |p| Layer::Known(vec![parse("SessionPolicy", p)])),
        resource: case.resource_policy.as_ref().map_or(Layer::Absent, |p| Layer::Known(vec![parse("resource", p)])),
        scps: levels(&case.scps, "scp"),
        rcps: levels(&case.rcps, "rcp"),
    };
    set.validate().unwrap_or_else(|e| panic!("generated set breaks a layer rule: {e}"));
    (set, context)
}

/// The oracle's answer in credwiz's terms: verdict, and the deciding layer
/// (explicit deny: layer/policy/statement; implicit deny: the lacking layer
/// and level), derived from its per-layer analysis with credwiz's rule.
fn oracle_view(answer: &Value) -> Result<(Verdict, String), String> {
    if let Some(error) = answer.get("error") {
        return Err(format!("oracle refused the case: {error}"));
    }
    let ignored = &answer["ignoredContextKeys"];
    if ignored.as_array().is_some_and(|keys| !keys.is_empty()) {
        return Err(format!("oracle ignored context keys {ignored}"));
    }
    let layers = &answer["layers"];
    let verdict = match answer["result"].as_str() {
        Some("Allowed") => Verdict::Allowed,
        Some("ExplicitlyDenied") => Verdict::ExplicitDeny,
        Some("ImplicitlyDenied") => Verdict::ImplicitDeny,
        other => return Err(format!("oracle result {other:?}")),
    };
    let label = |layer: LayerKind, statement: &Value, default_policy: &str| {
        let policy = statement["policy"].as_str().unwrap_or(default_policy);
        format!("{} {} {}", layer.id(), policy, statement["statement"].as_str().unwrap_or("?"))
    };
    let deciding = match verdict {
        Verdict::Allowed | Verdict::Undetermined => String::new(),
        Verdict::ExplicitDeny => {
            let mut found = None;
            for (layer, key) in [(LayerKind::Scp, "scp"), (LayerKind::Rcp, "rcp")] {
                for level in layers[key]["levels"].as_array().into_iter().flatten() {
                    if let Some(first) = level["deny"].as_array().and_then(|d| d.first()) {
                        found = found.or_else(|| Some(label(layer, first, "?")));
                    }
                }
            }
            for (layer, key) in [
                (LayerKind::Resource, "resource"),
                (LayerKind::Identity, "identity"),
                (LayerKind::Boundary, "boundary"),
                (LayerKind::Session, "session"),
            ] {
                if let Some(first) = layers[key]["deny"].as_array().and_then(|d| d.first()) {
                    found = found.or_else(|| Some(label(layer, first, "resource")));
                }
            }
            found.ok_or("explicit deny without a deny statement")?
        }
        Verdict::ImplicitDeny => {
            let scp_gap = layers["scp"]["levels"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|level| level["allow"].as_array().is_none_or(Vec::is_empty));
            if let Some(level) = scp_gap {
                format!("scp {}", level["id"].as_str().unwrap_or("?"))
            } else {
                let allowed = |key: &str| layers[key]["result"] == json!("Allowed");
                let restricts = |key: &str| layers[key].is_null() || allowed(key);
                let resource_allows = |kinds: &[&str]| {
                    layers["resource"]["allow"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|s| kinds.contains(&s["principalMatch"].as_str().unwrap_or("")))
                };
                let same = layers["sameAccount"] == json!(true);
                let id_allow = allowed("identity");
                let identity_path = id_allow && restricts("boundary") && restricts("session");
                let rp_direct = resource_allows(&["Match"]);
                let rp_under = resource_allows(&["SessionRoleMatch", "SessionUserMatch"]);
                let identity_side = if !id_allow && (!same || (!rp_direct && !rp_under)) {
                    "identity"
                } else if !restricts("boundary") {
                    "boundary"
                } else {
                    "session"
                };
                if !same && identity_path { "resource".to_string() } else { identity_side.to_string() }
            }
        }
    };
    Ok((verdict, deciding))
}

fn our_view(set: &PolicySet, context: &RequestContext) -> (Verdict, String) {
    let decision = evaluate(set, context);
    let deciding = match decision.verdict {
        Verdict::ExplicitDeny => {
            let s = decision.statement.as_ref().expect("an explicit deny names its statement");
            format!("{} {} {}", s.layer.id(), s.policy, s.label())
        }
        Verdict::ImplicitDeny => {
            let lacking = decision.lacking.as_ref().expect("an implicit deny names the lacking layer");
            match &lacking.level {
                Some(level) => format!("{} {level}", lacking.layer.id()),
                None => lacking.layer.id().to_string(),
            }
        }
        Verdict::Allowed | Verdict::Undetermined => String::new(),
    };
    (decision.verdict, deciding)
}

/// Every policy of the case.
fn all_policies(case: &Case) -> Vec<&Value> {
    let mut all: Vec<&Value> = case.identity.iter().collect();
    all.extend(case.boundary.iter().chain(&case.session).chain(&case.resource_policy));
    all.extend(case.scps.iter().flatten().flatten());
    all.extend(case.rcps.iter().flatten().flatten());
    all
}

/// The Resource / NotResource patterns of every statement of the case.
fn resource_patterns(case: &Case) -> Vec<&str> {
    let mut patterns = Vec::new();
    for policy in all_policies(case) {
        for statement in policy["Statement"].as_array().into_iter().flatten() {
            for key in ["Resource", "NotResource"] {
                match &statement[key] {
                    Value::String(one) => patterns.push(one.as_str()),
                    Value::Array(many) => patterns.extend(many.iter().filter_map(Value::as_str)),
                    _ => {}
                }
            }
        }
    }
    patterns
}

/// iam-simulate's "resource type" prefix of an ARN pattern holds a policy
/// variable (fixture variable-starts-resource-id.json).
fn variable_in_oracle_resource_type(pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split(':').collect();
    if parts.len() < 6 || (parts[2] == "s3" && parts[3].is_empty() && parts[4].is_empty()) {
        return false;
    }
    let resource = parts[5..].join(":");
    let split = match (resource.find('/'), resource.find(':')) {
        (Some(slash), Some(colon)) => slash.min(colon) + 1,
        (Some(slash), None) => slash + 1,
        (None, Some(colon)) => colon + 1,
        (None, None) => 0,
    };
    resource[..split].contains("${")
}

/// The resource-based policy has an Allow whose Principal is `*` or the session ARN.
fn resource_names_caller_directly(case: &Case) -> bool {
    case.resource_policy.iter().flat_map(|p| p["Statement"].as_array().into_iter().flatten()).any(|statement| {
        let principal = &statement["Principal"];
        statement["Effect"] == "Allow"
            && (principal == "*"
                || [&principal["AWS"]].into_iter().any(|aws| {
                    aws == "*"
                        || aws == DEV_SESSION
                        || aws.as_array().is_some_and(|l| l.iter().any(|v| v == "*" || v == DEV_SESSION))
                }))
    })
}

/// A NotIpAddress condition compares a bare address (no `/`) with a
/// request address of the other family.
fn not_ip_bare_address_other_family(case: &Case) -> bool {
    let Some(source) = case.context.iter().find(|(k, _)| *k == "aws:SourceIp").and_then(|(_, v)| v.as_str()) else {
        return false;
    };
    let request_v6 = source.contains(':');
    all_policies(case).iter().flat_map(|p| p["Statement"].as_array().into_iter().flatten()).any(|statement| {
        statement["Condition"].as_object().into_iter().flatten().any(|(op, tests)| {
            op.starts_with("NotIpAddress")
                && tests.as_object().into_iter().flatten().any(|(_, values)| {
                    let values = if values.is_array() { values.clone() } else { json!([values]) };
                    values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .any(|v| !v.contains('/') && v.contains(':') != request_v6)
                })
        })
    })
}

/// Classes of cases where iam-simulate departs from the AWS documentation;
/// each has a fixture in tests/policy_fixtures/ that says why. Checked only
/// when the engines disagree.
fn known_divergence(case: &Case) -> Option<&'static str> {
    if resource_patterns(case).into_iter().any(variable_in_oracle_resource_type) {
        return Some("variable-starts-resource-id");
    }
    if all_policies(case).iter().any(|policy| policy.to_string().contains("\"0.0.0.0/0\"")) {
        return Some("ipv4-cidr-slash-zero");
    }
    if not_ip_bare_address_other_family(case) {
        return Some("not-ip-address-bare-ipv4-vs-ipv6");
    }
    if case.session.is_some() && resource_names_caller_directly(case) {
        return Some("session-arn-named-by-resource-policy");
    }
    None
}

/// One generated case, both engines' inputs, and credwiz's view.
struct Prepared {
    case: Case,
    set: PolicySet,
    context: RequestContext,
    simulation: Value,
}

fn prepare(case: Case) -> Prepared {
    let (set, context) = ours(&case);
    let simulation = simulation(&case, &context);
    Prepared { case, set, context, simulation }
}

/// `Ok` when the engines agree (or the case is in a known divergence
/// class, counted in `stats`); else the report.
fn compare(prepared: &Prepared, answer: &Value, stats: &mut Stats) -> Result<(), String> {
    let theirs = oracle_view(answer).map_err(|e| format!("{e}\nsimulation: {}", prepared.simulation))?;
    let mine = our_view(&prepared.set, &prepared.context);
    stats.compared += 1;
    *stats.verdicts.entry(format!("{:?}", theirs.0)).or_default() += 1;
    if mine == theirs {
        return Ok(());
    }
    if let Some(class) = known_divergence(&prepared.case) {
        *stats.verdicts.entry(format!("known divergence {class}")).or_default() += 1;
        stats.known += 1;
        return Ok(());
    }
    Err(format!(
        "credwiz: {mine:?} ({})\niam-simulate: {theirs:?}\nsimulation: {}",
        evaluate(&prepared.set, &prepared.context),
        prepared.simulation
    ))
}

#[derive(Default)]
struct Stats {
    compared: u32,
    known: u32,
    verdicts: std::collections::BTreeMap<String, u32>,
}

/// Shrinks a failing case with proptest's value tree, asking the oracle one case at a time.
fn shrink(mut tree: impl ValueTree<Value = Case>, oracle: &mut Oracle, mut report: String) -> String {
    let mut stats = Stats::default();
    let mut steps = 0;
    let fails = |case: Case, oracle: &mut Oracle, stats: &mut Stats| {
        let prepared = prepare(case);
        let answer = oracle.ask(&prepared.simulation);
        compare(&prepared, &answer, stats).err()
    };
    if !tree.simplify() {
        return report;
    }
    while steps < 2_000 {
        steps += 1;
        let still = fails(tree.current(), oracle, &mut stats);
        let more = match still {
            Some(smaller) => {
                report = smaller;
                tree.simplify()
            }
            None => tree.complicate(),
        };
        if !more {
            break;
        }
    }
    report
}

#[test]
fn credwiz_agrees_with_iam_simulate() {
    let Some(first) = Oracle::start() else {
        eprintln!();
        eprintln!("################################################################################");
        eprintln!("## SKIPPED: policy differential test: Node.js is not installed, so credwiz's   ##");
        eprintln!("## policy evaluator was NOT compared with iam-simulate. Install node and npm ##");
        eprintln!("## (scripts/test does, as root) and run `npm ci` in tests/iam_oracle.         ##");
        eprintln!("################################################################################");
        return;
    };
    let cases: u32 = std::env::var("CREDWIZ_POLICY_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    let survey = std::env::var_os("CREDWIZ_POLICY_SURVEY").is_some();
    // Two oracle processes answer batches in parallel while credwiz's side is computed.
    let mut oracles = vec![first];
    if std::thread::available_parallelism().map_or(1, usize::from) > 1 {
        oracles.extend(Oracle::start());
    }
    let strategy = case();
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let mut stats = Stats::default();
    let mut disagreements = Vec::new();
    let started = Instant::now();
    // Batches are pipelined: while the oracles answer one batch, the next is generated.
    const BATCH: u32 = 64;
    let mut generated = 0;
    let mut ours_time = Duration::ZERO;
    let mut in_flight: Option<(Vec<Prepared>, Vec<_>)> = None;
    loop {
        let generating = Instant::now();
        let next = (generated < cases).then(|| {
            let size = BATCH.min(cases - generated);
            generated += size;
            let trees: Vec<_> = (0..size).map(|_| strategy.new_tree(&mut runner).expect("generate a case")).collect();
            let prepared: Vec<Prepared> = trees.iter().map(|tree| prepare(tree.current())).collect();
            (prepared, trees)
        });
        ours_time += generating.elapsed();
        if let Some((prepared, trees)) = in_flight.take() {
            let count = oracles.len();
            for (i, (item, tree)) in prepared.iter().zip(trees).enumerate() {
                let answer = oracles[i % count].receive();
                let Err(report) = compare(item, &answer, &mut stats) else { continue };
                if survey {
                    disagreements.push(report);
                    continue;
                }
                // Drain what is still in flight, then shrink on one oracle.
                for j in i + 1..prepared.len() {
                    oracles[j % count].receive();
                }
                let shrunk = shrink(tree, &mut oracles[0], report);
                panic!("credwiz and iam-simulate disagree (shrunk):\n{shrunk}");
            }
        }
        let Some((prepared, trees)) = next else { break };
        let count = oracles.len();
        for (i, item) in prepared.iter().enumerate() {
            oracles[i % count].send(&item.simulation);
        }
        in_flight = Some((prepared, trees));
    }
    eprintln!(
        "policy_differential: {:.1} s generating cases and evaluating them with credwiz",
        ours_time.as_secs_f64()
    );
    eprintln!(
        "policy_differential: {} comparisons in {:.1} s with {} oracle processes ({} in known divergence classes); oracle verdicts {:?}",
        stats.compared,
        started.elapsed().as_secs_f64(),
        oracles.len(),
        stats.known,
        stats.verdicts
    );
    for (i, report) in disagreements.iter().take(40).enumerate() {
        eprintln!("---- disagreement {i}\n{report}");
    }
    assert!(disagreements.is_empty(), "{} disagreements (survey mode)", disagreements.len());
    assert_eq!(stats.compared, cases, "every case compared");
}
