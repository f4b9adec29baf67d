//! The disagreements found between credwiz's policy evaluator and
//! iam-simulate, shrunk into fixtures (`tests/policy_fixtures/*.json`), each
//! with a comment saying which engine is right and why (the AWS
//! documentation decides; the comment says where it is silent). They are
//! checked against credwiz's evaluator only: the oracle is not needed.
//!
//! Fixture format: `comment`, `request` {principal, action, resource,
//! resource_account?, context {key: value | [values]}, unknown [keys]},
//! `policies` {identity|boundary|session|resource: [{name, policy}],
//! scps|rcps: [{name, policies: [{name, policy}]}], unknown: [layer ids]},
//! `expect` {verdict, deciding, says?}: `deciding` as in the differential
//! test ("layer policy statement" for an explicit deny, "layer [level]" for
//! an implicit deny, "" when allowed).

use credwiz::policy::{Layer, OrgLevel, Policy, PolicySet, RequestContext, Verdict, evaluate};
use serde_json::Value;
use std::path::PathBuf;

fn policies(list: &Value) -> Vec<Policy> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let name = p["name"].as_str().expect("policy name");
            Policy::parse(name, &p["policy"].to_string()).unwrap_or_else(|e| panic!("{e}"))
        })
        .collect()
}

fn layer(spec: &Value, key: &str) -> Layer<Vec<Policy>> {
    if spec["unknown"].as_array().into_iter().flatten().any(|l| l == key) {
        return Layer::Unknown;
    }
    match &spec[key] {
        Value::Null => {
            if key == "identity" {
                Layer::Known(Vec::new())
            } else {
                Layer::Absent
            }
        }
        list => Layer::Known(policies(list)),
    }
}

fn levels(spec: &Value, key: &str) -> Layer<Vec<OrgLevel>> {
    if spec["unknown"].as_array().into_iter().flatten().any(|l| l == key) {
        return Layer::Unknown;
    }
    match &spec[key] {
        Value::Null => Layer::Absent,
        list => Layer::Known(
            list.as_array()
                .into_iter()
                .flatten()
                .map(|level| OrgLevel {
                    name: level["name"].as_str().expect("level name").to_string(),
                    policies: policies(&level["policies"]),
                })
                .collect(),
        ),
    }
}

/// Runs one fixture; returns a description of the mismatch, if any.
fn run(path: &std::path::Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let fixture: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    assert!(
        fixture["comment"].as_str().is_some_and(|c| c.len() > 40),
        "{}: says which engine is right and why",
        path.display()
    );
    let request = &fixture["request"];
    let text_of = |key: &str| request[key].as_str().unwrap_or_else(|| panic!("request.{key}"));
    let mut context = RequestContext::new(text_of("principal"), text_of("action"), text_of("resource"));
    if let Some(account) = request["resource_account"].as_str() {
        context = context.with_resource_account(account);
    }
    for (key, value) in request["context"].as_object().into_iter().flatten() {
        context = match value {
            Value::Array(values) => {
                context.with_strings(key, &values.iter().filter_map(Value::as_str).collect::<Vec<_>>())
            }
            other => context.with_string(key, other.as_str().expect("context values are strings")),
        };
    }
    for key in request["unknown"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        context = context.with_unknown(key);
    }
    let spec = &fixture["policies"];
    let set = PolicySet {
        identity: layer(spec, "identity"),
        boundary: layer(spec, "boundary"),
        session: layer(spec, "session"),
        resource: layer(spec, "resource"),
        scps: levels(spec, "scp"),
        rcps: levels(spec, "rcp"),
    };
    set.validate().map_err(|e| e.to_string())?;
    let decision = evaluate(&set, &context);
    let deciding = match decision.verdict {
        Verdict::ExplicitDeny => decision
            .statement
            .as_ref()
            .map(|s| format!("{} {} {}", s.layer.id(), s.policy, s.label()))
            .unwrap_or_default(),
        Verdict::ImplicitDeny => decision
            .lacking
            .as_ref()
            .map(|l| match &l.level {
                Some(level) => format!("{} {level}", l.layer.id()),
                None => l.layer.id().to_string(),
            })
            .unwrap_or_default(),
        _ => String::new(),
    };
    let expect = &fixture["expect"];
    let verdict = format!("{:?}", decision.verdict);
    if expect["verdict"] != verdict.as_str() || expect["deciding"].as_str().unwrap_or("") != deciding {
        return Err(format!("got {verdict} {deciding:?} ({decision}), expected {}", expect));
    }
    if let Some(says) = expect["says"].as_str()
        && !decision.to_string().contains(says)
    {
        return Err(format!("the explanation {:?} does not say {says:?}", decision.to_string()));
    }
    Ok(())
}

#[test]
fn every_fixture_decides_as_the_aws_documentation_says() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/policy_fixtures");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/policy_fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixture in {}", dir.display());
    let failures: Vec<String> =
        paths.iter().filter_map(|p| run(p).err().map(|e| format!("{}: {e}", p.display()))).collect();
    assert!(failures.is_empty(), "{} of {} fixtures fail:\n{}", failures.len(), paths.len(), failures.join("\n"));
}
