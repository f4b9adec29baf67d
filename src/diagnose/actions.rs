//! Calls of the STS and IAM read actions credwiz can test directly
//! (`--action`), and the listing of an identity's policies as evidence.

use super::live::{Call, Failure, Live, SigningKeys, call};
use super::plan::LiveValue;
use chrono::Utc;
use std::time::Duration;

/// Maps any successful answer to [`LiveValue::Allowed`].
fn allowed<T>(_: T) -> LiveValue {
    LiveValue::Allowed
}

/// Calls one of the read actions in [`plan::CALLABLE_ACTIONS`].
pub async fn try_action(live: &Live, keys: &SigningKeys, action: &str) -> Call<LiveValue> {
    let iam = live.iam(keys);
    match action {
        "sts:GetCallerIdentity" => {
            let sts = live.sts(keys, None);
            call(|h| sts.get_caller_identity().customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:GetUser" => call(|h| iam.get_user().customize().interceptor(h.interceptor()).send(), allowed).await,
        "iam:ListAccessKeys" => {
            call(|h| iam.list_access_keys().customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListMFADevices" => {
            call(|h| iam.list_mfa_devices().customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListUsers" => {
            call(|h| iam.list_users().max_items(1).customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListRoles" => {
            call(|h| iam.list_roles().max_items(1).customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListGroups" => {
            call(|h| iam.list_groups().max_items(1).customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListPolicies" => {
            call(|h| iam.list_policies().max_items(1).customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListAccountAliases" => {
            call(|h| iam.list_account_aliases().customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:GetAccountSummary" => {
            call(|h| iam.get_account_summary().customize().interceptor(h.interceptor()).send(), allowed).await
        }
        "iam:ListAttachedUserPolicies" | "iam:ListUserPolicies" | "iam:ListGroupsForUser" => {
            let user = call(
                |h| iam.get_user().customize().interceptor(h.interceptor()).send(),
                |o| o.user().map(|u| u.user_name().to_string()).unwrap_or_default(),
            )
            .await;
            let name = match user.result {
                Ok(name) => name,
                Err(e) => {
                    return Call {
                        result: Err(e),
                        elapsed: user.elapsed,
                        server_date: user.server_date,
                        local_date: user.local_date,
                    };
                }
            };
            match action {
                "iam:ListAttachedUserPolicies" => {
                    call(
                        |h| {
                            iam.list_attached_user_policies()
                                .user_name(&name)
                                .customize()
                                .interceptor(h.interceptor())
                                .send()
                        },
                        allowed,
                    )
                    .await
                }
                "iam:ListUserPolicies" => {
                    call(
                        |h| iam.list_user_policies().user_name(&name).customize().interceptor(h.interceptor()).send(),
                        allowed,
                    )
                    .await
                }
                _ => {
                    call(
                        |h| iam.list_groups_for_user().user_name(&name).customize().interceptor(h.interceptor()).send(),
                        allowed,
                    )
                    .await
                }
            }
        }
        other => Call {
            result: Err(Failure::Other(format!("{other} is not an action credwiz can call"))),
            elapsed: Duration::ZERO,
            server_date: None,
            local_date: Utc::now(),
        },
    }
}

/// Lists a user's attached and inline policies, groups and boundary, as evidence.
pub async fn list_policies(live: &Live, keys: &SigningKeys, user: &str) -> Call<LiveValue> {
    let iam = live.iam(keys);
    let attached = call(
        |h| iam.list_attached_user_policies().user_name(user).customize().interceptor(h.interceptor()).send(),
        |o| {
            o.attached_policies()
                .iter()
                .filter_map(|p| p.policy_name().map(|n| format!("attached: {n}")))
                .collect::<Vec<_>>()
        },
    )
    .await;
    let mut found = match attached.result {
        Ok(list) => list,
        Err(e) => {
            return Call {
                result: Err(e),
                elapsed: attached.elapsed,
                server_date: attached.server_date,
                local_date: attached.local_date,
            };
        }
    };
    let inline = call(
        |h| iam.list_user_policies().user_name(user).customize().interceptor(h.interceptor()).send(),
        |o| o.policy_names().iter().map(|n| format!("inline: {n}")).collect::<Vec<_>>(),
    )
    .await;
    found.extend(inline.result.unwrap_or_default());
    let groups = call(
        |h| iam.list_groups_for_user().user_name(user).customize().interceptor(h.interceptor()).send(),
        |o| o.groups().iter().map(|g| format!("group: {}", g.group_name())).collect::<Vec<_>>(),
    )
    .await;
    found.extend(groups.result.unwrap_or_default());
    let boundary = call(
        |h| iam.get_user().user_name(user).customize().interceptor(h.interceptor()).send(),
        |o| {
            o.user()
                .and_then(|u| u.permissions_boundary())
                .and_then(|b| b.permissions_boundary_arn())
                .map(|a| format!("permissions boundary: {a}"))
        },
    )
    .await;
    found.extend(boundary.result.ok().flatten());
    Call {
        result: Ok(LiveValue::Policies(found)),
        elapsed: attached.elapsed + inline.elapsed + groups.elapsed,
        server_date: attached.server_date,
        local_date: attached.local_date,
    }
}
