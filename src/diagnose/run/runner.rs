//! The runner: executes live checks concurrently on tokio, asks the planner
//! for follow-ups as each one finishes (starting them at once, not after the
//! whole wave), and stops at the run's deadline. Every event carries the run
//! id, so a consumer (the wizard) can drop results of a run it has replaced.
//! The scheduling is generic over how a check is executed, so it is tested
//! without a network; [`run`] plugs in the real calls (`execute`).

use crate::aws::live::{Call, Failure, Live, SigningKeys};
use crate::diagnose::input::facts::Facts;
use crate::diagnose::run::check::{LiveCheck, LiveValue, Outcome, Who};
use crate::diagnose::run::outcomes::Outcomes;
use crate::diagnose::run::plan;
use crate::hops::Status as HopStatus;
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
        for (name, keys) in facts.signing_keys_others(plan::OTHER_PROFILES_ASKED) {
            ring.0.insert(Who::Other(name), keys);
        }
        if let Some(keys) = facts.signing_keys_env_shadowed() {
            ring.0.insert(Who::Other(super::check::ENV_KEYS.into()), keys);
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
    schedule(
        facts,
        run,
        deadline,
        |check, keys| crate::diagnose::run::execute::execute(live, facts, check, keys),
        on_event,
    )
    .await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::environment::Environment;
    use crate::diagnose::input::gather::{Gathered, SideFiles};
    use crate::diagnose::input::options::{MfaCode, Options};
    use crate::diagnose::run::check::Identity;
    use crate::profile::ProfileFiles;
    use chrono::Utc;
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
                    account_alias: None,
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

    #[test]
    fn the_ring_holds_the_keys_of_the_other_profiles_asked_and_no_more() {
        // A file of an organisation: one check must not copy every profile's keys.
        let mut credentials = KEYS.to_string();
        for i in 0..200 {
            credentials.push_str(&format!(
                "[p{i:03}]\naws_access_key_id = AKIA{i:016}\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY{i:010}\n"
            ));
        }
        let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], None);
        let files = ProfileFiles::from_texts(&env, Some("[default]\nregion = us-east-1\n"), Some(&credentials));
        let f = Facts::new(Gathered { env, files, side: SideFiles::default() }, None, Options::default(), Utc::now());
        let ring = KeyRing::from_facts(&f);
        let rejected = crate::aws::decode::AwsError { code: Some("InvalidClientTokenId".into()), ..Default::default() };
        let refused = Outcome {
            check: LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
            call: Call::failed(Failure::Aws(rejected)),
        };
        let asked: Vec<LiveCheck> = plan::followups(&f, &Outcomes::new(), &refused)
            .into_iter()
            .filter(|c| matches!(c, LiveCheck::CallerIdentity { who: Who::Other(_), .. }))
            .collect();
        assert_eq!(asked.len(), plan::OTHER_PROFILES_ASKED, "{asked:?}");
        for check in &asked {
            assert!(ring.for_check(check).is_ok_and(|k| k.is_some()), "no keys for {}", check.label());
        }
        assert_eq!(ring.0.len(), 1 + plan::OTHER_PROFILES_ASKED, "the active keys and the others asked");
    }
}
