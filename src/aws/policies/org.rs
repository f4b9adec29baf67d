//! The organisation's policies over the account, read from AWS
//! Organizations: whether the account is in an organisation at all
//! (`DescribeOrganization`, which any member may call: none means no SCPs
//! and no RCPs), which policy types the root has enabled (`ListRoots`), the
//! account's parents up to the root (`ListParents`), and the SCPs and RCPs
//! attached at each level (`ListPoliciesForTarget`, `DescribePolicy`).
//! Only the management account or a delegated administrator may read the
//! last three; for everyone else the layers stay unknown. SCPs and RCPs do
//! not apply to the management account itself. IO through [`Live`].

use crate::aws::live::{Call, Client, DateCapture, Failure, Live, SigningKeys};
use crate::aws::policies::{
    Fetched, MAX_ORG_DEPTH, MAX_ORG_POLICIES_PER_LEVEL, OrgLevelPolicies, OrgPolicies, PolicyText, ReadFailure,
    combined, document, read,
};
use crate::vocabulary::regions::GLOBAL_REGION;
use aws_sdk_organizations::types::{PolicyType, PolicyTypeStatus};
use futures::future::join_all;
use secrecy::ExposeSecret;
use std::time::Instant;

type Org = Client<aws_sdk_organizations::Client>;

/// The error AWS answers when the account belongs to no organisation.
const NOT_IN_USE: &str = "AWSOrganizationsNotInUseException";

/// An Organizations client signing with `keys` (its endpoint is global, in us-east-1).
fn client(live: &Live, keys: &SigningKeys) -> Org {
    let date = DateCapture::default();
    let credentials = aws_credential_types::Credentials::new(
        keys.access_key_id.as_str(),
        keys.secret.expose_secret().to_string(),
        keys.token.as_ref().map(|t| t.expose_secret().to_string()),
        None,
        "credwiz",
    );
    let config = aws_sdk_organizations::config::Builder::from(&live.sdk_config())
        .credentials_provider(credentials)
        .region(aws_types::region::Region::new(GLOBAL_REGION))
        .disable_clock_skew_correction(true)
        .interceptor(date.clone())
        .build();
    Client::new(aws_sdk_organizations::Client::from_conf(config), date)
}

/// Reads the SCPs and RCPs that apply to `account`.
pub async fn read_organization(live: &Live, keys: &SigningKeys, account: &str) -> Call<OrgPolicies> {
    let started = Instant::now();
    let org = client(live, keys);
    let policies = organization(&org, account).await;
    combined(policies, started.elapsed())
}

fn both_absent(organization: Fetched<String>, why: &str) -> OrgPolicies {
    OrgPolicies {
        organization,
        org_path: None,
        scps: Fetched::Absent(why.to_string()),
        rcps: Fetched::Absent(why.to_string()),
    }
}

async fn organization(org: &Org, account: &str) -> OrgPolicies {
    const DESCRIBE: &str = "organizations:DescribeOrganization";
    let call = org.call(org.api.describe_organization().send(), |o| {
        o.organization().map(|o| (o.id().map(str::to_string), o.master_account_id().map(str::to_string)))
    });
    let (id, management) = match call.await.result {
        Ok(Some((Some(id), management))) => (id, management),
        Ok(_) => {
            let failure = ReadFailure::other(DESCRIBE, "AWS answered without an organisation id");
            return OrgPolicies {
                organization: Fetched::Unknown(failure.clone()),
                org_path: None,
                scps: Fetched::Unknown(failure.clone()),
                rcps: Fetched::Unknown(failure),
            };
        }
        Err(Failure::Aws(error)) if error.code.as_deref() == Some(NOT_IN_USE) => {
            let why = "the account belongs to no organisation";
            return both_absent(Fetched::Absent(why.into()), why);
        }
        Err(failure) => {
            let failure = ReadFailure { request: DESCRIBE.into(), failure: Box::new(failure) };
            return OrgPolicies {
                organization: Fetched::Unknown(failure.clone()),
                org_path: None,
                scps: Fetched::Unknown(failure.clone()),
                rcps: Fetched::Unknown(failure),
            };
        }
    };
    if management.as_deref() == Some(account) {
        return both_absent(
            Fetched::Known(id),
            "this is the organisation's management account: SCPs and RCPs do not apply to it",
        );
    }
    let (enabled, path) = tokio::join!(enabled_types(org), parents(org, account));
    let org_path = path.as_ref().ok().map(|levels| {
        let parents = levels.iter().filter(|l| *l != account).map(String::as_str).collect::<Vec<_>>().join("/");
        format!("{id}/{parents}/")
    });
    let (scps, rcps) = tokio::join!(
        layer(org, &enabled, &path, PolicyType::ServiceControlPolicy, "SCPs"),
        layer(org, &enabled, &path, PolicyType::ResourceControlPolicy, "RCPs")
    );
    OrgPolicies { organization: Fetched::Known(id), org_path, scps, rcps }
}

/// The policy types the root has enabled.
async fn enabled_types(org: &Org) -> Result<Vec<PolicyType>, ReadFailure> {
    let call = org.call(org.api.list_roots().send(), |o| {
        o.roots()
            .iter()
            .flat_map(|r| r.policy_types())
            .filter(|t| t.status() == Some(&PolicyTypeStatus::Enabled))
            .filter_map(|t| t.r#type().cloned())
            .collect::<Vec<_>>()
    });
    read("organizations:ListRoots", call.await)
}

/// The levels from the root down to the account (the account's id last).
async fn parents(org: &Org, account: &str) -> Result<Vec<String>, ReadFailure> {
    const LIST: &str = "organizations:ListParents";
    let mut levels = vec![account.to_string()];
    while let Some(child) = levels.last().cloned() {
        if child.starts_with("r-") {
            break;
        }
        if levels.len() >= MAX_ORG_DEPTH {
            return Err(ReadFailure::other(LIST, format!("more than {MAX_ORG_DEPTH} levels: credwiz reads no more")));
        }
        let call = org.call(org.api.list_parents().child_id(&child).send(), |o| {
            o.parents().first().and_then(|p| p.id()).map(str::to_string)
        });
        match read(LIST, call.await)? {
            Some(parent) if !levels.contains(&parent) => levels.push(parent),
            _ => return Err(ReadFailure::other(LIST, format!("no parent above {child}"))),
        }
    }
    levels.reverse();
    Ok(levels)
}

async fn layer(
    org: &Org,
    enabled: &Result<Vec<PolicyType>, ReadFailure>,
    path: &Result<Vec<String>, ReadFailure>,
    kind: PolicyType,
    what: &str,
) -> Fetched<Vec<OrgLevelPolicies>> {
    match enabled {
        Ok(types) if !types.contains(&kind) => {
            return Fetched::Absent(format!("{what} are not enabled in the organisation"));
        }
        Ok(_) => {}
        Err(failure) => return Fetched::Unknown(failure.clone()),
    }
    let levels = match path {
        Ok(levels) => levels,
        Err(failure) => return Fetched::Unknown(failure.clone()),
    };
    let read_levels = join_all(levels.iter().map(|target| level(org, target, kind.clone()))).await;
    read_levels.into_iter().collect::<Result<Vec<_>, _>>().map_or_else(Fetched::Unknown, Fetched::Known)
}

/// The policies of one kind attached to one level, with their text.
async fn level(org: &Org, target: &str, kind: PolicyType) -> Result<OrgLevelPolicies, ReadFailure> {
    const LIST: &str = "organizations:ListPoliciesForTarget";
    let call =
        org.call(org.api.list_policies_for_target().target_id(target).filter(kind).max_results(20).send(), |o| {
            let ids: Vec<(String, String)> = o
                .policies()
                .iter()
                .filter_map(|p| Some((p.id()?.to_string(), p.name().unwrap_or_default().to_string())))
                .collect();
            (ids, o.next_token().is_some())
        });
    let (summaries, more) = read(LIST, call.await)?;
    if more || summaries.len() > MAX_ORG_POLICIES_PER_LEVEL {
        return Err(ReadFailure::other(
            LIST,
            format!("more than {MAX_ORG_POLICIES_PER_LEVEL} policies at {target}: credwiz reads no more"),
        ));
    }
    let texts = join_all(summaries.iter().map(|(id, name)| describe(org, id, name))).await;
    Ok(OrgLevelPolicies { target: target.to_string(), policies: texts.into_iter().collect::<Result<_, _>>()? })
}

async fn describe(org: &Org, id: &str, name: &str) -> Result<PolicyText, ReadFailure> {
    const DESCRIBE: &str = "organizations:DescribePolicy";
    let call = org.call(org.api.describe_policy().policy_id(id).send(), |o| {
        o.policy().and_then(|p| p.content()).map(str::to_string)
    });
    let content = read(DESCRIBE, call.await)?.ok_or_else(|| ReadFailure::other(DESCRIBE, "no content"))?;
    let label = if name.is_empty() { id.to_string() } else { format!("{name} ({id})") };
    document(DESCRIBE, &label, &content)
}
