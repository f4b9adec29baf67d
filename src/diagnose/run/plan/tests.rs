//! Unit tests of `plan`.

use super::*;
use crate::aws::decode::AwsError;
use crate::aws::live::Call;
use crate::base::environment::Environment;
use crate::diagnose::input::gather::{Gathered, SideFiles};
use crate::diagnose::input::options::{ActionName, MfaCode, Options};
use crate::diagnose::run::check::Identity;
use crate::profile::ProfileFiles;
use crate::vocabulary::keyid::KEY_MAX_AGE_DAYS;

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
    // The key's last use waits for the list (`the_last_use_is_read_for_an_old_key_or_one_of_two`).
    assert!(!wave.iter().any(|c| matches!(c, LiveCheck::KeyLastUsed { .. })), "{wave:?}");
    // The alias goes with them, and is not asked again once the identity is known.
    assert!(wave.contains(&LiveCheck::AccountAlias { who: Who::Active }), "{wave:?}");
    let f = facts("[default]\nregion = eu-west-1\n", KEYS, Options::default());
    let next = followups(&f, &Outcomes::new(), &finished(wave[0].clone(), alice()));
    assert!(!next.iter().any(|c| matches!(c, LiveCheck::AccountAlias { .. })), "{next:?}");
}

#[test]
fn a_role_session_asks_for_the_alias_once_its_identity_is_known() {
    let role = "[default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = admin\n";
    let f = facts(role, KEYS, Options::default());
    let identity = LiveCheck::CallerIdentity { who: Who::Active, region: None };
    let next = followups(&f, &Outcomes::new(), &finished(identity, alice()));
    assert!(next.contains(&LiveCheck::AccountAlias { who: Who::Active }), "{next:?}");
}

#[test]
fn a_scan_asks_about_the_user_only_once_aws_accepted_the_key() {
    let options = Options { reads_after_identity: true, ..Options::default() };
    let f = facts("[default]\nregion = us-east-1\n", KEYS, options);
    let wave = initial(&f);
    assert_eq!(wave, vec![LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) }]);
    let refused = finished(wave[0].clone(), rejected());
    assert!(!followups(&f, &Outcomes::new(), &refused).iter().any(|c| matches!(c, LiveCheck::ListMfaDevices { .. })));
    let next = followups(&f, &Outcomes::new(), &finished(wave[0].clone(), alice()));
    assert!(next.contains(&LiveCheck::ListAccessKeys { who: Who::Active }), "{next:?}");
    assert!(next.contains(&LiveCheck::ListMfaDevices { who: Who::Active }), "{next:?}");
}

fn key(id: &str, age_days: i64) -> KeyInfo {
    KeyInfo { id: id.into(), active: true, created: Some(chrono::Utc::now() - chrono::Duration::days(age_days)) }
}

#[test]
fn the_last_use_is_read_for_an_old_key_or_one_of_two() {
    let f = facts("[default]\nregion = us-east-1\n", KEYS, Options::default());
    let listed = |keys: Vec<KeyInfo>| {
        let list = finished(LiveCheck::ListAccessKeys { who: Who::Active }, Ok(LiveValue::AccessKeys(keys)));
        followups(&f, &Outcomes::new(), &list)
    };
    let last_use = LiveCheck::KeyLastUsed { who: Who::Active, key_id: "AKIAQWERTYUIOPASDFGH".into() };
    // One fresh key: nothing to add (one IAM request less).
    assert_eq!(listed(vec![key("AKIAQWERTYUIOPASDFGH", 3)]), vec![]);
    // Due for rotation: where it is used tells what rotating breaks.
    assert_eq!(listed(vec![key("AKIAQWERTYUIOPASDFGH", KEY_MAX_AGE_DAYS + 2)]), vec![last_use.clone()]);
    // A second key (a rotation under way): which one is in use.
    assert_eq!(listed(vec![key("AKIAOTHEROTHEROTHER1", 1), key("AKIAQWERTYUIOPASDFGH", 3)]), vec![last_use]);
    // The active key not among the user's: nothing to ask about.
    assert_eq!(listed(vec![key("AKIAOTHEROTHEROTHER1", 400)]), vec![]);
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
    let first = finished(LiveCheck::CallerIdentity { who: Who::Active, region: Some("ap-east-1".into()) }, rejected());
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
    assert_eq!(next.iter().filter(|c| c.signer() == Some(&Who::Active)).collect::<Vec<_>>(), [&at("us-gov-west-1")]);
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
    assert!(next.iter().any(|c| matches!(c, LiveCheck::SessionToken { serial, .. } if serial.ends_with(":mfa/alice"))));
    assert!(next.iter().any(|c| matches!(c, LiveCheck::TryAction { action, user: Some(u), .. } if action.is("iam:ListUsers") && u == "alice")));
    assert!(next.iter().any(|c| matches!(c, LiveCheck::Simulate { action, .. } if action.is("s3:ListBucket"))));
    assert!(!next.iter().any(|c| matches!(c, LiveCheck::ListAccessKeys { .. })), "started with the identity already");
    assert!(
        next.contains(&LiveCheck::IdentityPolicies { who: Who::Active, principal: IamPrincipal::User("alice".into()) })
    );
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
