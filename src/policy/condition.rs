//! The Condition element: operators (String, Numeric, Date, Bool, Binary,
//! IpAddress, Arn, Null), their `...IfExists` forms and the set operators
//! `ForAnyValue:` / `ForAllValues:`, parsed once and evaluated against a
//! request. Semantics follow the IAM User Guide ("Condition operators",
//! "Single-valued vs. multivalued context keys"): a missing key fails every
//! operator except the negated ones (`...Not...`, `NotIpAddress`), which
//! hold, `...IfExists`, which holds, and `Null`; `ForAllValues` holds on a
//! missing key, `ForAnyValue` fails. Pure.

use super::context::{Lookup, RequestContext};
use super::pattern::{Template, Token, Unresolved, glob};
use super::tri::Tri;
use super::values;

/// The family of a condition operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnEquals,
    ArnLike,
    Null,
}

/// The set operator in front of an operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SetOperator {
    ForAnyValue,
    ForAllValues,
}

/// One parsed operator, such as `ForAllValues:StringNotLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    family: Family,
    negated: bool,
    if_exists: bool,
    set: Option<SetOperator>,
}

const FAMILIES: &[(&str, Family, bool)] = &[
    ("StringEquals", Family::StringEquals, false),
    ("StringNotEquals", Family::StringEquals, true),
    ("StringEqualsIgnoreCase", Family::StringEqualsIgnoreCase, false),
    ("StringNotEqualsIgnoreCase", Family::StringEqualsIgnoreCase, true),
    ("StringLike", Family::StringLike, false),
    ("StringNotLike", Family::StringLike, true),
    ("NumericEquals", Family::NumericEquals, false),
    ("NumericNotEquals", Family::NumericEquals, true),
    ("NumericLessThan", Family::NumericLessThan, false),
    ("NumericLessThanEquals", Family::NumericLessThanEquals, false),
    ("NumericGreaterThan", Family::NumericGreaterThan, false),
    ("NumericGreaterThanEquals", Family::NumericGreaterThanEquals, false),
    ("DateEquals", Family::DateEquals, false),
    ("DateNotEquals", Family::DateEquals, true),
    ("DateLessThan", Family::DateLessThan, false),
    ("DateLessThanEquals", Family::DateLessThanEquals, false),
    ("DateGreaterThan", Family::DateGreaterThan, false),
    ("DateGreaterThanEquals", Family::DateGreaterThanEquals, false),
    ("Bool", Family::Bool, false),
    ("BinaryEquals", Family::BinaryEquals, false),
    ("IpAddress", Family::IpAddress, false),
    ("NotIpAddress", Family::IpAddress, true),
    ("ArnEquals", Family::ArnEquals, false),
    ("ArnNotEquals", Family::ArnEquals, true),
    ("ArnLike", Family::ArnLike, false),
    ("ArnNotLike", Family::ArnLike, true),
    ("Null", Family::Null, false),
];

impl Operator {
    /// Parses an operator name (case-insensitive); `None` when IAM has no such operator.
    pub fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = match name.split_once(':') {
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("ForAnyValue") => {
                (Some(SetOperator::ForAnyValue), rest)
            }
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case("ForAllValues") => {
                (Some(SetOperator::ForAllValues), rest)
            }
            Some(_) => return None,
            None => (None, name),
        };
        let (base, if_exists) = match rest.len().checked_sub("IfExists".len()) {
            Some(cut) if rest.is_char_boundary(cut) && rest[cut..].eq_ignore_ascii_case("IfExists") => {
                (&rest[..cut], true)
            }
            _ => (rest, false),
        };
        let &(_, family, negated) = FAMILIES.iter().find(|(known, _, _)| known.eq_ignore_ascii_case(base))?;
        if family == Family::Null && (if_exists || set.is_some()) {
            return None;
        }
        Some(Operator { family, negated, if_exists, set })
    }

    fn allows_variables(self) -> bool {
        matches!(
            self.family,
            Family::StringEquals
                | Family::StringEqualsIgnoreCase
                | Family::StringLike
                | Family::ArnEquals
                | Family::ArnLike
                | Family::Bool
        )
    }

    fn allows_wildcards(self) -> bool {
        matches!(self.family, Family::StringLike | Family::ArnEquals | Family::ArnLike)
    }
}

/// One key test of a Condition block: operator, key, policy values.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    operator: Operator,
    key_lower: String,
    values: Vec<Template>,
}

impl Condition {
    /// Builds a condition; `variables` is false for policies without Version 2012-10-17.
    pub fn new(operator: Operator, key: &str, values: &[String], variables: bool) -> Condition {
        let variables = variables && operator.allows_variables();
        let wildcards = operator.allows_wildcards();
        let values = values.iter().map(|value| Template::parse(value, wildcards, variables)).collect();
        Condition { operator, key_lower: key.to_ascii_lowercase(), values }
    }

    /// Evaluates the condition; keys whose unknown value decides are added to `unknown_keys`.
    pub fn evaluate(&self, context: &RequestContext, unknown_keys: &mut Vec<String>) -> Tri {
        let op = self.operator;
        let lookup = context.lookup_lower(&self.key_lower);
        if op.family == Family::Null {
            let present = match lookup {
                Lookup::Unknown => {
                    unknown_keys.push(self.key_lower.clone());
                    return Tri::Unknown;
                }
                Lookup::Missing => false,
                Lookup::Single(_) | Lookup::Multi(_) => true,
            };
            let wanted = if present { "false" } else { "true" };
            return Tri::from_bool(self.values.iter().any(|value| value.text().eq_ignore_ascii_case(wanted)));
        }
        match (lookup, op.set) {
            (Lookup::Unknown, _) => {
                unknown_keys.push(self.key_lower.clone());
                Tri::Unknown
            }
            (Lookup::Missing, _) if op.if_exists => Tri::Yes,
            (Lookup::Missing, Some(SetOperator::ForAllValues)) => Tri::Yes,
            (Lookup::Missing, Some(SetOperator::ForAnyValue)) => Tri::No,
            (Lookup::Missing, None) => Tri::from_bool(op.negated),
            (Lookup::Single(value), None) => self.test_value(value, context, unknown_keys),
            // A single-valued operator never matches a multivalued key (the
            // User Guide requires a set operator for those).
            (Lookup::Multi(_), None) => Tri::No,
            (Lookup::Single(value), Some(set)) => {
                self.test_set(set, std::slice::from_ref(&value), context, unknown_keys)
            }
            (Lookup::Multi(values), Some(set)) => {
                let values: Vec<&str> = values.iter().map(String::as_str).collect();
                self.test_set(set, &values, context, unknown_keys)
            }
        }
    }

    fn test_set(&self, set: SetOperator, values: &[&str], context: &RequestContext, unknown: &mut Vec<String>) -> Tri {
        let each = values.iter().map(|value| self.test_value(value, context, unknown));
        match set {
            SetOperator::ForAnyValue => Tri::any(each),
            SetOperator::ForAllValues => Tri::all(each),
        }
    }

    /// One request value against the policy values: a positive operator holds
    /// when any policy value matches, a negated one when none does. A policy
    /// value whose variable cannot be resolved (missing key, no default)
    /// never matches, and makes a negated operator fail: the IAM User Guide
    /// ("Policy variables", no value) has such a condition evaluate to false.
    fn test_value(&self, request_value: &str, context: &RequestContext, unknown: &mut Vec<String>) -> Tri {
        let mut any = Tri::No;
        for policy in &self.values {
            match self.pair(policy, request_value, context, unknown) {
                Some(tri) => any = any.or(tri),
                None if self.operator.negated => return Tri::No,
                None => {}
            }
        }
        if self.operator.negated { !any } else { any }
    }

    /// `None` when a policy variable in the value cannot be resolved.
    fn pair(
        &self,
        policy: &Template,
        request_value: &str,
        context: &RequestContext,
        unknown: &mut Vec<String>,
    ) -> Option<Tri> {
        let family = self.operator.family;
        if !self.operator.allows_variables() {
            return Some(Tri::from_bool(values::compare(family_kind(family), policy.text(), request_value)));
        }
        let resolved = match policy.resolve(context) {
            Ok(tokens) => tokens,
            Err(Unresolved::Missing) => return None,
            Err(Unresolved::Unknown(key)) => {
                unknown.push(key);
                return Some(Tri::Unknown);
            }
        };
        Some(Tri::from_bool(match family {
            Family::StringEqualsIgnoreCase => {
                values::compare(values::Comparison::IgnoreCase, &literal(&resolved), request_value)
            }
            Family::ArnEquals | Family::ArnLike => values::arn_matches(&resolved, request_value),
            Family::Bool => values::bool_equals(&literal(&resolved), request_value),
            _ => glob(&resolved, request_value, false),
        }))
    }
}

fn literal(tokens: &[Token<'_>]) -> String {
    tokens
        .iter()
        .map(|token| match token {
            Token::Literal(text) => *text,
            Token::AnyRun => "*",
            Token::AnyOne => "?",
        })
        .collect()
}

fn family_kind(family: Family) -> values::Comparison {
    use values::Comparison as C;
    match family {
        Family::StringEqualsIgnoreCase => C::IgnoreCase,
        Family::NumericEquals => C::Number(std::cmp::Ordering::is_eq),
        Family::NumericLessThan => C::Number(std::cmp::Ordering::is_lt),
        Family::NumericLessThanEquals => C::Number(std::cmp::Ordering::is_le),
        Family::NumericGreaterThan => C::Number(std::cmp::Ordering::is_gt),
        Family::NumericGreaterThanEquals => C::Number(std::cmp::Ordering::is_ge),
        Family::DateEquals => C::Date(std::cmp::Ordering::is_eq),
        Family::DateLessThan => C::Date(std::cmp::Ordering::is_lt),
        Family::DateLessThanEquals => C::Date(std::cmp::Ordering::is_le),
        Family::DateGreaterThan => C::Date(std::cmp::Ordering::is_gt),
        Family::DateGreaterThanEquals => C::Date(std::cmp::Ordering::is_ge),
        Family::BinaryEquals => C::Binary,
        Family::IpAddress => C::Ip,
        _ => C::Exact,
    }
}
