//! The wizard's state and its one `update(msg) -> effects` function (keys,
//! mouse and paste are handled in `handlers`). The state is in four parts:
//! the `form` (profile and typed run options, the edit in progress, a
//! session renewal), the `draft` (the files on disk, the working copy, the
//! side files), the `run` (idle, running, finished) and the `view` (step,
//! cursor, overlays, scroll); besides them the statuses known per profile
//! (`picker`) and what was written (`summary`). No IO here: reading and
//! writing files and running checks are effects, and their results come
//! back as messages. The report on screen is always `diagnose::conclude`
//! over the facts of the draft (the text being typed included) and the
//! outcomes of the newest run: the same pair `check` uses.

pub mod draft;
pub mod form;
pub mod picker;
pub mod places;
pub mod renew;
pub mod run;
pub mod summary;
pub mod view_state;
pub mod written;

pub use draft::Draft;
pub use form::{Editing, Form};
pub use run::RunState;
pub use view_state::{Item, Modal, Notice, ViewState};

use super::fields::Field;
use super::msg::{Effect, Msg};
use crate::diagnose::run::runner::RunEvent;
use crate::diagnose::{self, Facts, Gathered, Options, Outcomes, Report, Status, Step, judge};
use chrono::{DateTime, Utc};
use picker::ProfileStatus;
use std::collections::BTreeMap;
use summary::Summary;

/// The wizard's whole state.
#[derive(Debug, Clone)]
pub struct App {
    pub form: Form,
    pub draft: Draft,
    pub run: RunState,
    pub view: ViewState,
    /// The report of the draft and the newest run, recomputed on change (not per frame).
    pub report: Report,
    /// What is known of each profile (for the picker).
    pub profiles: BTreeMap<String, ProfileStatus>,
    /// What was written, for the exit summary.
    pub summary: Summary,
    /// The clock of the checks (expiry); refreshed before each run.
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// Quit once the save under way succeeds (the quit prompt's "save").
    pub(super) quit_after_save: bool,
    /// The id the next run takes.
    next_run: u64,
    /// Whether the background scan of every profile is due after the next
    /// run: at start, and again once a save changed the files.
    scan_due: bool,
    /// When the newest run finished (by the wall clock the runtime reports).
    pub checked_at: Option<DateTime<Utc>>,
}

impl App {
    /// A wizard over gathered files. `now` is the clock for expiry checks.
    pub fn new(gathered: Gathered, profile_flag: Option<&str>, options: Options, now: DateTime<Utc>) -> Self {
        let (profile, _) = gathered.env.active_profile(profile_flag);
        let pasted_step = options
            .error
            .as_deref()
            .map(|e| judge::iam_scp::pasted_step(&crate::aws::decode::parse_pasted(e).meaning()));
        let mut view = ViewState::on(pasted_step.unwrap_or(Step::Credentials));
        view.navigated = pasted_step.is_some();
        let facts = Facts::new(gathered.clone(), profile_flag, options.clone(), now);
        let report = diagnose::conclude(&facts, &Outcomes::new(), std::time::Duration::ZERO);
        App {
            form: Form { profile, renewing: None, options, editing: None, chosen: None, fixed: None },
            draft: Draft::new(gathered),
            run: RunState::Idle,
            view,
            report,
            profiles: BTreeMap::new(),
            summary: Summary::default(),
            now,
            quit: false,
            quit_after_save: false,
            next_run: 1,
            scan_due: true,
            checked_at: None,
        }
    }

    /// The profile as a `--profile` flag only when the environment would not pick it
    /// anyway (so the report says what really chose it).
    fn profile_flag(&self) -> Option<&str> {
        let profile = self.form.profile.as_str();
        (self.draft.env.active_profile(None).0 != profile).then_some(profile)
    }

    /// The facts of the draft, with the text being typed applied when `typing`.
    fn facts_with(&self, typing: bool) -> Facts {
        let typed = self.form.editing.as_ref().filter(|_| typing).map(|e| (e.field, e.input.value()));
        let gathered = self.draft.gathered(&self.form.profile, typed);
        Facts::new(gathered, self.profile_flag(), self.form.options.clone(), self.now)
    }

    /// The facts a run checks: the draft as kept (not the text being typed).
    pub fn facts(&self) -> Facts {
        self.facts_with(false)
    }

    /// A field's current value: the text being typed, the form's, or the draft's.
    pub fn value(&self, field: Field) -> String {
        if let Some(text) = self.form.typing(field) {
            return text.to_string();
        }
        self.form.text(field).or_else(|| self.draft.value(&self.form.profile, field)).unwrap_or_default()
    }

    /// The cursor items of the current panel: its fields, then its checks.
    pub fn items(&self) -> Vec<Item> {
        let checks = self.check_order(self.view.step);
        self.fields(self.view.step).into_iter().map(Item::Field).chain(checks.into_iter().map(Item::Check)).collect()
    }

    /// The fields a step shows for the current profile (see [`Field::applies`]).
    pub fn fields(&self, step: Step) -> Vec<Field> {
        let profile = self.draft.view.profiles.get(&self.form.profile);
        let untrusted = self.report.causes.iter().any(|c| c.cause == Some(crate::diagnose::Cause::TlsUntrusted));
        Field::of_step(step).filter(|f| f.applies(profile, untrusted)).collect()
    }

    /// The field after (or before) `field` in Tab order, among the fields shown.
    pub fn next_field(&self, field: Field, forward: bool) -> Field {
        let mut next = field.cycle(forward);
        while next != field && !self.fields(next.step()).contains(&next) {
            next = next.cycle(forward);
        }
        next
    }

    /// Whether live checks that feed this step are still running.
    pub fn step_running(&self, step: Step) -> bool {
        self.run.is_running() && self.run.in_flight().iter().any(|check| check.feeds(step))
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<Item> {
        self.items().get(self.view.cursor).copied()
    }

    /// The finding under the cursor, if the cursor is on a check.
    pub fn current_check(&self) -> Option<&diagnose::Finding> {
        match self.current()? {
            Item::Check(i) => self.report.step(self.view.step)?.checks.get(i),
            Item::Field(_) => None,
        }
    }

    /// Whether anything would be lost by quitting: unsaved edits, or a field being changed.
    pub fn has_pending_edits(&self) -> bool {
        self.draft.is_dirty() || self.form.editing.as_ref().is_some_and(|e| e.input.value() != e.before)
    }

    /// Recomputes the report from the draft (with the text being typed, for
    /// offline lints as you type) and the outcomes of the newest run.
    pub(super) fn recompute(&mut self) {
        let facts = self.facts_with(true);
        self.report = diagnose::conclude(&facts, self.run.outcomes(), std::time::Duration::ZERO);
        self.draft.view = std::sync::Arc::unwrap_or_clone(facts.view);
        self.view.cursor = self.view.cursor.min(self.items().len().saturating_sub(1));
    }

    /// Starts a new run: first the side files are gathered again for the
    /// draft, then the checks run (a newer run replaces an older one).
    pub(super) fn start_run(&mut self) -> Vec<Effect> {
        let id = self.next_run;
        self.next_run += 1;
        self.run = RunState::Running { id, in_flight: Vec::new(), outcomes: Outcomes::new() };
        self.recompute();
        vec![Effect::Gather {
            run: id,
            env: Box::new(self.draft.effective_env()),
            view: Box::new(self.draft.view.clone()),
        }]
    }

    /// The one state transition.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::Resize(width, height) => {
                self.view.size = (width, height);
                self.follow_cursor();
                Vec::new()
            }
            Msg::Tick => {
                self.view.spinner = self.view.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Clock(now) => {
                self.view.clock = Some(now);
                Vec::new()
            }
            Msg::Gathered { run, side, now } => {
                if run != self.run.id() || !self.run.is_running() {
                    return Vec::new();
                }
                self.draft.side = *side;
                self.now = now;
                self.recompute();
                vec![Effect::RunChecks { run, facts: Box::new(self.facts()) }]
            }
            Msg::Run(RunEvent::Started { run, check }) => {
                if let RunState::Running { id, in_flight, .. } = &mut self.run
                    && *id == run
                {
                    in_flight.push(check);
                }
                Vec::new()
            }
            Msg::Run(RunEvent::Finished { run, outcome }) => {
                if let RunState::Running { id, in_flight, outcomes } = &mut self.run
                    && *id == run
                {
                    in_flight.retain(|c| c != &outcome.check);
                    outcomes.push(*outcome);
                    self.recompute();
                }
                Vec::new()
            }
            Msg::RunDone { run, outcomes } => self.finish_run(run, outcomes),
            Msg::Saved(result) => self.saved(result),
            Msg::SessionWritten(result) => self.session_written(result),
            Msg::Reloaded(Ok(files)) => {
                self.draft.reloaded(files);
                self.start_run()
            }
            Msg::Reloaded(Err(why)) => {
                self.view.notice = Some(Notice::error(why));
                Vec::new()
            }
            Msg::CommandDone(Ok(how)) => {
                self.view.notice = Some(Notice::info(format!("{how}; checking again")));
                self.start_run()
            }
            Msg::CommandDone(Err(why)) => {
                self.view.notice = Some(Notice::error(why));
                Vec::new()
            }
            Msg::BundleChecked { path, verdict: Ok(how) } => {
                draft::apply_field(&mut self.draft.edited, &self.form.profile, Field::CaBundle, &path);
                self.view.notice = Some(Notice::info(format!("{how}: ca_bundle is in the draft, s saves it")));
                self.start_run()
            }
            Msg::BundleChecked { verdict: Err(why), .. } => {
                self.view.notice = Some(Notice::error(format!("ca_bundle not kept: {why}")));
                Vec::new()
            }
            Msg::ProfileStatuses(statuses) => {
                for status in statuses {
                    // The wizard's own run of the current profile (on the draft) outranks the scan.
                    if status.profile == self.form.profile && self.profiles.contains_key(&status.profile) {
                        continue;
                    }
                    self.profiles.insert(status.profile.clone(), status);
                }
                Vec::new()
            }
        }
    }

    /// A save ended: the files reloaded and checked again (or quit, from the quit prompt), or why not.
    fn saved(&mut self, result: Result<super::msg::SaveDone, String>) -> Vec<Effect> {
        match result {
            Ok(done) => {
                self.draft.reloaded(done.files);
                let said: Vec<String> = done.written.iter().map(|w| format!("saved {}", w.describe())).collect();
                self.summary.written.extend(done.written);
                self.scan_due = true;
                if self.quit_after_save {
                    self.quit = true;
                    return vec![Effect::Quit];
                }
                self.view.notice = Some(Notice::info(said.join("; ")));
                self.start_run()
            }
            Err(why) => {
                self.quit_after_save = false;
                self.view.notice = Some(Notice::error(format!("not saved: {why}. Your edits are still here.")));
                Vec::new()
            }
        }
    }

    /// An MFA session was written: the checks switch to its profile (the user's choice), or why not.
    fn session_written(&mut self, result: Result<super::msg::SessionDone, String>) -> Vec<Effect> {
        match result {
            Ok(done) => {
                let until = done.expiration.map(|e| format!(", valid until {e}")).unwrap_or_default();
                self.view.notice = Some(Notice::info(format!(
                    "wrote the new session to profile {} in {}{until}; checking it now",
                    done.profile,
                    done.written.first().map_or("the credentials file", |w| w.path.as_str())
                )));
                self.summary.written.extend(done.written);
                self.scan_due = true;
                self.form.profile = done.profile.clone();
                self.form.chosen = Some(done.profile);
                self.form.options.mfa_code = None;
                self.form.renewing = None;
                vec![Effect::Reload]
            }
            Err(why) => {
                self.view.notice = Some(Notice::error(format!("session not written: {why}")));
                Vec::new()
            }
        }
    }

    /// What this run says of the profile it checked, for the picker.
    fn own_status(&self) -> ProfileStatus {
        let status = [Status::Fail, Status::Warn, Status::Pass]
            .into_iter()
            .find(|s| self.report.steps.iter().any(|step| step.status == *s))
            .unwrap_or(Status::Skip);
        let cause = self.report.causes.first().or(self.report.warnings.first()).and_then(|c| c.cause);
        ProfileStatus {
            profile: self.form.profile.clone(),
            status,
            cause,
            source: Some(self.report.source.kind),
            account: self.report.identity.as_ref().map(|i| i.account.clone()),
        }
    }

    fn finish_run(&mut self, run: u64, outcomes: Outcomes) -> Vec<Effect> {
        if run != self.run.id() || !self.run.is_running() {
            return Vec::new();
        }
        self.run = RunState::Finished { id: run, outcomes };
        self.checked_at = Some(self.view.clock.unwrap_or(self.now));
        self.recompute();
        self.profiles.insert(self.form.profile.clone(), self.own_status());
        if let Some(renewal) = self.form.renewing.clone() {
            return self.finish_renewal(renewal);
        }
        // The picker's statuses: every profile scanned after the first run (so it
        // is not slowed), and again after a save changed the files.
        let mut effects = Vec::new();
        if std::mem::take(&mut self.scan_due) {
            effects.push(Effect::ScanProfiles {
                gathered: Box::new(self.draft.gathered(&self.form.profile, None)),
                active: self.profile_flag().map(str::to_string),
                timeout: self.form.options.timeout,
            });
        }
        // Open on the primary cause's failure, unless the user has moved.
        if let (false, Some((step, index))) = (self.view.navigated, self.primary_place()) {
            self.show_check(step, index);
        }
        if self.run.outcomes().session().is_some() {
            self.view.open(Modal::ConfirmSession(format!("{}-mfa", self.form.profile)));
        }
        effects
    }

    /// The end of a renewal's run on the base: write the session to the
    /// target, or ask for the code again with the reason.
    fn finish_renewal(&mut self, mut renewal: renew::Renewal) -> Vec<Effect> {
        if self.run.outcomes().session().is_some() {
            return vec![Effect::WriteSession {
                facts: Box::new(self.facts()),
                outcomes: self.run.outcomes().clone(),
                target: renewal.target,
            }];
        }
        let why = self
            .report
            .step(Step::Mfa)
            .and_then(|s| s.checks.iter().find(|c| c.status == Status::Fail))
            .map(|c| c.summary.clone())
            .or_else(|| self.report.causes.first().map(|c| c.summary.clone()))
            .unwrap_or_else(|| "AWS gave no session".to_string());
        self.form.options.mfa_code = None;
        renewal.code.clear();
        renewal.error = Some(why);
        self.view.open(Modal::Renew(renewal));
        Vec::new()
    }

    /// Starts the wizard: the first run.
    pub fn start(&mut self) -> Vec<Effect> {
        self.start_run()
    }
}
