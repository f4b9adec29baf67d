//! The wizard over every credential source and the network path, through
//! `update` without a terminal: the fields of the profile's own source (a
//! role's, SSO's, a process's), Enter on an expired SSO or `aws login`
//! session hands the terminal to the login command, the CA bundle is kept
//! only once the handshake verifies with it, a secret pasted into the key id
//! field stays masked, and outside text never reaches the screen raw.

mod support;

use credwiz::diagnose::input::gather::{SideFiles, SsoCacheEntry};
use credwiz::diagnose::{Options, Step};
use credwiz::tui::app::Item;
use credwiz::tui::fields::Field;
use credwiz::tui::msg::{Effect, Msg};
use crossterm::event::KeyCode;
use support::wizard::{app_env, app_with, key, screen};

const ROLE: &str = "[default]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = us-east-1\n[profile base]\nregion = us-east-1\n";
const SSO: &str = "[default]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\nregion = us-east-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";

fn fields(app: &credwiz::tui::App) -> Vec<Field> {
    app.items().into_iter().filter_map(|i| if let Item::Field(f) = i { Some(f) } else { None }).collect()
}

#[test]
fn the_credentials_panel_shows_the_fields_of_the_profiles_own_source() {
    let mut app = app_with(ROLE, "[base]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = x\n");
    app.update(key(KeyCode::Char('1')));
    let shown = fields(&app);
    assert!(shown.contains(&Field::RoleArn) && shown.contains(&Field::SourceProfile), "{shown:?}");
    assert!(!shown.contains(&Field::Secret), "a role profile holds no keys of its own: {shown:?}");
    assert!(screen(&app, 100, 30).contains("chain: default ← base (keys)"));
    let sso = app_with(SSO, "");
    let shown = fields(&sso);
    assert!(shown.contains(&Field::SsoAccountId) && !shown.contains(&Field::SsoStartUrl), "{shown:?}");
    // Tab never lands on a field the panel does not show.
    let mut role = app_with(ROLE, "");
    role.update(key(KeyCode::Char('1')));
    for _ in 0..6 {
        role.update(key(KeyCode::Tab));
        if let Some(Item::Field(field)) = role.current() {
            assert!(role.fields(field.step()).contains(&field), "{field:?}");
        }
    }
}

#[test]
fn enter_on_an_expired_sso_session_runs_aws_sso_login_for_the_profile() {
    let mut app = app_with(SSO, "");
    let effects = app.start();
    let run = effects.iter().find_map(|e| if let Effect::Gather { run, .. } = e { Some(*run) } else { None });
    // The gathered cache: no token for this session (never logged in).
    let mut side = SideFiles::default();
    side.sso_cache.insert("corp".into(), SsoCacheEntry { path: "~/.aws/sso/cache/x.json".into(), token: Ok(None) });
    app.update(Msg::Gathered { run: run.expect("a run"), side: Box::new(side), now: support::wizard::now() });
    app.update(key(KeyCode::Char('2')));
    let index = app
        .report
        .step(Step::Expiry)
        .and_then(|s| s.checks.iter().position(|c| c.cause.map(|c| c.id()) == Some("sso-session-expired")));
    let index = index.expect("the expired token is a check");
    app.view.cursor = app.items().iter().position(|i| *i == Item::Check(index)).expect("on screen");
    let effects = app.update(key(KeyCode::Enter));
    let argv =
        effects.iter().find_map(|e| if let Effect::RunCommand { argv, .. } = e { Some(argv.clone()) } else { None });
    // No DISPLAY in this environment: no browser can open, so the CLI shows a device code.
    let expected = ["aws", "sso", "login", "--profile", "default", "--use-device-code"].map(String::from);
    assert_eq!(argv.as_deref(), Some(&expected[..]));
    let effects = app.update(Msg::CommandDone(Ok("`aws sso login --profile default` finished".into())));
    assert!(effects.iter().any(|e| matches!(e, Effect::Gather { .. })), "the checks run again after a login");
}

#[test]
fn a_ca_bundle_is_kept_only_when_the_handshake_verifies_with_it() {
    let mut app = app_with("[default]\nregion = us-east-1\nca_bundle = /old.pem\n", &support::wizard::keys());
    app.update(key(KeyCode::Char('1')));
    let at = app.items().iter().position(|i| *i == Item::Field(Field::CaBundle)).expect("the bundle field is shown");
    app.view.cursor = at;
    app.update(key(KeyCode::Enter));
    support::wizard::typed(&mut app, "/etc/corp-ca.pem");
    let effects = app.update(key(KeyCode::Enter));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::CheckBundle { path, .. } if path == "/etc/corp-ca.pem")),
        "the bundle is tried before it is kept"
    );
    assert_eq!(app.value(Field::CaBundle), "/old.pem", "nothing kept yet");
    app.update(Msg::BundleChecked { path: "/etc/corp-ca.pem".into(), verdict: Err("still untrusted".into()) });
    assert!(app.view.notice.as_ref().is_some_and(|n| n.error && n.text.contains("not kept")));
    app.update(Msg::BundleChecked { path: "/etc/corp-ca.pem".into(), verdict: Ok("verifies".into()) });
    assert!(app.draft.edited.config.document.render().contains("ca_bundle = /etc/corp-ca.pem"));
}

#[test]
fn a_secret_in_the_key_id_field_is_masked_and_outside_text_is_made_printable() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
    let credentials =
        format!("[default]\naws_access_key_id = {secret}\naws_secret_access_key = AKIAQWERTYUIOPASDFGH\n");
    let mut app =
        app_env("[default]\nregion = \"us-east-1\u{1b}]0;owned\u{7}\"\n", &credentials, &[], Options::default());
    app.update(key(KeyCode::Char('1')));
    let shown = screen(&app, 120, 40);
    assert!(!shown.contains(secret), "the key id field shows a secret-shaped value masked:\n{shown}");
    app.update(key(KeyCode::Char('4')));
    let shown = screen(&app, 120, 40);
    assert!(!shown.contains('\u{1b}') && !shown.contains('\u{7}'), "no escape sequence reaches the screen:\n{shown}");
    assert!(shown.contains("\\e]0;owned") || shown.contains("\\u{1b}]0;owned"), "shown visibly:\n{shown}");
}
