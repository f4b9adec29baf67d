//! The wizard's handling (issue 11), through `update` without a terminal and
//! through the rendered screen: nothing lost (unsaved marker, quit prompt,
//! Esc goes back), nothing hidden (scrolling, masked typing, warnings in
//! their step), nothing left to guess (n/N, what Enter does, help with the
//! current mode first, footer, exit summary), mouse and copy, the profile
//! picker and the one-flow renewal of an expired session.

mod support;

use credwiz::aws::live::SigningKeys;
use credwiz::diagnose::input::options::{ActionName, MfaCode};
use credwiz::diagnose::run::check::{LiveCheck, LiveValue, Session, Who};
use credwiz::diagnose::{Cause, Options, Status, Step};
use credwiz::tui::App;
use credwiz::tui::app::picker::ProfileStatus;
use credwiz::tui::app::summary::Written;
use credwiz::tui::app::{Item, Modal};
use credwiz::tui::fields::Field;
use credwiz::tui::keymap::Mode;
use credwiz::tui::msg::{Effect, Msg, SaveDone, SessionDone};
use credwiz::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use support::wizard::*;

const REGION: &str = "[default]\nregion = us-east-1\n";

fn healthy() -> App {
    started(app_with(REGION, &keys()), vec![identity()])
}

fn edit_region(app: &mut App, value: &str) {
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Enter));
    typed(app, value);
    app.update(key(KeyCode::Enter));
}

fn notice(app: &App) -> String {
    app.view.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()
}

#[test]
fn unsaved_edits_are_marked_and_quitting_asks_first() {
    let mut app = healthy();
    edit_region(&mut app, "eu-west-1");
    assert_eq!(app.value(Field::Region), "eu-west-1", "typing replaces the selected old value");
    let screen = screen(&app, 100, 30);
    let (first, last) = (screen.lines().next().unwrap_or_default(), screen.lines().last().unwrap_or_default());
    assert!(first.contains("● unsaved") && last.contains("● unsaved"), "{screen}");
    assert!(app.update(key(KeyCode::Char('q'))).is_empty() && !app.quit);
    let Some(Modal::ConfirmQuit(diff)) = &app.view.modal else { panic!("no quit prompt") };
    assert!(diff.iter().any(|l| l == "+ region = eu-west-1"), "{diff:?}");
    app.update(key(KeyCode::Esc));
    assert!(app.view.modal.is_none() && !app.quit, "Esc in the prompt stays");
    app.update(ctrl('c'));
    assert!(matches!(app.view.modal, Some(Modal::ConfirmQuit(_))), "Ctrl-C asks too");
    let effects = app.update(key(KeyCode::Char('s')));
    assert!(matches!(effects.as_slice(), [Effect::Save { .. }]) && !app.quit);
    let written = Written { path: "~/.aws/config".into(), backup: Some("~/.aws/config.credwiz-backup-X".into()) };
    let done = SaveDone { files: app.draft.edited.clone(), written: vec![written] };
    let effects = app.update(Msg::Saved(Ok(done)));
    assert!(matches!(effects.as_slice(), [Effect::Quit]) && app.quit, "saved, then quit");
    let summary = app.exit_summary().join("\n");
    assert!(summary.contains("~/.aws/config (backup ~/.aws/config.credwiz-backup-X)"), "{summary}");
}

#[test]
fn a_refused_save_from_the_prompt_stays_and_ctrl_c_twice_discards() {
    let mut app = healthy();
    edit_region(&mut app, "eu-west-1");
    app.update(key(KeyCode::Char('q')));
    app.update(key(KeyCode::Char('s')));
    assert!(app.update(Msg::Saved(Err("the file changed on disk".into()))).is_empty() && !app.quit);
    assert!(notice(&app).contains("changed on disk") && app.draft.is_dirty());
    app.update(ctrl('c'));
    let effects = app.update(ctrl('c'));
    assert!(matches!(effects.as_slice(), [Effect::Quit]) && app.summary.discarded);
    assert!(app.exit_summary().join("\n").contains("discarded"));
}

#[test]
fn esc_goes_back_everywhere_and_quits_only_from_the_main_screen() {
    let mut app = started(app_with("[default]\nregion = us-east1\n", &keys()), vec![identity()]);
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "x");
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(app.form.editing.is_none() && !app.quit && notice(&app).contains("cancelled"));
    for open in ['?', 'g', 'p'] {
        app.update(key(KeyCode::Char(open)));
        assert!(app.view.modal.is_some(), "{open} opens an overlay");
        assert!(app.update(key(KeyCode::Esc)).is_empty() && app.view.modal.is_none() && !app.quit, "{open}");
    }
    app.view.notice = Some(credwiz::tui::app::Notice::info("something"));
    assert!(app.update(key(KeyCode::Esc)).is_empty() && app.view.notice.is_none(), "Esc clears a message first");
    let effects = app.update(key(KeyCode::Esc));
    assert!(matches!(effects.as_slice(), [Effect::Quit]), "nothing pending: Esc on the main screen quits");
}

#[test]
fn secrets_stay_masked_while_typed_unless_revealed() {
    let mut app = healthy();
    app.update(key(KeyCode::Char('1')));
    app.view.cursor = 2;
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.editing.as_ref().map(|e| e.field), Some(Field::Secret));
    typed(&mut app, "NEWsecretNEWsecret");
    let hidden = screen(&app, 100, 30);
    assert!(!hidden.contains("NEWsecret") && hidden.contains("******************"), "{hidden}");
    app.update(ctrl('r'));
    assert!(screen(&app, 100, 30).contains("NEWsecretNEWsecret"), "Ctrl-R reveals while typing");
    app.update(Msg::Paste("pasted-value\r\nsecond line".into()));
    assert_eq!(app.value(Field::Secret), "NEWsecretNEWsecretpasted-value");
}

#[test]
fn n_jumps_between_problems_across_steps_and_enter_says_what_it_does() {
    let mut app = started(app_with("[default]\nregion = us-east1\n", &keys()), vec![mismatch()]);
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Char('n')));
    let check = app.current_check().expect("on a check");
    assert_eq!((app.view.step, check.cause), (Step::Credentials, Some(Cause::SecretMismatch)));
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.view.step, Step::AccountRegion);
    assert!(app.current_check().is_some_and(|c| c.repair.is_some()), "the region fix");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.view.step, Step::Credentials);
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.editing.as_ref().map(|e| e.field), Some(Field::Secret), "Enter goes to the field to fix");
    assert!(notice(&app).contains("Secret key"), "{}", notice(&app));
    app.update(key(KeyCode::Esc));
    let passing = app.items().iter().position(|i| match i {
        Item::Check(c) => app.report.step(Step::Credentials).is_some_and(|s| s.checks[*c].status == Status::Pass),
        Item::Field(_) => false,
    });
    app.view.cursor = passing.expect("a passing check");
    assert!(screen(&app, 100, 30).lines().last().unwrap_or_default().contains("⏎ why"));
    app.update(key(KeyCode::Enter));
    assert!(notice(&app).contains("passes"), "Enter on a check without a fix explains: {}", notice(&app));
}

#[test]
fn help_shows_the_current_modes_keys_first_and_a_legend() {
    let mut app = healthy();
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::F(1)));
    let Some(modal) = app.view.modal.clone() else { panic!("no help") };
    assert!(matches!(modal, Modal::Help { from: Mode::Editing, .. }));
    let lines = credwiz::tui::overlay_text::lines(&app, &modal, Theme { color: false }, 96);
    let text: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect();
    assert_eq!(text[0], "Keys here: In a field being edited");
    let all = text.join("\n");
    for symbol in ["✓", "✗", "!", "-", "⏎ fix", "⠋", "[cause-id]", "On the panels", "In the profile picker"] {
        assert!(all.contains(symbol), "the help lacks {symbol}");
    }
    let screen = screen(&app, 100, 30);
    assert!(screen.lines().last().unwrap_or_default().contains("Esc close"), "the help's own footer: {screen}");
    app.update(key(KeyCode::Esc));
    assert!(app.view.modal.is_none() && app.form.editing.is_some(), "back to the edit");
}

#[test]
fn the_footer_shows_the_keys_that_work_now() {
    let app = started(app_with("[default]\nregion = us-east1\n", &keys()), vec![mismatch()]);
    let footer = screen(&app, 80, 24).lines().last().unwrap_or_default().to_string();
    // At 80 columns the keys a user finds anyway (arrows, digits, e) give way to fix, guide, copy, re-run, reveal.
    for key in ["⏎", "n next", "g guide", "c copy", "r re-run", "v reveal", "? help", "q quit"] {
        assert!(footer.contains(key), "80x24 footer lacks {key}: {footer}");
    }
    let roomy = screen(&app, 140, 30).lines().last().unwrap_or_default().to_string();
    for key in ["←→ 1-5 step", "e env", "p profile"] {
        assert!(roomy.contains(key), "140 columns footer lacks {key}: {roomy}");
    }
    assert!(!footer.contains("s save"), "s does nothing without edits");
}

#[test]
fn exit_summary_gives_the_shell_lines_to_run() {
    let env = [("AWS_ACCESS_KEY_ID", "AKIAENVENVENVENVENV1"), ("AWS_SECRET_ACCESS_KEY", "x")];
    let config = "[default]\nregion = us-east-1\n[profile dev]\nregion = us-east-1\n";
    let credentials = format!("{}[dev]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n", keys());
    let mut app = app_env(config, &credentials, &env, Options::default());
    assert!(app.exit_summary().is_empty(), "nothing done, nothing said");
    app.update(key(KeyCode::Char('e')));
    app.update(key(KeyCode::Char('p')));
    typed(&mut app, "dev");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.profile, "dev");
    // Browsing to a profile does not make it the working one (issue 23, 12)...
    assert_eq!(app.shell_lines(), ["unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY"]);
    assert!(app.exit_summary().iter().any(|l| l.contains("w in the wizard")), "{:?}", app.exit_summary());
    // ...w does, and says so.
    app.update(key(KeyCode::Char('w')));
    assert!(app.view.notice.as_ref().is_some_and(|n| n.text.contains("working profile")));
    assert_eq!(app.shell_lines(), ["unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY", "export AWS_PROFILE=dev"]);
}

#[test]
fn the_picker_filters_marks_the_current_profile_and_switches() {
    let config = "[default]\nregion = us-east-1\n[profile dev]\n[profile prod-admin]\n[profile staging]\n";
    let mut app = started(app_with(config, &keys()), vec![identity()]);
    app.update(Msg::ProfileStatuses(vec![ProfileStatus {
        profile: "staging".into(),
        status: Status::Fail,
        cause: Some(Cause::SecretMismatch),
        source: None,
        account: None,
    }]));
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Enter)); // Enter on the Profile field opens the picker
    assert!(matches!(&app.view.modal, Some(Modal::Picker(p)) if p.query.is_empty()));
    let screen = screen(&app, 100, 30);
    assert!(screen.contains("default (current)"), "{screen}");
    assert!(screen.lines().any(|l| l.contains("✗ staging") && l.contains("secret-mismatch")), "{screen}");
    assert!(screen.contains("✓ default"), "the wizard's own run is known: {screen}");
    typed(&mut app, "prd");
    assert_eq!(
        app.picker_matches(&credwiz::tui::app::picker::Picker { query: "prd".into(), ..Default::default() })[0].name,
        "prod-admin"
    );
    let effects = app.update(key(KeyCode::Enter));
    assert!(matches!(effects.as_slice(), [Effect::Gather { .. }]), "switching re-runs");
    assert_eq!((app.form.profile.as_str(), app.view.modal.is_none()), ("prod-admin", true));
    app.update(key(KeyCode::Char('p')));
    typed(&mut app, "brand-new");
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.profile, "brand-new", "a name nothing matches is used as typed");
}

fn click(column: u16, row: u16) -> Msg {
    Msg::Mouse(MouseEvent { kind: MouseEventKind::Down(MouseButton::Left), column, row, modifiers: KeyModifiers::NONE })
}

#[test]
fn the_mouse_selects_steps_and_checks_and_the_wheel_scrolls() {
    let mut app = started(app_with(REGION, &keys()), vec![mismatch()]);
    app.update(Msg::Resize(100, 30));
    let shown = screen(&app, 100, 30);
    let row_of = |text: &str| u16::try_from(shown.lines().position(|l| l.contains(text)).expect(text)).expect("row");
    app.update(click(5, row_of("3 MFA")));
    assert_eq!(app.view.step, Step::Mfa);
    app.update(click(5, row_of("1 Credentials")));
    assert_eq!(app.view.step, Step::Credentials);
    let screen = screen(&app, 100, 30);
    let row = screen.lines().position(|l| l.contains("AWS knows the key id")).expect("the check on screen");
    app.update(click(40, u16::try_from(row).expect("row")));
    assert_eq!(app.current_check().and_then(|c| c.cause), Some(Cause::SecretMismatch));
    app.update(click(40, u16::try_from(row).expect("row")));
    assert_eq!(app.form.editing.as_ref().map(|e| e.field), Some(Field::Secret), "a second click acts as Enter");
    app.update(key(KeyCode::Esc));
    let wheel = |kind| Msg::Mouse(MouseEvent { kind, column: 40, row: 10, modifiers: KeyModifiers::NONE });
    app.update(wheel(MouseEventKind::ScrollDown));
    assert!(app.view.scroll > 0 && !app.view.follow, "the wheel scrolls the panel");
    app.update(wheel(MouseEventKind::ScrollUp));
    assert_eq!(app.view.scroll, 0);
}

#[test]
fn copy_puts_a_request_for_the_admins_on_the_clipboard_and_shows_it() {
    let action = ActionName::parse("iam:ListAccessKeys").expect("action");
    let options = Options { actions: vec![action.clone()], ..Options::default() };
    let denied = outcome(
        LiveCheck::TryAction { who: Who::Active, action, user: Some("alice".into()) },
        aws(
            "AccessDenied",
            &format!(
                "User: {ARN} is not authorized to perform: iam:ListAccessKeys on resource: {ARN} with an explicit deny in a service control policy"
            ),
        ),
    );
    let mut app = started(app_env(REGION, &keys(), &[], options), vec![identity(), denied]);
    assert_eq!(app.view.step, Step::IamScp);
    let effects = app.update(key(KeyCode::Char('c')));
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("nothing copied: {effects:?}") };
    for part in ["iam:ListAccessKeys", ARN, "service control policy", "4f1c-9a2e", "123456789012"] {
        assert!(text.contains(part), "the request lacks {part}:\n{text}");
    }
    assert!(matches!(&app.view.modal, Some(Modal::Copied { text: shown, .. }) if shown == text), "shown as well");
}

#[test]
fn copy_gives_the_command_of_a_fix() {
    let mut skewed = mismatch();
    skewed.call.result = aws(
        "SignatureDoesNotMatch",
        "Signature expired: 20261121T120000Z is now earlier than 20261121T121000Z (20261121T121500Z - 5 min.)",
    );
    skewed.call.server_date = Some(now() + chrono::Duration::seconds(900));
    let mut app = started(app_with(REGION, &keys()), vec![skewed]);
    app.update(key(KeyCode::Char('2')));
    let effects = app.update(key(KeyCode::Char('c')));
    assert!(matches!(effects.as_slice(), [Effect::Copy(c)] if c.contains("ntp") || c.contains("sntp")), "{effects:?}");
}

fn expired_world() -> App {
    let credentials = format!(
        "[dev]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n[dev-mfa]\naws_access_key_id = ASIAQWERTYUIOPASDFGH\naws_secret_access_key = {SECRET}\naws_session_token = TOKEN\naws_expiration = 2026-11-20T00:00:00Z\n"
    );
    let config = "[profile dev]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n[profile dev-mfa]\nregion = us-east-1\n";
    started(app_env(config, &credentials, &[("AWS_PROFILE", "dev-mfa")], Options::default()), vec![])
}

fn session() -> credwiz::diagnose::run::check::Outcome {
    let keys = SigningKeys {
        access_key_id: "ASIANEWNEWNEWNEWNEW1".into(),
        secret: "s".to_string().into(),
        token: Some("t".to_string().into()),
    };
    outcome(
        LiveCheck::SessionToken {
            serial: "arn:aws:iam::123456789012:mfa/alice".into(),
            code: MfaCode::parse("123456").expect("code"),
        },
        Ok(LiveValue::Session(Session { keys, expiration: Some(now()) })),
    )
}

#[test]
fn an_expired_session_is_renewed_from_its_base_profile_in_one_flow() {
    let mut app = expired_world();
    assert_eq!(app.report.causes.first().and_then(|c| c.cause), Some(Cause::CredentialsExpired));
    assert_eq!(app.view.step, Step::Expiry, "opens on the primary cause's step");
    app.update(key(KeyCode::Char('n')));
    assert!(screen(&app, 100, 30).contains("⏎ renew"));
    app.update(key(KeyCode::Enter));
    let Some(Modal::Renew(renewal)) = &app.view.modal else { panic!("no renewal offered") };
    assert_eq!((renewal.base.as_str(), renewal.target.as_str()), ("dev", "dev-mfa"));
    assert_eq!(renewal.serial.as_deref(), Some("arn:aws:iam::123456789012:mfa/alice"));
    typed(&mut app, "12x3456");
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(app.form.profile, "dev", "the code is spent on the base profile");
    assert_eq!(app.form.options.mfa_code.as_ref().map(|c| c.digits().to_string()).as_deref(), Some("123456"));
    let effects = finish(&mut app, effects, vec![identity(), session()]);
    assert!(
        matches!(effects.as_slice(), [Effect::WriteSession { target, .. }] if target == "dev-mfa"),
        "the session goes straight to the same target: {effects:?}"
    );
    let done = SessionDone { profile: "dev-mfa".into(), written: vec![], expiration: None };
    let effects = app.update(Msg::SessionWritten(Ok(done)));
    assert!(matches!(effects.as_slice(), [Effect::Reload]));
    assert_eq!(app.form.profile, "dev-mfa");
    assert!(app.form.renewing.is_none() && app.form.options.mfa_code.is_none());
}

#[test]
fn a_refused_code_asks_again_and_esc_goes_back_to_the_expired_profile() {
    let mut app = expired_world();
    app.update(key(KeyCode::Char('n')));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "123456");
    let effects = app.update(key(KeyCode::Enter));
    let mut refused = session();
    refused.call.result = aws("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.");
    finish(&mut app, effects, vec![identity(), refused]);
    let Some(Modal::Renew(renewal)) = &app.view.modal else { panic!("the code is not asked again") };
    assert!(renewal.error.is_some() && renewal.code.is_empty());
    let effects = app.update(key(KeyCode::Esc));
    assert!(matches!(effects.as_slice(), [Effect::Gather { .. }]));
    assert_eq!(app.form.profile, "dev-mfa");
}

#[test]
fn a_step_with_only_warnings_shows_a_bang_and_mfa_denials_sit_in_the_mfa_step() {
    let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let keys_read = outcome(
        LiveCheck::ListAccessKeys { who: Who::Active },
        aws(
            "AccessDenied",
            &format!(
                "User: {ARN} is not authorized to perform: iam:ListAccessKeys on resource: {ARN} with an explicit deny in an identity-based policy"
            ),
        ),
    );
    let devices = outcome(
        LiveCheck::ListMfaDevices { who: Who::Active },
        Ok(LiveValue::MfaDevices(vec!["arn:aws:iam::123456789012:mfa/alice".into()])),
    );
    let app = started(app_with(config, &keys()), vec![identity(), keys_read, devices]);
    let mfa = app.report.step(Step::Mfa).expect("mfa step");
    assert_eq!(mfa.status, Status::Warn, "{:?}", mfa.checks);
    assert!(mfa.checks.iter().any(|c| c.cause == Some(Cause::MfaRequired) && c.status == Status::Warn));
    let screen = screen(&app, 100, 30);
    assert!(screen.contains("! 3 MFA") && screen.contains("warnings in MFA"), "{screen}");
}

#[test]
fn texts_name_the_wizards_fields_not_command_line_flags() {
    let config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let mut app = started(app_with(config, &keys()), vec![identity()]);
    for step in ['1', '2', '3', '4', '5'] {
        app.update(key(KeyCode::Char(step)));
        let screen = screen(&app, 120, 40);
        for flag in ["--expect-account", "--action", "--mfa-code", "--error", "--profile"] {
            assert!(!screen.contains(flag), "step {step} names {flag}:\n{screen}");
        }
    }
}

#[test]
fn the_focused_item_stays_visible_and_wide_screens_put_the_guide_beside() {
    let mut app = started(app_with(REGION, &keys()), vec![mismatch()]);
    app.update(key(KeyCode::Char('1')));
    for _ in 0..10 {
        app.update(key(KeyCode::Down));
    }
    let small = screen(&app, 80, 24);
    assert!(small.lines().any(|l| l.contains("›")), "the cursor's item is on screen:\n{small}");
    let wide = screen(&app, 200, 60);
    let guide_row = wide.lines().find(|l| l.contains("Guide (g: full screen)")).expect("a guide column");
    assert!(guide_row.contains("Credentials"), "the guide sits beside the checks:\n{wide}");
    assert!(wide.lines().all(|l| !l.contains("Guide: The secret does not belong") || l.find("│  Guide").is_some()));
}

#[test]
fn without_aws_files_the_keys_typed_become_new_files_on_save() {
    let env = credwiz::base::environment::Environment::from_pairs(
        [("AWS_EC2_METADATA_DISABLED", "true")],
        Some("/home/u".into()),
    );
    let files = credwiz::profile::ProfileFiles::from_texts(&env, None, None);
    let gathered = credwiz::diagnose::Gathered { env, files, side: Default::default() };
    let mut app = App::new(gathered, None, Options::default(), now());
    assert_eq!(app.report.causes.first().and_then(|c| c.cause), Some(Cause::NoCredentials));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Enter));
    typed(&mut app, ID);
    app.update(key(KeyCode::Tab)); // keep it, edit the secret
    typed(&mut app, SECRET);
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('s')));
    let effects = app.update(key(KeyCode::Char('y')));
    let [Effect::Save { credentials, .. }] = effects.as_slice() else { panic!("no save: {effects:?}") };
    assert_eq!(
        credentials.render(),
        format!("[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n")
    );
}
