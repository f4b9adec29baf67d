//! `scan`: every profile of both files at once (SPEC section 7), for
//! `credwiz scan` and the wizard's picker.
//!
//! - `roster` (pure, linear): the offline pass: every profile's chain, lints,
//!   endpoint settings and SSO session, and the cross-profile findings that
//!   need no network.
//! - [`scan`] (IO: the live checks): each profile diagnosed as `check` would
//!   (the same planner, runner and assessment), at most `concurrency`
//!   profiles at a time, all within one deadline. The SDK configuration is
//!   loaded once per set of endpoint settings, so profiles share it and its
//!   HTTP connections; profiles on one SSO session wait for the first of them
//!   (which may refresh the cached token) before they run.
//! - the owner lookup (`diagnose::run::owners`, IO: IAM reads): after the profiles, the owner of each rejected
//!   key is looked up through a profile that works in the same account; a key
//!   listed as Inactive turns that profile's cause into `key-inactive`.
//! - `findings`: the cross-profile findings with what the live checks told.
//!
//! The environment's keys are the `(env)` line; every profile is judged on
//! its own configuration (the key variables left out), as `aws --profile P`
//! uses it.

mod findings;
pub mod roster;
mod unchecked;

pub use roster::{ENV_ROW, Entry, Roster};
pub use unchecked::NOT_CHECKED;

use crate::aws::live::{Live, SigningKeys};
use crate::base::environment::Environment;
use crate::diagnose::input::common::Common;
use crate::diagnose::judge::crossprofile::CrossFinding;
use crate::diagnose::report::CauseEntry;
use crate::diagnose::run::plan;
use crate::diagnose::{Cause, Facts, Gathered, Options, Outcomes, Report, Status, conclude, runner};
use chrono::{DateTime, Utc};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OnceCell};

/// The environment's key variables: left out for every profile, kept for `(env)`.
pub const ENV_KEY_VARIABLES: [&str; 4] =
    ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION"];

/// Profiles diagnosed at once by `credwiz scan`. Each sends few requests at a
/// time (the identity check, then three IAM reads once the key is accepted; up
/// to about five for a rejected key), so 8 to about 25 are in flight; the
/// README says how this was measured and chosen.
pub const DEFAULT_CONCURRENCY: u16 = 8;
/// Profiles diagnosed at once by the wizard's background scan, which must not
/// slow the wizard's own checks.
pub const BACKGROUND_CONCURRENCY: u16 = 3;

/// How to scan.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The options every profile is diagnosed with (`timeout`: the whole
    /// scan's budget; a one-time MFA code or a pasted error is never used).
    pub options: Options,
    /// Profiles diagnosed at the same time (at least 1).
    pub concurrency: usize,
    /// The `--profile` given, which the environment's keys are used with.
    pub active: Option<String>,
}

/// When a profile's credentials stop working.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// A long-term access key: never.
    Never,
    /// At this time (past: expired).
    At(DateTime<Utc>),
    /// Not known.
    Unknown,
}

/// A profile's status and primary cause (for the picker and the progress line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub profile: String,
    pub status: Status,
    pub cause: Option<Cause>,
    /// Where the keys come from, once diagnosed.
    pub source: Option<crate::diagnose::input::sources::SourceKind>,
    /// The account AWS named, once diagnosed.
    pub account: Option<String>,
}

/// One profile, diagnosed.
#[derive(Debug, Clone)]
pub struct Scanned {
    pub name: String,
    pub report: Report,
    pub expiry: Expiry,
}

impl Scanned {
    /// The worst status of the report's steps.
    pub fn status(&self) -> Status {
        [Status::Fail, Status::Warn, Status::Pass]
            .into_iter()
            .find(|s| self.report.steps.iter().any(|step| step.status == *s))
            .unwrap_or(Status::Skip)
    }

    /// The primary cause, else the first warning.
    pub fn primary(&self) -> Option<&CauseEntry> {
        self.report.causes.first().or(self.report.warnings.first())
    }

    pub fn summary(&self) -> Summary {
        Summary {
            profile: self.name.clone(),
            status: self.status(),
            cause: self.primary().and_then(|c| c.cause),
            source: Some(self.report.source.kind),
            account: self.report.identity.as_ref().map(|i| i.account.clone()),
        }
    }
}

/// Progress, as it happens.
#[derive(Debug, Clone)]
pub enum Event {
    /// What is known before the network: the profiles that fail offline.
    Offline(Vec<Summary>),
    /// One more profile was diagnosed (`done` of `total`).
    Checked { done: usize, total: usize, summary: Summary },
    /// A profile's status changed after the cross-profile lookups.
    Revised(Summary),
}

/// The whole scan.
#[derive(Debug, Clone)]
pub struct ScanResult {
    /// `(env)` first, then the profiles by name.
    pub profiles: Vec<Scanned>,
    pub findings: Vec<CrossFinding>,
    pub duration: Duration,
}

/// The JSON of SPEC section 7.
#[derive(Debug, Serialize)]
pub struct ScanJson<'a> {
    pub schema: u32,
    pub profiles: Vec<&'a Report>,
    pub findings: &'a [CrossFinding],
    pub duration_ms: u64,
}

impl ScanResult {
    /// Whether any profile or cross-profile finding fails.
    pub fn has_failure(&self) -> bool {
        self.profiles.iter().any(|p| p.report.has_failure()) || self.findings.iter().any(|f| f.status == Status::Fail)
    }

    pub fn json(&self) -> ScanJson<'_> {
        ScanJson {
            schema: 1,
            profiles: self.profiles.iter().map(|p| &p.report).collect(),
            findings: &self.findings,
            duration_ms: u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX),
        }
    }
}

/// One profile's diagnosis and what the cross-profile lookups need of it.
pub(crate) struct Done {
    index: usize,
    scanned: Scanned,
    outcomes: Outcomes,
    /// The long-term key id it signs with (for the owner lookup).
    key_id: Option<String>,
    /// Credentials AWS accepted, and the configuration they were used with.
    working: Option<(SigningKeys, Live)>,
}

/// The options each profile of a scan is diagnosed with: no MFA code or
/// pasted error (they belong to one profile); the fewest requests, since
/// many profiles share one emulator or network; and what concerns other
/// profiles left to the scan, which finds it once for all of them.
pub fn profile_options(options: &Options) -> Options {
    Options { mfa_code: None, error: None, reads_after_identity: true, other_profiles_later: true, ..options.clone() }
}

/// What every profile's diagnosis shares.
struct Shared<'a> {
    gathered: &'a Gathered,
    /// The files, their view and the indexes, built once for every profile.
    common: Common,
    plain_env: Environment,
    options: Options,
    now: DateTime<Utc>,
    deadline: tokio::time::Instant,
    /// The same deadline on the clock the SDK configuration keeps.
    ends: std::time::Instant,
    attempt: Duration,
    /// One SDK configuration per set of endpoint settings, loaded by the first profile that needs it.
    configs: HashMap<String, Arc<OnceCell<Live>>>,
    /// Per SSO session: whether its first profile has run.
    sso_first: HashMap<String, Arc<Mutex<bool>>>,
}

impl Shared<'_> {
    /// The facts of one line, built as `check` builds them.
    fn facts(&self, entry: &Entry) -> Facts {
        let env = if entry.env_keys { self.gathered.env.clone() } else { self.plain_env.clone() };
        Facts::with_common(env, &self.common, entry.flag.as_deref(), self.options.clone(), self.now)
    }

    /// The shared SDK configuration for this entry's endpoint settings, with its region set.
    async fn live(&self, entry: &Entry, facts: &Facts) -> Live {
        let ca_bundle = facts.ca_bundle().and_then(|(b, _)| b.pem.as_deref().ok());
        let load = || Live::load(&facts.env, &facts.profile, None, self.attempt, ca_bundle, self.ends);
        let mut live = match self.configs.get(&entry.endpoint) {
            Some(cell) => cell.get_or_init(load).await.clone(),
            None => load().await,
        };
        live.region = facts.signing_region();
        live
    }

    /// Diagnoses one line.
    async fn check(&self, index: usize, entry: &Entry) -> Done {
        if tokio::time::Instant::now() >= self.deadline {
            return unchecked::not_checked(index, entry);
        }
        // The first profile of an SSO session runs alone: it may refresh the cached token.
        let first = match entry.sso.as_ref().and_then(|key| self.sso_first.get(key)) {
            Some(lock) => Some(lock.clone().lock_owned().await).filter(|ran| !**ran),
            None => None,
        };
        let facts = self.facts(entry);
        let started = std::time::Instant::now();
        let mut working_live = None;
        let outcomes = if plan::initial(&facts).is_empty() {
            Outcomes::new()
        } else {
            let live = self.live(entry, &facts).await;
            let run = u64::try_from(index).unwrap_or(u64::MAX).saturating_add(1);
            let outcomes = runner::run(&live, &facts, run, self.deadline, |_| {}).await;
            working_live = Some(live);
            outcomes
        };
        if let Some(mut ran) = first {
            *ran = true;
        }
        let mut report = conclude(&facts, &outcomes, started.elapsed());
        if entry.env_keys {
            report.profile = ENV_ROW.to_string();
        }
        let keys = facts.signing_keys_active().or_else(|| outcomes.chain_credentials().map(SigningKeys::from));
        let working = match (outcomes.caller(), keys, working_live) {
            (Some(_), Some(keys), Some(live)) => Some((keys, live)),
            _ => None,
        };
        let key_id = facts
            .active_key_id()
            .filter(|k| k.is_long_term() && facts.active_is_long_term_key())
            .map(|k| k.as_str().to_string());
        let expiry = expiry(&facts, &outcomes);
        Done { index, scanned: Scanned { name: entry.name.clone(), report, expiry }, outcomes, key_id, working }
    }
}

/// When the credentials a profile uses expire.
fn expiry(facts: &Facts, outcomes: &Outcomes) -> Expiry {
    use crate::diagnose::input::facts::SsoState;
    if let Some(at) = outcomes.chain_credentials().and_then(|c| c.expiration) {
        return Expiry::At(at);
    }
    if let Some(at) =
        facts.active_keys().and_then(|k| k.expiration.as_ref()).and_then(|f| crate::base::time::parse_expiry(&f.value))
    {
        return Expiry::At(at);
    }
    if let SsoState::Cached { token: Ok(Some(token)), .. } = facts.sso_token()
        && let Some(at) = token.expires_at
    {
        return Expiry::At(at);
    }
    if facts.active_is_long_term_key() { Expiry::Never } else { Expiry::Unknown }
}

/// Scans every profile of what was gathered (and `(env)`), telling `on_event`
/// as each profile is done, within `settings.timeout`.
pub async fn scan(
    gathered: Gathered,
    settings: Settings,
    now: DateTime<Utc>,
    mut on_event: impl FnMut(Event),
) -> ScanResult {
    let started = std::time::Instant::now();
    let timeout = settings.options.timeout;
    // The live checks end a little before the budget: what is left of it is
    // for the profiles not reached, the cross-profile findings and the output.
    let reserve = (timeout / 10).min(Duration::from_secs(1));
    let deadline = tokio::time::Instant::now() + timeout.saturating_sub(reserve);
    let roster = Roster::build(&gathered, settings.active.as_deref(), now);
    let offline: Vec<Summary> = roster
        .entries
        .iter()
        .filter_map(|e| {
            e.offline_status().map(|(status, cause)| Summary {
                profile: e.name.clone(),
                status,
                cause: Some(cause),
                source: None,
                account: None,
            })
        })
        .collect();
    on_event(Event::Offline(offline));
    let shared = Shared {
        gathered: &gathered,
        common: Common::new(gathered.files.clone(), gathered.side.clone()),
        plain_env: gathered.env.without(&ENV_KEY_VARIABLES),
        options: profile_options(&settings.options),
        now,
        deadline,
        ends: started + timeout,
        attempt: timeout.mul_f64(0.45).clamp(Duration::from_millis(500), Duration::from_secs(4)),
        configs: roster.entries.iter().map(|e| (e.endpoint.clone(), Arc::new(OnceCell::new()))).collect(),
        sso_first: roster
            .entries
            .iter()
            .filter_map(|e| e.sso.clone())
            .map(|k| (k, Arc::new(Mutex::new(false))))
            .collect(),
    };
    let total = roster.entries.len();
    let mut done: Vec<Done> = Vec::with_capacity(total);
    {
        // Indices, not references, as items: the futures then borrow only what outlives the stream.
        let entries = &roster.entries;
        let shared = &shared;
        let mut checks = stream::iter(0..total)
            .map(|index| shared.check(index, &entries[index]))
            .buffer_unordered(settings.concurrency.max(1));
        // A check still running past the deadline (and a short grace) is dropped, which ends it.
        let stop = deadline + reserve / 2;
        while let Ok(Some(profile)) = tokio::time::timeout_at(stop, checks.next()).await {
            on_event(Event::Checked { done: done.len() + 1, total, summary: profile.scanned.summary() });
            done.push(profile);
        }
    }
    let mut reached = vec![false; total];
    for d in &done {
        reached[d.index] = true;
    }
    for (index, entry) in roster.entries.iter().enumerate().filter(|(i, _)| !reached[*i]) {
        let profile = unchecked::not_checked(index, entry);
        on_event(Event::Checked { done: done.len() + 1, total, summary: profile.scanned.summary() });
        done.push(profile);
    }
    done.sort_by_key(|d| d.index);
    let revised = findings::inactive_keys(&mut done, deadline, |index| shared.facts(&roster.entries[index])).await;
    for summary in &revised.revised {
        on_event(Event::Revised(summary.clone()));
    }
    if let Some(summary) = findings::environment_wins(&roster, &mut done) {
        on_event(Event::Revised(summary));
    }
    let mut all = findings::with_verdicts(&roster, &done);
    all.extend(revised.findings);
    ScanResult { profiles: done.into_iter().map(|d| d.scanned).collect(), findings: all, duration: started.elapsed() }
}
