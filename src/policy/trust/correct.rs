//! The corrected trust policy: the document with the failing `sub` / `aud`
//! conditions (positive string operators) widened to the token's value, the
//! action added to the statement that names the provider, or a statement for
//! the provider when none names it. Built for the user to paste; never
//! written anywhere. Pure.

use super::{TokenClaims, TrustJudgement, WEB_IDENTITY_ACTION};
use serde_json::{Map, Value};

impl TrustJudgement {
    /// The corrected trust policy (pretty JSON) and the one corrected
    /// statement, when a correction is certain: the failing `sub` / `aud`
    /// conditions (positive string operators) extended with the token's
    /// value, the action added, or a new statement for the provider.
    pub fn corrected(&self, text: &str, claims: &TokenClaims<'_>) -> Option<String> {
        let mut document: Value = serde_json::from_str(text).ok()?;
        let statements = match document.get_mut("Statement")? {
            Value::Array(list) => list,
            one @ Value::Object(_) => {
                let single = one.take();
                *one = Value::Array(vec![single]);
                one.as_array_mut()?
            }
            _ => return None,
        };
        let candidate = self.closest().filter(|s| s.names_provider);
        match candidate {
            None => statements.push(new_statement(&self.provider_arn, claims)),
            Some(check) => {
                let statement = statements.get_mut(check.position)?.as_object_mut()?;
                if !check.allows_action {
                    add_action(statement);
                }
                for failing in check.failing() {
                    let value = match failing.claim_name() {
                        Some("sub") => claims.subject?.to_string(),
                        Some("aud") => claims.audiences.first()?.clone(),
                        _ => return None,
                    };
                    if !(failing.operator.starts_with("String") || failing.operator.starts_with("ForAnyValue:String"))
                        || failing.operator.contains("Not")
                    {
                        return None;
                    }
                    widen(statement, &failing.operator, &failing.key, &value)?;
                }
            }
        }
        serde_json::to_string_pretty(&document).ok()
    }
}

fn new_statement(provider_arn: &str, claims: &TokenClaims<'_>) -> Value {
    let host = claims.provider_host();
    let mut equals = Map::new();
    if let Some(aud) = claims.audiences.first() {
        equals.insert(format!("{host}:aud"), Value::String(aud.clone()));
    }
    if let Some(sub) = claims.subject {
        equals.insert(format!("{host}:sub"), Value::String(sub.to_string()));
    }
    serde_json::json!({
        "Effect": "Allow",
        "Principal": {"Federated": provider_arn},
        "Action": WEB_IDENTITY_ACTION,
        "Condition": {"StringEquals": Value::Object(equals)},
    })
}

fn add_action(statement: &mut Map<String, Value>) {
    let action = statement.entry("Action").or_insert(Value::Array(Vec::new()));
    let mut list = match action.take() {
        Value::Array(list) => list,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    list.push(Value::String(WEB_IDENTITY_ACTION.into()));
    *action = Value::Array(list);
}

/// Adds `value` to the condition `operator` / `key` of the statement.
fn widen(statement: &mut Map<String, Value>, operator: &str, key: &str, value: &str) -> Option<()> {
    let block = statement.get_mut("Condition")?.as_object_mut()?;
    let keys = block.iter_mut().find(|(op, _)| op.eq_ignore_ascii_case(operator))?.1.as_object_mut()?;
    let entry = keys.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key))?.1;
    let mut list = match entry.take() {
        Value::Array(list) => list,
        one => vec![one],
    };
    if !list.iter().any(|v| v.as_str() == Some(value)) {
        list.push(Value::String(value.to_string()));
    }
    *entry = Value::Array(list);
    Some(())
}
