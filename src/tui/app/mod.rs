//! The wizard's state and its one `update(msg) -> effects` function (key
//! handling lives in `handlers`). The state is in four parts: the `form`
//! (profile and typed run options, the edit in progress), the `draft` (the
//! files on disk, the working copy, the side files), the `run` (idle,
//! running, finished) and the `view` (step, cursor, modals). No IO here:
//! reading and writing files and running checks are effects, and their
//! results come back as messages. The report on screen is always
//! `diagnose::conclude` over the facts of the draft (the text being typed
//! included) and the outcomes of the newest run: the same pair `check` uses.

pub mod draft;
pub mod form;
pub mod run;
pub mod view_state;

pub use draft::Draft;
pub use form::{Editing, Form};
pub use run::RunState;
pub use view_state::{Item, Modal, Notice, ViewState};

use super::fields::Field;
use super::msg::{Effect, Msg};
use crate::diagnose::runner::RunEvent;
use crate::diagnose::{self, Facts, Gathered, Options, Outcomes, Report, Step, assess};
use chrono::{DateTime, Utc};

/// The wizard's whole state.
#[derive(Debug, Clone)]
pub struct App {
    pub form: Form,
    pub draft: Draft,
    pub run: RunState,
    pub view: ViewState,
    /// The report of the draft and the newest run, recomputed on change (not per frame).
    pub report: Report,
    /// The clock of the checks (expiry); refreshed before each run.
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// The id the next run takes.
    next_run: u64,
}

impl App {
    /// A wizard over gathered files. `now` is the clock for expiry checks.
    pub fn new(gathered: Gathered, profile_flag: Option<&str>, options: Options, now: DateTime<Utc>) -> Self {
        let (profile, _) = gathered.env.active_profile(profile_flag);
        let pasted_step = options
            .error
            .as_deref()
            .map(|e| assess::iam_scp::pasted_step(&diagnose::decode::parse_pasted(e).meaning()));
        let mut view = ViewState::on(pasted_step.unwrap_or(Step::Credentials));
        view.navigated = pasted_step.is_some();
        let facts = Facts::new(gathered.clone(), profile_flag, options.clone(), now);
        let report = diagnose::conclude(&facts, &Outcomes::new(), std::time::Duration::ZERO);
        App {
            form: Form { profile, options, editing: None },
            draft: Draft::new(gathered),
            run: RunState::Idle,
            view,
            report,
            now,
            quit: false,
            next_run: 1,
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
        let checks = self.report.step(self.view.step).map_or(0, |s| s.checks.len());
        Field::of_step(self.view.step).map(Item::Field).chain((0..checks).map(Item::Check)).collect()
    }

    /// Whether live checks that feed this step are still running.
    pub fn step_running(&self, step: Step) -> bool {
        self.run.is_running() && self.run.in_flight().iter().any(|check| check.feeds(step))
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<Item> {
        self.items().get(self.view.cursor).copied()
    }

    /// Recomputes the report from the draft (with the text being typed, for
    /// offline lints as you type) and the outcomes of the newest run.
    pub(super) fn recompute(&mut self) {
        let facts = self.facts_with(true);
        self.report = diagnose::conclude(&facts, self.run.outcomes(), std::time::Duration::ZERO);
        self.draft.view = facts.view;
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
            Msg::Resize => Vec::new(),
            Msg::Tick => {
                self.view.spinner = self.view.spinner.wrapping_add(1);
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
            Msg::Saved(Ok((files, message))) => {
                self.draft.reloaded(files);
                self.view.notice = Some(Notice::info(message));
                self.start_run()
            }
            Msg::Saved(Err(why)) => {
                self.view.notice = Some(Notice::error(format!("not saved: {why}. Your edits are still here.")));
                Vec::new()
            }
            Msg::SessionWritten(Ok((profile, message))) => {
                self.form.profile = profile;
                self.form.options.mfa_code = None;
                self.view.notice = Some(Notice::info(message));
                vec![Effect::Reload]
            }
            Msg::SessionWritten(Err(why)) => {
                self.view.notice = Some(Notice::error(format!("session not written: {why}")));
                Vec::new()
            }
            Msg::Reloaded(Ok(files)) => {
                self.draft.reloaded(files);
                self.start_run()
            }
            Msg::Reloaded(Err(why)) => {
                self.view.notice = Some(Notice::error(why));
                Vec::new()
            }
        }
    }

    fn finish_run(&mut self, run: u64, outcomes: Outcomes) -> Vec<Effect> {
        if run != self.run.id() || !self.run.is_running() {
            return Vec::new();
        }
        self.run = RunState::Finished { id: run, outcomes };
        self.recompute();
        // Open on the primary cause's step, unless the user has moved.
        if let (false, Some(primary)) = (self.view.navigated, self.report.causes.first()) {
            self.view.step = primary.step;
            self.view.cursor = 0;
        }
        if self.run.outcomes().session().is_some() {
            self.view.modal = Some(Modal::ConfirmSession(format!("{}-mfa", self.form.profile)));
        }
        Vec::new()
    }

    /// Starts the wizard: the first run.
    pub fn start(&mut self) -> Vec<Effect> {
        self.start_run()
    }
}
