//! The owner lookup of a rejected access key for `check` and the wizard
//! (SPEC 7: the single-profile diagnosis reports the cross-profile finding
//! that concerns its profile): through another profile that works, the
//! key's user and that user's keys, with the same bounded reads as `scan`
//! (`owners`: GetAccessKeyLastUsed, else ListUsers and each user's
//! ListAccessKeys, within its limits). IO: IAM calls only.

use crate::aws::live::{Call, Failure, Live, SigningKeys};
use crate::diagnose::run::check::LiveValue;
use crate::diagnose::run::owners::{LiveIam, find_owners};
use chrono::Utc;

/// The keys of the user who owns `key_id`, read with `keys` (another profile's).
/// No user has it: an empty listing (the key was deleted).
pub async fn owner_keys(live: &Live, keys: &SigningKeys, key_id: &str) -> Call<LiveValue> {
    let started = std::time::Instant::now();
    let reads = LiveIam::new(live, keys);
    let wanted = [key_id.to_string()];
    let lookup = find_owners(&reads, &wanted).await;
    let result = match lookup.found.get(key_id) {
        Some(owner) => Ok(LiveValue::AccessKeys(owner.keys.clone())),
        None if lookup.absent.contains(key_id) => Ok(LiveValue::AccessKeys(Vec::new())),
        None if lookup.problems.is_empty() => Err(Failure::Other("no user of the account lists the key".into())),
        None => Err(Failure::Other(lookup.problems.join("; "))),
    };
    Call { result, elapsed: started.elapsed(), server_date: None, local_date: Utc::now() }
}
