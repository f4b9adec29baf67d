//! The scan's cross-profile findings once the profiles are diagnosed: the
//! duplicated keys with the working and stale copies named, and the owner
//! lookup of rejected keys (IO: the IAM and STS reads of `owners`), which
//! turns a rejected key listed as Inactive into `key-inactive` in the
//! rejected profile's own report and a cross-profile finding.

use crate::aws::live::Call;
use crate::base::display::mask_key_id;
use crate::diagnose::judge::crossprofile::{self, CrossFinding, Verdict, ids, name_list};
use crate::diagnose::run::check::{KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use crate::diagnose::run::owners::{self, LiveIam, Lookup};
use crate::diagnose::{Cause, Facts, Status, conclude};
use crate::scan::{Done, ENV_ROW, Roster, Summary};
use crate::vocabulary::finding::Finding;
use crate::vocabulary::regions::GLOBAL_REGION;
use std::collections::BTreeMap;
use std::time::Duration;

/// At most this many working profiles of an account are asked about its rejected keys.
const ADMINS_ASKED: usize = 3;

/// The offline findings, with each duplicated key's working and stale copies named.
pub(super) fn with_verdicts(roster: &Roster, done: &[Done]) -> Vec<CrossFinding> {
    let by_name: std::collections::HashMap<&str, &super::Scanned> =
        done.iter().map(|d| (d.scanned.name.as_str(), &d.scanned)).collect();
    let verdict = |profile: &str| {
        let Some(scanned) = by_name.get(profile) else {
            return Verdict::Unknown;
        };
        if scanned.report.identity.is_some() {
            Verdict::Works
        } else if scanned.report.causes.first().and_then(|c| c.cause) == Some(Cause::SecretMismatch) {
            Verdict::WrongSecret
        } else {
            Verdict::Unknown
        }
    };
    let mut out: Vec<CrossFinding> = crossprofile::duplicate_keys(&roster.holders)
        .iter()
        .map(|d| crossprofile::duplicate_key_finding(d, verdict))
        .collect();
    out.extend(roster.findings.iter().filter(|f| f.id != ids::DUPLICATE_KEY).cloned());
    out
}

/// When the environment's keys win over the profile this shell uses, and are
/// rejected or another identity (`env-overrides-profile` on the `(env)` row),
/// that profile's row says so too: its own keys may work, but not here.
pub(super) fn environment_wins(roster: &Roster, done: &mut [Done]) -> Option<Summary> {
    let overrides =
        |d: &Done| {
            d.scanned.name == ENV_ROW
                && d.scanned.report.steps.iter().flat_map(|s| &s.checks).any(|c| {
                    c.cause == Some(Cause::EnvOverridesProfile) && matches!(c.status, Status::Fail | Status::Warn)
                })
        };
    if !done.iter().any(overrides) {
        return None;
    }
    let active = done.iter_mut().find(|d| d.scanned.name == roster.active)?;
    active.scanned.report.add_finding(Finding::warn(
        "env-keys-win",
        Cause::EnvOverridesProfile,
        format!(
            "this shell does not use profile `{}`'s keys: the AWS_* key variables in the environment win over them (see the `{ENV_ROW}` line)",
            roster.active
        ),
        "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN in your shell".to_string(),
    ));
    Some(active.scanned.summary())
}

/// What the owner lookup changed.
#[derive(Debug, Default)]
pub(super) struct Revision {
    /// Profiles whose report changed.
    pub revised: Vec<Summary>,
    pub findings: Vec<CrossFinding>,
}

/// The account a key belongs to: from the rejected profile's own lookups, else asked through `asker`.
async fn key_account(done: &[Done], rejected: &[usize], key: &str, asker: Option<&Done>) -> Option<String> {
    let known = rejected.iter().find_map(|&i| {
        done[i].outcomes.all().iter().find_map(|o| match (&o.check, &o.call.result) {
            (LiveCheck::AccessKeyInfo { key_id, .. }, Ok(LiveValue::Account(account))) if key_id == key => {
                Some(account.clone())
            }
            _ => None,
        })
    });
    if known.is_some() {
        return known;
    }
    let (keys, live) = asker?.working.as_ref()?;
    let sts = live.sts(keys, Some(GLOBAL_REGION));
    let call = sts
        .call(sts.api.get_access_key_info().access_key_id(key).send(), |o| o.account().unwrap_or_default().to_string());
    call.await.result.ok().filter(|a| !a.is_empty())
}

/// Looks up the owners of the keys AWS rejected as unknown, through profiles
/// that work in the same account, within the deadline; revises the reports of
/// profiles whose key IAM lists as Inactive.
pub(super) async fn inactive_keys(
    done: &mut [Done],
    deadline: tokio::time::Instant,
    facts_of: impl Fn(usize) -> Facts,
) -> Revision {
    let mut revision = Revision::default();
    let mut rejected: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, d) in done.iter().enumerate() {
        let primary = d.scanned.report.causes.first().and_then(|c| c.cause);
        if let (Some(Cause::UnknownAccessKey), Some(key)) = (primary, &d.key_id) {
            rejected.entry(key.clone()).or_default().push(i);
        }
    }
    let admins: Vec<usize> = (0..done.len()).filter(|&i| done[i].working.is_some()).collect();
    if rejected.is_empty() || admins.is_empty() {
        return revision;
    }
    // The keys of each account (None: the account could not be told).
    let mut by_account: BTreeMap<Option<String>, Vec<String>> = BTreeMap::new();
    for (key, profiles) in &rejected {
        let asker = admins.first().map(|&i| &done[i]);
        let account = tokio::time::timeout_at(deadline, key_account(done, profiles, key, asker)).await.ok().flatten();
        by_account.entry(account).or_default().push(key.clone());
    }
    let mut owners: BTreeMap<String, (String, owners::Owner)> = BTreeMap::new();
    for (account, mut keys) in by_account {
        let asked = admins
            .iter()
            .copied()
            .filter(|&i| {
                account.is_none() || done[i].scanned.report.identity.as_ref().map(|id| &id.account) == account.as_ref()
            })
            .take(ADMINS_ASKED);
        for admin in asked {
            let Some((signing, live)) = done[admin].working.as_ref() else { continue };
            let admin_name = done[admin].scanned.name.clone();
            let reads = LiveIam::new(live, signing);
            let lookup = match tokio::time::timeout_at(deadline, owners::find_owners(&reads, &keys)).await {
                Ok(lookup) => lookup,
                Err(_) => Lookup {
                    problems: vec!["the scan's time budget ran out during the lookup".into()],
                    ..Lookup::default()
                },
            };
            note_problems(&mut revision, &admin_name, &keys, &lookup);
            for key in &lookup.absent {
                revision.findings.push(absent_finding(key, &rejected[key], done, &admin_name, account.as_deref()));
            }
            keys.retain(|k| !lookup.found.contains_key(k) && !lookup.absent.contains(k));
            for (key, owner) in lookup.found {
                owners.insert(key, (admin_name.clone(), owner));
            }
            if keys.is_empty() {
                break;
            }
        }
    }
    for (key, (admin, owner)) in owners {
        if owner.is_active(&key) != Some(false) {
            continue;
        }
        let profiles = &rejected[&key];
        for &i in profiles {
            let facts = facts_of(done[i].index);
            revise(&mut done[i], &admin, &owner.keys, &facts);
            revision.revised.push(done[i].scanned.summary());
        }
        revision.findings.push(inactive_finding(&key, profiles, done, &admin, &owner.user));
    }
    revision
}

/// Adds the owner's key listing, seen through `admin`, and concludes again.
fn revise(done: &mut Done, admin: &str, keys: &[KeyInfo], facts: &Facts) {
    let listing = Call {
        result: Ok(LiveValue::AccessKeys(keys.to_vec())),
        elapsed: Duration::ZERO,
        server_date: None,
        local_date: chrono::Utc::now(),
    };
    done.outcomes
        .push(Outcome { check: LiveCheck::ListAccessKeys { who: Who::Other(admin.to_string()) }, call: listing });
    let elapsed = Duration::from_millis(done.scanned.report.duration_ms);
    let mut report = conclude(facts, &done.outcomes, elapsed);
    if done.scanned.name == ENV_ROW {
        report.profile = ENV_ROW.to_string();
    }
    done.scanned.report = report;
}

fn names(done: &[Done], indices: &[usize]) -> Vec<String> {
    indices.iter().map(|&i| done[i].scanned.name.clone()).collect()
}

fn inactive_finding(key: &str, rejected: &[usize], done: &[Done], admin: &str, user: &str) -> CrossFinding {
    let holders = names(done, rejected);
    let mut profiles = holders.clone();
    profiles.push(admin.to_string());
    CrossFinding {
        id: ids::INACTIVE_KEY,
        status: Status::Fail,
        cause: Some(Cause::KeyInactive),
        summary: format!(
            "{} {} rejected with access key {}, which IAM lists as Inactive (user `{user}`, seen through profile `{admin}`)",
            name_list(&holders),
            if holders.len() > 1 { "are" } else { "is" },
            mask_key_id(key)
        ),
        fix: format!(
            "reactivate the key (`aws iam update-access-key --user-name {user} --status Active --access-key-id <the key> --profile {admin}`) or create a new one and put it in {}",
            name_list(&holders)
        ),
        profiles,
        evidence: vec![format!("iam:GetAccessKeyLastUsed / iam:ListAccessKeys as profile `{admin}`")],
    }
}

fn absent_finding(key: &str, rejected: &[usize], done: &[Done], admin: &str, account: Option<&str>) -> CrossFinding {
    let holders = names(done, rejected);
    let mut profiles = holders.clone();
    profiles.push(admin.to_string());
    let account = account.map(|a| format!(" of account {a}")).unwrap_or_default();
    CrossFinding {
        id: ids::KEY_NOT_IN_ACCOUNT,
        status: Status::Warn,
        cause: Some(Cause::UnknownAccessKey),
        summary: format!(
            "no IAM user{account} has access key {} any more (asked as profile `{admin}`): it was deleted",
            mask_key_id(key)
        ),
        fix: format!("create a new access key for the user and put it in {}", name_list(&holders)),
        profiles,
        evidence: Vec::new(),
    }
}

fn note_problems(revision: &mut Revision, admin: &str, keys: &[String], lookup: &Lookup) {
    let keys: Vec<String> = keys.iter().map(|k| mask_key_id(k)).collect();
    for problem in &lookup.problems {
        revision.findings.push(CrossFinding {
            id: ids::OWNER_LOOKUP,
            status: Status::Warn,
            cause: None,
            profiles: vec![admin.to_string()],
            summary: format!(
                "credwiz could not fully look for the owner of {} as profile `{admin}`: {problem}",
                keys.join(", ")
            ),
            fix: "nothing to fix for your own use; allow these IAM reads to let credwiz find whose key it is".into(),
            evidence: Vec::new(),
        });
    }
}
