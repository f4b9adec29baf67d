//! Classes of cases where iam-simulate departs from the AWS documentation,
//! each with a fixture in tests/policy_fixtures/ that says which engine is
//! right and why. Consulted only when the engines disagree.

use super::DEV_SESSION;
use super::generate::Case;
use serde_json::{Value, json};

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
pub fn known_divergence(case: &Case) -> Option<&'static str> {
    // The catalogue says the action takes no resource: no resource-based policy applies
    // (fixture resource-policy-on-resourceless-action.json).
    let resourceless = credwiz::policy::catalogue::action(case.action).is_some_and(|a| !a.takes_resource());
    if resourceless && case.resource_policy.is_some() {
        return Some("resource-policy-on-resourceless-action");
    }
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
