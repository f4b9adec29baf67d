//! Performing one live check: the STS and IAM calls through the SDK (`live`,
//! `actions`, `policies`), the credential chain hop by hop (`hops`), and the
//! probe of the network path (`netpath`). The runner schedules; this is the
//! IO of each check.

use crate::aws::live::{Call, Failure, Live, SigningKeys};
use crate::aws::policies;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::options::{ActionName, MfaCode};
use crate::diagnose::run::actions;
use crate::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Session, Simulation, Who};
use crate::hops;
use crate::netpath;
use chrono::{DateTime, Utc};

/// Runs the hops of the facts' credential chain, each with the credentials of the one before.
async fn run_chain(live: &Live, facts: &Facts) -> Call<LiveValue> {
    let Some(chain) = &facts.hops else {
        return Call::failed(Failure::Other("the credentials do not come from a chain of hops".into()));
    };
    let clients = hops::SdkClients::new(live.sdk_config(), facts.signing_region());
    let scrubber = hops::Scrubber::new();
    let ctx = hops::Context { env: &facts.env, now: facts.now, timeout: live.attempt_timeout, scrubber: &scrubber };
    let options = hops::run::RunOptions {
        mfa_code: facts.options.mfa_code.as_ref().map(|c| c.digits().to_string()),
        imds: Some(hops::metadata::ImdsSettings::resolve(&facts.env, facts.view.profiles.get(&facts.profile))),
        sts_region: facts.signing_region(),
    };
    let started = std::time::Instant::now();
    let outcomes = hops::run::run_chain(chain, &clients, &options, &ctx).await;
    for credentials in outcomes.iter().filter_map(|o| o.credentials.as_ref()) {
        crate::redact::register_secret(&credentials.secret_access_key);
        if let Some(token) = &credentials.session_token {
            crate::redact::register_secret(token);
        }
    }
    Call {
        result: Ok(LiveValue::Chain(outcomes)),
        elapsed: started.elapsed(),
        server_date: None,
        local_date: Utc::now(),
    }
}

/// Probes the network path to the STS endpoint within what is left of the run.
async fn probe_path(live: &Live, facts: &Facts) -> Call<LiveValue> {
    let target = match &facts.endpoint {
        Ok(target) => target.clone(),
        Err(why) => return Call::failed(Failure::Other(format!("no endpoint to probe: {why}"))),
    };
    // Leave a moment at the end of the run for the report.
    let deadline = live.deadline.checked_sub(std::time::Duration::from_millis(150)).unwrap_or(live.deadline);
    let mut input = netpath::ProbeInput::new(target, netpath::ProxyEnv::from_environment(&facts.env), deadline);
    if let Some((bundle, source)) = facts.ca_bundle()
        && let Ok(pem) = &bundle.pem
    {
        input = input.with_ca_bundle(netpath::CaBundle { pem: pem.clone(), source });
    }
    let started = std::time::Instant::now();
    let report = netpath::probe(&input).await;
    Call {
        result: Ok(LiveValue::Path(Box::new(report))),
        elapsed: started.elapsed(),
        server_date: None,
        local_date: Utc::now(),
    }
}

fn smithy_time(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// Performs one check with the real SDK.
pub async fn execute(live: &Live, facts: &Facts, check: LiveCheck, keys: Option<SigningKeys>) -> Call<LiveValue> {
    match check {
        LiveCheck::Chain => return run_chain(live, facts).await,
        LiveCheck::ProbePath => return probe_path(live, facts).await,
        _ => {}
    }
    let Some(keys) = keys else {
        return Call::failed(Failure::Other("no keys to sign with".into()));
    };
    match check {
        LiveCheck::Chain => run_chain(live, facts).await,
        LiveCheck::ProbePath => probe_path(live, facts).await,
        LiveCheck::CallerIdentity { region, .. } => caller_identity(live, &keys, region.as_deref()).await,
        LiveCheck::AccessKeyInfo { key_id, .. } => access_key_info(live, &keys, key_id).await,
        // Through another profile: the keys of the active key's owner, found as `scan` finds them.
        LiveCheck::ListAccessKeys { who: Who::Other(_) } => match facts.active_key_id() {
            // On the heap: the lookup's future is large, and every check's future has its size.
            Some(key_id) => Box::pin(super::key_owner::owner_keys(live, &keys, key_id.as_str())).await,
            None => Call::failed(Failure::Other("no access key to look up".into())),
        },
        LiveCheck::ListAccessKeys { .. } => list_access_keys(live, &keys).await,
        LiveCheck::KeyLastUsed { key_id, .. } => key_last_used(live, &keys, key_id).await,
        LiveCheck::ListMfaDevices { .. } => list_mfa_devices(live, &keys).await,
        LiveCheck::AccountAlias { .. } => account_alias(live, &keys).await,
        LiveCheck::SessionToken { serial, code } => session_token(live, &keys, serial, &code).await,
        LiveCheck::Simulate { arn, action, .. } => simulate(live, &keys, arn, &action).await,
        LiveCheck::DecodeMessage { message } => decode_message(live, &keys, message).await,
        LiveCheck::ListPolicies { user, .. } => actions::list_policies(live, &keys, &user).await,
        LiveCheck::IdentityPolicies { principal, .. } => policies::iam::read_identity(live, &keys, &principal)
            .await
            .map(|read| LiveValue::IdentityPolicies(Box::new(read))),
        LiveCheck::OrgPolicies { account, .. } => policies::org::read_organization(live, &keys, &account)
            .await
            .map(|read| LiveValue::OrgPolicies(Box::new(read))),
        LiveCheck::RoleTrust { role, .. } => {
            let iam = live.iam(&keys);
            let call = iam
                .call(iam.api.get_role().role_name(&role).send(), |o| {
                    o.role().and_then(|r| r.assume_role_policy_document()).map(str::to_string)
                })
                .await;
            let result = match call.result.clone() {
                Ok(Some(raw)) => policies::document("iam:GetRole", &role, &raw)
                    .map(|d| LiveValue::TrustPolicy(d.text))
                    .map_err(|e| *e.failure),
                Ok(None) => Err(Failure::Other("GetRole answered without a trust policy".into())),
                Err(e) => Err(e),
            };
            call.with_result(result)
        }
        LiveCheck::TryAction { action, user, .. } => match actions::known(action.as_str()) {
            Some(read) => read.call(live, &keys, user.as_deref()).await,
            None => Call::failed(Failure::Other(format!("{action} is not an action credwiz can call"))),
        },
    }
}

/// sts:GetCallerIdentity, in `region` or the user's region.
async fn caller_identity(live: &Live, keys: &SigningKeys, region: Option<&str>) -> Call<LiveValue> {
    let sts = live.sts(keys, region);
    sts.call(sts.api.get_caller_identity().send(), |o| {
        LiveValue::Identity(Identity {
            account: o.account().unwrap_or_default().to_string(),
            arn: o.arn().unwrap_or_default().to_string(),
            user_id: o.user_id().unwrap_or_default().to_string(),
            account_alias: None,
        })
    })
    .await
}

/// sts:GetAccessKeyInfo: the account a key id belongs to.
async fn access_key_info(live: &Live, keys: &SigningKeys, key_id: String) -> Call<LiveValue> {
    let sts = live.sts(keys, Some(live.home_region()));
    sts.call(sts.api.get_access_key_info().access_key_id(key_id).send(), |o| {
        LiveValue::Account(o.account().unwrap_or_default().to_string())
    })
    .await
}

/// iam:ListAccessKeys for the caller: each key, whether it is active, and when it was made.
async fn list_access_keys(live: &Live, keys: &SigningKeys) -> Call<LiveValue> {
    let iam = live.iam(keys);
    iam.call(iam.api.list_access_keys().send(), |o| {
        LiveValue::AccessKeys(
            o.access_key_metadata()
                .iter()
                .map(|k| KeyInfo {
                    id: k.access_key_id().unwrap_or_default().to_string(),
                    active: k.status().is_some_and(|s| s.as_str() == "Active"),
                    created: k.create_date().and_then(smithy_time),
                })
                .collect(),
        )
    })
    .await
}

/// iam:GetAccessKeyLastUsed: when and for which service (AWS's "N/A" is none).
async fn key_last_used(live: &Live, keys: &SigningKeys, key_id: String) -> Call<LiveValue> {
    let iam = live.iam(keys);
    iam.call(iam.api.get_access_key_last_used().access_key_id(key_id).send(), |o| {
        let used = o.access_key_last_used();
        LiveValue::LastUsed {
            date: used.and_then(|u| u.last_used_date()).and_then(smithy_time),
            service: used.map(|u| u.service_name().to_string()).filter(|s| s != "N/A"),
        }
    })
    .await
}

/// iam:ListMFADevices for the caller: the devices' serial numbers.
async fn list_mfa_devices(live: &Live, keys: &SigningKeys) -> Call<LiveValue> {
    let iam = live.iam(keys);
    iam.call(iam.api.list_mfa_devices().send(), |o| {
        LiveValue::MfaDevices(o.mfa_devices().iter().map(|d| d.serial_number().to_string()).collect())
    })
    .await
}

/// iam:ListAccountAliases: the account's alias (an account has one at most).
async fn account_alias(live: &Live, keys: &SigningKeys) -> Call<LiveValue> {
    let iam = live.iam(keys);
    iam.call(iam.api.list_account_aliases().send(), |o| {
        LiveValue::Alias(o.account_aliases().first().map(|a| crate::base::sanitize::shown(a, 64)))
    })
    .await
}

/// sts:GetSessionToken with an MFA code; an answer without credentials is a failure.
async fn session_token(live: &Live, keys: &SigningKeys, serial: String, code: &MfaCode) -> Call<LiveValue> {
    let sts = live.sts(keys, Some(live.home_region()));
    let call = sts
        .call(sts.api.get_session_token().serial_number(serial).token_code(code.digits()).send(), |o| {
            o.credentials().map(|c| {
                LiveValue::Session(Session {
                    keys: SigningKeys {
                        access_key_id: c.access_key_id().into(),
                        secret: c.secret_access_key().to_string().into(),
                        token: Some(c.session_token().to_string().into()),
                    },
                    expiration: smithy_time(c.expiration()),
                })
            })
        })
        .await;
    let result = match call.result.clone() {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(Failure::Other("GetSessionToken answered without credentials".into())),
        Err(e) => Err(e),
    };
    call.with_result(result)
}

/// iam:SimulatePrincipalPolicy for one action: the decision, what Organizations
/// and the boundary said, and the statements that matched.
async fn simulate(live: &Live, keys: &SigningKeys, arn: String, action: &ActionName) -> Call<LiveValue> {
    let iam = live.iam(keys);
    iam.call(iam.api.simulate_principal_policy().policy_source_arn(arn).action_names(action.as_str()).send(), |o| {
        let first = o.evaluation_results().first();
        LiveValue::Simulation(Simulation {
            decision: first.map(|r| r.eval_decision().as_str().to_string()).unwrap_or_default(),
            allowed_by_organizations: first
                .and_then(|r| r.organizations_decision_detail())
                .map(|d| d.allowed_by_organizations()),
            allowed_by_boundary: first
                .and_then(|r| r.permissions_boundary_decision_detail())
                .map(|d| d.allowed_by_permissions_boundary()),
            matched: first
                .map(|r| {
                    r.matched_statements().iter().filter_map(|s| s.source_policy_id().map(str::to_string)).collect()
                })
                .unwrap_or_default(),
        })
    })
    .await
}

/// sts:DecodeAuthorizationMessage for an encoded message in a pasted error.
async fn decode_message(live: &Live, keys: &SigningKeys, message: String) -> Call<LiveValue> {
    let sts = live.sts(keys, Some(live.home_region()));
    sts.call(sts.api.decode_authorization_message().encoded_message(message).send(), |o| {
        LiveValue::Decoded(o.decoded_message().unwrap_or_default().to_string())
    })
    .await
}
