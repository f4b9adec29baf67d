//! A role's trust policy judged against a web identity token, locally and
//! without verifying the token: the evaluator decides whether the token's
//! provider may call `sts:AssumeRoleWithWebIdentity` on the role, and each
//! statement that trusts a web identity is explained condition by condition
//! (the condition as written, the token's value for its key, pass or fail),
//! so that the failing condition and the value that would pass can be named.
//! The corrected document (the failing `sub` / `aud` condition widened to
//! the token's value, or a statement for the provider when none names it)
//! is built for the user to paste; nothing is written. Pure.

use super::condition::{Condition, Operator};
use super::context::{ContextValue, RequestContext};
use super::document::Policy;
use super::evaluate::{Layer, PolicySet, evaluate};
use super::tri::Tri;
use serde_json::Value;

mod correct;

/// The action a web identity token is traded with.
pub const WEB_IDENTITY_ACTION: &str = "sts:AssumeRoleWithWebIdentity";

/// The claims a trust condition can see (decoded, not verified).
#[derive(Debug, Clone, Copy)]
pub struct TokenClaims<'a> {
    /// `iss`, as in the token (`https://token.actions.githubusercontent.com`).
    pub issuer: &'a str,
    pub subject: Option<&'a str>,
    pub audiences: &'a [String],
}

impl TokenClaims<'_> {
    /// The issuer as IAM names it: without `https://` and a final `/`.
    pub fn provider_host(&self) -> String {
        provider_host(self.issuer)
    }
}

/// The issuer as IAM names it in provider ARNs and condition keys.
pub fn provider_host(issuer: &str) -> String {
    let bare = issuer.trim();
    let bare = bare.strip_prefix("https://").or_else(|| bare.strip_prefix("http://")).unwrap_or(bare);
    bare.trim_end_matches('/').to_string()
}

/// The provider ARN of an issuer in the role's partition and account.
pub fn provider_arn(role_arn: &str, issuer: &str) -> String {
    let parts: Vec<&str> = role_arn.splitn(6, ':').collect();
    let (partition, account) = match parts.as_slice() {
        ["arn", partition, _, _, account, _] => (*partition, *account),
        _ => ("aws", ""),
    };
    format!("arn:{partition}:iam::{account}:oidc-provider/{}", provider_host(issuer))
}

/// One condition as written, and how the token fares against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionCheck {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
    /// `Yes` passes; `No` fails; `Unknown` for an operator IAM does not have.
    pub result: Tri,
    /// The token's value for the key, when the token gives one (audiences joined with ", ").
    pub claim: Option<String>,
}

impl ConditionCheck {
    /// `StringLike token.actions.githubusercontent.com:sub = repo:o/r:*`
    pub fn written(&self) -> String {
        let values = match self.values.as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(", ")),
        };
        format!("{} {} = {values}", self.operator, self.key)
    }

    /// Whether the condition's key is the token's `sub` or `aud`.
    fn claim_name(&self) -> Option<&'static str> {
        let lower = self.key.to_ascii_lowercase();
        if lower.ends_with(":sub") {
            Some("sub")
        } else if lower.ends_with(":aud") {
            Some("aud")
        } else {
            None
        }
    }
}

/// One statement that trusts a web identity (a `Federated` principal, or the action).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementCheck {
    /// The statement's Sid, else `#N` (1-based).
    pub label: String,
    /// 0-based position in the document's statement list.
    pub position: usize,
    pub allow: bool,
    /// The `Federated` principals it names.
    pub providers: Vec<String>,
    pub names_provider: bool,
    pub allows_action: bool,
    pub conditions: Vec<ConditionCheck>,
}

impl StatementCheck {
    /// Whether every condition passes.
    pub fn conditions_pass(&self) -> bool {
        self.conditions.iter().all(|c| c.result == Tri::Yes)
    }

    /// The conditions that fail.
    pub fn failing(&self) -> impl Iterator<Item = &ConditionCheck> {
        self.conditions.iter().filter(|c| c.result != Tri::Yes)
    }
}

/// The judgement of a trust policy on one token.
#[derive(Debug, Clone)]
pub struct TrustJudgement {
    pub provider_arn: String,
    /// The evaluator's answer (the trust as the role's resource-based policy).
    pub accepted: bool,
    /// The evaluator's sentence (`allowed by ...`, `denied: no statement allows it ...`).
    pub decision: String,
    pub statements: Vec<StatementCheck>,
}

impl TrustJudgement {
    /// The statement the explanation is about: the best candidate for this
    /// token (names the provider and the action, fewest failing conditions).
    pub fn closest(&self) -> Option<&StatementCheck> {
        self.statements
            .iter()
            .filter(|s| s.allow)
            .min_by_key(|s| (!s.names_provider, !s.allows_action, s.failing().count(), s.position))
    }

    /// Evidence lines: each condition of the closest statement beside the
    /// token's value, then what fails and the value that would pass.
    pub fn lines(&self, claims: &TokenClaims<'_>) -> Vec<String> {
        let verdict = if self.accepted { self.decision.clone() } else { "no statement accepts this token".into() };
        let mut lines = vec![format!("trust policy (judged locally): {verdict}")];
        let Some(statement) = self.closest() else {
            lines.push(format!(
                "no Allow statement trusts a web identity: the role needs a statement with Principal {{\"Federated\": \"{}\"}} and Action {WEB_IDENTITY_ACTION}",
                self.provider_arn
            ));
            return lines;
        };
        if !statement.names_provider {
            lines.push(format!(
                "statement {} trusts {}, not the token's provider {}",
                statement.label,
                if statement.providers.is_empty() {
                    "no Federated principal".into()
                } else {
                    statement.providers.join(", ")
                },
                self.provider_arn
            ));
        }
        if !statement.allows_action {
            lines.push(format!("statement {} does not allow {WEB_IDENTITY_ACTION}", statement.label));
        }
        for condition in &statement.conditions {
            let mark = match condition.result {
                Tri::Yes => "pass",
                Tri::No => "FAIL",
                Tri::Unknown => "?",
            };
            let claim = condition
                .claim
                .clone()
                .unwrap_or_else(|| "(not in the token: AWS passes only sub, aud and amr as condition keys)".into());
            lines.push(format!("  [{mark}] {}   | token: {claim}", condition.written()));
        }
        for failing in statement.failing() {
            match (failing.claim_name(), &failing.claim) {
                (Some("sub"), _) if claims.subject.is_some() => lines.push(format!(
                    "the condition on {} fails: the value that would pass is {} (the token's sub, exactly, case included)",
                    failing.key,
                    claims.subject.unwrap_or_default()
                )),
                (Some("aud"), Some(aud)) => lines.push(format!(
                    "the condition on {} fails: the value that would pass is {aud} (the token's aud)",
                    failing.key
                )),
                _ => {}
            }
        }
        lines
    }
}

/// A string or a list of strings (other values are skipped).
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(list) => list.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        Value::Bool(b) => vec![b.to_string()],
        Value::Number(n) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// The request AWS judges: the provider asks for the action on the role,
/// with the token's `sub` and `aud` as `<host>:sub` / `<host>:aud`.
fn request(role_arn: &str, provider: &str, claims: &TokenClaims<'_>) -> RequestContext {
    let host = claims.provider_host();
    let mut context = RequestContext::new(provider, WEB_IDENTITY_ACTION, role_arn);
    if let Some(sub) = claims.subject {
        context = context.with_string(&format!("{host}:sub"), sub);
    }
    context = match claims.audiences {
        [] => context,
        [one] => context.with_string(&format!("{host}:aud"), one),
        many => context.with(&format!("{host}:aud"), ContextValue::Multi(many.to_vec())),
    };
    context
}

/// The token's value for a condition key (`<host>:sub`, `<host>:aud`).
fn claim_for(key: &str, host: &str, claims: &TokenClaims<'_>) -> Option<String> {
    let (prefix, name) = key.rsplit_once(':')?;
    if !prefix.eq_ignore_ascii_case(host) {
        return None;
    }
    match name.to_ascii_lowercase().as_str() {
        "sub" => claims.subject.map(str::to_string),
        "aud" if !claims.audiences.is_empty() => Some(claims.audiences.join(", ")),
        _ => None,
    }
}

fn check_statement(
    position: usize,
    value: &Value,
    version: bool,
    context: &RequestContext,
    provider: &str,
    claims: &TokenClaims<'_>,
) -> Option<StatementCheck> {
    let fields = value.as_object()?;
    let providers = fields.get("Principal").and_then(|p| p.get("Federated")).map(strings).unwrap_or_default();
    let actions = fields.get("Action").map(strings).unwrap_or_default();
    let allows_action = actions.iter().any(|a| action_matches(a, WEB_IDENTITY_ACTION));
    if providers.is_empty() && !allows_action {
        return None;
    }
    let host = claims.provider_host();
    let mut conditions = Vec::new();
    if let Some(Value::Object(block)) = fields.get("Condition") {
        for (operator, keys) in block {
            let Value::Object(keys) = keys else { continue };
            for (key, values) in keys {
                let values = strings(values);
                let result = match Operator::parse(operator) {
                    Some(op) => Condition::new(op, key, &values, version).evaluate(context, &mut Vec::new()),
                    None => Tri::Unknown,
                };
                conditions.push(ConditionCheck {
                    operator: operator.clone(),
                    key: key.clone(),
                    values,
                    result,
                    claim: claim_for(key, &host, claims),
                });
            }
        }
    }
    let label = fields
        .get("Sid")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("#{}", position + 1), str::to_string);
    Some(StatementCheck {
        label,
        position,
        allow: fields.get("Effect").and_then(Value::as_str) == Some("Allow"),
        names_provider: providers.iter().any(|p| p == provider),
        providers,
        allows_action,
        conditions,
    })
}

/// `sts:AssumeRole*` against an action (case-insensitive, `*` and `?`).
fn action_matches(pattern: &str, action: &str) -> bool {
    fn glob(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
            (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => glob(&p[1..], &s[1..]),
            _ => false,
        }
    }
    glob(pattern.as_bytes(), action.as_bytes())
}

/// Judges `trust_text` (the role's trust policy) on the token.
pub fn judge(trust_text: &str, role_arn: &str, claims: &TokenClaims<'_>) -> Result<TrustJudgement, String> {
    let policy = Policy::parse("trust policy", trust_text).map_err(|e| e.to_string())?;
    let provider = provider_arn(role_arn, claims.issuer);
    let context = request(role_arn, &provider, claims);
    let mut set = PolicySet::new();
    set.resource = Layer::Known(vec![policy]);
    let decision = evaluate(&set, &context);
    let document: Value = serde_json::from_str(trust_text).map_err(|e| e.to_string())?;
    let version = document.get("Version").and_then(Value::as_str) == Some("2012-10-17");
    let list = match document.get("Statement") {
        Some(Value::Array(list)) => list.iter().collect::<Vec<_>>(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let statements = list
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| check_statement(i, s, version, &context, &provider, claims))
        .collect();
    Ok(TrustJudgement {
        provider_arn: provider,
        accepted: decision.is_allowed(),
        decision: decision.to_string(),
        statements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLE: &str = "arn:aws:iam::123456789012:role/gha-deploy";
    const GITHUB: &str = "https://token.actions.githubusercontent.com";

    fn trust(conditions: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{conditions}}}]}}"#
        )
    }

    #[test]
    fn an_environment_job_fails_a_branch_condition_and_the_fix_adds_its_subject() {
        let aud = vec!["sts.amazonaws.com".to_string()];
        let claims =
            TokenClaims { issuer: GITHUB, subject: Some("repo:octo-org/octo-repo:environment:prod"), audiences: &aud };
        let text = trust(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:octo-org/octo-repo:ref:refs/heads/main"}}"#,
        );
        let judged = judge(&text, ROLE, &claims).expect("judged");
        assert!(!judged.accepted, "{}", judged.decision);
        let lines = judged.lines(&claims).join("\n");
        assert!(lines.contains("[FAIL] StringLike token.actions.githubusercontent.com:sub = repo:octo-org/octo-repo:ref:refs/heads/main"), "{lines}");
        assert!(lines.contains("token: repo:octo-org/octo-repo:environment:prod"), "{lines}");
        assert!(lines.contains("[pass] StringEquals token.actions.githubusercontent.com:aud"), "{lines}");
        let fixed = judged.corrected(&text, &claims).expect("corrected");
        let again = judge(&fixed, ROLE, &claims).expect("judged");
        assert!(again.accepted, "{fixed}\n{}", again.decision);
    }

    #[test]
    fn a_matching_token_is_accepted_and_case_counts() {
        let aud = vec!["sts.amazonaws.com".to_string()];
        let text = trust(r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:Acme/api:*"}}"#);
        let upper = TokenClaims { issuer: GITHUB, subject: Some("repo:Acme/api:ref:refs/heads/main"), audiences: &aud };
        assert!(judge(&text, ROLE, &upper).expect("judged").accepted);
        let lower = TokenClaims { issuer: GITHUB, subject: Some("repo:acme/api:ref:refs/heads/main"), audiences: &aud };
        assert!(!judge(&text, ROLE, &lower).expect("judged").accepted);
    }

    #[test]
    fn a_trust_for_another_provider_gets_a_statement_for_this_one() {
        let aud = vec!["sts.amazonaws.com".to_string()];
        let claims = TokenClaims {
            issuer: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
            subject: Some("system:serviceaccount:default:app"),
            audiences: &aud,
        };
        let text = trust("{}");
        let judged = judge(&text, ROLE, &claims).expect("judged");
        assert!(!judged.accepted);
        assert!(judged.lines(&claims).join("\n").contains(
            "not the token's provider arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
        ));
        let fixed = judged.corrected(&text, &claims).expect("corrected");
        assert!(judge(&fixed, ROLE, &claims).expect("judged").accepted, "{fixed}");
    }
}
