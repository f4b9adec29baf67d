//! The wizard's `update(msg) -> effects`, driven without a terminal and
//! without async: navigation, editing into the draft, offline lints as you
//! type, stale runs dropped, save / session / fix flows as effects.

mod support;

use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure, SigningKeys};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::input::options::MfaCode;
use credwiz::diagnose::run::check::{LiveCheck, LiveValue, Outcome, Session, Who};
use credwiz::diagnose::run::runner::RunEvent;
use credwiz::diagnose::{Options, Outcomes, Status, Step};
use credwiz::profile::ProfileFiles;
use credwiz::tui::App;
use credwiz::tui::app::summary::Written;
use credwiz::tui::app::{Item, Modal};
use credwiz::tui::fields::Field;
use credwiz::tui::keymap::Mode;
use credwiz::tui::msg::{Effect, Msg, SessionDone};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;
use support::wizard::{ID, SECRET, key, now, run_id, typed};

fn app_with(credentials: &str, options: Options) -> App {
    support::wizard::app_env("[default]\nregion = us-east-1\n", credentials, &[], options)
}

fn app() -> App {
    app_with(&format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"), Options::default())
}

fn rejected(run: u64) -> Msg {
    let outcome = Outcome {
        check: LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
        call: Call {
            result: Err(Failure::Aws(AwsError {
                code: Some("SignatureDoesNotMatch".into()),
                message: Some("mismatch".into()),
                ..AwsError::default()
            })),
            elapsed: Duration::from_millis(5),
            server_date: Some(now()),
            local_date: now(),
        },
    };
    Msg::Run(RunEvent::Finished { run, outcome: Box::new(outcome) })
}

#[test]
fn start_runs_the_checks_and_results_of_old_runs_are_dropped() {
    let mut app = app();
    let first = {
        let e = app.start();
        run_id(&mut app, e)
    };
    let second = {
        let e = app.update(key(KeyCode::Char('r')));
        run_id(&mut app, e)
    };
    assert!(second > first);
    app.update(rejected(first));
    assert!(app.report.causes.is_empty(), "a stale result changed the report");
    app.update(rejected(second));
    assert_eq!(app.report.causes.first().and_then(|c| c.cause).map(|c| c.id()), Some("secret-mismatch"));
    assert!(app.run.is_running());
}

#[test]
fn arrows_vim_keys_and_tab_move_between_steps_and_fields() {
    let mut app = app();
    assert_eq!(app.view.step, Step::Credentials);
    app.update(key(KeyCode::Char('l')));
    assert_eq!(app.view.step, Step::Expiry);
    app.update(key(KeyCode::Left));
    assert_eq!(app.view.step, Step::Credentials);
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.current(), Some(Item::Field(Field::AccessKeyId)));
    app.update(key(KeyCode::BackTab));
    assert_eq!(app.current(), Some(Item::Field(Field::Profile)));
    for _ in 0..6 {
        app.update(key(KeyCode::Tab));
    }
    assert_eq!((app.view.step, app.current()), (Step::AccountRegion, Some(Item::Field(Field::Region))));
    app.update(key(KeyCode::Char('5')));
    assert_eq!(app.view.step, Step::IamScp);
}

#[test]
fn editing_a_field_lints_as_you_type_and_commits_to_the_draft_only() {
    let mut app = app();
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Enter)); // edit Region
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    typed(&mut app, "us-east1");
    let lint = app.report.causes.first().and_then(|c| c.cause).map(|c| c.id());
    assert_eq!(lint, Some("region-invalid"), "offline lint while typing");
    let effects = app.update(key(KeyCode::Enter));
    assert!(run_id(&mut app, effects) > 0, "a commit re-runs the checks");
    assert_eq!(app.draft.edited.config.document.render(), "[default]\nregion = us-east1\n");
    assert_eq!(app.draft.saved.config.document.render(), "[default]\nregion = us-east-1\n", "nothing written yet");
    // Esc cancels an edit.
    app.update(key(KeyCode::Enter));
    typed(&mut app, "zzz");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.value(Field::Region), "us-east1");
}

#[test]
fn save_shows_a_masked_diff_then_asks_the_runtime_to_write() {
    let mut app = app();
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j'))); // Secret
    app.update(key(KeyCode::Enter));
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    typed(&mut app, "NEWsecretNEWsecretNEWsecretNEWsecret9876");
    app.update(key(KeyCode::Enter));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    let Some(Modal::ConfirmSave(diff)) = app.view.modal.clone() else { panic!("no diff shown") };
    let diff = diff.join("\n");
    assert!(diff.contains("****************9876") && !diff.contains("NEWsecret"), "{diff}");
    let effects = app.update(key(KeyCode::Char('y')));
    let Some(Effect::Save { credentials, .. }) = effects.into_iter().next() else { panic!("no save effect") };
    assert!(credentials.render().contains("aws_secret_access_key = NEWsecretNEWsecretNEWsecretNEWsecret9876"));
    // A refused write keeps the edits on screen and says why.
    app.update(Msg::Saved(Err("credentials changed on disk since credwiz read it".into())));
    assert!(app.view.notice.as_ref().is_some_and(|n| n.error && n.text.contains("changed on disk")));
    assert!(app.value(Field::Secret).ends_with("9876"));
}

#[test]
fn one_key_fix_trims_a_quoted_secret_in_the_draft() {
    let mut app = app_with(
        &format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = \"{SECRET}\"\n"),
        Options::default(),
    );
    let items = app.items();
    let index = items.iter().position(|i| matches!(i, Item::Check(c) if app.report.step(Step::Credentials).is_some_and(|s| s.checks[*c].repair.is_some())));
    app.view.cursor = index.expect("a fixable check");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.value(Field::Secret), SECRET);
    assert!(app.report.causes.is_empty(), "{:?}", app.report.causes);
}

#[test]
fn a_new_mfa_session_is_offered_and_written_through_an_effect() {
    let mut app = app_with(
        &format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"),
        Options { mfa_code: MfaCode::parse("123456").ok(), ..Options::default() },
    );
    let run = {
        let e = app.start();
        run_id(&mut app, e)
    };
    let keys = SigningKeys {
        access_key_id: "ASIANEW".into(),
        secret: "s".to_string().into(),
        token: Some("t".to_string().into()),
    };
    let outcome = Outcome {
        check: LiveCheck::SessionToken {
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
            code: MfaCode::parse("123456").expect("code"),
        },
        call: Call {
            result: Ok(LiveValue::Session(Session { keys, expiration: Some(now()) })),
            elapsed: Duration::ZERO,
            server_date: None,
            local_date: now(),
        },
    };
    app.update(Msg::RunDone { run, outcomes: Outcomes::from(vec![outcome]) });
    assert_eq!(app.view.modal, Some(Modal::ConfirmSession("default-mfa".into())));
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(matches!(effects.as_slice(), [Effect::WriteSession { target, .. }] if target == "default-mfa"));
    let done = SessionDone {
        profile: "default-mfa".into(),
        written: vec![Written { path: "~/.aws/credentials".into(), backup: None }],
        expiration: None,
    };
    let effects = app.update(Msg::SessionWritten(Ok(done)));
    assert!(matches!(effects.as_slice(), [Effect::Reload]));
    assert_eq!(app.form.profile, "default-mfa");
}

#[test]
fn pasted_error_opens_its_step_and_env_keys_can_be_ignored() {
    let text = "User: arn:aws:iam::1:user/a is not authorized to perform: s3:ListBucket with an explicit deny in a service control policy";
    let app = app_with("[default]\n", Options { error: Some(text.into()), ..Options::default() });
    assert_eq!(app.view.step, Step::IamScp);
    let env = Environment::from_pairs(
        [("AWS_ACCESS_KEY_ID", "AKIAENV"), ("AWS_SECRET_ACCESS_KEY", "x")],
        Some("/home/u".into()),
    );
    let files = ProfileFiles::from_texts(
        &env,
        None,
        Some(&format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n")),
    );
    let gathered = Gathered { env, files, side: SideFiles::default() };
    let mut app = App::new(gathered, None, Options { timeout: Duration::from_secs(5), ..Options::default() }, now());
    assert_eq!(app.report.source.kind.id(), "env");
    let effects = app.update(key(KeyCode::Char('e')));
    assert!(run_id(&mut app, effects) > 0);
    assert_eq!(app.report.source.kind.id(), "shared-credentials-file");
}

#[test]
fn help_lists_every_binding_and_q_quits() {
    let mut app = app();
    app.update(key(KeyCode::Char('?')));
    assert_eq!(app.view.modal, Some(Modal::Help { from: Mode::Normal, back: None }));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.view.modal, None);
    assert!(credwiz::tui::keymap::BINDINGS.iter().any(|b| b.label.contains('?')));
    let effects = app.update(key(KeyCode::Char('q')));
    assert!(matches!(effects.as_slice(), [Effect::Quit]) && app.quit);
    assert_eq!(app.report.step(Step::Mfa).map(|s| s.status), Some(Status::Skip));
}

#[test]
fn the_first_result_opens_the_failing_step_unless_the_user_moved() {
    let mut app = app_with(
        &format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"),
        Options::default(),
    );
    app.draft.edited.config.document = credwiz::profile::Document::parse("[default]\nregion = us-east1\n");
    let run = {
        let e = app.start();
        run_id(&mut app, e)
    };
    app.update(Msg::RunDone { run, outcomes: Outcomes::new() });
    assert_eq!(app.view.step, Step::AccountRegion);
    app.update(key(KeyCode::Char('1')));
    let run = {
        let e = app.update(key(KeyCode::Char('r')));
        run_id(&mut app, e)
    };
    app.update(Msg::RunDone { run, outcomes: Outcomes::new() });
    assert_eq!(app.view.step, Step::Credentials, "a run must not move a user who navigated");
}
