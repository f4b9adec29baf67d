//! The wizard's second pass (issue 23), through `update` without a terminal
//! and through the rendered screen (`TestBackend`): it opens where the
//! problem is, `c` copies a filled-in request, `n` and Enter lead to what
//! can be fixed, the top line and values are never cut or broken at a
//! hyphen, a revealed secret is masked again, the picker has columns and
//! does not jump, and small terminals still show the steps and the cause.

mod support;

use credwiz::diagnose::run::check::{LiveCheck, LiveValue};
use credwiz::diagnose::{Cause, Options, Status};
use credwiz::hops;
use credwiz::tui::App;
use credwiz::tui::app::picker::ProfileStatus;
use credwiz::tui::app::{Item, Modal};
use credwiz::tui::fields::Field;
use credwiz::tui::msg::{Effect, Msg};
use crossterm::event::KeyCode;
use std::time::Duration;
use support::wizard::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/deploy";

/// A role profile whose AssumeRole AWS refuses (the role trusts someone else).
fn role_not_trusted() -> App {
    let config = format!(
        "[profile base]\nregion = us-east-1\n[default]\nrole_arn = {ROLE}\nsource_profile = base\nregion = us-east-1\n"
    );
    let credentials = format!("[base]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n");
    let mut keys = hops::Outcome::new(
        credwiz::vocabulary::SourceKind::SharedCredentialsFile,
        "keys of profile base (~/.aws/credentials:2)",
    );
    keys.pass(hops::HopCredentials {
        access_key_id: ID.into(),
        secret_access_key: secrecy::SecretString::from(SECRET),
        session_token: None,
        expiration: None,
        account_id: None,
        assumed_role_arn: None,
        role_session: false,
    });
    let mut role = hops::Outcome::new(credwiz::vocabulary::SourceKind::AssumeRole, format!("AssumeRole {ROLE}"));
    role.duration = Duration::from_millis(38);
    role.error_code = Some("AccessDenied".into());
    role.note(format!(
        "AWS answered AccessDenied: User: {ARN} is not authorized to perform: sts:AssumeRole on resource: {ROLE} (request id 4f1c-9a2e)"
    ));
    role.fail(hops::Cause::AssumeRoleDenied);
    let chain = outcome(LiveCheck::Chain, Ok(LiveValue::Chain(vec![keys, role])));
    started(app_with(&config, &credentials), vec![chain])
}

fn notice(app: &App) -> String {
    app.view.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()
}

#[test]
fn a_role_that_does_not_trust_the_caller_opens_on_the_failure() {
    let app = role_not_trusted();
    assert_eq!(app.report.causes.first().and_then(|c| c.cause), Some(Cause::AssumeRoleDenied));
    let check = app.current_check().expect("the cursor is on a check");
    assert_eq!((check.cause, check.status), (Some(Cause::AssumeRoleDenied), Status::Fail));
    assert_eq!(app.view.step, check.step, "the step whose panel holds the failure");
    let shown = screen(&app, 100, 30);
    // In the panel, the failure is the first check, under the cursor.
    let panel: Vec<String> = shown.lines().map(|l| l.chars().skip(23).collect()).collect();
    let checks = panel.iter().position(|l| l.starts_with(" Checks")).expect("the checks");
    let first = panel.iter().skip(checks + 1).find(|l| l.contains(" ✓ ") || l.contains(" ✗ ") || l.contains(" ! "));
    assert!(first.is_some_and(|l| l.contains("› ✗ AssumeRole")), "the failure comes first:\n{shown}");
}

#[test]
fn c_copies_the_filled_in_trust_request_and_the_guide_names_both_arns() {
    let mut app = role_not_trusted();
    let effects = app.update(key(KeyCode::Char('c')));
    let Some(Effect::Copy(text)) = effects.first() else { panic!("nothing copied: {effects:?}") };
    assert!(text.contains(&format!("Caller:      {ARN}")) && text.contains(&format!("Role:        {ROLE}")), "{text}");
    assert!(
        text.contains(&format!("\"Principal\": {{ \"AWS\": \"{ARN}\" }}")) && text.contains("sts:AssumeRole"),
        "{text}"
    );
    assert!(!text.contains("CALLER_ARN") && !text.contains("ROLE_ARN"), "{text}");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('g')));
    assert!(matches!(app.view.modal, Some(Modal::Guide(Cause::AssumeRoleDenied))));
    let guide = screen(&app, 100, 60);
    assert!(
        !guide.contains("CALLER_ARN") && !guide.contains("ROLE_ARN") && guide.contains("--profile base"),
        "{guide}"
    );
    assert!(guide.contains("arn:aws:iam::123456789012:user/alice"), "{guide}");
}

/// Three profiles with the same quoted secret, and keys that work.
const QUOTED: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n";

#[test]
fn n_goes_to_what_enter_fixes_first() {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", QUOTED), vec![identity()]);
    app.update(key(KeyCode::Char('n')));
    let first = app.current_check().expect("on a check").clone();
    let mark = credwiz::tui::remedy::remedy(&app, &first);
    assert_ne!(mark, credwiz::tui::remedy::Remedy::Nothing, "n landed on {:?} first", first.summary);
    let problems = app.problems();
    let acts: Vec<bool> = problems
        .iter()
        .map(|(step, i)| {
            let c = &app.report.step(*step).expect("step").checks[*i];
            credwiz::tui::remedy::remedy(&app, c) != credwiz::tui::remedy::Remedy::Nothing
        })
        .collect();
    assert!(acts.windows(2).all(|w| w[0] || !w[1]), "actionable first: {acts:?}");
}

#[test]
fn enter_on_an_edit_says_what_to_type_and_the_hint_goes_once_kept() {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", &keys()), vec![mismatch()]);
    app.update(key(KeyCode::Char('1')));
    while app.current_check().and_then(|c| c.cause) != Some(Cause::SecretMismatch) {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    assert_eq!(app.form.editing.as_ref().map(|e| e.field), Some(Field::Secret));
    assert!(
        notice(&app).contains("type the right value") && !notice(&app).contains("no one-key fix"),
        "{}",
        notice(&app)
    );
    typed(&mut app, "x".repeat(40).as_str());
    app.update(key(KeyCode::Enter));
    assert!(app.form.editing.is_none());
    assert_eq!(notice(&app), "", "the hint stays after the value was kept");
}

#[test]
fn the_top_line_wraps_instead_of_cutting_the_fix() {
    let app = role_not_trusted();
    let fix = Cause::AssumeRoleDenied.short_fix();
    for width in [80u16, 120] {
        let shown = screen(&app, width, 30);
        let top: String = shown.lines().take(2).map(str::trim).collect::<Vec<_>>().join(" ");
        assert!(top.contains("assume-role-denied") && top.contains(fix), "{width} columns:\n{shown}");
        assert!(!top.contains('…'), "{width} columns:\n{shown}");
    }
}

#[test]
fn a_secret_revealed_while_typing_is_masked_again_after_enter() {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", &keys()), vec![mismatch()]);
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    assert_eq!(app.current(), Some(Item::Field(Field::Secret)));
    app.update(key(KeyCode::Enter));
    let typed_secret = "zZ9".repeat(13) + "q";
    typed(&mut app, &typed_secret);
    app.update(ctrl('r'));
    assert!(screen(&app, 100, 30).contains(&typed_secret), "Ctrl-R shows it while typing");
    app.update(key(KeyCode::Enter));
    let after = screen(&app, 100, 30);
    assert!(!after.contains(&typed_secret), "revealed after the edit:\n{after}");
    app.update(key(KeyCode::Char('s')));
    let diff = screen(&app, 100, 30);
    assert!(diff.contains("Save these changes?") && !diff.contains(&typed_secret), "{diff}");
}

fn statuses() -> Vec<ProfileStatus> {
    let status = |profile: &str, status, cause, source, account: &str| ProfileStatus {
        profile: profile.into(),
        status,
        cause,
        source,
        account: Some(account.into()).filter(|a: &String| !a.is_empty()),
    };
    use credwiz::vocabulary::SourceKind;
    vec![
        status("ops", Status::Fail, Some(Cause::SecretMismatch), Some(SourceKind::SharedCredentialsFile), ""),
        status(
            "a-very-long-profile-name-for-the-organisation-account-and-role-admin",
            Status::Fail,
            Some(Cause::CredentialsExpired),
            Some(SourceKind::Sso),
            "210987654321",
        ),
        status("prod", Status::Pass, None, Some(SourceKind::AssumeRole), "123456789012"),
    ]
}

#[test]
fn the_picker_has_columns_keeps_its_size_and_filters_failing_profiles() {
    let config = "[default]\nregion = us-east-1\n[profile ops]\n[profile prod]\n[profile a-very-long-profile-name-for-the-organisation-account-and-role-admin]\n";
    let mut app = started(app_with(config, &keys()), vec![identity()]);
    app.update(Msg::ProfileStatuses(statuses()));
    app.update(key(KeyCode::Char('p')));
    let shown = screen(&app, 100, 30);
    assert!(shown.lines().any(|l| l.contains("profile") && l.contains("source") && l.contains("account")), "{shown}");
    assert!(shown.lines().any(|l| l.contains("✓ prod") && l.contains("role") && l.contains("123456789012")), "{shown}");
    let long = shown.lines().find(|l| l.contains("a-very-long") && l.contains('…')).expect("the long name, cut");
    assert!(long.contains('…') && long.contains("sso") && long.contains("credentials-expired"), "{long}");
    assert!(!shown.lines().any(|l| l.contains("› Profile")), "the panel's cursor shows beside the picker:\n{shown}");
    let size = |app: &App| {
        let shown = screen(app, 100, 30);
        let rows: Vec<usize> =
            shown.lines().enumerate().filter(|(_, l)| l.contains("Profiles (")).map(|(i, _)| i).collect();
        (rows, shown.lines().filter(|l| l.contains('└')).count())
    };
    let before = size(&app);
    typed(&mut app, "pro");
    assert_eq!(size(&app), before, "the picker jumps as the filter narrows");
    app.update(ctrl('u'));
    app.update(key(KeyCode::Char('f')));
    let failing = screen(&app, 100, 30);
    assert!(failing.contains("failing only") && failing.contains("✗ ops") && !failing.contains("✓ prod"), "{failing}");
    app.update(key(KeyCode::Char('o')));
    let Some(Modal::Picker(picker)) = &app.view.modal else { panic!("picker closed") };
    assert_eq!(picker.query, "o", "after the f filter, letters are typed");
    typed(&mut app, "f");
    let Some(Modal::Picker(picker)) = &app.view.modal else { panic!("picker closed") };
    assert_eq!(picker.query, "of", "f is a letter once a filter is typed");
}

#[test]
fn below_80x24_the_steps_and_the_primary_cause_stay_and_what_is_hidden_is_said() {
    let app = role_not_trusted();
    let small = screen(&app, 60, 20);
    assert!(
        small.contains("assume-role-denied") && small.contains("1 Credentials") && small.contains("5 IAM & SCP"),
        "{small}"
    );
    assert!(small.contains("Hidden at 60x20") && small.contains("80x24"), "{small}");
    let at_80 = screen(&app, 80, 24);
    let sidebar_right = at_80.lines().nth(3).and_then(|l| l.find("┐┌").or_else(|| l.find("││"))).unwrap_or(0);
    assert!(at_80.lines().any(|l| l.starts_with("┌ Steps ────────┐┌")), "the sidebar is 17 columns at 80:\n{at_80}");
    let _ = sidebar_right;
}

#[test]
fn cause_ids_and_values_are_not_broken_at_hyphens_on_screen() {
    let app = role_not_trusted();
    for width in 80..=120u16 {
        let shown = screen(&app, width, 40);
        assert!(
            !shown.lines().any(|l| l.trim_end().trim_end_matches(['│', '█', '║']).trim_end().ends_with("[assume-")),
            "{width}:\n{shown}"
        );
    }
}

#[test]
fn the_help_pages_by_its_height() {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", &keys()), vec![identity()]);
    app.update(Msg::Resize(100, 40));
    app.update(key(KeyCode::Char('?')));
    app.update(key(KeyCode::PageDown));
    assert!(app.view.modal_scroll >= 30, "PgDn scrolled {} lines of a 37-line page", app.view.modal_scroll);
}

#[test]
fn the_guide_keeps_off_its_border_at_200_columns() {
    let app = role_not_trusted();
    let wide = screen(&app, 200, 60);
    let rows: Vec<Vec<char>> = wide.lines().map(|l| l.chars().collect()).collect();
    let top = rows.iter().position(|r| r.iter().collect::<String>().contains("┌ Guide (g")).expect("guide column");
    let x = rows[top].iter().collect::<String>().split("┌ Guide").next().map_or(0, |b| b.chars().count());
    let bottom = rows.iter().skip(top + 1).position(|r| r.get(x) == Some(&'└')).map_or(rows.len(), |b| top + 1 + b);
    for row in &rows[top + 1..bottom] {
        let line: String = row.iter().collect();
        assert_eq!(row.get(x + 1), Some(&' '), "text touches the left border: {line}");
        let right = row.len() - 1;
        assert!(
            row.get(right - 1) == Some(&' ') || row.get(right) != Some(&'│'),
            "text touches the right border: {line}"
        );
    }
}

#[test]
fn the_no_credentials_top_line_and_check_say_the_same() {
    let app = started(app_with("[default]\nregion = us-east-1\n", "[default]\n"), vec![]);
    let check = app.report.steps.iter().flat_map(|s| &s.checks).find(|c| c.cause == Some(Cause::NoCredentials));
    if let Some(check) = check {
        assert_eq!(Some(Cause::NoCredentials.short_fix()), check.fix.as_deref());
    } else {
        panic!("no no-credentials check: {:?}", app.report.causes);
    }
    let _ = Options::default();
}

#[test]
fn did_you_mean_lists_the_regions_the_check_lists() {
    let mut app = started(app_with("[default]\nregion = us-east1\n", &keys()), vec![identity()]);
    app.update(key(KeyCode::Char('4')));
    let shown = screen(&app, 120, 40);
    let said = shown.lines().find(|l| l.contains("did you mean:")).expect("suggestions");
    let listed = said.split("did you mean:").nth(1).unwrap_or_default().split(',').count();
    let check =
        app.report.steps.iter().flat_map(|s| &s.checks).find(|c| c.cause == Some(Cause::RegionInvalid)).expect("check");
    let closest = check.summary.split("closest:").nth(1).unwrap_or_default().split(',').count();
    assert_eq!(listed, closest, "{said} / {}", check.summary);
}

#[test]
fn the_footer_says_when_the_checks_last_ran_and_gives_way_at_80_columns() {
    let t0 = now();
    let mut app = app_with("[default]\nregion = us-east-1\n", &keys());
    app.update(Msg::Clock(t0));
    let effects = app.start();
    finish(&mut app, effects, vec![mismatch()]);
    app.update(Msg::Clock(t0 + chrono::Duration::seconds(12)));
    let footer = |app: &App, width| screen(app, width, 30).lines().last().unwrap_or_default().to_string();
    assert!(footer(&app, 140).contains("checked 12 s ago"), "{}", footer(&app, 140));
    let narrow = footer(&app, 80);
    for key in ["g guide", "c copy", "r re-run", "? help"] {
        assert!(narrow.contains(key), "{narrow}");
    }
    app.update(Msg::Clock(t0 + chrono::Duration::seconds(150)));
    assert!(footer(&app, 140).contains("checked 2 min ago"), "{}", footer(&app, 140));
}

#[test]
fn u_undoes_the_drafts_edits_one_by_one() {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", QUOTED), vec![identity()]);
    let set_region = |app: &mut App, value: &str| {
        app.update(key(KeyCode::Char('4')));
        while app.current() != Some(Item::Field(Field::Region)) {
            app.update(key(KeyCode::Down));
        }
        app.update(key(KeyCode::Enter));
        typed(app, value);
        app.update(key(KeyCode::Enter));
    };
    set_region(&mut app, "us-west-2");
    set_region(&mut app, "eu-west-1");
    assert_eq!(app.value(Field::Region), "eu-west-1");
    let effects = app.update(key(KeyCode::Char('u')));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Gather { .. })),
        "the checks run on the undone draft: {effects:?} {} {:?}",
        notice(&app),
        app.mode()
    );
    assert_eq!(app.value(Field::Region), "us-west-2");
    assert!(notice(&app).contains("undid the edit of Region"), "{}", notice(&app));
    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.value(Field::Region), "us-east-1");
    assert!(!app.draft.is_dirty(), "back to the files");
    app.update(key(KeyCode::Char('u')));
    assert!(notice(&app).contains("nothing to undo"), "{}", notice(&app));
}

#[test]
fn y_copies_the_value_under_the_cursor_but_never_a_secret() {
    let mut app = role_not_trusted();
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(matches!(effects.as_slice(), [Effect::Copy(text)] if text == ROLE), "{effects:?}");
    app.update(key(KeyCode::Char('1')));
    while app.current() != Some(Item::Field(Field::RoleArn)) {
        app.update(key(KeyCode::Down));
    }
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(matches!(effects.as_slice(), [Effect::Copy(text)] if text == ROLE), "{effects:?}");
    let mut keys_app = started(app_with("[default]\nregion = us-east-1\n", &keys()), vec![identity()]);
    keys_app.update(key(KeyCode::Char('1')));
    while keys_app.current() != Some(Item::Field(Field::Secret)) {
        keys_app.update(key(KeyCode::Down));
    }
    assert!(keys_app.update(key(KeyCode::Char('y'))).is_empty(), "a secret was copied");
    assert!(notice(&keys_app).contains("secrets are not copied"));
}

#[test]
fn o_opens_the_editor_at_the_checks_file_and_line_only_with_nothing_unsaved() {
    let env = [("EDITOR", "myeditor --wait")];
    let mut app =
        started(app_env("[default]\nregion = us-east-1\n", &keys(), &env, Options::default()), vec![mismatch()]);
    let effects = app.update(key(KeyCode::Char('o')));
    let Some(Effect::Edit { argv, .. }) = effects.first() else { panic!("no editor: {effects:?}") };
    assert_eq!(argv[..2], ["myeditor", "--wait"].map(String::from));
    assert!(argv[2].starts_with('+') && argv[3] == "/home/u/.aws/credentials", "{argv:?}");
    // Read again when the editor returns (the runtime answers with the files).
    app.update(key(KeyCode::Char('4')));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "eu-west-1");
    app.update(key(KeyCode::Enter));
    assert!(app.draft.is_dirty());
    assert!(app.update(key(KeyCode::Char('o'))).is_empty(), "unsaved edits would be lost on the re-read");
    assert!(notice(&app).contains("save (s) or undo (u)"), "{}", notice(&app));
}
