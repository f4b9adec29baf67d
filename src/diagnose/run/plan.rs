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
use crate::diagnose::run::check::{Identity, LiveCheck, LiveValue, Outcome, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::hops::Status as HopStatus;
use crate::policy::{PrincipalKind, RequestPrincipal};
use crate::vocabulary::keyid::AccessKeyId;
use crate::vocabulary::regions::{self, GLOBAL_REGION};

/// How many other profiles may be asked about a rejected key.
const OTHER_PROFILES_ASKED: usize = 3;

/// The IAM reads about the calling user: its keys (age, status, last use) and MFA devices.
fn user_reads(key_id: Option<&AccessKeyId>) -> Vec<LiveCheck> {
    let mut reads =
        vec![LiveCheck::ListAccessKeys { who: Who::Active }, LiveCheck::ListMfaDevices { who: Who::Active }];
    if let Some(key_id) = key_id.filter(|k| k.is_long_term()) {
        reads.push(LiveCheck::KeyLastUsed { who: Who::Active, key_id: key_id.as_str().to_string() });
    }
    reads
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
    who.extend(facts.other_profiles_with_keys().into_iter().take(OTHER_PROFILES_ASKED).map(Who::Other));
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
        // A long-term key is an IAM user's, so its IAM reads need not wait for the identity.
        if eager_user_reads(facts) {
            checks.extend(user_reads(facts.active_key_id()));
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
    // The alias for the identity line (not in a scan: one read less per profile).
    if !facts.options.reads_after_identity && !done.has(|c| matches!(c, LiveCheck::AccountAlias { .. })) {
        next.push(LiveCheck::AccountAlias { who: Who::Active });
    }
    if identity.user_name().is_some() && !eager_user_reads(facts) {
        next.extend(user_reads(facts.active_key_id()));
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
            facts
                .other_profiles_with_keys()
                .into_iter()
                .take(OTHER_PROFILES_ASKED)
                .map(|p| LiveCheck::CallerIdentity { who: Who::Other(p), region: Some(GLOBAL_REGION.into()) }),
        );
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::decode::AwsError;
    use crate::aws::live::Call;
    use crate::base::environment::Environment;
    use crate::diagnose::input::gather::{Gathered, SideFiles};
    use crate::diagnose::input::options::{ActionName, MfaCode, Options};
    use crate::diagnose::run::check::Identity;
    use crate::profile::ProfileFiles;

    const KEYS: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n[admin]\naws_access_key_id = AKIAADMINADMINADMIN1\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";

    fn facts(config: &str, credentials: &str, options: Options) -> Facts {
        let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], None);
        let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
        Facts::new(Gathered { env, files, side: SideFiles::default() }, None, options, chrono::Utc::now())
    }

    fn finished(check: LiveCheck, result: Result<LiveValue, Failure>) -> Outcome {
        Outcome { check, call: Call { result, ..Call::failed(Failure::Other(String::new())) } }
    }

    fn alice() -> Result<LiveValue, Failure> {
        Ok(LiveValue::Identity(Identity {
            account: "123456789012".into(),
            arn: "arn:aws:iam::123456789012:user/alice".into(),
            user_id: "AIDA".into(),
            account_alias: None,
        }))
    }

    fn rejected() -> Result<LiveValue, Failure> {
        Err(Failure::Aws(AwsError { code: Some("InvalidClientTokenId".into()), ..AwsError::default() }))
    }

    #[test]
    fn a_long_term_key_starts_its_iam_reads_with_the_identity() {
        let wave = initial(&facts("[default]\nregion = eu-west-1\n", KEYS, Options::default()));
        assert_eq!(wave[0], LiveCheck::CallerIdentity { who: Who::Active, region: Some("eu-west-1".into()) });
        assert!(wave.contains(&LiveCheck::ListAccessKeys { who: Who::Active }));
        assert!(wave.contains(&LiveCheck::ListMfaDevices { who: Who::Active }));
        assert!(wave.iter().any(|c| matches!(c, LiveCheck::KeyLastUsed { .. })));
    }

    #[test]
    fn a_scan_asks_about_the_user_only_once_aws_accepted_the_key() {
        let options = Options { reads_after_identity: true, ..Options::default() };
        let f = facts("[default]\nregion = us-east-1\n", KEYS, options);
        let wave = initial(&f);
        assert_eq!(wave, vec![LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) }]);
        let refused = finished(wave[0].clone(), rejected());
        assert!(
            !followups(&f, &Outcomes::new(), &refused).iter().any(|c| matches!(c, LiveCheck::ListMfaDevices { .. }))
        );
        let next = followups(&f, &Outcomes::new(), &finished(wave[0].clone(), alice()));
        assert!(next.contains(&LiveCheck::ListAccessKeys { who: Who::Active }), "{next:?}");
        assert!(next.contains(&LiveCheck::ListMfaDevices { who: Who::Active }), "{next:?}");
        assert!(next.iter().any(|c| matches!(c, LiveCheck::KeyLastUsed { .. })), "{next:?}");
    }

    #[test]
    fn nothing_runs_without_credentials_and_a_role_asks_its_provider_first() {
        assert!(initial(&facts("", "", Options::default())).is_empty());
        let role = "[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = admin\n";
        assert_eq!(initial(&facts(role, KEYS, Options::default())), vec![LiveCheck::Chain]);
    }

    #[test]
    fn a_rejection_outside_the_global_region_retries_there_then_asks_other_profiles() {
        let f = facts("[default]\nregion = ap-east-1\n", KEYS, Options::default());
        let first =
            finished(LiveCheck::CallerIdentity { who: Who::Active, region: Some("ap-east-1".into()) }, rejected());
        let next = followups(&f, &Outcomes::new(), &first);
        assert_eq!(next, vec![LiveCheck::CallerIdentity { who: Who::Active, region: Some(GLOBAL_REGION.into()) }]);
        let global =
            finished(LiveCheck::CallerIdentity { who: Who::Active, region: Some(GLOBAL_REGION.into()) }, rejected());
        let next = followups(&f, &Outcomes::from(vec![first]), &global);
        let probe = |r: &str| LiveCheck::CallerIdentity { who: Who::Active, region: Some(r.into()) };
        let admin = LiveCheck::CallerIdentity { who: Who::Other("admin".into()), region: Some(GLOBAL_REGION.into()) };
        assert_eq!(next, vec![probe("cn-north-1"), probe("us-gov-west-1"), admin.clone()]);
        let admin = finished(admin, alice());
        let next = followups(&f, &Outcomes::new(), &admin);
        assert!(next.iter().any(|c| matches!(c, LiveCheck::AccessKeyInfo { who: Who::Other(p), .. } if p == "admin")));
    }

    #[test]
    fn a_key_refused_in_its_partition_and_the_global_region_is_tried_once_in_each_other_partition() {
        let f = facts("[default]\nregion = cn-north-1\n", KEYS, Options::default());
        let at = |r: &str| LiveCheck::CallerIdentity { who: Who::Active, region: Some(r.into()) };
        let first = finished(at("cn-north-1"), rejected());
        assert_eq!(followups(&f, &Outcomes::new(), &first), vec![at(GLOBAL_REGION)]);
        let global = finished(at(GLOBAL_REGION), rejected());
        let done = Outcomes::from(vec![first.clone()]);
        let next = followups(&f, &done, &global);
        assert_eq!(
            next.iter().filter(|c| c.signer() == Some(&Who::Active)).collect::<Vec<_>>(),
            [&at("us-gov-west-1")]
        );
        // The probe refused too: nothing more (no second retry in the global region).
        let gov = finished(at("us-gov-west-1"), rejected());
        assert!(followups(&f, &Outcomes::from(vec![first, global]), &gov).is_empty());
    }

    #[test]
    fn the_identity_unlocks_the_mfa_session_and_the_actions() {
        let options = Options {
            mfa_code: MfaCode::parse("123456").ok(),
            actions: ActionName::parse_list("iam:ListUsers, s3:ListBucket").unwrap_or_default(),
            ..Options::default()
        };
        let f = facts("[default]\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n", KEYS, options);
        let identity = finished(LiveCheck::CallerIdentity { who: Who::Active, region: None }, alice());
        let next = followups(&f, &Outcomes::new(), &identity);
        assert!(
            next.iter().any(|c| matches!(c, LiveCheck::SessionToken { serial, .. } if serial.ends_with(":mfa/alice")))
        );
        assert!(next.iter().any(|c| matches!(c, LiveCheck::TryAction { action, user: Some(u), .. } if action.is("iam:ListUsers") && u == "alice")));
        assert!(next.iter().any(|c| matches!(c, LiveCheck::Simulate { action, .. } if action.is("s3:ListBucket"))));
        assert!(
            !next.iter().any(|c| matches!(c, LiveCheck::ListAccessKeys { .. })),
            "started with the identity already"
        );
        assert!(next.contains(&LiveCheck::IdentityPolicies {
            who: Who::Active,
            principal: IamPrincipal::User("alice".into())
        }));
        assert!(next.contains(&LiveCheck::OrgPolicies { who: Who::Active, account: "123456789012".into() }));
    }

    #[test]
    fn policies_are_read_only_when_an_action_is_judged() {
        let identity = finished(LiveCheck::CallerIdentity { who: Who::Active, region: None }, alice());
        let reads = |options: Options| {
            followups(&facts("", KEYS, options), &Outcomes::new(), &identity)
                .into_iter()
                .filter(|c| matches!(c, LiveCheck::IdentityPolicies { .. } | LiveCheck::OrgPolicies { .. }))
                .count()
        };
        assert_eq!(reads(Options::default()), 0, "a healthy run without actions reads no policy");
        let denial = "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: s3:GetObject";
        assert_eq!(reads(Options { error: Some(denial.into()), ..Options::default() }), 2);
        let expired = "An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: expired";
        assert_eq!(reads(Options { error: Some(expired.into()), ..Options::default() }), 0);
    }
}
