//! The pure planner: the first wave of live checks from the facts alone,
//! then the follow-ups each finished check unlocks (a check waits only for
//! the results it needs). The runner executes what it returns.

use crate::aws::decode::AwsError;
use crate::aws::decode::{Meaning, parse_pasted};
use crate::aws::live::Failure;
use crate::aws::policies::IamPrincipal;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::run::actions;
use crate::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::hops::Status as HopStatus;
use crate::policy::{PrincipalKind, RequestPrincipal};
use crate::vocabulary::keyid::AccessKeyId;
use crate::vocabulary::regions::{self, GLOBAL_REGION};

/// How many other profiles may be asked about a rejected key (the first in
/// name order): the runner holds only their keys.
pub(crate) const OTHER_PROFILES_ASKED: usize = 3;

/// The IAM reads about the calling user: its keys (age, status) and MFA
/// devices. The key's last use follows the list only where it says something
/// (`last_use_read`).
fn user_reads() -> Vec<LiveCheck> {
    vec![LiveCheck::ListAccessKeys { who: Who::Active }, LiveCheck::ListMfaDevices { who: Who::Active }]
}

/// iam:GetAccessKeyLastUsed for the active long-term key, once the user's key
/// list shows it is due for rotation or has a sibling (a rotation under way):
/// then where it was last used tells what a rotation would break. For a
/// single fresh key it says nothing the identity check did not, and IAM's
/// request quota is the account's.
fn last_use_read(facts: &Facts, keys: &[KeyInfo]) -> Option<LiveCheck> {
    let key_id = facts.active_key_id().filter(|k| k.is_long_term())?;
    let key = keys.iter().find(|k| k.id == key_id.as_str())?;
    (key.due_for_rotation(facts.now) || keys.len() > 1)
        .then(|| LiveCheck::KeyLastUsed { who: Who::Active, key_id: key_id.as_str().to_string() })
}

/// Whether the user's IAM reads start with the identity check (a long-term
/// key is an IAM user's) rather than after it.
fn eager_user_reads(facts: &Facts) -> bool {
    facts.active_is_long_term_key() && !facts.options.reads_after_identity
}

/// Whether the run judges an action: an `--action`, or an access denial in
/// `--error`. Only then are policies read (a run without one costs nothing more).
pub fn judges_actions(facts: &Facts) -> bool {
    !facts.options.actions.is_empty()
        || facts.options.error.as_deref().is_some_and(|e| matches!(parse_pasted(e).meaning(), Meaning::Denied(_)))
}

/// The policy reads for the local evaluation: the identity's own (a user's,
/// or the role of a session) and the organisation's over its account.
fn policy_reads(identity: &Identity) -> Vec<LiveCheck> {
    let principal = match RequestPrincipal::parse(&identity.arn).kind {
        PrincipalKind::User { name } => Some(IamPrincipal::User(name)),
        PrincipalKind::AssumedRole { role, .. } | PrincipalKind::Role { name: role } => Some(IamPrincipal::Role(role)),
        _ => None,
    };
    let mut reads: Vec<LiveCheck> =
        principal.map(|principal| LiveCheck::IdentityPolicies { who: Who::Active, principal }).into_iter().collect();
    reads.push(LiveCheck::OrgPolicies { who: Who::Active, account: identity.account.clone() });
    reads
}

/// Whether the chain ended with a web identity token refused by the role's
/// trust, and the trust policy was not given as a file.
fn trust_unread(facts: &Facts, hops: &[crate::hops::Outcome]) -> bool {
    use crate::diagnose::input::options::PolicyLayer;
    hops.last().is_some_and(|h| h.cause == Some(crate::hops::Cause::WebIdentityTrustMismatch))
        && facts.options.policy_files_of(PolicyLayer::Trust).next().is_none()
}

/// iam:GetRole on the refused role, through whatever working keys the files
/// hold (the profile's own, then other profiles'): the trust policy to judge
/// the token's claims with.
fn trust_reads(facts: &Facts) -> Vec<LiveCheck> {
    let Some(role) = facts.hops.as_ref().and_then(|c| c.last()).and_then(|hop| match &hop.source {
        crate::hops::HopSource::WebIdentity(web) => {
            web.role_arn.split_once(":role/").map(|(_, r)| r.rsplit('/').next().unwrap_or(r).to_string())
        }
        _ => None,
    }) else {
        return Vec::new();
    };
    let mut who: Vec<Who> = Vec::new();
    if facts.signing_keys_env_shadowed().is_some() {
        who.push(Who::Other(super::check::ENV_KEYS.into()));
    }
    who.extend(facts.other_profiles_with_keys().take(OTHER_PROFILES_ASKED).map(|p| Who::Other(p.to_string())));
    who.into_iter().map(|who| LiveCheck::RoleTrust { who, role: role.clone() }).collect()
}

/// Whether a check is the active credentials' identity check signed for `region`.
fn is_active_in(check: &LiveCheck, region: &str) -> bool {
    matches!(check, LiveCheck::CallerIdentity { who: Who::Active, region: Some(r) } if r == region)
}

/// After the active static keys were refused in the user's region and in the
/// global region: one identity check in a region of each partition not tried
/// yet (China, GovCloud), to tell a key of another partition from a dead one.
fn partition_probes(facts: &Facts, done: &Outcomes) -> Vec<LiveCheck> {
    if facts.active_key_id().is_none() {
        return Vec::new();
    }
    let mut tried = vec![regions::partition_of(facts.signing_region().as_deref())];
    for outcome in done.all() {
        if let LiveCheck::CallerIdentity { who: Who::Active, region } = &outcome.check {
            tried.push(regions::partition_of(region.as_deref()));
        }
    }
    regions::PARTITION_PROBES
        .iter()
        .filter(|probe| !tried.contains(&regions::partition_of(Some(probe))))
        .map(|probe| LiveCheck::CallerIdentity { who: Who::Active, region: Some((*probe).to_string()) })
        .collect()
}

/// The first wave: what can run from the facts alone.
pub fn initial(facts: &Facts) -> Vec<LiveCheck> {
    let mut checks = Vec::new();
    let Some(winner) = facts.chain.winner() else {
        return checks;
    };
    if winner.kind.is_static() {
        checks.push(LiveCheck::CallerIdentity { who: Who::Active, region: facts.signing_region() });
        // A long-term key is an IAM user's, so its IAM reads (and the
        // account's alias) need not wait for the identity: one round trip.
        if eager_user_reads(facts) {
            checks.extend(user_reads());
            checks.push(LiveCheck::AccountAlias { who: Who::Active });
        }
    } else if facts.hops.is_some() {
        checks.push(LiveCheck::Chain);
    }
    if winner.kind == SourceKind::Env && facts.profile_keys().is_some() {
        checks.push(LiveCheck::CallerIdentity { who: Who::Profile, region: facts.signing_region() });
    }
    checks
}

/// Follow-ups unlocked by one finished check, given everything done before it.
pub fn followups(facts: &Facts, done: &Outcomes, finished: &Outcome) -> Vec<LiveCheck> {
    let mut next = Vec::new();
    match (&finished.check, &finished.call.result) {
        (LiveCheck::Chain, Ok(LiveValue::Chain(hops)))
            if hops.last().is_some_and(|h| h.status != HopStatus::Fail && h.credentials.is_some()) =>
        {
            next.push(LiveCheck::CallerIdentity { who: Who::Active, region: facts.signing_region() })
        }
        (LiveCheck::Chain, Ok(LiveValue::Chain(hops))) if trust_unread(facts, hops) => {
            next.extend(trust_reads(facts));
        }
        (LiveCheck::CallerIdentity { who: Who::Active, .. }, Ok(LiveValue::Identity(identity))) => {
            next.extend(after_identity(facts, done, identity));
        }
        (LiveCheck::CallerIdentity { who: Who::Active, .. }, Err(Failure::Unreachable(_)))
            if !done.has(|c| matches!(c, LiveCheck::ProbePath)) =>
        {
            next.push(LiveCheck::ProbePath);
        }
        (LiveCheck::Chain, Ok(LiveValue::Chain(hops)))
            if hops.iter().any(|h| h.cause == Some(crate::hops::Cause::EndpointUnreachable)) =>
        {
            next.push(LiveCheck::ProbePath);
        }
        (LiveCheck::CallerIdentity { who: Who::Active, region }, Err(Failure::Aws(error))) => {
            next.extend(after_refusal(facts, done, region.as_deref(), error));
        }
        (LiveCheck::CallerIdentity { who: Who::Other(profile), .. }, Ok(_)) => {
            let already = done.has(|c| matches!(c, LiveCheck::AccessKeyInfo { .. }));
            if let (false, Some(key_id)) = (already, facts.active_key_id()) {
                let who = Who::Other(profile.clone());
                next.push(LiveCheck::AccessKeyInfo { who: who.clone(), key_id: key_id.as_str().to_string() });
                next.push(LiveCheck::ListAccessKeys { who });
            }
        }
        (LiveCheck::ListAccessKeys { who: Who::Active }, Ok(LiveValue::AccessKeys(keys))) => {
            next.extend(last_use_read(facts, keys));
        }
        (LiveCheck::ListMfaDevices { who: Who::Active }, Ok(LiveValue::MfaDevices(devices))) => {
            if let (Some(code), None, Some(serial), false) =
                (&facts.options.mfa_code, facts.mfa_serial(), devices.first(), facts.chain_takes_mfa_code())
            {
                next.push(LiveCheck::SessionToken { serial: serial.clone(), code: code.clone() });
            }
        }
        // The simulator refused or is missing (an emulator answers it with an HTML page): list the policies instead.
        (LiveCheck::Simulate { who, .. }, Err(_)) => {
            let listed = done.has(|c| matches!(c, LiveCheck::ListPolicies { .. }));
            if let (false, Some(user)) = (listed, done.user_name()) {
                next.push(LiveCheck::ListPolicies { who: who.clone(), user: user.to_string() });
            }
        }
        _ => {}
    }
    next
}

/// What an accepted identity unlocks: the alias, the user's reads, the MFA
/// session, the pasted error's decoding, the policy reads and the actions.
fn after_identity(facts: &Facts, done: &Outcomes, identity: &Identity) -> Vec<LiveCheck> {
    let mut next = Vec::new();
    // The alias for the identity line (not in a scan: one read less per
    // profile; with a long-term key it went out with the identity check).
    if !facts.options.reads_after_identity
        && !eager_user_reads(facts)
        && !done.has(|c| matches!(c, LiveCheck::AccountAlias { .. }))
    {
        next.push(LiveCheck::AccountAlias { who: Who::Active });
    }
    if identity.user_name().is_some() && !eager_user_reads(facts) {
        next.extend(user_reads());
    }
    if let (Some(code), Some(serial), false) =
        (&facts.options.mfa_code, facts.mfa_serial(), facts.chain_takes_mfa_code())
    {
        next.push(LiveCheck::SessionToken { serial: serial.to_string(), code: code.clone() });
    }
    let encoded = facts.options.error.as_deref().map(parse_pasted).and_then(|e| match e.meaning() {
        Meaning::Denied(d) => d.encoded_message,
        _ => None,
    });
    if let Some(message) = encoded {
        next.push(LiveCheck::DecodeMessage { message });
    }
    if judges_actions(facts) {
        next.extend(policy_reads(identity));
    }
    for action in &facts.options.actions {
        next.push(match actions::known(action.as_str()) {
            Some(_) => LiveCheck::TryAction {
                who: Who::Active,
                action: action.clone(),
                user: identity.user_name().map(str::to_string),
            },
            None => LiveCheck::Simulate { who: Who::Active, arn: identity.arn.clone(), action: action.clone() },
        });
    }
    next
}

/// What a refusal of the active keys unlocks: the global region once, then
/// the other partitions; for a long-term key, the other profiles' view of it.
fn after_refusal(facts: &Facts, done: &Outcomes, region: Option<&str>, error: &AwsError) -> Vec<LiveCheck> {
    let mut next = Vec::new();
    let rejected = matches!(error.meaning(), Meaning::InvalidToken);
    let outside_global = region.is_some_and(|r| r != GLOBAL_REGION);
    if rejected && outside_global {
        // Once: a probe of another partition, refused too, retries nothing.
        if !done.has(|c| is_active_in(c, GLOBAL_REGION)) {
            next.push(LiveCheck::CallerIdentity { who: Who::Active, region: Some(GLOBAL_REGION.into()) });
        }
    } else if rejected {
        next.extend(partition_probes(facts, done));
    }
    if rejected
        && !outside_global
        && facts.active_key_id().is_some_and(AccessKeyId::is_long_term)
        && !facts.options.other_profiles_later
    {
        next.extend(
            facts.other_profiles_with_keys().take(OTHER_PROFILES_ASKED).map(|p| LiveCheck::CallerIdentity {
                who: Who::Other(p.to_string()),
                region: Some(GLOBAL_REGION.into()),
            }),
        );
    }
    next
}

#[cfg(test)]
mod tests;
