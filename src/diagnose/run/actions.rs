//! The STS and IAM read actions credwiz can call directly to test an
//! `--action`, in one table; and the listing of an identity's policies as
//! evidence. IO: each entry sends its request through [`Live`].

use crate::aws::live::{Call, Failure, Live, SigningKeys};
use crate::diagnose::run::check::LiveValue;
use aws_sdk_sts::error::ProvideErrorMetadata;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use futures::future::BoxFuture;
use std::future::Future;

/// Runs one read: the client setup, the signing keys and, for reads about
/// the caller's own user, its IAM user name.
type Run = for<'a> fn(&'a Live, &'a SigningKeys, Option<&'a str>) -> BoxFuture<'a, Call<LiveValue>>;

/// A read action credwiz can call.
pub struct ReadAction {
    /// The canonical name, `service:Action`.
    pub name: &'static str,
    run: Run,
}

impl ReadAction {
    /// Calls the action; any successful answer means it is allowed.
    pub async fn call(&self, live: &Live, keys: &SigningKeys, user: Option<&str>) -> Call<LiveValue> {
        (self.run)(live, keys, user).await
    }
}

/// Every read action credwiz can call, by name.
pub const READ_ACTIONS: &[ReadAction] = &[
    ReadAction {
        name: "sts:GetCallerIdentity",
        run: |live, keys, _| {
            Box::pin(async move {
                let sts = live.sts(keys, None);
                sts.call(sts.api.get_caller_identity().send(), |_| LiveValue::Allowed).await
            })
        },
    },
    ReadAction { name: "iam:GetUser", run: |live, keys, _| iam(live, keys, |c| c.get_user().send()) },
    ReadAction { name: "iam:ListAccessKeys", run: |live, keys, _| iam(live, keys, |c| c.list_access_keys().send()) },
    ReadAction { name: "iam:ListMFADevices", run: |live, keys, _| iam(live, keys, |c| c.list_mfa_devices().send()) },
    ReadAction { name: "iam:ListUsers", run: |live, keys, _| iam(live, keys, |c| c.list_users().max_items(1).send()) },
    ReadAction { name: "iam:ListRoles", run: |live, keys, _| iam(live, keys, |c| c.list_roles().max_items(1).send()) },
    ReadAction {
        name: "iam:ListGroups",
        run: |live, keys, _| iam(live, keys, |c| c.list_groups().max_items(1).send()),
    },
    ReadAction {
        name: "iam:ListPolicies",
        run: |live, keys, _| iam(live, keys, |c| c.list_policies().max_items(1).send()),
    },
    ReadAction {
        name: "iam:ListAccountAliases",
        run: |live, keys, _| iam(live, keys, |c| c.list_account_aliases().send()),
    },
    ReadAction {
        name: "iam:GetAccountSummary",
        run: |live, keys, _| iam(live, keys, |c| c.get_account_summary().send()),
    },
    ReadAction {
        name: "iam:ListAttachedUserPolicies",
        run: |live, keys, user| match user {
            Some(user) => iam(live, keys, move |c| c.list_attached_user_policies().user_name(user).send()),
            None => not_a_user(),
        },
    },
    ReadAction {
        name: "iam:ListUserPolicies",
        run: |live, keys, user| match user {
            Some(user) => iam(live, keys, move |c| c.list_user_policies().user_name(user).send()),
            None => not_a_user(),
        },
    },
    ReadAction {
        name: "iam:ListGroupsForUser",
        run: |live, keys, user| match user {
            Some(user) => iam(live, keys, move |c| c.list_groups_for_user().user_name(user).send()),
            None => not_a_user(),
        },
    },
];

/// The read action with this name (case-insensitive), if credwiz can call it.
pub fn known(action: &str) -> Option<&'static ReadAction> {
    READ_ACTIONS.iter().find(|a| a.name.eq_ignore_ascii_case(action.trim()))
}

/// One IAM request built by `build`; any answer means allowed.
fn iam<'a, F, Fut, O, E>(live: &'a Live, keys: &'a SigningKeys, build: F) -> BoxFuture<'a, Call<LiveValue>>
where
    F: FnOnce(&aws_sdk_iam::Client) -> Fut + Send + 'a,
    Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>> + Send + 'a,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    Box::pin(async move {
        let client = live.iam(keys);
        client.call(build(&client.api), |_| LiveValue::Allowed).await
    })
}

fn not_a_user<'a>() -> BoxFuture<'a, Call<LiveValue>> {
    Box::pin(async { Call::failed(Failure::Other("this read is about an IAM user, and the caller is not one".into())) })
}

/// Lists a user's attached and inline policies, groups and boundary, as evidence.
pub async fn list_policies(live: &Live, keys: &SigningKeys, user: &str) -> Call<LiveValue> {
    let client = live.iam(keys);
    let iam = &client.api;
    let attached = client
        .call(iam.list_attached_user_policies().user_name(user).send(), |o| {
            o.attached_policies()
                .iter()
                .filter_map(|p| p.policy_name().map(|n| format!("attached: {n}")))
                .collect::<Vec<_>>()
        })
        .await;
    let mut found = match &attached.result {
        Ok(list) => list.clone(),
        Err(e) => return attached.with_result(Err(e.clone())),
    };
    let inline = client
        .call(iam.list_user_policies().user_name(user).send(), |o| {
            o.policy_names().iter().map(|n| format!("inline: {n}")).collect::<Vec<_>>()
        })
        .await;
    found.extend(inline.result.unwrap_or_default());
    let groups = client
        .call(iam.list_groups_for_user().user_name(user).send(), |o| {
            o.groups().iter().map(|g| format!("group: {}", g.group_name())).collect::<Vec<_>>()
        })
        .await;
    found.extend(groups.result.unwrap_or_default());
    let boundary = client
        .call(iam.get_user().user_name(user).send(), |o| {
            o.user()
                .and_then(|u| u.permissions_boundary())
                .and_then(|b| b.permissions_boundary_arn())
                .map(|a| format!("permissions boundary: {a}"))
        })
        .await;
    found.extend(boundary.result.ok().flatten());
    let mut call = attached.with_result(Ok(LiveValue::Policies(found)));
    call.elapsed += inline.elapsed + groups.elapsed + boundary.elapsed;
    call
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_knows_its_actions_whatever_the_case() {
        assert_eq!(known(" IAM:listusers ").map(|a| a.name), Some("iam:ListUsers"));
        assert!(known("s3:ListBucket").is_none());
        let mut names: Vec<&str> = READ_ACTIONS.iter().map(|a| a.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), READ_ACTIONS.len(), "each action once");
    }
}
