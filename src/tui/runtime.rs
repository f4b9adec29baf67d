//! The wizard's runtime: owns the terminal and the tokio tasks. It feeds
//! terminal events and effect results into `App::update` as messages,
//! performs the effects it returns (reading side files, running checks,
//! writing files; a new run aborts the previous one), and redraws only after
//! a message: idle means no CPU. A spinner tick runs only while checks run.
//! All of the wizard's IO happens here.

use super::app::App;
use super::msg::{Effect, Msg};
use super::view;
use crate::diagnose::{self, Facts, gather};
use crate::profile::{Document, FileKind, ProfileFiles};
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
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

/// Writes the draft documents over the loaded files (each only if it changed).
fn save(files: ProfileFiles, config: Document, credentials: Document) -> Result<(ProfileFiles, String), String> {
    let mut files = files;
    let mut said = Vec::new();
    for (kind, document) in [(FileKind::Credentials, credentials), (FileKind::Config, config)] {
        let file = files.file_mut(kind);
        if !file.is_changed(&document) {
            continue;
        }
        let saved = file.save(&document).map_err(|e| e.to_string())?;
        let backup = saved.backup.map(|b| format!(" (backup {})", b.display())).unwrap_or_default();
        said.push(format!("saved {}{backup}", saved.written.display()));
    }
    Ok((files, said.join("; ")))
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
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::Saved(save(*files, *config, *credentials)));
            });
        }
        Effect::WriteSession { facts, outcomes, target } => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let result = match diagnose::session::write_session(&facts, &outcomes, &target) {
                    Ok(Some(message)) => Ok((target, message)),
                    Ok(None) => Err("no session was obtained".to_string()),
                    Err(why) => Err(why),
                };
                let _ = tx.send(Msg::SessionWritten(result));
            });
        }
        Effect::Reload => {
            let tx = tx.clone();
            let env = app.draft.env.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::Reloaded(ProfileFiles::load(&env).map_err(|e| e.to_string())));
            });
        }
    }
    true
}

/// The event loop. Returns when the app asks to quit.
pub async fn event_loop(terminal: &mut ratatui::DefaultTerminal, mut app: App) -> std::io::Result<()> {
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let mut events = EventStream::new();
    let mut current_run: Option<JoinHandle<()>> = None;
    let mut ticker = tokio::time::interval(Duration::from_millis(120));
    let mut pending = app.start();
    let mut frames: u64 = 0;
    loop {
        for effect in pending.drain(..) {
            if !perform(effect, &app, &tx, &mut current_run) {
                return Ok(());
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
                Some(Ok(Event::Resize(..))) => Msg::Resize,
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => msg,
            _ = ticker.tick(), if app.run.is_running() => Msg::Tick,
        };
        pending = app.update(msg);
    }
}

/// Enters the full-screen terminal the way the wizard does; ratatui's hook
/// restores it if anything panics.
pub fn enter_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    ratatui::try_init()
}

/// Runs the wizard: sets up the terminal (restored on every exit, panic
/// included), the runtime, and the loop.
pub fn run(app: App) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let mut terminal = enter_terminal()?;
    let result = runtime.block_on(event_loop(&mut terminal, app));
    ratatui::restore();
    runtime.shutdown_timeout(Duration::from_millis(200));
    result
}
