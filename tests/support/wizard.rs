//! Building wizard states and driving `update` without a terminal: an app
//! over in-memory files with a fixed clock, keys, typing, answering the
//! runtime's effects, made-up live outcomes, and the screen as text.

use chrono::{DateTime, Utc};
use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::run::check::{Identity, LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::{Options, Outcomes};
use credwiz::profile::ProfileFiles;
use credwiz::tui::App;
use credwiz::tui::msg::{Effect, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

pub const ID: &str = "AKIAQWERTYUIOPASDFGH";
pub const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
pub const ARN: &str = "arn:aws:iam::123456789012:user/alice";

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// The default profile's keys, as a credentials file.
pub fn keys() -> String {
    format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n")
}

/// A wizard over these files, with these environment variables.
pub fn app_env(config: &str, credentials: &str, env: &[(&str, &str)], options: Options) -> App {
    let mut pairs = vec![("AWS_EC2_METADATA_DISABLED", "true")];
    pairs.extend_from_slice(env);
    let env = Environment::from_pairs(pairs, Some("/home/u".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
    let mut app = App::new(
        Gathered { env, files, side: SideFiles::default() },
        None,
        Options { timeout: Duration::from_secs(10), ..options },
        now(),
    );
    app.update(Msg::Resize(100, 30));
    app
}

/// A wizard over these files.
pub fn app_with(config: &str, credentials: &str) -> App {
    app_env(config, credentials, &[], Options::default())
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

/// The id of the run these effects start, after answering its file gathering
/// the way the runtime would (0: no run started).
pub fn run_id(app: &mut App, effects: Vec<Effect>) -> u64 {
    let Some(run) = effects.iter().find_map(|e| if let Effect::Gather { run, .. } = e { Some(*run) } else { None })
    else {
        return 0;
    };
    let next = app.update(Msg::Gathered { run, side: Box::default(), now: now() });
    next.iter().find_map(|e| if let Effect::RunChecks { run, .. } = e { Some(*run) } else { None }).unwrap_or(0)
}

/// Finishes the run these effects start with these outcomes; returns the effects of finishing.
pub fn finish(app: &mut App, effects: Vec<Effect>, outcomes: Vec<Outcome>) -> Vec<Effect> {
    let run = run_id(app, effects);
    app.update(Msg::RunDone { run, outcomes: Outcomes::from(outcomes) })
}

/// The first run of a new app, finished with these outcomes.
pub fn started(mut app: App, outcomes: Vec<Outcome>) -> App {
    let effects = app.start();
    finish(&mut app, effects, outcomes);
    app
}

pub fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>) -> Outcome {
    Outcome {
        check,
        call: Call { result, elapsed: Duration::from_millis(5), server_date: Some(now()), local_date: now() },
    }
}

pub fn aws(code: &str, message: &str) -> Result<LiveValue, Failure> {
    Err(Failure::Aws(AwsError {
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some("4f1c-9a2e".into()),
        http_status: Some(403),
        operation: None,
    }))
}

/// GetCallerIdentity of the active credentials, accepted.
pub fn identity() -> Outcome {
    let value = LiveValue::Identity(Identity {
        account: "123456789012".into(),
        arn: ARN.into(),
        user_id: "AIDAEXAMPLEUSERID".into(),
        account_alias: None,
    });
    outcome(LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) }, Ok(value))
}

/// GetCallerIdentity of the active credentials, refused for a wrong secret.
pub fn mismatch() -> Outcome {
    outcome(
        LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
        aws("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."),
    )
}

/// The screen as text, `width` x `height`.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut app = app.clone();
    app.update(Msg::Resize(width, height));
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal.draw(|frame| credwiz::tui::view::render(frame, &app)).expect("draw");
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .filter_map(|x| buffer.cell((x, y)).map(|c| c.symbol().to_string()))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}
