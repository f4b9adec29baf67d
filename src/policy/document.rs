//! Reading a policy document (JSON text) into the evaluator's form: the
//! grammar of the IAM JSON policy language (Version, Id, Statement as an
//! object or a list; Sid, Effect, Action / NotAction, Resource /
//! NotResource, Principal / NotPrincipal, Condition). Everything that can
//! be compiled is compiled here, once: wildcards, policy variables (only
//! with Version 2012-10-17, as in AWS; older or missing versions read
//! `${...}` as text), condition operators. Errors name the policy, the
//! statement (Sid, else `#index`, 1-based) and the field. Pure.

use super::condition::{Condition, Operator};
use super::pattern::Template;
use serde_json::{Map, Value};
use std::fmt;

/// The longest policy text read (AWS's own limits are a few KiB).
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// Why a policy could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// The policy's name as given.
    pub policy: String,
    /// The statement (Sid, else `#index`), when the problem is inside one.
    pub statement: Option<String>,
    /// The field (`Statement`, `Effect`, `Condition.StringEquals`...).
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "policy `{}`", shown(&self.policy))?;
        if let Some(statement) = &self.statement {
            write!(f, " statement `{}`", shown(statement))?;
        }
        write!(f, " field `{}`: {}", shown(&self.field), self.problem)
    }
}

/// A string from outside, made safe to show on one line: control
/// characters become `?`, and it is cut at 80 characters.
pub(crate) fn shown(text: &str) -> String {
    let mut out: String = text.chars().take(80).map(|c| if c.is_control() { '?' } else { c }).collect();
    if text.chars().nth(80).is_some() {
        out.push('…');
    }
    out
}

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A list that matches, or (for the `Not...` elements) one that matches everything else.
#[derive(Debug, Clone)]
pub(crate) struct Listed<T> {
    pub negated: bool,
    pub items: Vec<T>,
}

/// One entry of a Principal element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PrincipalEntry {
    /// `"*"` or `{"AWS": "*"}`
    Anyone,
    /// `{"AWS": "..."}`: an account id or an ARN.
    Aws(String),
    /// `{"Service": "..."}`, `{"Federated": "..."}`, `{"CanonicalUser": "..."}`
    Other(String),
}

/// One statement, compiled.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    /// 1-based position in the policy.
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Listed<Template>,
    /// `None`: the element is absent (trust policies): every resource.
    pub resources: Option<Listed<Template>>,
    pub principals: Option<Listed<PrincipalEntry>>,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// The statement's Sid, else `#index`.
    pub fn label(&self) -> String {
        match &self.sid {
            Some(sid) if !sid.is_empty() => sid.clone(),
            _ => format!("#{}", self.index),
        }
    }
}

/// A policy document, read and compiled, with the name it was given.
#[derive(Debug, Clone)]
pub struct Policy {
    name: String,
    pub(crate) statements: Vec<Statement>,
}

impl Policy {
    /// Reads a policy from JSON text. `name` is how decisions refer to it
    /// (its name, ARN or file, as the caller knows it).
    pub fn parse(name: &str, text: &str) -> Result<Policy, PolicyError> {
        let fail = |field: &str, problem: String| PolicyError {
            policy: name.to_string(),
            statement: None,
            field: field.to_string(),
            problem,
        };
        if text.len() > MAX_POLICY_BYTES {
            return Err(fail("(document)", format!("longer than {MAX_POLICY_BYTES} bytes")));
        }
        let value: Value = serde_json::from_str(text)
            .map_err(|e| fail("(document)", format!("not JSON (line {}, column {})", e.line(), e.column())))?;
        let Value::Object(document) = value else {
            return Err(fail("(document)", "expected a JSON object".into()));
        };
        let mut variables = false;
        for (key, value) in &document {
            match key.as_str() {
                "Version" => match value.as_str() {
                    Some("2012-10-17") => variables = true,
                    Some("2008-10-17") => {}
                    _ => return Err(fail("Version", "expected \"2012-10-17\" or \"2008-10-17\"".into())),
                },
                "Id" if value.is_string() => {}
                "Id" => return Err(fail("Id", "expected a string".into())),
                "Statement" => {}
                other => return Err(fail(other, "not an element of a policy".into())),
            }
        }
        let statements = match document.get("Statement") {
            Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
            Some(one @ Value::Object(_)) => vec![one],
            Some(_) => return Err(fail("Statement", "expected an object or a list of objects".into())),
            None => return Err(fail("Statement", "missing".into())),
        };
        let statements = statements
            .into_iter()
            .enumerate()
            .map(|(i, value)| read_statement(name, i + 1, value, variables))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Policy { name: name.to_string(), statements })
    }

    /// The name the policy was given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many statements it has.
    pub fn statement_count(&self) -> usize {
        self.statements.len()
    }

    /// Whether any statement allows (an SCP of Deny statements alone needs FullAWSAccess beside it).
    pub fn has_allow(&self) -> bool {
        self.statements.iter().any(|s| s.effect == Effect::Allow)
    }

    /// Checks the elements a policy of this kind must or must not have:
    /// resource-based policies and RCPs name a Principal; identity-based
    /// policies, boundaries, session policies and SCPs do not.
    pub fn check_principal_rule(&self, needs_principal: bool) -> Result<(), PolicyError> {
        for statement in &self.statements {
            if statement.principals.is_some() != needs_principal {
                return Err(PolicyError {
                    policy: self.name.clone(),
                    statement: Some(statement.label()),
                    field: "Principal".into(),
                    problem: if needs_principal {
                        "missing: this kind of policy names a Principal or NotPrincipal".into()
                    } else {
                        "not allowed in this kind of policy".into()
                    },
                });
            }
        }
        Ok(())
    }
}

fn read_statement(policy: &str, index: usize, value: &Value, variables: bool) -> Result<Statement, PolicyError> {
    let mut label = format!("#{index}");
    let fail = |label: &str, field: &str, problem: &str| PolicyError {
        policy: policy.to_string(),
        statement: Some(label.to_string()),
        field: field.to_string(),
        problem: problem.to_string(),
    };
    let Value::Object(fields) = value else {
        return Err(fail(&label, "Statement", "expected an object"));
    };
    let sid = match fields.get("Sid") {
        None => None,
        Some(Value::String(sid)) => {
            if !sid.is_empty() {
                label = sid.clone();
            }
            Some(sid.clone())
        }
        Some(_) => return Err(fail(&label, "Sid", "expected a string")),
    };
    for key in fields.keys() {
        let known = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal"];
        if !known.contains(&key.as_str()) && key != "Condition" {
            return Err(fail(&label, key, "not an element of a statement"));
        }
    }
    let effect = match fields.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        _ => return Err(fail(&label, "Effect", "expected \"Allow\" or \"Deny\"")),
    };
    let pair = |positive: &str, negative: &str, required: bool| -> Result<Option<(bool, &Value)>, PolicyError> {
        match (fields.get(positive), fields.get(negative)) {
            (Some(_), Some(_)) => Err(fail(&label, positive, &format!("both {positive} and {negative} are given"))),
            (Some(value), None) => Ok(Some((false, value))),
            (None, Some(value)) => Ok(Some((true, value))),
            (None, None) if required => Err(fail(&label, positive, &format!("missing (or {negative})"))),
            (None, None) => Ok(None),
        }
    };
    let (negated, value) = pair("Action", "NotAction", true)?.ok_or_else(|| fail(&label, "Action", "missing"))?;
    let field = if negated { "NotAction" } else { "Action" };
    let mut actions = Vec::new();
    for action in strings(value).ok_or_else(|| fail(&label, field, "expected a string or a list of strings"))? {
        if action != "*" && !action.contains(':') {
            return Err(fail(&label, field, &format!("`{}` is not `service:action` or `*`", shown(action))));
        }
        actions.push(Template::parse(action, true, false));
    }
    let actions = Listed { negated, items: actions };
    let resources = match pair("Resource", "NotResource", false)? {
        None => None,
        Some((negated, value)) => {
            let field = if negated { "NotResource" } else { "Resource" };
            let list = strings(value).ok_or_else(|| fail(&label, field, "expected a string or a list of strings"))?;
            Some(Listed { negated, items: list.iter().map(|r| Template::parse(r, true, variables)).collect() })
        }
    };
    let principals = match pair("Principal", "NotPrincipal", false)? {
        None => None,
        Some((negated, value)) => {
            let field = if negated { "NotPrincipal" } else { "Principal" };
            Some(Listed { negated, items: read_principal(value).map_err(|problem| fail(&label, field, &problem))? })
        }
    };
    let conditions =
        match fields.get("Condition") {
            None => Vec::new(),
            Some(Value::Object(block)) => read_conditions(block, variables).map_err(|(field, problem)| {
                PolicyError { policy: policy.to_string(), statement: Some(label.clone()), field, problem }
            })?,
            Some(_) => return Err(fail(&label, "Condition", "expected an object")),
        };
    Ok(Statement { index, sid, effect, actions, resources, principals, conditions })
}

fn strings(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(one) => Some(vec![one.as_str()]),
        Value::Array(list) => list.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

fn read_principal(value: &Value) -> Result<Vec<PrincipalEntry>, String> {
    match value {
        Value::String(star) if star == "*" => Ok(vec![PrincipalEntry::Anyone]),
        Value::Object(kinds) => {
            let mut entries = Vec::new();
            for (kind, names) in kinds {
                let names = strings(names).ok_or_else(|| format!("`{}`: expected a string or a list", shown(kind)))?;
                for name in names {
                    entries.push(match (kind.as_str(), name) {
                        ("AWS", "*") => PrincipalEntry::Anyone,
                        ("AWS", _) => PrincipalEntry::Aws(name.to_string()),
                        ("Service" | "Federated" | "CanonicalUser", _) => PrincipalEntry::Other(name.to_string()),
                        _ => return Err(format!("`{}` is not a principal type", shown(kind))),
                    });
                }
            }
            Ok(entries)
        }
        _ => Err("expected \"*\" or an object such as {\"AWS\": \"arn:...\"}".into()),
    }
}

fn read_conditions(block: &Map<String, Value>, variables: bool) -> Result<Vec<Condition>, (String, String)> {
    let mut conditions = Vec::new();
    for (operator_name, tests) in block {
        let field = format!("Condition.{operator_name}");
        let operator = Operator::parse(operator_name)
            .ok_or_else(|| (shown(&field), format!("`{}` is not a condition operator", shown(operator_name))))?;
        let Value::Object(tests) = tests else {
            return Err((shown(&field), "expected an object of condition keys".into()));
        };
        for (key, values) in tests {
            let values = scalars(values)
                .ok_or_else(|| (shown(&format!("{field}.{key}")), "expected a value or a list of values".into()))?;
            conditions.push(Condition::new(operator, key, &values, variables));
        }
    }
    Ok(conditions)
}

fn scalars(value: &Value) -> Option<Vec<String>> {
    let one = |value: &Value| match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    };
    match value {
        Value::Array(list) => list.iter().map(one).collect(),
        other => one(other).map(|value| vec![value]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statement_as_object_or_list_and_labels() {
        let one = Policy::parse(
            "p",
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        )
        .expect("one statement");
        assert_eq!(one.statements[0].label(), "#1");
        let two = Policy::parse(
            "p",
            r#"{"Statement":[{"Sid":"A","Effect":"Deny","NotAction":["s3:*"],"NotResource":"arn:aws:s3:::b"},
                            {"Effect":"Allow","Action":"s3:Get*","Resource":["*"],"Condition":{"Bool":{"aws:SecureTransport":true}}}]}"#,
        )
        .expect("two statements");
        assert_eq!(two.statements.iter().map(Statement::label).collect::<Vec<_>>(), ["A", "#2"]);
        assert!(two.statements[0].actions.negated);
        assert_eq!(two.statement_count(), 2);
    }

    #[test]
    fn errors_name_policy_statement_and_field() {
        let cases = [
            (r#"{"Statement":[{"Sid":"S","Effect":"allow","Action":"*"}]}"#, "policy `p` statement `S` field `Effect`"),
            (r#"{"Statement":[{"Effect":"Allow"}]}"#, "policy `p` statement `#1` field `Action`"),
            (r#"{"Statement":{"Effect":"Allow","Action":"iam"}}"#, "field `Action`: `iam` is not"),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"StringEqualz":{"k":"v"}}}}"#,
                "field `Condition.StringEqualz`",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","Condition":{"NullIfExists":{"k":"true"}}}}"#,
                "NullIfExists",
            ),
            (r#"{"Version":"2020-01-01","Statement":[]}"#, "field `Version`"),
            (r#"{"Statement":[], "Extra": 1}"#, "field `Extra`: not an element"),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}"#,
                "both Resource and NotResource",
            ),
            (r#"{"Statement":{"Effect":"Allow","Action":"*","Principal":{"Bogus":"x"}}}"#, "field `Principal`"),
            ("[1,2", "not JSON"),
        ];
        for (text, expected) in cases {
            let error = Policy::parse("p", text).expect_err(text).to_string();
            assert!(error.contains(expected), "{error:?} should contain {expected:?}");
        }
    }

    #[test]
    fn hostile_names_are_shown_safely() {
        let error = Policy::parse("evil\u{1b}[2Jname", "{").expect_err("not JSON").to_string();
        assert!(!error.contains('\u{1b}'), "{error:?}");
        let long = "x".repeat(MAX_POLICY_BYTES + 1);
        assert!(Policy::parse("big", &long).expect_err("too long").to_string().contains("longer than"));
    }

    #[test]
    fn principal_rule_per_kind() {
        let resource =
            Policy::parse("r", r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}"#)
                .expect("resource policy");
        assert!(resource.check_principal_rule(true).is_ok());
        assert!(resource.check_principal_rule(false).expect_err("identity").to_string().contains("not allowed"));
    }
}
