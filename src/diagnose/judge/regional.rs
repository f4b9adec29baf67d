//! Why credentials refused in the user's region work somewhere else: the key
//! belongs to another partition (China, GovCloud), a version-1 session token
//! meets an opt-in region, or the region is not enabled for the account.
//! One verdict for the credentials step's identity check and the
//! account/region step's region check. Pure.

use crate::aws::decode::Meaning;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::check::{LiveCheck, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::profile::SectionName;
use crate::vocabulary::Cause;
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::regions::{self, GLOBAL_REGION};
use secrecy::ExposeSecret;

/// What session tokens of version 1 (the global STS endpoint's default) begin
/// with; version-2 tokens begin `IQoJb3JpZ2luX2Vj`. Observed, not documented.
pub const V1_TOKEN_PREFIX: &str = "FwoGZXIvYXdz";

/// Why the active credentials were refused in the user's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regional {
    /// STS took them when the request was signed for `accepted_in`, a region of
    /// `key_partition`, another partition than the user's region's.
    Partition { key_partition: &'static str, accepted_in: String, region: String, region_partition: &'static str },
    /// A version-1 session token, refused in the opt-in region `region` and taken in the global region.
    TokenV1 { region: String },
    /// Taken in the global region: `region` is not enabled for the account.
    RegionDisabled { region: String },
}

impl Regional {
    /// The cause it is.
    pub fn cause(&self) -> Cause {
        match self {
            Regional::Partition { .. } => Cause::PartitionMismatch,
            Regional::TokenV1 { .. } => Cause::StsTokenV1OptinRegion,
            Regional::RegionDisabled { .. } => Cause::RegionNotEnabled,
        }
    }

    /// What happened, in a sentence.
    pub fn summary(&self) -> String {
        match self {
            Regional::Partition { key_partition, accepted_in, region, region_partition } => format!(
                "the keys belong to {}: STS rejects them in {region} ({}) and accepts them when the request is signed for {accepted_in}",
                regions::partition_name(key_partition),
                regions::partition_name(region_partition),
            ),
            Regional::TokenV1 { region } => format!(
                "the session token is a version-1 token (from the global STS endpoint), valid only in the regions every account has: {region} is an opt-in region, so STS rejects it there and accepts it in {GLOBAL_REGION}"
            ),
            Regional::RegionDisabled { region } => format!(
                "the keys work in {GLOBAL_REGION} but are rejected in {region}: the region is not enabled for the account"
            ),
        }
    }

    /// The fix, naming the region or setting to change.
    pub fn fix(&self, facts: &Facts) -> String {
        match self {
            Regional::Partition { key_partition, accepted_in, .. } => {
                let other = regions::all().filter(|r| r.partition == *key_partition).map(|r| r.code);
                let other: Vec<&str> = other.filter(|c| c != accepted_in).collect();
                let setting = match facts.region.as_ref().and_then(|r| r.origin) {
                    Some(_) => format!("set region = {accepted_in} for the profile"),
                    None => format!("set AWS_REGION={accepted_in}"),
                };
                format!(
                    "{setting} (or another region of {}: {}), and any endpoint override to that partition's endpoints",
                    regions::partition_name(key_partition),
                    other.join(", ")
                )
            }
            Regional::TokenV1 { .. } => "get the session from a regional STS endpoint (sts_regional_endpoints = regional), or make the account's global endpoint issue v2 tokens: aws iam set-security-token-service-preferences --global-endpoint-token-version v2Token".into(),
            Regional::RegionDisabled { region } => {
                format!("enable {region} in the account (Account > AWS Regions), or use another region")
            }
        }
    }

    /// The one-key repair: the profile's region set to one of the key's partition.
    pub fn repair(&self, facts: &Facts) -> Option<Repair> {
        let Regional::Partition { accepted_in, .. } = self else { return None };
        let origin = facts.region.as_ref()?.origin?;
        Some(Repair::SetValue {
            file: origin.file,
            section: SectionName::profile(origin.file, &facts.profile),
            key: "region".into(),
            value: accepted_in.clone().into(),
        })
    }

    /// The finding of the account/region step's region check.
    pub fn finding(&self, facts: &Facts, id: &'static str) -> Finding {
        let mut f = Finding::fail(id, self.cause(), self.summary(), self.fix(facts));
        if let Regional::TokenV1 { .. } = self {
            f.evidence.push(format!(
                "the session token begins {V1_TOKEN_PREFIX} (version 1; version 2 begins IQoJb3JpZ2luX2Vj)"
            ));
        }
        if let Some(repair) = self.repair(facts) {
            f = f.with_repair(repair);
        }
        f
    }
}

/// The verdict, when the active credentials were refused as a token in the
/// user's region and taken in another region.
pub fn verdict(facts: &Facts, outcomes: &Outcomes) -> Option<Regional> {
    let first = outcomes.active_identity_check()?;
    if first.identity().is_some() || !matches!(first.meaning(), Some(Meaning::InvalidToken)) {
        return None;
    }
    let asked_in = match &first.check {
        LiveCheck::CallerIdentity { region, .. } => region.clone(),
        _ => None,
    };
    let accepted_in = outcomes.all().iter().find_map(|o| match &o.check {
        LiveCheck::CallerIdentity { who: Who::Active, region: Some(r) } if o.identity().is_some() => Some(r.clone()),
        _ => None,
    })?;
    let region = asked_in.unwrap_or_else(|| GLOBAL_REGION.to_string());
    let (key_partition, region_partition) =
        (regions::partition_of(Some(&accepted_in)), regions::partition_of(Some(&region)));
    if key_partition != region_partition {
        return Some(Regional::Partition { key_partition, accepted_in, region, region_partition });
    }
    if regions::lookup(&region).is_some_and(|r| r.opt_in) && active_token_is_v1(facts) {
        return Some(Regional::TokenV1 { region });
    }
    Some(Regional::RegionDisabled { region })
}

/// Whether the active session token is a version-1 token (only its prefix is compared, never shown).
pub fn active_token_is_v1(facts: &Facts) -> bool {
    facts
        .active_keys()
        .and_then(|k| k.token.as_ref())
        .is_some_and(|t| t.value.expose_secret().trim_start().starts_with(V1_TOKEN_PREFIX))
}
