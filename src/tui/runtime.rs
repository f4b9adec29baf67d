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
use super::app::summary::Written;
use super::msg::{Effect, Msg, SaveDone, SessionDone};
use super::view;
use crate::diagnose::{self, Facts, Gathered, Outcomes, gather, scan};
use crate::display::display_path;
use crate::environment::Environment;
use crate::profile::{Document, FileKind, LoadedFile, ProfileFiles};
use base64::Engine as _;
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, Event, EventStream, KeyEventKind, MouseEventKind,
};
use futures::StreamExt;
use std::io::Write as _;
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinHandle;

/// Runs one diagnosis run in the background, reporting progress as messages.
async fn run_checks(run: diagnose::runner::RunId, facts: Facts, tx: UnboundedSender<Msg>) {
    let events = tx.clone();
    let diagnosis = diagnose::diagnose_run(&facts, run, move |event| {
        let _ = events.send(Msg::Run(event));
    })
    .await;
    let _ = tx.send(Msg::RunDone { run, outcomes: diagnosis.outcomes });
}

/// Scans every profile at low concurrency, sending each status to the picker as it is known.
async fn scan_profiles(gathered: Gathered, active: Option<String>, timeout: Duration, tx: UnboundedSender<Msg>) {
    let options = diagnose::Options { timeout, ..diagnose::Options::default() };
    let settings = scan::Settings { options, concurrency: usize::from(scan::BACKGROUND_CONCURRENCY), active };
    let status = |s: scan::Summary| ProfileStatus { profile: s.profile, status: s.status, cause: s.cause };
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
    let why = why.to_string();
    match env.home() {
        Some(home) => why.replace(&home.display().to_string(), "~"),
        None => why,
    }
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

/// Writes the session of `outcomes` to profile `target`, safely, like
/// `diagnose::session::write_session`, keeping what was written for the summary.
fn write_session(facts: &Facts, outcomes: &Outcomes, target: &str) -> Result<SessionDone, String> {
    let env = &facts.env;
    let Some(session) = outcomes.session() else { return Err("no session was obtained".into()) };
    if target == facts.profile {
        return Err(format!("refusing to overwrite the long-term keys of profile {target} with a session"));
    }
    let mut credentials = LoadedFile::load(&env.credentials_path()).map_err(|e| tidy(env, e))?;
    let mut config = LoadedFile::load(&env.config_path()).map_err(|e| tidy(env, e))?;
    let region = facts.signing_region();
    let (new_credentials, new_config) = diagnose::session::session_edits(
        &credentials.document,
        &config.document,
        target,
        &session.keys,
        session.expiration,
        region.as_deref(),
    );
    let mut done = vec![written(env, &credentials.save(&new_credentials).map_err(|e| tidy(env, e))?)];
    if config.is_changed(&new_config) {
        done.push(written(env, &config.save(&new_config).map_err(|e| tidy(env, e))?));
    }
    Ok(SessionDone {
        profile: target.to_string(),
        written: done,
        expiration: session.expiration.map(|e| e.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    })
}

/// Puts text on the clipboard through the terminal (OSC 52).
fn copy_to_clipboard(text: &str) {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = std::io::stdout();
    let _ = write!(out, "\x1b]52;c;{encoded}\x07");
    let _ = out.flush();
}

/// Performs one effect; returns false when the wizard should leave.
fn perform(effect: Effect, app: &App, tx: &UnboundedSender<Msg>, current_run: &mut Option<JoinHandle<()>>) -> bool {
    match effect {
        Effect::Quit => {
            if let Some(handle) = current_run.take() {
                handle.abort();
            }
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
            if let Some(handle) = current_run.take() {
                handle.abort();
            }
            *current_run = Some(tokio::spawn(run_checks(run, *facts, tx.clone())));
        }
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
            tokio::spawn(scan_profiles(*gathered, active, timeout, tx.clone()));
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
    let mut events = EventStream::new();
    let mut current_run: Option<JoinHandle<()>> = None;
    let mut ticker = tokio::time::interval(Duration::from_millis(120));
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));
    let mut pending = app.start();
    let mut frames: u64 = 0;
    loop {
        for effect in pending.drain(..) {
            if !perform(effect, &app, &tx, &mut current_run) {
                return Ok(app);
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
        };
        pending = app.update(msg);
    }
}

/// Terminal modes for mouse clicks and wheel, reported in SGR encoding.
const CLICKS_AND_WHEEL: &str = "\x1b[?1000h\x1b[?1006h";

/// Turns mouse reporting and bracketed paste off again.
fn release_input() {
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture, DisableBracketedPaste);
}

/// Enters the full-screen terminal the way the wizard does (with clicks and
/// wheel reported, and bracketed paste); if anything panics, the hook turns them
/// off, then ratatui's hook restores the terminal.
pub fn enter_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    let restore = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        release_input();
        restore(info);
    }));
    let mut out = std::io::stdout();
    // Clicks and the wheel only (1000, in SGR encoding 1006): no motion events, so a mouse
    // moving over the window costs nothing.
    out.write_all(CLICKS_AND_WHEEL.as_bytes())?;
    crossterm::execute!(out, EnableBracketedPaste)?;
    Ok(terminal)
}

/// Leaves the full-screen terminal: input modes off, then ratatui's restore.
pub fn leave_terminal() {
    release_input();
    ratatui::restore();
}

/// Runs the wizard: sets up the terminal (restored on every exit, panic
/// included), the runtime, and the loop. Returns the app as it ended, for
/// the exit summary.
pub fn run(app: App) -> std::io::Result<App> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let mut terminal = enter_terminal()?;
    let result = runtime.block_on(event_loop(&mut terminal, app));
    leave_terminal();
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}
