//! The identity's own policies, read from IAM: for a user its inline
//! policies, its attached managed policies at their default version, the
//! inline and attached policies of its groups, its permissions boundary and
//! its tags; for a role (the caller is one of its sessions) the same
//! without groups, and its ARN with its path. The reads run concurrently;
//! when the listings one by one are denied, `GetAccountAuthorizationDetails`
//! (one call, a few pages at most) is tried instead. IO through [`Live`].

use crate::aws::live::{Call, Client, Live, SigningKeys};
use crate::aws::policies::{
    Fetched, IamPrincipal, IdentityPolicies, MAX_ATTACHED_POLICIES, MAX_AUTHORIZATION_DETAIL_PAGES, MAX_GROUPS,
    MAX_INLINE_POLICIES, PolicyText, ReadFailure, combined, document, read,
};
use aws_sdk_iam::operation::get_account_authorization_details::GetAccountAuthorizationDetailsOutput as Details;
use aws_sdk_iam::types::{AttachedPolicy, EntityType, ManagedPolicyDetail, PolicyDetail};
use futures::future::join_all;
use std::future::Future;
use std::time::Instant;

type Iam = Client<aws_sdk_iam::Client>;

/// How many items one listing asks for (more than any bound, so a truncated answer means "too many").
const LIST_PAGE: i32 = 100;

/// Reads the identity's policies, boundary and tags.
pub async fn read_identity(live: &Live, keys: &SigningKeys, principal: &IamPrincipal) -> Call<IdentityPolicies> {
    let started = Instant::now();
    let iam = live.iam(keys);
    let mut found = match principal {
        IamPrincipal::User(name) => {
            let (policies, boundary, tags) =
                tokio::join!(user_policies(&iam, name), user_boundary(&iam, name), user_tags(&iam, name));
            IdentityPolicies {
                principal: principal.clone(),
                policies: known(policies),
                boundary,
                tags,
                role_arn: None,
                via: "the IAM reads of the identity",
            }
        }
        IamPrincipal::Role(name) => {
            let (policies, (boundary, role_arn), tags) =
                tokio::join!(role_policies(&iam, name), role(&iam, name), role_tags(&iam, name));
            IdentityPolicies {
                principal: principal.clone(),
                policies: known(policies),
                boundary,
                tags,
                role_arn,
                via: "the IAM reads of the identity",
            }
        }
    };
    if (denied(&found.policies) || denied(&found.boundary))
        && let Ok(details) = authorization_details(&iam, principal).await
    {
        found = IdentityPolicies { tags: if denied(&found.tags) { details.tags } else { found.tags }, ..details };
    }
    combined(found, started.elapsed())
}

fn known<T>(result: Result<T, ReadFailure>) -> Fetched<T> {
    result.map_or_else(Fetched::Unknown, Fetched::Known)
}

/// Whether AWS denied the read (another identity's view could then still work).
fn denied<T>(fetched: &Fetched<T>) -> bool {
    fetched.failure().is_some_and(ReadFailure::is_denied)
}

/// At most `max` items, or a failure saying there are more.
fn bounded<T>(request: &str, items: Vec<T>, truncated: bool, max: usize, what: &str) -> Result<Vec<T>, ReadFailure> {
    if truncated || items.len() > max {
        Err(ReadFailure::other(request, format!("more than {max} {what}: credwiz reads no more")))
    } else {
        Ok(items)
    }
}

/// The inline policies of one user, group or role: the listing, then each document.
async fn inline<L, G, GF>(requests: (&str, &str), owner: &str, list: L, get: G) -> Result<Vec<PolicyText>, ReadFailure>
where
    L: Future<Output = Call<(Vec<String>, bool)>>,
    G: Fn(String) -> GF,
    GF: Future<Output = Call<String>>,
{
    let (list_request, get_request) = requests;
    let (names, truncated) = read(list_request, list.await)?;
    let names = bounded(list_request, names, truncated, MAX_INLINE_POLICIES, "inline policies")?;
    let documents = join_all(names.into_iter().map(|name| {
        let raw = get(name.clone());
        async move { document(get_request, &format!("{name} (inline, {owner})"), &read(get_request, raw.await)?) }
    }))
    .await;
    documents.into_iter().collect()
}

/// The managed policies attached to one user, group or role, each at its default version.
async fn attached<L>(iam: &Iam, request: &str, via: Option<&str>, list: L) -> Result<Vec<PolicyText>, ReadFailure>
where
    L: Future<Output = Call<(Vec<String>, bool)>>,
{
    let (arns, truncated) = read(request, list.await)?;
    let arns = bounded(request, arns, truncated, MAX_ATTACHED_POLICIES, "attached policies")?;
    join_all(arns.iter().map(|arn| managed(iam, arn, via))).await.into_iter().collect()
}

fn attached_arns(list: &[AttachedPolicy]) -> Vec<String> {
    list.iter().filter_map(|p| p.policy_arn().map(str::to_string)).collect()
}

/// The name of a managed policy from its ARN (`arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`).
fn managed_name(arn: &str, via: Option<&str>) -> String {
    let name = arn.rsplit('/').next().unwrap_or(arn);
    match via {
        Some(via) => format!("{name} (via {via})"),
        None => name.to_string(),
    }
}

/// A managed policy's default version: GetPolicy, then GetPolicyVersion.
async fn managed(iam: &Iam, arn: &str, via: Option<&str>) -> Result<PolicyText, ReadFailure> {
    const POLICY: &str = "iam:GetPolicy";
    const VERSION: &str = "iam:GetPolicyVersion";
    let call = iam.call(iam.api.get_policy().policy_arn(arn).send(), |o| {
        o.policy().and_then(|p| p.default_version_id()).map(str::to_string)
    });
    let version = read(POLICY, call.await)?.ok_or_else(|| ReadFailure::other(POLICY, "no default version"))?;
    let call = iam.call(iam.api.get_policy_version().policy_arn(arn).version_id(&version).send(), |o| {
        o.policy_version().and_then(|v| v.document()).map(str::to_string)
    });
    let raw = read(VERSION, call.await)?.ok_or_else(|| ReadFailure::other(VERSION, "no document"))?;
    document(VERSION, &managed_name(arn, via), &raw)
}

async fn user_policies(iam: &Iam, user: &str) -> Result<Vec<PolicyText>, ReadFailure> {
    let owner = format!("user {user}");
    let own = inline(
        ("iam:ListUserPolicies", "iam:GetUserPolicy"),
        &owner,
        iam.call(iam.api.list_user_policies().user_name(user).max_items(LIST_PAGE).send(), |o| {
            (o.policy_names().to_vec(), o.is_truncated())
        }),
        |name| {
            iam.call(iam.api.get_user_policy().user_name(user).policy_name(name).send(), |o| {
                o.policy_document().to_string()
            })
        },
    );
    let attached_here = attached(
        iam,
        "iam:ListAttachedUserPolicies",
        None,
        iam.call(iam.api.list_attached_user_policies().user_name(user).max_items(LIST_PAGE).send(), |o| {
            (attached_arns(o.attached_policies()), o.is_truncated())
        }),
    );
    let (own, attached_here, groups) = tokio::join!(own, attached_here, groups(iam, user));
    Ok(own?.into_iter().chain(attached_here?).chain(groups?).collect())
}

async fn groups(iam: &Iam, user: &str) -> Result<Vec<PolicyText>, ReadFailure> {
    const LIST: &str = "iam:ListGroupsForUser";
    let call = iam.call(iam.api.list_groups_for_user().user_name(user).max_items(LIST_PAGE).send(), |o| {
        (o.groups().iter().map(|g| g.group_name().to_string()).collect::<Vec<_>>(), o.is_truncated())
    });
    let (names, truncated) = read(LIST, call.await)?;
    let names = bounded(LIST, names, truncated, MAX_GROUPS, "groups")?;
    let each = join_all(names.iter().map(|group| group_policies(iam, group))).await;
    Ok(each.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter().flatten().collect())
}

async fn group_policies(iam: &Iam, group: &str) -> Result<Vec<PolicyText>, ReadFailure> {
    let owner = format!("group {group}");
    let own = inline(
        ("iam:ListGroupPolicies", "iam:GetGroupPolicy"),
        &owner,
        iam.call(iam.api.list_group_policies().group_name(group).max_items(LIST_PAGE).send(), |o| {
            (o.policy_names().to_vec(), o.is_truncated())
        }),
        |name| {
            iam.call(iam.api.get_group_policy().group_name(group).policy_name(name).send(), |o| {
                o.policy_document().to_string()
            })
        },
    );
    let attached_here = attached(
        iam,
        "iam:ListAttachedGroupPolicies",
        Some(&owner),
        iam.call(iam.api.list_attached_group_policies().group_name(group).max_items(LIST_PAGE).send(), |o| {
            (attached_arns(o.attached_policies()), o.is_truncated())
        }),
    );
    let (own, attached_here) = tokio::join!(own, attached_here);
    Ok(own?.into_iter().chain(attached_here?).collect())
}

/// The boundary's ARN, read into its policy (absent when there is none).
async fn boundary_policy(iam: &Iam, arn: Result<Option<String>, ReadFailure>) -> Fetched<PolicyText> {
    match arn {
        Ok(None) => Fetched::Absent("no permissions boundary is set".into()),
        Ok(Some(arn)) => known(managed(iam, &arn, None).await),
        Err(failure) => Fetched::Unknown(failure),
    }
}

async fn user_boundary(iam: &Iam, user: &str) -> Fetched<PolicyText> {
    let call = iam.call(iam.api.get_user().user_name(user).send(), |o| {
        o.user().and_then(|u| u.permissions_boundary()).and_then(|b| b.permissions_boundary_arn()).map(str::to_string)
    });
    boundary_policy(iam, read("iam:GetUser", call.await)).await
}

fn tags_of(list: &[aws_sdk_iam::types::Tag]) -> Vec<(String, String)> {
    list.iter().map(|t| (t.key().to_string(), t.value().to_string())).collect()
}

async fn user_tags(iam: &Iam, user: &str) -> Fetched<Vec<(String, String)>> {
    let call = iam.call(iam.api.list_user_tags().user_name(user).max_items(LIST_PAGE).send(), |o| tags_of(o.tags()));
    known(read("iam:ListUserTags", call.await))
}

async fn role_policies(iam: &Iam, role: &str) -> Result<Vec<PolicyText>, ReadFailure> {
    let owner = format!("role {role}");
    let own = inline(
        ("iam:ListRolePolicies", "iam:GetRolePolicy"),
        &owner,
        iam.call(iam.api.list_role_policies().role_name(role).max_items(LIST_PAGE).send(), |o| {
            (o.policy_names().to_vec(), o.is_truncated())
        }),
        |name| {
            iam.call(iam.api.get_role_policy().role_name(role).policy_name(name).send(), |o| {
                o.policy_document().to_string()
            })
        },
    );
    let attached_here = attached(
        iam,
        "iam:ListAttachedRolePolicies",
        None,
        iam.call(iam.api.list_attached_role_policies().role_name(role).max_items(LIST_PAGE).send(), |o| {
            (attached_arns(o.attached_policies()), o.is_truncated())
        }),
    );
    let (own, attached_here) = tokio::join!(own, attached_here);
    Ok(own?.into_iter().chain(attached_here?).collect())
}

/// GetRole: the boundary and the role's ARN (with its path).
async fn role(iam: &Iam, role: &str) -> (Fetched<PolicyText>, Option<String>) {
    let call = iam.call(iam.api.get_role().role_name(role).send(), |o| {
        let role = o.role();
        let boundary = role.and_then(|r| r.permissions_boundary()).and_then(|b| b.permissions_boundary_arn());
        (boundary.map(str::to_string), role.map(|r| r.arn().to_string()))
    });
    match read("iam:GetRole", call.await) {
        Ok((boundary, arn)) => (boundary_policy(iam, Ok(boundary)).await, arn),
        Err(failure) => (Fetched::Unknown(failure), None),
    }
}

async fn role_tags(iam: &Iam, role: &str) -> Fetched<Vec<(String, String)>> {
    let call = iam.call(iam.api.list_role_tags().role_name(role).max_items(LIST_PAGE).send(), |o| tags_of(o.tags()));
    known(read("iam:ListRoleTags", call.await))
}

const DETAILS: &str = "iam:GetAccountAuthorizationDetails";

/// The same from `GetAccountAuthorizationDetails`: a few pages at most, the
/// identity found in them, managed policies from the pages (their default
/// version) or, for AWS managed ones, read one by one.
async fn authorization_details(iam: &Iam, principal: &IamPrincipal) -> Result<IdentityPolicies, ReadFailure> {
    let filters: &[EntityType] = match principal {
        IamPrincipal::User(_) => &[EntityType::User, EntityType::Group, EntityType::LocalManagedPolicy],
        IamPrincipal::Role(_) => &[EntityType::Role, EntityType::LocalManagedPolicy],
    };
    let mut pages: Vec<Details> = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..MAX_AUTHORIZATION_DETAIL_PAGES {
        let mut request = iam.api.get_account_authorization_details().max_items(1000);
        for filter in filters {
            request = request.filter(filter.clone());
        }
        if let Some(marker) = &marker {
            request = request.marker(marker);
        }
        let page = read(DETAILS, iam.call(request.send(), |o| o).await)?;
        marker = page.marker().filter(|_| page.is_truncated()).map(str::to_string);
        pages.push(page);
        if marker.is_none() {
            break;
        }
    }
    let details = Pages { iam, pages: &pages };
    let not_found = || {
        ReadFailure::other(
            DETAILS,
            format!("{} is not in the first {MAX_AUTHORIZATION_DETAIL_PAGES} pages", principal.describe()),
        )
    };
    match principal {
        IamPrincipal::User(name) => {
            let user = pages
                .iter()
                .flat_map(|p| p.user_detail_list())
                .find(|u| u.user_name() == Some(name.as_str()))
                .ok_or_else(not_found)?;
            let owner = format!("user {name}");
            let mut policies = details.inline(&owner, user.user_policy_list())?;
            policies.extend(details.attached(user.attached_managed_policies(), None).await?);
            for group in user.group_list().iter().take(MAX_GROUPS) {
                let detail = pages
                    .iter()
                    .flat_map(|p| p.group_detail_list())
                    .find(|g| g.group_name() == Some(group.as_str()))
                    .ok_or_else(|| ReadFailure::other(DETAILS, format!("group {group} is not in the pages read")))?;
                let via = format!("group {group}");
                policies.extend(details.inline(&via, detail.group_policy_list())?);
                policies.extend(details.attached(detail.attached_managed_policies(), Some(&via)).await?);
            }
            let boundary = user.permissions_boundary().and_then(|b| b.permissions_boundary_arn());
            Ok(IdentityPolicies {
                principal: principal.clone(),
                policies: Fetched::Known(policies),
                boundary: details.boundary(boundary).await,
                tags: Fetched::Known(tags_of(user.tags())),
                role_arn: None,
                via: DETAILS,
            })
        }
        IamPrincipal::Role(name) => {
            let role = pages
                .iter()
                .flat_map(|p| p.role_detail_list())
                .find(|r| r.role_name() == Some(name.as_str()))
                .ok_or_else(not_found)?;
            let mut policies = details.inline(&format!("role {name}"), role.role_policy_list())?;
            policies.extend(details.attached(role.attached_managed_policies(), None).await?);
            let boundary = role.permissions_boundary().and_then(|b| b.permissions_boundary_arn());
            Ok(IdentityPolicies {
                principal: principal.clone(),
                policies: Fetched::Known(policies),
                boundary: details.boundary(boundary).await,
                tags: Fetched::Known(tags_of(role.tags())),
                role_arn: role.arn().map(str::to_string),
                via: DETAILS,
            })
        }
    }
}

/// The pages of GetAccountAuthorizationDetails, and how to read policies out of them.
struct Pages<'a> {
    iam: &'a Iam,
    pages: &'a [Details],
}

impl Pages<'_> {
    fn inline(&self, owner: &str, list: &[PolicyDetail]) -> Result<Vec<PolicyText>, ReadFailure> {
        let list = bounded(DETAILS, list.to_vec(), false, MAX_INLINE_POLICIES, "inline policies")?;
        list.iter()
            .map(|p| {
                let name = p.policy_name().unwrap_or("(unnamed)");
                document(DETAILS, &format!("{name} (inline, {owner})"), p.policy_document().unwrap_or_default())
            })
            .collect()
    }

    fn policy(&self, arn: &str) -> Option<&ManagedPolicyDetail> {
        self.pages.iter().flat_map(|p| p.policies()).find(|p| p.arn() == Some(arn))
    }

    /// A managed policy: its default version from the pages, else read one by one.
    async fn managed(&self, arn: &str, via: Option<&str>) -> Result<PolicyText, ReadFailure> {
        let in_pages = self
            .policy(arn)
            .and_then(|p| p.policy_version_list().iter().find(|v| v.is_default_version()).and_then(|v| v.document()));
        match in_pages {
            Some(raw) => document(DETAILS, &managed_name(arn, via), raw),
            None => managed(self.iam, arn, via).await,
        }
    }

    async fn attached(&self, list: &[AttachedPolicy], via: Option<&str>) -> Result<Vec<PolicyText>, ReadFailure> {
        let arns = bounded(DETAILS, attached_arns(list), false, MAX_ATTACHED_POLICIES, "attached policies")?;
        join_all(arns.iter().map(|arn| self.managed(arn, via))).await.into_iter().collect()
    }

    async fn boundary(&self, arn: Option<&str>) -> Fetched<PolicyText> {
        match arn {
            None => Fetched::Absent("no permissions boundary is set".into()),
            Some(arn) => known(self.managed(arn, None).await),
        }
    }
}
