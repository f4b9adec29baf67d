//! The runner: executes live checks concurrently on tokio, asks the planner
//! for follow-ups as each one finishes (starting them at once, not after the
//! whole wave), and stops at the run's deadline. Every event carries the run
//! id, so a consumer (the wizard) can drop results of a run it has replaced.
//! The scheduling is generic over how a check is executed, so it is tested
//! without a network; [`run`] plugs in the real SDK calls.

use super::Facts;
use super::actions;
use super::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Session, Simulation, Who};
use super::live::{Call, Failure, Live, SigningKeys};
use super::outcomes::Outcomes;
use super::plan;
use super::policies;
use super::regions::GLOBAL_REGION;
use crate::hops::{self, Status as HopStatus};
use crate::netpath;
use chrono::{DateTime, Utc};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;
use std::future::Future;
use tokio::time::Instant;

/// Identifies one diagnosis run.
pub type RunId = u64;

/// Progress of a run, for a live view.
#[derive(Debug, Clone)]
pub enum RunEvent {
    Started { run: RunId, check: LiveCheck },
    Finished { run: RunId, outcome: Box<Outcome> },
}

/// Signing keys for each identity a check may use; learns new ones as checks finish.
#[derive(Debug, Default)]
struct KeyRing(HashMap<Who, SigningKeys>);

impl KeyRing {
    fn from_facts(facts: &Facts) -> Self {
        let mut ring = KeyRing::default();
        if let Some(keys) = facts.signing_keys_active() {
            ring.0.insert(Who::Active, keys);
        }
        if let Some(keys) = facts.signing_keys_profile() {
            ring.0.insert(Who::Profile, keys);
        }
        for (name, keys) in facts.signing_keys_others() {
            ring.0.insert(Who::Other(name), keys);
        }
        ring
    }

    fn learn(&mut self, outcome: &Outcome) {
        match &outcome.call.result {
            Ok(LiveValue::Chain(hops)) => {
                let last = hops.last().filter(|h| h.status != HopStatus::Fail);
                if let Some(credentials) = last.and_then(|h| h.credentials.as_ref()) {
                    self.0.insert(Who::Active, SigningKeys::from(credentials));
                }
            }
            Ok(LiveValue::Session(session)) => {
                self.0.insert(Who::Session, session.keys.clone());
            }
            _ => {}
        }
    }

    /// The keys a check signs with: `Ok(None)` when it signs with none.
    fn for_check(&self, check: &LiveCheck) -> Result<Option<SigningKeys>, String> {
        match check.signer() {
            None => Ok(None),
            Some(who) => {
                self.0.get(who).cloned().map(Some).ok_or_else(|| format!("no credentials for {}", who.describe()))
            }
        }
    }
}

/// Runs the plan with the real SDK calls, to completion or the deadline.
pub async fn run(
    live: &Live,
    facts: &Facts,
    run: RunId,
    deadline: Instant,
    on_event: impl FnMut(RunEvent),
) -> Outcomes {
    schedule(facts, run, deadline, |check, keys| execute(live, facts, check, keys), on_event).await
}

/// Runs the plan: the first wave, then each check's follow-ups as soon as it
/// finishes. `execute` performs one check with its signing keys. `on_event`
/// sees every start and finish as it happens; the outcomes are returned in
/// finishing order, and checks still running at the deadline as timed out.
pub async fn schedule<F, Fut>(
    facts: &Facts,
    run: RunId,
    deadline: Instant,
    execute: F,
    mut on_event: impl FnMut(RunEvent),
) -> Outcomes
where
    F: Fn(LiveCheck, Option<SigningKeys>) -> Fut,
    Fut: Future<Output = Call<LiveValue>>,
{
    let mut ring = KeyRing::from_facts(facts);
    let mut done = Outcomes::new();
    let mut running: Vec<LiveCheck> = Vec::new();
    let mut pending = FuturesUnordered::new();
    macro_rules! launch {
        ($check:expr) => {{
            let check: LiveCheck = $check;
            on_event(RunEvent::Started { run, check: check.clone() });
            running.push(check.clone());
            let keys = ring.for_check(&check);
            pending.push(one(&execute, check, keys));
        }};
    }
    for check in plan::initial(facts) {
        launch!(check);
    }
    while !pending.is_empty() {
        let Ok(Some(outcome)) = tokio::time::timeout_at(deadline, pending.next()).await else { break };
        tracing::info!(
            run,
            check = ?outcome.check.label(),
            ms = outcome.call.millis(),
            error = outcome.call.aws_error().and_then(|e| e.code.as_deref()).unwrap_or("-"),
            ok = outcome.call.result.is_ok(),
            "check finished"
        );
        if let Some(at) = running.iter().position(|c| c == &outcome.check) {
            running.remove(at);
        }
        ring.learn(&outcome);
        let next = plan::followups(facts, &done, &outcome);
        on_event(RunEvent::Finished { run, outcome: Box::new(outcome.clone()) });
        done.push(outcome);
        for check in next {
            launch!(check);
        }
    }
    // Whatever is still running when the deadline comes is reported as cut off.
    for check in running {
        let call = Call::failed(Failure::Unreachable("the run's time budget ran out before an answer".into()));
        let outcome = Outcome { check, call };
        on_event(RunEvent::Finished { run, outcome: Box::new(outcome.clone()) });
        done.push(outcome);
    }
    done
}

/// One check as a future (one type for every call site, so they share a set).
async fn one<F, Fut>(execute: &F, check: LiveCheck, keys: Result<Option<SigningKeys>, String>) -> Outcome
where
    F: Fn(LiveCheck, Option<SigningKeys>) -> Fut,
    Fut: Future<Output = Call<LiveValue>>,
{
    let call = match keys {
        Ok(keys) => execute(check.clone(), keys).await,
        Err(why) => Call::failed(Failure::Other(why)),
    };
    Outcome { check, call }
}

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
async fn execute(live: &Live, facts: &Facts, check: LiveCheck, keys: Option<SigningKeys>) -> Call<LiveValue> {
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
        LiveCheck::CallerIdentity { region, .. } => {
            let sts = live.sts(&keys, region.as_deref());
            sts.call(sts.api.get_caller_identity().send(), |o| {
                LiveValue::Identity(Identity {
                    account: o.account().unwrap_or_default().to_string(),
                    arn: o.arn().unwrap_or_default().to_string(),
                    user_id: o.user_id().unwrap_or_default().to_string(),
                })
            })
            .await
        }
        LiveCheck::AccessKeyInfo { key_id, .. } => {
            let sts = live.sts(&keys, Some(GLOBAL_REGION));
            sts.call(sts.api.get_access_key_info().access_key_id(key_id).send(), |o| {
                LiveValue::Account(o.account().unwrap_or_default().to_string())
            })
            .await
        }
        LiveCheck::ListAccessKeys { .. } => {
            let iam = live.iam(&keys);
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
        LiveCheck::KeyLastUsed { key_id, .. } => {
            let iam = live.iam(&keys);
            iam.call(iam.api.get_access_key_last_used().access_key_id(key_id).send(), |o| {
                let used = o.access_key_last_used();
                LiveValue::LastUsed {
                    date: used.and_then(|u| u.last_used_date()).and_then(smithy_time),
                    service: used.map(|u| u.service_name().to_string()).filter(|s| s != "N/A"),
                }
            })
            .await
        }
        LiveCheck::ListMfaDevices { .. } => {
            let iam = live.iam(&keys);
            iam.call(iam.api.list_mfa_devices().send(), |o| {
                LiveValue::MfaDevices(o.mfa_devices().iter().map(|d| d.serial_number().to_string()).collect())
            })
            .await
        }
        LiveCheck::SessionToken { serial, code } => {
            let sts = live.sts(&keys, Some(GLOBAL_REGION));
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
        LiveCheck::Simulate { arn, action, .. } => {
            let iam = live.iam(&keys);
            iam.call(
                iam.api.simulate_principal_policy().policy_source_arn(arn).action_names(action.as_str()).send(),
                |o| {
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
                                r.matched_statements()
                                    .iter()
                                    .filter_map(|s| s.source_policy_id().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                },
            )
            .await
        }
        LiveCheck::DecodeMessage { message } => {
            let sts = live.sts(&keys, Some(GLOBAL_REGION));
            sts.call(sts.api.decode_authorization_message().encoded_message(message).send(), |o| {
                LiveValue::Decoded(o.decoded_message().unwrap_or_default().to_string())
            })
            .await
        }
        LiveCheck::ListPolicies { user, .. } => actions::list_policies(live, &keys, &user).await,
        LiveCheck::IdentityPolicies { principal, .. } => policies::iam::read_identity(live, &keys, &principal)
            .await
            .map(|read| LiveValue::IdentityPolicies(Box::new(read))),
        LiveCheck::OrgPolicies { account, .. } => policies::org::read_organization(live, &keys, &account)
            .await
            .map(|read| LiveValue::OrgPolicies(Box::new(read))),
        LiveCheck::TryAction { action, user, .. } => match actions::known(action.as_str()) {
            Some(read) => read.call(live, &keys, user.as_deref()).await,
            None => Call::failed(Failure::Other(format!("{action} is not an action credwiz can call"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::gather::{Gathered, SideFiles};
    use crate::diagnose::options::{MfaCode, Options};
    use crate::environment::Environment;
    use crate::profile::ProfileFiles;
    use std::time::Duration;

    const KEYS: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";

    fn facts(config: &str, options: Options) -> Facts {
        let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], None);
        let files = ProfileFiles::from_texts(&env, Some(config), Some(KEYS));
        Facts::new(Gathered { env, files, side: SideFiles::default() }, None, options, Utc::now())
    }

    /// A fake AWS: each check answers after its own delay.
    async fn answer(check: LiveCheck, keys: Option<SigningKeys>) -> Call<LiveValue> {
        assert!(keys.is_some(), "{} was started without keys", check.label());
        let (delay, value) = match &check {
            LiveCheck::CallerIdentity { .. } => (
                10,
                LiveValue::Identity(Identity {
                    account: "123456789012".into(),
                    arn: "arn:aws:iam::123456789012:user/alice".into(),
                    user_id: "AIDA".into(),
                }),
            ),
            LiveCheck::ListAccessKeys { .. } => (5_000, LiveValue::AccessKeys(Vec::new())),
            _ => (20, LiveValue::MfaDevices(Vec::new())),
        };
        tokio::time::sleep(Duration::from_millis(delay)).await;
        Call { result: Ok(value), elapsed: Duration::from_millis(delay), server_date: None, local_date: Utc::now() }
    }

    fn label(event: &RunEvent) -> String {
        match event {
            RunEvent::Started { check, .. } => format!("start {}", check.label()),
            RunEvent::Finished { outcome, .. } => format!("end {}", outcome.check.label()),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn follow_ups_start_as_soon_as_their_check_finishes_and_the_deadline_cuts_the_rest() {
        let options = Options { mfa_code: MfaCode::parse("123456").ok(), ..Options::default() };
        let f = facts("[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n", options);
        let started = Instant::now();
        let mut events = Vec::new();
        let done = schedule(&f, 7, started + Duration::from_secs(1), answer, |e| events.push(e)).await;
        assert!(
            events.iter().all(|e| matches!(e, RunEvent::Started { run: 7, .. } | RunEvent::Finished { run: 7, .. }))
        );
        let order: Vec<String> = events.iter().map(label).collect();
        let session = order.iter().position(|l| l.starts_with("start sts:GetSessionToken")).expect("session started");
        let identity = order.iter().position(|l| l.starts_with("end sts:GetCallerIdentity")).expect("identity done");
        assert!(identity < session, "{order:?}");
        // ListAccessKeys takes 5 s; the run ends at its 1 s deadline, reporting it cut off.
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        let cut = done.access_keys_check(&Who::Active).expect("listed");
        assert!(matches!(&cut.call.result, Err(Failure::Unreachable(why)) if why.contains("budget")));
        assert!(done.session().is_none() && done.session_check().is_some());
    }

    #[test]
    fn a_check_signed_by_an_identity_without_keys_fails_without_a_call() {
        let f = facts("[default]\nregion = us-east-1\n", Options::default());
        let ring = KeyRing::from_facts(&f);
        assert!(ring.for_check(&LiveCheck::ListMfaDevices { who: Who::Active }).is_ok_and(|k| k.is_some()));
        let session = ring.for_check(&LiveCheck::ListMfaDevices { who: Who::Session });
        assert_eq!(session.err().as_deref(), Some("no credentials for the new MFA session"));
        assert!(ring.for_check(&LiveCheck::Chain).is_ok_and(|k| k.is_none()));
    }
}
