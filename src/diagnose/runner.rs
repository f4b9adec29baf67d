//! The runner: executes live checks concurrently on tokio, asks the planner
//! for follow-ups as each one finishes, and stops at the run's deadline. Every
//! event carries the run id, so a consumer (the wizard) can drop results of a
//! run it has replaced.

use super::Facts;
use super::actions;
use super::live::{Call, Failure, Live, SigningKeys, call};
use super::plan::{self, KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use chrono::{DateTime, Utc};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// Identifies one diagnosis run.
pub type RunId = u64;

/// Progress of a run, for a live view.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Started { run: RunId, check: LiveCheck },
    Finished { run: RunId, outcome: Box<Outcome> },
}

/// Signing keys for each identity a check may use.
#[derive(Debug, Default, Clone)]
struct KeyRing {
    keys: HashMap<Who, SigningKeys>,
}

fn smithy_time(t: &aws_smithy_types::DateTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(t.secs(), t.subsec_nanos())
}

/// Runs one check.
async fn execute(live: &Live, facts: &Facts, ring: &KeyRing, check: LiveCheck) -> Outcome {
    let Some(who) = check.signer() else {
        let started = std::time::Instant::now();
        let result = live.provide(&facts.profile).await.map(LiveValue::Keys);
        let call = Call { result, elapsed: started.elapsed(), server_date: None, local_date: Utc::now() };
        return Outcome { check, call };
    };
    let Some(keys) = ring.keys.get(who).cloned() else {
        let call = Call {
            result: Err(Failure::Other(format!("no credentials for {}", who.describe()))),
            elapsed: Duration::ZERO,
            server_date: None,
            local_date: Utc::now(),
        };
        return Outcome { check, call };
    };
    let result = signed(live, &keys, &check).await;
    Outcome { check, call: result }
}

/// Runs one check that signs with `keys`.
async fn signed(live: &Live, keys: &SigningKeys, check: &LiveCheck) -> Call<LiveValue> {
    match check {
        LiveCheck::CallerIdentity { region, .. } => {
            let client = live.sts(keys, region.as_deref());
            call(
                |h| client.get_caller_identity().customize().interceptor(h.interceptor()).send(),
                |o| LiveValue::Identity {
                    account: o.account().unwrap_or_default().to_string(),
                    arn: o.arn().unwrap_or_default().to_string(),
                    user_id: o.user_id().unwrap_or_default().to_string(),
                },
            )
            .await
        }
        LiveCheck::AccessKeyInfo { key_id, .. } => {
            let client = live.sts(keys, Some("us-east-1"));
            call(
                |h| client.get_access_key_info().access_key_id(key_id).customize().interceptor(h.interceptor()).send(),
                |o| LiveValue::Account(o.account().unwrap_or_default().to_string()),
            )
            .await
        }
        LiveCheck::ListAccessKeys { .. } => {
            let client = live.iam(keys);
            call(
                |h| client.list_access_keys().customize().interceptor(h.interceptor()).send(),
                |o| {
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
                },
            )
            .await
        }
        LiveCheck::KeyLastUsed { key_id, .. } => {
            let client = live.iam(keys);
            call(
                |h| {
                    client
                        .get_access_key_last_used()
                        .access_key_id(key_id)
                        .customize()
                        .interceptor(h.interceptor())
                        .send()
                },
                |o| {
                    let used = o.access_key_last_used();
                    LiveValue::LastUsed {
                        date: used.and_then(|u| u.last_used_date()).and_then(smithy_time),
                        service: used.map(|u| u.service_name().to_string()).filter(|s| s != "N/A"),
                    }
                },
            )
            .await
        }
        LiveCheck::ListMfaDevices { .. } => {
            let client = live.iam(keys);
            call(
                |h| client.list_mfa_devices().customize().interceptor(h.interceptor()).send(),
                |o| LiveValue::MfaDevices(o.mfa_devices().iter().map(|d| d.serial_number().to_string()).collect()),
            )
            .await
        }
        LiveCheck::SessionToken { serial, code } => {
            let client = live.sts(keys, Some("us-east-1"));
            call(
                |h| {
                    client
                        .get_session_token()
                        .serial_number(serial)
                        .token_code(code.trim())
                        .customize()
                        .interceptor(h.interceptor())
                        .send()
                },
                |o| match o.credentials() {
                    Some(c) => LiveValue::Session {
                        keys: SigningKeys {
                            access_key_id: c.access_key_id().to_string(),
                            secret: c.secret_access_key().to_string().into(),
                            token: Some(c.session_token().to_string().into()),
                        },
                        expiration: smithy_time(c.expiration()),
                    },
                    None => LiveValue::Policies(Vec::new()),
                },
            )
            .await
        }
        LiveCheck::Simulate { arn, action, .. } => {
            let client = live.iam(keys);
            call(
                |h| {
                    client
                        .simulate_principal_policy()
                        .policy_source_arn(arn)
                        .action_names(action)
                        .customize()
                        .interceptor(h.interceptor())
                        .send()
                },
                |o| {
                    let first = o.evaluation_results().first();
                    LiveValue::Simulation {
                        decision: first.map(|r| r.eval_decision().as_str().to_string()).unwrap_or_default(),
                        allowed_by_organizations: first
                            .and_then(|r| r.organizations_decision_detail())
                            .map(|d| d.allowed_by_organizations()),
                        allowed_by_boundary: first
                            .and_then(|r| r.permissions_boundary_decision_detail())
                            .map(|d| d.allowed_by_permissions_boundary()),
                        matched: first
                            .map(|r| {
                                r.matched_statements()
                                    .iter()
                                    .filter_map(|s| s.source_policy_id().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    }
                },
            )
            .await
        }
        LiveCheck::DecodeMessage { message } => {
            let client = live.sts(keys, Some("us-east-1"));
            call(
                |h| {
                    client
                        .decode_authorization_message()
                        .encoded_message(message)
                        .customize()
                        .interceptor(h.interceptor())
                        .send()
                },
                |o| LiveValue::Decoded(o.decoded_message().unwrap_or_default().to_string()),
            )
            .await
        }
        LiveCheck::ListPolicies { user, .. } => actions::list_policies(live, keys, user).await,
        LiveCheck::TryAction { action, .. } => actions::try_action(live, keys, action).await,
        // Provide has no signer: `execute` runs it before looking up keys.
        LiveCheck::Provide => Call {
            result: Err(Failure::Other("no keys to sign with".into())),
            elapsed: Duration::ZERO,
            server_date: None,
            local_date: Utc::now(),
        },
    }
}

/// One check as a future (one type for every call site, so they share a set).
async fn start<'a>(live: &'a Live, facts: &'a Facts, ring: KeyRing, check: LiveCheck) -> Outcome {
    execute(live, facts, &ring, check).await
}

/// Runs the plan to completion or the deadline. `on_event` sees every start and
/// finish as it happens; the finished outcomes are returned in finishing order.
/// Checks still running at the deadline are returned as timed out.
pub async fn run(
    live: &Live,
    facts: &Facts,
    run: RunId,
    deadline: Instant,
    mut on_event: impl FnMut(RunEvent),
) -> Vec<Outcome> {
    let mut ring = KeyRing::default();
    if let Some(keys) = facts.signing_keys_active() {
        ring.keys.insert(Who::Active, keys);
    }
    if let Some(keys) = facts.signing_keys_profile() {
        ring.keys.insert(Who::Profile, keys);
    }
    for (name, keys) in facts.signing_keys_others() {
        ring.keys.insert(Who::Other(name), keys);
    }
    let mut done: Vec<Outcome> = Vec::new();
    let mut queue: Vec<LiveCheck> = plan::initial(facts);
    let mut running: Vec<LiveCheck> = Vec::new();
    loop {
        let mut pending = FuturesUnordered::new();
        for check in queue.drain(..) {
            on_event(RunEvent::Started { run, check: check.clone() });
            running.push(check.clone());
            pending.push(start(live, facts, ring.clone(), check));
        }
        if pending.is_empty() {
            break;
        }
        // Take the first result; the rest keep running and are collected below.
        let mut next_wave = Vec::new();
        loop {
            match tokio::time::timeout_at(deadline, pending.next()).await {
                Ok(Some(outcome)) => {
                    running.retain(|c| c != &outcome.check);
                    tracing::info!(
                        run,
                        check = ?outcome.check_label(),
                        ms = outcome.call.millis(),
                        error = outcome.call.aws_error().and_then(|e| e.code.as_deref()).unwrap_or("-"),
                        ok = outcome.call.result.is_ok(),
                        "check finished"
                    );
                    match &outcome.call.result {
                        Ok(LiveValue::Keys(keys)) => {
                            ring.keys.insert(Who::Active, keys.clone());
                        }
                        Ok(LiveValue::Session { keys, .. }) => {
                            ring.keys.insert(Who::Session, keys.clone());
                        }
                        _ => {}
                    }
                    next_wave.extend(plan::followups(facts, &done, &outcome));
                    on_event(RunEvent::Finished { run, outcome: Box::new(outcome.clone()) });
                    done.push(outcome);
                    if !next_wave.is_empty() && !pending.is_empty() {
                        // Start follow-ups now instead of waiting for the whole wave.
                        for check in next_wave.drain(..) {
                            on_event(RunEvent::Started { run, check: check.clone() });
                            running.push(check.clone());
                            pending.push(start(live, facts, ring.clone(), check));
                        }
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    for check in running.drain(..) {
                        let outcome = Outcome {
                            check,
                            call: Call {
                                result: Err(Failure::Unreachable(
                                    "the run's time budget ran out before an answer".into(),
                                )),
                                elapsed: Duration::ZERO,
                                server_date: None,
                                local_date: Utc::now(),
                            },
                        };
                        on_event(RunEvent::Finished { run, outcome: Box::new(outcome.clone()) });
                        done.push(outcome);
                    }
                    return done;
                }
            }
        }
        queue = next_wave;
    }
    done
}
