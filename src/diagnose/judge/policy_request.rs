//! The request a local decision is about, filled from what credwiz knows
//! and nothing more: every key it cannot know stays unknown (the decision
//! then says it depends on it), and the keys a person's direct call surely
//! lacks are missing.
//!
//! Known: the principal (`aws:PrincipalArn`, the role's ARN for a role
//! session; `aws:PrincipalAccount`, `aws:userid`, `aws:PrincipalType`,
//! `aws:username` for a user), its tags when read (`aws:PrincipalTag/*`),
//! the organisation when read (`aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`),
//! `aws:MultiFactorAuthPresent` / `Age` as far as the credentials tell
//! (long-term keys: missing; a session IAM accepts from a user: MFA
//! present; one it refuses: without MFA; a role assumed with a code just
//! now: present), `aws:RequestedRegion` (us-east-1 for global services),
//! `aws:CurrentTime` / `EpochTime`, `aws:SecureTransport` (true),
//! `aws:SourceIp` only when given, and the resource (given, named by the
//! error, or the caller itself for credwiz's own user-scoped reads, or `*`
//! for an action the catalogue says takes no resource). A service key the
//! catalogue does not list for the action is missing. Pure.

use crate::aws::policies::Fetched;
use crate::base::sanitize::shown;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::outcomes::Outcomes;
use crate::policy::{PrincipalKind, RequestContext, RequestPrincipal, catalogue};
use crate::vocabulary::keyid::AccessKeyId;

/// Services with one global endpoint: their requests name us-east-1 as
/// `aws:RequestedRegion` (IAM User Guide, "AWS global condition context keys").
const GLOBAL_SERVICES: &[&str] = &[
    "iam",
    "organizations",
    "route53",
    "cloudfront",
    "globalaccelerator",
    "waf",
    "shield",
    "budgets",
    "ce",
    "account",
];

/// The region global services' requests are made in.
const GLOBAL_SERVICE_REGION: &str = "us-east-1";

/// Keys a call made directly by a person or their tool does not carry
/// (they come with calls a service makes on someone's behalf, or from a browser).
const ABSENT_IN_DIRECT_CALLS: &[&str] = &[
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:SourceOwner",
    "aws:Referer",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
];

/// credwiz's own reads about the calling user: their resource is the user.
const USER_SCOPED_READS: &[&str] = &[
    "iam:GetUser",
    "iam:ListAccessKeys",
    "iam:ListMFADevices",
    "iam:ListAttachedUserPolicies",
    "iam:ListUserPolicies",
    "iam:ListGroupsForUser",
];

/// credwiz's own reads that act on no resource (`*`).
const RESOURCELESS_READS: &[&str] = &[
    "sts:GetCallerIdentity",
    "iam:ListUsers",
    "iam:ListRoles",
    "iam:ListGroups",
    "iam:ListPolicies",
    "iam:ListAccountAliases",
    "iam:GetAccountSummary",
];

/// Where the action's resource comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceSource<'a> {
    /// `--resource` (or the wizard's field).
    Given(&'a str),
    /// The denial in the pasted error names it.
    FromError(&'a str),
    /// Not said: credwiz knows it for its own reads, else it is unknown.
    Unsaid,
}

/// What credwiz knows of the credentials' MFA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mfa {
    /// Long-term keys: the keys are missing.
    LongTerm,
    /// A session made with MFA (the age when known).
    Present(Option<u64>),
    /// A session made without MFA.
    Without,
    /// Cannot be told.
    Unknown,
}

fn mfa(facts: &Facts, outcomes: &Outcomes, principal: &PrincipalKind) -> (Mfa, &'static str) {
    if facts.active_is_long_term_key() {
        return (Mfa::LongTerm, "absent (long-term keys carry no MFA)");
    }
    if facts.chain_takes_mfa_code() && outcomes.chain_credentials().is_some() {
        return (Mfa::Present(Some(0)), "present (the role was just assumed with an MFA code)");
    }
    let user_session =
        matches!(principal, PrincipalKind::User { .. }) && facts.active_key_id().is_some_and(AccessKeyId::is_temporary);
    match (user_session, outcomes.iam_accepted_active(), outcomes.iam_refused_active_token()) {
        (true, true, _) => {
            (Mfa::Present(None), "present (IAM accepts these session credentials, which it does only with MFA)")
        }
        (true, _, true) => (Mfa::Without, "false (IAM refuses these session credentials: made without MFA)"),
        _ => (Mfa::Unknown, "unknown (whether these session credentials were made with MFA cannot be told)"),
    }
}

/// The request's region: us-east-1 for global services, else the user's.
fn requested_region(facts: &Facts, service: &str) -> Option<(String, &'static str)> {
    if GLOBAL_SERVICES.contains(&service) {
        return Some((GLOBAL_SERVICE_REGION.into(), " (a global service)"));
    }
    facts.signing_region().map(|r| (r, ""))
}

/// The request's resource and how it is known: given, named by the error,
/// derived from the action (credwiz's own reads, resourceless actions), or unknown.
fn request_resource(
    principal: &RequestPrincipal,
    principal_arn: &str,
    action: &str,
    resource: ResourceSource<'_>,
) -> (Option<String>, &'static str) {
    let known = catalogue::action(action);
    let derived = match principal.kind {
        PrincipalKind::User { .. } if USER_SCOPED_READS.iter().any(|a| a.eq_ignore_ascii_case(action)) => {
            Some((principal_arn.to_string(), "what credwiz's read acts on"))
        }
        _ if RESOURCELESS_READS.iter().any(|a| a.eq_ignore_ascii_case(action)) => {
            Some(("*".to_string(), "what credwiz's read acts on"))
        }
        _ if known.is_some_and(|k| !k.takes_resource()) => Some(("*".to_string(), "the action takes no resource")),
        _ => None,
    };
    match (resource, derived) {
        (ResourceSource::Given(arn), _) => (Some(arn.to_string()), "as given"),
        (ResourceSource::FromError(arn), _) => (Some(arn.to_string()), "named by the error"),
        (ResourceSource::Unsaid, Some((arn, said))) => (Some(arn), said),
        (ResourceSource::Unsaid, None) => (None, "unknown: give the resource's ARN"),
    }
}

/// The keys every direct call carries or lacks, and the principal's type and id.
fn with_call_and_principal(
    mut context: RequestContext,
    outcomes: &Outcomes,
    principal: &RequestPrincipal,
    principal_arn: &str,
) -> RequestContext {
    context = context.with_bool("aws:ViaAWSService", false).with_bool("aws:PrincipalIsAWSService", false);
    for key in ABSENT_IN_DIRECT_CALLS {
        context = context.without(key);
    }
    let principal_type = match &principal.kind {
        PrincipalKind::User { .. } => "User",
        PrincipalKind::AssumedRole { .. } | PrincipalKind::Role { .. } => "AssumedRole",
        PrincipalKind::FederatedUser { .. } => "FederatedUser",
        PrincipalKind::Root => "Account",
        PrincipalKind::Other => "",
    };
    if !principal_type.is_empty() {
        context = context.with_string("aws:PrincipalType", principal_type);
    }
    if let Some(caller) = outcomes.caller().filter(|c| c.arn == principal_arn) {
        context = context.with_string("aws:userid", &caller.user_id);
    }
    match &principal.kind {
        PrincipalKind::User { .. } => context.without("aws:SourceIdentity").without("aws:FederatedProvider"),
        PrincipalKind::AssumedRole { role, .. } => {
            let read = outcomes.identity_policies().and_then(|p| p.role_arn.clone());
            let account = principal.account.as_deref().unwrap_or_default();
            let partition = principal_arn.split(':').nth(1).unwrap_or("aws");
            let role_arn = read.unwrap_or_else(|| format!("arn:{partition}:iam::{account}:role/{role}"));
            context.with_string("aws:PrincipalArn", &role_arn).without("aws:username")
        }
        _ => context.without("aws:username"),
    }
}

/// The principal's tags and organization, when they were read.
fn with_tags_and_organization(mut context: RequestContext, outcomes: &Outcomes) -> RequestContext {
    if let Some(Fetched::Known(tags)) = outcomes.identity_policies().map(|p| &p.tags) {
        context = context.without_prefix("aws:PrincipalTag/");
        for (key, value) in tags {
            context = context.with_principal_tag(key, value);
        }
    }
    match outcomes.org_policies().map(|o| (&o.organization, &o.org_path)) {
        Some((Fetched::Known(id), path)) => {
            context = context.with_string("aws:PrincipalOrgID", id);
            if let Some(path) = path {
                context = context.with_strings("aws:PrincipalOrgPaths", &[path]);
            }
            context
        }
        Some((Fetched::Absent(_), _)) => context.without("aws:PrincipalOrgID").without("aws:PrincipalOrgPaths"),
        _ => context,
    }
}

/// The MFA keys as the credentials carry them.
fn with_mfa_keys(context: RequestContext, mfa: Mfa) -> RequestContext {
    match mfa {
        Mfa::LongTerm => context
            .without("aws:MultiFactorAuthPresent")
            .without("aws:MultiFactorAuthAge")
            .without("aws:TokenIssueTime"),
        Mfa::Present(Some(age)) => context.with_mfa(true, Some(age)),
        Mfa::Present(None) => {
            context.with_bool("aws:MultiFactorAuthPresent", true).with_unknown("aws:MultiFactorAuthAge")
        }
        Mfa::Without => context.with_mfa(false, None),
        Mfa::Unknown => context,
    }
}

/// The request for `action` by `principal_arn`, and a line saying what it holds.
pub fn build(
    facts: &Facts,
    outcomes: &Outcomes,
    principal_arn: &str,
    action: &str,
    resource: ResourceSource<'_>,
) -> (RequestContext, String) {
    let principal = RequestPrincipal::parse(principal_arn);
    let service = action.split_once(':').map_or(action, |(s, _)| s).to_ascii_lowercase();
    let (resource_arn, resource_said) = request_resource(&principal, principal_arn, action, resource);
    let mut context = RequestContext::new(principal_arn, action, resource_arn.as_deref().unwrap_or("*"));
    if resource_arn.is_none() {
        context = context.with_unknown_resource();
    }
    if let Some(known) = catalogue::action(action) {
        context = context.with_service_keys(&known.condition_keys());
    }
    context = context.unset_keys_unknown().with_secure_transport(true).with_current_time(facts.now);
    context = with_call_and_principal(context, outcomes, &principal, principal_arn);
    context = with_tags_and_organization(context, outcomes);
    let (mfa, mfa_said) = mfa(facts, outcomes, &principal.kind);
    context = with_mfa_keys(context, mfa);
    let region = requested_region(facts, &service);
    if let Some((region, _)) = &region {
        context = context.with_region(region);
    }
    if let Some(ip) = facts.options.source_ip {
        context = context.with_source_ip(ip);
    }
    let line = format!(
        "request: {} by {} on {} ({resource_said}); region {}; MFA {mfa_said}; source IP {}",
        shown(action, 80),
        shown(principal_arn, 120),
        resource_arn.as_deref().map_or_else(|| "an unknown resource".to_string(), |r| shown(r, 200)),
        region.map_or_else(|| "unknown".to_string(), |(r, why)| format!("{r}{why}")),
        facts.options.source_ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string()),
    );
    (context, line)
}
