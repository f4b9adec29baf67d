//! The wizard's state and its one `update(msg) -> effects` function (key
//! handling lives in `handlers`). No IO
//! here: files are edited as in-memory drafts, checks and writes are asked
//! for as effects, and their results come back as messages. The report on
//! screen is always recomputed from the draft (offline lints as you type)
//! plus the live outcomes of the newest run (stale runs are dropped).

use super::fields::Field;
use super::msg::{Effect, Msg};
use crate::diagnose::plan::{LiveCheck, Outcome};
use crate::diagnose::runner::{RunEvent, RunId};
use crate::diagnose::{Facts, Options, Report, Step, assess, report};
use crate::environment::Environment;
use crate::profile::{ProfileFiles, SdkView, set_target};
use chrono::{DateTime, Utc};
use tui_input::Input;

/// An overlay over the panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Modal {
    Help,
    /// The diff of a save, waiting for y/n. Secrets in it are masked.
    ConfirmSave(Vec<String>),
    /// A new MFA session, waiting for y/n to write it to this profile.
    ConfirmSession(String),
}

/// A line for the user at the bottom of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// What the cursor of the panel is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Field(Field),
    Check(usize),
}

/// The wizard's whole state.
#[derive(Debug, Clone)]
pub struct App {
    pub env: Environment,
    /// The files as last read from disk.
    pub files: ProfileFiles,
    /// The working copy the fields edit; saved with `s`.
    pub draft: ProfileFiles,
    /// The SDK's view of the draft, refreshed with the report (not per frame).
    pub view: SdkView,
    pub profile: String,
    pub options: Options,
    pub mfa_code: String,
    pub expect_account: String,
    pub action: String,
    pub pasted_error: String,
    pub step: Step,
    pub cursor: usize,
    /// The field being edited and its text input.
    pub editing: Option<(Field, Input)>,
    pub reveal: bool,
    pub ignore_env: bool,
    pub run: RunId,
    pub running: bool,
    /// Live outcomes of the newest run, valid for the draft it ran on.
    pub outcomes: Vec<Outcome>,
    pub outcomes_current: bool,
    pub report: Report,
    pub modal: Option<Modal>,
    pub notice: Option<Notice>,
    pub spinner: usize,
    /// Checks of the newest run that started and have not finished.
    pub in_flight: Vec<LiveCheck>,
    /// Colours on (off with NO_COLOR or --no-color).
    pub color: bool,
    pub now: DateTime<Utc>,
    pub quit: bool,
    /// Whether the user has moved between steps (then runs never move the view).
    pub navigated: bool,
}

impl App {
    /// A wizard over loaded files. `now` is the clock for expiry checks.
    pub fn new(
        env: Environment,
        files: ProfileFiles,
        profile_flag: Option<&str>,
        options: Options,
        now: DateTime<Utc>,
    ) -> Self {
        let (profile, _) = env.active_profile(profile_flag);
        let step = options
            .error
            .as_deref()
            .map(|e| assess::iam_scp::pasted_step(&crate::diagnose::decode::parse_pasted(e).meaning()))
            .unwrap_or(Step::Credentials);
        let options_error_given = options.error.is_some();
        let facts = Facts::new(env.clone(), files.clone(), profile_flag, options.clone(), now);
        let report = report::assemble(&facts, &[], assess::all(&facts, &[]), std::time::Duration::ZERO);
        App {
            mfa_code: options.mfa_code.clone().unwrap_or_default(),
            expect_account: options.expect_account.clone().unwrap_or_default(),
            action: options.actions.join(", "),
            pasted_error: options.error.clone().unwrap_or_default(),
            env,
            view: files.view(),
            draft: files.clone(),
            files,
            profile,
            options,
            step,
            cursor: 0,
            editing: None,
            reveal: false,
            ignore_env: false,
            run: 0,
            running: false,
            outcomes: Vec::new(),
            outcomes_current: false,
            report,
            modal: None,
            notice: None,
            spinner: 0,
            in_flight: Vec::new(),
            color: true,
            now,
            quit: false,
            navigated: options_error_given,
        }
    }

    /// The environment the checks see (without the key variables when ignored).
    pub fn effective_env(&self) -> Environment {
        if self.ignore_env {
            self.env.without(&[
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_CREDENTIAL_EXPIRATION",
            ])
        } else {
            self.env.clone()
        }
    }

    /// The run options from the fields.
    pub fn run_options(&self) -> Options {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Options {
            actions: self
                .action
                .split([',', ' '])
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect(),
            error: some(&self.pasted_error),
            expect_account: some(&self.expect_account),
            mfa_code: some(&self.mfa_code),
            timeout: self.options.timeout,
        }
    }

    /// The facts of the draft, for the offline lints and for a run.
    pub fn facts(&self) -> Facts {
        Facts::new(self.effective_env(), self.draft.clone(), self.profile_flag(), self.run_options(), self.now)
    }

    /// The profile as a `--profile` flag only when the environment would not pick it
    /// anyway (so the report says what really chose it).
    fn profile_flag(&self) -> Option<&str> {
        (self.env.active_profile(None).0 != self.profile).then_some(self.profile.as_str())
    }

    /// A field's current value: the draft's (or the options'), or the text being typed.
    pub fn value(&self, field: Field) -> String {
        if let Some((editing, input)) = &self.editing
            && *editing == field
        {
            return input.value().to_string();
        }
        match field {
            Field::Profile => self.profile.clone(),
            Field::MfaCode => self.mfa_code.clone(),
            Field::ExpectAccount => self.expect_account.clone(),
            Field::Action => self.action.clone(),
            Field::PastedError => self.pasted_error.clone(),
            _ => {
                let key = field.file_key().unwrap_or_default();
                self.view.profiles.get(&self.profile).and_then(|p| p.get(key)).unwrap_or_default().to_string()
            }
        }
    }

    /// The cursor items of the current panel: its fields, then its checks.
    pub fn items(&self) -> Vec<Item> {
        let checks = self.report.step(self.step).map_or(0, |s| s.checks.len());
        Field::of_step(self.step).map(Item::Field).chain((0..checks).map(Item::Check)).collect()
    }

    /// Whether live checks that feed this step are still running.
    pub fn step_running(&self, step: Step) -> bool {
        self.running
            && self.in_flight.iter().any(|check| {
                let fed = match check {
                    LiveCheck::Provide | LiveCheck::CallerIdentity { .. } => Step::Credentials,
                    LiveCheck::AccessKeyInfo { .. }
                    | LiveCheck::ListAccessKeys { .. }
                    | LiveCheck::KeyLastUsed { .. } => Step::Expiry,
                    LiveCheck::ListMfaDevices { .. } | LiveCheck::SessionToken { .. } => Step::Mfa,
                    LiveCheck::TryAction { .. }
                    | LiveCheck::Simulate { .. }
                    | LiveCheck::ListPolicies { .. }
                    | LiveCheck::DecodeMessage { .. } => Step::IamScp,
                };
                fed == step || (fed == Step::Credentials && step != Step::Credentials)
            })
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<Item> {
        self.items().get(self.cursor).copied()
    }

    /// Recomputes the report from the draft (plus live outcomes while they match it).
    pub(super) fn recompute(&mut self) {
        // Offline lints as you type: the text being typed goes into a scratch draft.
        let mut files = self.draft.clone();
        if let Some((field, input)) = &self.editing {
            apply_field(&mut files, &self.profile, *field, input.value());
        }
        let facts = Facts::new(self.effective_env(), files, self.profile_flag(), self.run_options(), self.now);
        self.view = facts.view.clone();
        let outcomes: &[Outcome] = if self.outcomes_current { &self.outcomes } else { &[] };
        let findings = assess::all(&facts, outcomes);
        self.report = report::assemble(&facts, outcomes, findings, std::time::Duration::ZERO);
        self.cursor = self.cursor.min(self.items().len().saturating_sub(1));
    }

    /// Starts a new run (the runtime cancels the previous one).
    pub(super) fn start_run(&mut self) -> Vec<Effect> {
        self.run += 1;
        self.running = true;
        self.in_flight.clear();
        self.outcomes.clear();
        self.outcomes_current = true;
        self.recompute();
        vec![Effect::RunChecks { run: self.run, facts: Box::new(self.facts()) }]
    }

    /// The one state transition.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Resize => Vec::new(),
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Msg::Run(RunEvent::Started { run, check }) => {
                if run == self.run {
                    self.in_flight.push(check);
                }
                Vec::new()
            }
            Msg::Run(RunEvent::Finished { run, outcome }) => {
                if run == self.run {
                    self.in_flight.retain(|c| c != &outcome.check);
                }
                if run == self.run && self.outcomes_current {
                    self.outcomes.push(*outcome);
                    self.recompute();
                }
                Vec::new()
            }
            Msg::RunDone { run, diagnosis } => {
                if run != self.run {
                    return Vec::new();
                }
                self.running = false;
                self.in_flight.clear();
                if self.outcomes_current {
                    self.outcomes = diagnosis.outcomes;
                    self.recompute();
                    // Open on the primary cause's step, unless the user has moved.
                    if let (false, Some(primary)) = (self.navigated, self.report.causes.first()) {
                        self.step = primary.step;
                        self.cursor = 0;
                    }
                    if crate::diagnose::session::obtained(&self.outcomes).is_some() {
                        self.modal = Some(Modal::ConfirmSession(format!("{}-mfa", self.profile)));
                    }
                }
                Vec::new()
            }
            Msg::Saved(Ok((files, message))) => {
                self.files = files.clone();
                self.draft = files;
                self.notice = Some(Notice { error: false, text: message });
                self.start_run()
            }
            Msg::Saved(Err(why)) => {
                self.notice =
                    Some(Notice { error: true, text: format!("not saved: {why}. Your edits are still here.") });
                Vec::new()
            }
            Msg::SessionWritten(Ok((profile, message))) => {
                self.profile = profile;
                self.mfa_code.clear();
                self.notice = Some(Notice { error: false, text: message });
                vec![Effect::Reload]
            }
            Msg::SessionWritten(Err(why)) => {
                self.notice = Some(Notice { error: true, text: format!("session not written: {why}") });
                Vec::new()
            }
            Msg::Reloaded(Ok(files)) => {
                self.files = files.clone();
                self.draft = files;
                self.start_run()
            }
            Msg::Reloaded(Err(why)) => {
                self.notice = Some(Notice { error: true, text: why });
                Vec::new()
            }
        }
    }

    /// Starts the wizard: the first run.
    pub fn start(&mut self) -> Vec<Effect> {
        self.start_run()
    }
}

/// Writes a file field into a draft: set, or remove when empty.
pub fn apply_field(files: &mut ProfileFiles, profile: &str, field: Field, value: &str) {
    let Some(key) = field.file_key() else { return };
    let (kind, section) = set_target(key, profile, &files.config.document);
    let document = &mut files.file_mut(kind).document;
    if value.is_empty() {
        document.remove(&section, key);
    } else {
        document.set(&section, key, value);
    }
}
