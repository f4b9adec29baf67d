//! Who owns a rejected access key, asked through another profile that can
//! read the account's IAM users: first `iam:GetAccessKeyLastUsed` (which
//! names the key's user in one call), then that user's `iam:ListAccessKeys`
//! (the key's status). When the first read is denied, the users are walked:
//! `iam:ListUsers` (at most [`MAX_USERS_LISTED`] users, 100 a page) and
//! `iam:ListAccessKeys` for each (at most [`MAX_USERS_ASKED`] users,
//! [`USERS_AT_ONCE`] at a time), stopping as soon as every key is found. A
//! read that is denied or fails is noted as a problem (the scan shows it as a
//! warning), never as a failure. The reads are a trait so the walk is tested
//! without a network; [`LiveIam`] makes them with the SDK. IO: IAM calls only.

use crate::aws::decode::Meaning;
use crate::aws::live::{Client, Failure, Live, SigningKeys};
use crate::diagnose::run::check::KeyInfo;
use futures::stream::{self, StreamExt};
use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;

/// At most this many users are listed (ListUsers pages of 100).
pub const MAX_USERS_LISTED: usize = 1000;
/// At most this many users have their keys listed, per profile asked.
pub const MAX_USERS_ASKED: usize = 200;
/// Users whose keys are listed at the same time.
pub const USERS_AT_ONCE: usize = 8;

/// The IAM reads the lookup makes, signed by the profile asked.
pub trait IamReads: Sync {
    /// The user a key belongs to (`iam:GetAccessKeyLastUsed`).
    fn key_user(&self, key_id: &str) -> impl Future<Output = Result<Option<String>, Failure>> + Send;
    /// One page of user names and the marker of the next (`iam:ListUsers`).
    fn list_users(
        &self,
        marker: Option<String>,
    ) -> impl Future<Output = Result<(Vec<String>, Option<String>), Failure>> + Send;
    /// A user's access keys (`iam:ListAccessKeys`).
    fn list_keys(&self, user: &str) -> impl Future<Output = Result<Vec<KeyInfo>, Failure>> + Send;
}

/// The user a key belongs to and every key that user has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub user: String,
    pub keys: Vec<KeyInfo>,
}

impl Owner {
    /// Whether IAM lists `key_id` as Active.
    pub fn is_active(&self, key_id: &str) -> Option<bool> {
        self.keys.iter().find(|k| k.id == key_id).map(|k| k.active)
    }
}

/// What one profile could tell about a set of keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lookup {
    /// Keys whose user was found, with that user's keys.
    pub found: BTreeMap<String, Owner>,
    /// Keys that are certainly not in the account (IAM said NoSuchEntity, or
    /// every user was listed and none has them).
    pub absent: BTreeSet<String>,
    /// Reads that were denied or failed, one line each (`iam:ListUsers: AccessDenied ...`).
    pub problems: Vec<String>,
}

fn is_no_such_entity(failure: &Failure) -> bool {
    matches!(failure, Failure::Aws(e) if e.code.as_deref() == Some("NoSuchEntity"))
}

fn problem(action: &str, failure: &Failure) -> String {
    let what = match failure {
        Failure::Aws(e) if matches!(e.meaning(), Meaning::Denied(_)) => "denied",
        _ => "failed",
    };
    format!("{action} {what}: {}", failure.text())
}

/// Finds the owners of `key_ids` with the reads of one profile.
pub async fn find_owners(reads: &impl IamReads, key_ids: &[String]) -> Lookup {
    let mut lookup = Lookup::default();
    let mut walk: Vec<String> = Vec::new();
    for key in key_ids {
        match reads.key_user(key).await {
            Ok(Some(user)) => match reads.list_keys(&user).await {
                Ok(keys) if keys.iter().any(|k| k.id == *key) => {
                    lookup.found.insert(key.clone(), Owner { user, keys });
                }
                Ok(_) => walk.push(key.clone()),
                Err(e) => {
                    lookup.problems.push(problem("iam:ListAccessKeys", &e));
                    walk.push(key.clone());
                }
            },
            Ok(None) => walk.push(key.clone()),
            Err(e) if is_no_such_entity(&e) => {
                lookup.absent.insert(key.clone());
            }
            Err(e) => {
                lookup.problems.push(problem("iam:GetAccessKeyLastUsed", &e));
                walk.push(key.clone());
            }
        }
    }
    if !walk.is_empty() {
        walk_users(reads, walk, &mut lookup).await;
    }
    lookup
}

/// Lists the users, then their keys, until every key in `wanted` is found or the bounds are reached.
async fn walk_users(reads: &impl IamReads, mut wanted: Vec<String>, lookup: &mut Lookup) {
    let mut users = Vec::new();
    let mut marker = None;
    let mut complete = true;
    loop {
        match reads.list_users(marker.take()).await {
            Ok((page, next)) => {
                users.extend(page);
                marker = next;
            }
            Err(e) => {
                lookup.problems.push(problem("iam:ListUsers", &e));
                return;
            }
        }
        if marker.is_none() {
            break;
        }
        if users.len() >= MAX_USERS_LISTED {
            complete = false;
            break;
        }
    }
    if users.len() > MAX_USERS_ASKED {
        users.truncate(MAX_USERS_ASKED);
        complete = false;
    }
    let mut failed = 0usize;
    let mut first_failure = None;
    let mut listings = stream::iter(users)
        .map(|user| async move { (reads.list_keys(&user).await, user) })
        .buffer_unordered(USERS_AT_ONCE);
    while let Some((result, user)) = listings.next().await {
        match result {
            Ok(keys) => {
                let hits: Vec<String> = wanted.iter().filter(|w| keys.iter().any(|k| k.id == **w)).cloned().collect();
                for hit in hits {
                    wanted.retain(|w| *w != hit);
                    lookup.found.insert(hit, Owner { user: user.clone(), keys: keys.clone() });
                }
                if wanted.is_empty() {
                    break;
                }
            }
            Err(e) => {
                failed += 1;
                first_failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = first_failure {
        lookup.problems.push(format!(
            "{} (for {failed} user{})",
            problem("iam:ListAccessKeys", &e),
            if failed > 1 { "s" } else { "" }
        ));
    } else if complete {
        lookup.absent.extend(wanted);
    }
}

/// The reads made with the SDK, signed by one profile's credentials.
pub struct LiveIam {
    client: Client<aws_sdk_iam::Client>,
}

impl LiveIam {
    pub fn new(live: &Live, keys: &SigningKeys) -> Self {
        LiveIam { client: live.iam(keys) }
    }
}

fn key_info(key: &aws_sdk_iam::types::AccessKeyMetadata) -> KeyInfo {
    KeyInfo {
        id: key.access_key_id().unwrap_or_default().to_string(),
        active: key.status().is_some_and(|s| s.as_str() == "Active"),
        created: key.create_date().and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())),
    }
}

impl IamReads for LiveIam {
    async fn key_user(&self, key_id: &str) -> Result<Option<String>, Failure> {
        let api = &self.client.api;
        let call = self
            .client
            .call(api.get_access_key_last_used().access_key_id(key_id).send(), |o| o.user_name().map(str::to_string));
        call.await.result
    }

    async fn list_users(&self, marker: Option<String>) -> Result<(Vec<String>, Option<String>), Failure> {
        let api = &self.client.api;
        let call = self.client.call(api.list_users().set_marker(marker).max_items(100).send(), |o| {
            let names = o.users().iter().map(|u| u.user_name().to_string()).collect();
            (names, o.is_truncated().then(|| o.marker().map(str::to_string)).flatten())
        });
        call.await.result
    }

    async fn list_keys(&self, user: &str) -> Result<Vec<KeyInfo>, Failure> {
        let api = &self.client.api;
        let call = self.client.call(api.list_access_keys().user_name(user).send(), |o| {
            o.access_key_metadata().iter().map(key_info).collect()
        });
        call.await.result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::decode::AwsError;
    use std::sync::Mutex;

    /// A fake IAM: users with keys; some reads denied; counts the calls.
    struct FakeIam {
        users: Vec<(String, Vec<KeyInfo>)>,
        deny_key_user: bool,
        deny_list_keys_for: Vec<String>,
        calls: Mutex<Vec<String>>,
    }

    fn denied(action: &str) -> Failure {
        Failure::Aws(AwsError {
            code: Some("AccessDenied".into()),
            message: Some(format!("User: arn:aws:iam::1:user/x is not authorized to perform: {action}")),
            ..AwsError::default()
        })
    }

    fn key(id: &str, active: bool) -> KeyInfo {
        KeyInfo { id: id.into(), active, created: None }
    }

    impl IamReads for FakeIam {
        async fn key_user(&self, key_id: &str) -> Result<Option<String>, Failure> {
            self.calls.lock().expect("lock").push(format!("last-used {key_id}"));
            if self.deny_key_user {
                return Err(denied("iam:GetAccessKeyLastUsed"));
            }
            match self.users.iter().find(|(_, keys)| keys.iter().any(|k| k.id == key_id)) {
                Some((user, _)) => Ok(Some(user.clone())),
                None => Err(Failure::Aws(AwsError { code: Some("NoSuchEntity".into()), ..AwsError::default() })),
            }
        }

        async fn list_users(&self, marker: Option<String>) -> Result<(Vec<String>, Option<String>), Failure> {
            self.calls.lock().expect("lock").push("list-users".into());
            let start: usize = marker.as_deref().and_then(|m| m.parse().ok()).unwrap_or(0);
            let page: Vec<String> = self.users.iter().skip(start).take(100).map(|(u, _)| u.clone()).collect();
            let next = (start + 100 < self.users.len()).then(|| (start + 100).to_string());
            Ok((page, next))
        }

        async fn list_keys(&self, user: &str) -> Result<Vec<KeyInfo>, Failure> {
            self.calls.lock().expect("lock").push(format!("list-keys {user}"));
            if self.deny_list_keys_for.iter().any(|u| u == user) {
                return Err(denied("iam:ListAccessKeys"));
            }
            Ok(self.users.iter().find(|(u, _)| u == user).map(|(_, k)| k.clone()).unwrap_or_default())
        }
    }

    fn world(users: usize) -> FakeIam {
        FakeIam {
            users: (0..users).map(|i| (format!("u{i}"), vec![key(&format!("AKIAUSER{i:012}"), i % 2 == 0)])).collect(),
            deny_key_user: false,
            deny_list_keys_for: Vec::new(),
            calls: Mutex::new(Vec::new()),
        }
    }

    #[tokio::test]
    async fn the_key_user_read_finds_the_owner_in_two_calls() {
        let iam = world(50);
        let lookup = find_owners(&iam, &["AKIAUSER000000000007".into(), "AKIAGONEGONEGONEGONE".into()]).await;
        assert_eq!(lookup.found["AKIAUSER000000000007"].user, "u7");
        assert_eq!(lookup.found["AKIAUSER000000000007"].is_active("AKIAUSER000000000007"), Some(false));
        assert!(lookup.absent.contains("AKIAGONEGONEGONEGONE") && lookup.problems.is_empty());
        assert_eq!(iam.calls.lock().expect("lock").len(), 3);
    }

    #[tokio::test]
    async fn when_that_read_is_denied_the_users_are_walked_and_each_denial_is_a_problem() {
        let mut iam = world(250);
        iam.deny_key_user = true;
        iam.deny_list_keys_for = vec!["u3".into()];
        let lookup = find_owners(&iam, &["AKIAUSER000000000120".into()]).await;
        assert_eq!(lookup.found["AKIAUSER000000000120"].user, "u120");
        assert_eq!(lookup.problems.len(), 2, "{:?}", lookup.problems);
        assert!(lookup.problems[0].starts_with("iam:GetAccessKeyLastUsed denied"));
        assert!(
            lookup.problems[1].starts_with("iam:ListAccessKeys denied") && lookup.problems[1].ends_with("(for 1 user)")
        );
        // A key nobody has: every user is listed, at most MAX_USERS_ASKED asked; not proven absent then.
        let lookup = find_owners(&iam, &["AKIANOBODYNOBODYNOBO".into()]).await;
        assert!(lookup.found.is_empty() && lookup.absent.is_empty());
        let asked = iam.calls.lock().expect("lock").iter().filter(|c| c.starts_with("list-keys")).count();
        assert!(asked <= 2 * MAX_USERS_ASKED, "{asked}");
    }

    #[tokio::test]
    async fn a_complete_walk_proves_a_key_absent() {
        let mut iam = world(30);
        iam.deny_key_user = true;
        let lookup = find_owners(&iam, &["AKIANOBODYNOBODYNOBO".into()]).await;
        assert!(lookup.absent.contains("AKIANOBODYNOBODYNOBO"));
    }
}
