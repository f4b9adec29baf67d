//! Whether one statement applies to a request: its actions (wildcards,
//! case-insensitive), resources (ARNs part by part, case-sensitive, policy
//! variables resolved), principal (for resource-based policies and RCPs)
//! and conditions, each with its `Not...` form. Pure.

use super::context::{PrincipalKind, RequestContext, UNKNOWN_RESOURCE_KEY};
use super::document::{Effect, Listed, PrincipalEntry, Statement};
use super::pattern::{Template, Token, Unresolved, glob};
use super::tri::Tri;
use super::values::split_tokens;

/// How a resource-based policy's Principal names the caller. The evaluation
/// logic treats these differently (IAM User Guide, "Policy evaluation
/// logic" and "Permissions boundaries": a policy that names the role of a
/// session, or the account, does not grant past a boundary on its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PrincipalMatch {
    /// The account (`123456789012`, `arn:aws:iam::123456789012:root`): it
    /// delegates to the account's identity-based policies.
    Account,
    /// The identity under the session: the role of an assumed-role session,
    /// the IAM user of a federated-user session.
    Underlying,
    /// The caller itself: its exact ARN (user, session), or `*`.
    Direct,
}

/// Whether the statement applies, and for statements with a Principal, how it names the caller.
pub(crate) struct Applies {
    pub tri: Tri,
    pub principal: Option<PrincipalMatch>,
}

/// Checks a statement against the request; keys whose unknown value was
/// needed are added to `unknown_keys`. `boundary` says whether the caller
/// has a permissions boundary: a Deny with NotPrincipal then applies to it
/// whatever the NotPrincipal lists (IAM User Guide, "Permissions
/// boundaries for IAM entities").
pub(crate) fn statement_applies(
    statement: &Statement,
    context: &RequestContext,
    boundary: Tri,
    unknown_keys: &mut Vec<String>,
) -> Applies {
    let no = Applies { tri: Tri::No, principal: None };
    let mut tri = Tri::Yes;
    let principal = match &statement.principals {
        None => None,
        Some(listed) => match principal_match(listed, context) {
            Some(found) => Some(found),
            None if listed.negated && statement.effect == Effect::Deny && boundary != Tri::No => {
                tri = boundary;
                Some(PrincipalMatch::Direct)
            }
            None => return no,
        },
    };
    let action = listed_matches(&statement.actions, |pattern| {
        Tri::from_bool(pattern.is_any() || action_matches(pattern, context))
    });
    if action != Tri::Yes {
        return no;
    }
    tri = tri.and(match &statement.resources {
        None => Tri::Yes,
        Some(listed) => resources_match(listed, context, unknown_keys),
    });
    if tri == Tri::No {
        return no;
    }
    for condition in &statement.conditions {
        tri = tri.and(condition.evaluate(context, unknown_keys));
        if tri == Tri::No {
            return no;
        }
    }
    Applies { tri, principal }
}

fn listed_matches<T>(listed: &Listed<T>, mut test: impl FnMut(&T) -> Tri) -> Tri {
    let mut any = Tri::No;
    for item in &listed.items {
        any = any.or(test(item));
        if any == Tri::Yes {
            break;
        }
    }
    if listed.negated { !any } else { any }
}

fn action_matches(pattern: &Template, context: &RequestContext) -> bool {
    // Actions hold no variables: resolving only lists the pattern's tokens.
    pattern.resolve(context).is_ok_and(|tokens| glob(&tokens, context.action(), true))
}

/// Resource / NotResource: an entry whose policy variable cannot be resolved
/// matches nothing, and makes a NotResource fail as well when it could name
/// this resource (the element that uses an unresolvable variable does not
/// match: IAM User Guide, "Policy variables", variables without a value).
/// An entry that could not name it whatever the value (another service, say)
/// is simply another resource.
fn resources_match(listed: &Listed<Template>, context: &RequestContext, unknown_keys: &mut Vec<String>) -> Tri {
    let mut any = Tri::No;
    for pattern in &listed.items {
        match resource_matches(pattern, context, unknown_keys) {
            Some(tri) => any = any.or(tri),
            None if listed.negated => return Tri::No,
            None => {}
        }
    }
    if listed.negated { !any } else { any }
}

/// A Resource pattern against the request's resource (`None`: a variable
/// in it cannot be resolved): `*` matches all; anything else matches an
/// unknown resource perhaps (`Unknown`); an
/// ARN pattern matches an ARN part by part (a `*` does not cross the colons
/// between partition, service, region, account and resource); any other
/// pattern matches the whole string.
fn resource_matches(pattern: &Template, context: &RequestContext, unknown_keys: &mut Vec<String>) -> Option<Tri> {
    if pattern.is_any() {
        return Some(Tri::Yes);
    }
    if context.resource_is_unknown() {
        unknown_keys.push(UNKNOWN_RESOURCE_KEY.to_string());
        return Some(Tri::Unknown);
    }
    let tokens = match pattern.resolve(context) {
        Ok(tokens) => tokens,
        Err(Unresolved::Missing) => {
            let could =
                pattern.resolve_missing_as_any(context).is_ok_and(|t| tokens_match_resource(&t, context.resource()));
            return if could { None } else { Some(Tri::No) };
        }
        Err(Unresolved::Unknown(key)) => {
            unknown_keys.push(key);
            return Some(Tri::Unknown);
        }
    };
    Some(Tri::from_bool(tokens_match_resource(&tokens, context.resource())))
}

fn tokens_match_resource(tokens: &[Token<'_>], resource: &str) -> bool {
    let resource_parts: Vec<&str> = resource.splitn(6, ':').collect();
    let pattern_parts = split_tokens(tokens, 6);
    if resource_parts.len() == 6 && pattern_parts.len() == 6 {
        pattern_parts.iter().zip(&resource_parts).all(|(pattern, part)| glob(pattern, part, false))
    } else {
        glob(tokens, resource, false)
    }
}

fn principal_match(listed: &Listed<PrincipalEntry>, context: &RequestContext) -> Option<PrincipalMatch> {
    let best = listed.items.iter().filter_map(|entry| entry_match(entry, context)).max();
    match (listed.negated, best) {
        (false, found) => found,
        (true, None) => Some(PrincipalMatch::Direct),
        (true, Some(_)) => None,
    }
}

fn entry_match(entry: &PrincipalEntry, context: &RequestContext) -> Option<PrincipalMatch> {
    let caller = context.principal();
    match entry {
        PrincipalEntry::Anyone => Some(PrincipalMatch::Direct),
        PrincipalEntry::Other(name) => (*name == caller.arn).then_some(PrincipalMatch::Direct),
        PrincipalEntry::Aws(name) => {
            if *name == caller.arn {
                return Some(PrincipalMatch::Direct);
            }
            let account = caller.account.as_deref()?;
            let is_account = name.len() == 12 && name.bytes().all(|b| b.is_ascii_digit());
            if (is_account && name == account) || is_iam_arn(name, account, "root") {
                return Some(PrincipalMatch::Account);
            }
            let underlying = match &caller.kind {
                PrincipalKind::AssumedRole { role, .. } => iam_arn_name(name, account, "role/") == Some(role.as_str()),
                PrincipalKind::FederatedUser { name: user } => {
                    iam_arn_name(name, account, "user/") == Some(user.as_str())
                }
                _ => false,
            };
            underlying.then_some(PrincipalMatch::Underlying)
        }
    }
}

/// `arn:PARTITION:iam::ACCOUNT:RESOURCE` with exactly this resource.
fn is_iam_arn(arn: &str, account: &str, resource: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    matches!(parts.as_slice(), ["arn", _, "iam", "", a, r] if *a == account && *r == resource)
}

/// The last path segment of `arn:PARTITION:iam::ACCOUNT:KIND...` (roles and users carry paths).
fn iam_arn_name<'a>(arn: &'a str, account: &str, kind: &str) -> Option<&'a str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", a, resource] if *a == account => resource.strip_prefix(kind)?.rsplit('/').next(),
        _ => None,
    }
}
