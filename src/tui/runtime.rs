//! The wizard's runtime: owns the terminal and the tokio tasks. It feeds
//! terminal events (keys, clicks and wheel, pastes, resizes) and effect
//! results into `App::update` as messages, performs the effects it returns
//! (reading side files, running checks, the background scan of every
//! profile for the picker, writing files, copying through OSC 52; a new run
//! aborts the previous one), and redraws only after a message:
//! idle means no CPU, and mouse moves are dropped without a redraw. A
//! spinner tick runs only while checks run. All of the wizard's IO happens
//! here.

use super::app::App;
use super::app::picker::ProfileStatus;
use super::app::written::Written;
use super::handover::{run_editor, run_in_terminal};
use super::terminal::{enter_terminal, leave_terminal, suspend};

use super::msg::{Effect, Msg, SaveDone, SessionDone};
use super::view;
use crate::base::display::display_path;
use crate::base::environment::Environment;
use crate::diagnose::input::gather;
use crate::diagnose::{self, Facts, Gathered, Outcomes};
use crate::profile::{Document, FileKind, ProfileFiles};
use crate::scan;
use base64::Engine as _;
use crossterm::event::{Event, EventStream, KeyEventKind, MouseEventKind};
use futures::StreamExt;
use std::io::Write as _;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

/// Runs one diagnosis run in the background, reporting progress as messages.
/// A panic inside it ends the wizard cleanly (see [`event_loop`]), rather
/// than leaving a dead spinner behind a terminal the panic hook restored.
async fn run_checks(
    run: diagnose::runner::RunId,
    facts: Facts,
    tx: UnboundedSender<Msg>,
    panicked: UnboundedSender<()>,
) {
    use futures::FutureExt as _;
    let events = tx.clone();
    let work = diagnose::diagnose_run(&facts, run, move |event| {
        let _ = events.send(Msg::Run(event));
    });
    match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(diagnosis) => {
            let _ = tx.send(Msg::RunDone { run, outcomes: diagnosis.outcomes });
        }
        Err(_) => {
            let _ = panicked.send(());
        }
    }
}

/// Scans every profile at low concurrency, sending each status to the picker as it is known.
async fn scan_profiles(gathered: Gathered, active: Option<String>, timeout: Duration, tx: UnboundedSender<Msg>) {
    let options = diagnose::Options { timeout, ..diagnose::Options::default() };
    let settings = scan::Settings { options, concurrency: usize::from(scan::BACKGROUND_CONCURRENCY), active };
    let status = |s: scan::Summary| ProfileStatus {
        profile: s.profile,
        status: s.status,
        cause: s.cause,
        source: s.source,
        account: s.account,
    };
    scan::scan(gathered, settings, chrono::Utc::now(), |event| {
        let statuses = match event {
            scan::Event::Offline(all) => all.into_iter().map(status).collect(),
            scan::Event::Checked { summary, .. } | scan::Event::Revised(summary) => vec![status(summary)],
        };
        let _ = tx.send(Msg::ProfileStatuses(statuses));
    })
    .await;
}

/// A saved file, for people: `~` paths.
fn written(env: &Environment, saved: &crate::profile::store::Saved) -> Written {
    Written { path: display_path(env, &saved.written), backup: saved.backup.as_deref().map(|b| display_path(env, b)) }
}

/// An error for people: the home directory shown as `~`.
fn tidy(env: &Environment, why: impl ToString) -> String {
    crate::base::display::home_as_tilde(env, &why.to_string())
}

/// Writes the draft documents over the loaded files (each only if it changed).
fn save(env: &Environment, files: ProfileFiles, config: Document, credentials: Document) -> Result<SaveDone, String> {
    let mut files = files;
    let mut done = Vec::new();
    for (kind, document) in [(FileKind::Credentials, credentials), (FileKind::Config, config)] {
        let file = files.file_mut(kind);
        if !file.is_changed(&document) {
            continue;
        }
        let saved = file.save(&document).map_err(|e| tidy(env, e))?;
        done.push(written(env, &saved));
    }
    Ok(SaveDone { files, written: done })
}

/// Writes the session of `outcomes` to profile `target` (`diagnose::session`
/// does the writing), keeping what was written for the exit summary.
fn write_session(facts: &Facts, outcomes: &Outcomes, target: &str) -> Result<SessionDone, String> {
    let env = &facts.env;
    match diagnose::session::write_session(facts, outcomes, target).map_err(|e| tidy(env, e))? {
        Some(done) => Ok(SessionDone {
            profile: target.to_string(),
            written: done.saved.iter().map(|saved| written(env, saved)).collect(),
            expiration: done.expiration.map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        }),
        None => Err("no session was obtained".into()),
    }
}

/// Puts text on the clipboard through the terminal (OSC 52).
fn copy_to_clipboard(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

/// The background tasks a newer one of the same kind replaces: the
/// selected profile's run and the scan of every profile.
#[derive(Default)]
struct Tasks {
    run: Option<JoinHandle<()>>,
    scan: Option<JoinHandle<()>>,
}

impl Tasks {
    /// Aborts `slot`'s task, if any, and puts `next` in its place.
    fn replace(slot: &mut Option<JoinHandle<()>>, next: Option<JoinHandle<()>>) {
        if let Some(handle) = std::mem::replace(slot, next) {
            handle.abort();
        }
    }
}

/// Performs one effect; returns false when the wizard should leave.
fn perform(
    effect: Effect,
    app: &App,
    tx: &UnboundedSender<Msg>,
    panicked: &UnboundedSender<()>,
    tasks: &mut Tasks,
) -> bool {
    match effect {
        Effect::Quit => {
            Tasks::replace(&mut tasks.run, None);
            Tasks::replace(&mut tasks.scan, None);
            return false;
        }
        Effect::Gather { run, env, view } => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let side = gather::gather_side(&env, &view);
                let _ = tx.send(Msg::Gathered { run, side: Box::new(side), now: chrono::Utc::now() });
            });
        }
        Effect::RunChecks { run, facts } => {
            Tasks::replace(&mut tasks.run, Some(tokio::spawn(run_checks(run, *facts, tx.clone(), panicked.clone()))));
        }
        Effect::CheckBundle { path, target, env } => {
            let tx = tx.clone();
            tokio::spawn(async move {
                let deadline = std::time::Instant::now() + Duration::from_secs(8);
                let input = crate::netpath::ProbeInput::new(
                    *target,
                    crate::netpath::ProxyEnv::from_environment(&env),
                    deadline,
                );
                let check = crate::netpath::recheck_ca_bundle(&env.expand(&path), &input).await;
                let verdict = match check {
                    crate::netpath::BundleCheck::Verifies { certificates, .. } => {
                        Ok(format!("the handshake verifies with {path} ({certificates} certificates)"))
                    }
                    crate::netpath::BundleCheck::StillUntrusted { report, .. } => Err(format!(
                        "the handshake still does not verify with it: {}",
                        report.failing_stage().map_or(report.summary.clone(), |s| s.summary.clone())
                    )),
                    crate::netpath::BundleCheck::Undecided { report } => {
                        Err(format!("the endpoint could not be reached to try it: {}", report.summary))
                    }
                    crate::netpath::BundleCheck::Unusable { reason } => Err(reason),
                };
                let _ = tx.send(Msg::BundleChecked { path, verdict });
            });
        }
        Effect::RunCommand { .. } | Effect::Edit { .. } | Effect::Suspend => {}
        Effect::Save { files, config, credentials } => {
            let tx = tx.clone();
            let env = app.draft.env.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::Saved(save(&env, *files, *config, *credentials)));
            });
        }
        Effect::WriteSession { facts, outcomes, target } => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::SessionWritten(write_session(&facts, &outcomes, &target)));
            });
        }
        Effect::ScanProfiles { gathered, active, timeout } => {
            // The old scan's statuses already sent arrive before the new one's (one channel, in order).
            let scan = tokio::spawn(scan_profiles(*gathered, active, timeout, tx.clone()));
            Tasks::replace(&mut tasks.scan, Some(scan));
        }
        Effect::Copy(text) => copy_to_clipboard(&text),
        Effect::Reload => {
            let tx = tx.clone();
            let env = app.draft.env.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::Reloaded(ProfileFiles::load(&env).map_err(|e| tidy(&env, e))));
            });
        }
    }
    true
}

/// The event loop. Returns the app when it asks to quit (for the exit summary).
pub async fn event_loop(terminal: &mut ratatui::DefaultTerminal, mut app: App) -> std::io::Result<App> {
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let (panicked, mut panics) = unbounded_channel::<()>();
    let mut stops = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::from_raw(libc::SIGTSTP))?;
    let mut events = EventStream::new();
    let mut tasks = Tasks::default();
    let mut ticker = tokio::time::interval(Duration::from_millis(120));
    // Once a second, for "checked 12 s ago" (a redraw that changes a few cells).
    let mut clock = tokio::time::interval(Duration::from_secs(1));
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let mut pending = app.start();
    let mut frames: u64 = 0;
    loop {
        while !pending.is_empty() {
            for effect in std::mem::take(&mut pending) {
                match effect {
                    Effect::RunCommand { argv, env } => {
                        // The command owns the terminal meanwhile: no key may reach the wizard.
                        drop(events);
                        let done = run_in_terminal(terminal, &argv, &env);
                        events = EventStream::new();
                        pending.extend(app.update(done));
                    }
                    Effect::Edit { argv, env } => {
                        drop(events);
                        let done = run_editor(terminal, &argv, &env);
                        events = EventStream::new();
                        match done {
                            Ok(()) => pending.push(Effect::Reload),
                            Err(why) => pending.extend(app.update(Msg::CommandDone(Err(why)))),
                        }
                    }
                    Effect::Suspend => {
                        drop(events);
                        suspend(terminal)?;
                        events = EventStream::new();
                    }
                    effect => {
                        if !perform(effect, &app, &tx, &panicked, &mut tasks) {
                            return Ok(app);
                        }
                    }
                }
            }
        }
        terminal.draw(|frame| view::render(frame, &app))?;
        frames += 1;
        if frames == 1
            && let Some(started) = crate::logging::STARTED.get()
        {
            tracing::info!(ms = started.elapsed().as_secs_f64() * 1000.0, "first frame drawn");
        }
        let msg = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(Event::Mouse(mouse)))
                    if matches!(
                        mouse.kind,
                        MouseEventKind::Down(_) | MouseEventKind::ScrollUp | MouseEventKind::ScrollDown
                    ) =>
                {
                    Msg::Mouse(mouse)
                }
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize(width, height),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(app),
            },
            Some(msg) = rx.recv() => msg,
            _ = ticker.tick(), if app.run.is_running() => Msg::Tick,
            _ = clock.tick() => Msg::Clock(chrono::Utc::now()),
            Some(()) = panics.recv() => {
                return Err(std::io::Error::other("a background check panicked; see the log"));
            }
            Some(()) = stops.recv() => {
                drop(events);
                suspend(terminal)?;
                events = EventStream::new();
                continue;
            }
        };
        pending = app.update(msg);
    }
}

/// Runs the wizard: sets up the terminal (restored on every exit, panic
/// included), the runtime, and the loop. Returns the app as it ended, for
/// the exit summary.
pub fn run(app: App) -> std::io::Result<App> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    // SIGTERM, SIGINT, SIGHUP, SIGQUIT: the terminal comes back before the process dies of the signal.
    crate::base::signals::on_termination(leave_terminal);
    let mut terminal = enter_terminal()?;
    let result = runtime.block_on(event_loop(&mut terminal, app));
    leave_terminal();
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}
