//! Sample wizard states with fixed clocks and made-up live outcomes: every
//! panel in its pass, fail and running states. The snapshot tests
//! (`tests/tui_snapshots.rs`) and the screenshot command (`cargo run
//! --example screenshots`, which includes this file) both render these
//! through the real `view::render`. Not part of the library.

use chrono::{DateTime, Duration as Span, Utc};
use credwiz::aws::decode::AwsError;
use credwiz::aws::live::{Call, Failure};
use credwiz::aws::policies::{Fetched, IamPrincipal, IdentityPolicies, OrgPolicies, PolicyText};
use credwiz::base::environment::Environment;
use credwiz::diagnose::input::gather::{Gathered, SideFiles};
use credwiz::diagnose::input::options::{ActionName, MfaCode};
use credwiz::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use credwiz::diagnose::run::runner::RunEvent;
use credwiz::diagnose::{Cause, Options, Outcomes, Status, Step};
use credwiz::hops;
use credwiz::profile::ProfileFiles;
use credwiz::tui::App;
use credwiz::tui::app::picker::ProfileStatus;
use credwiz::tui::app::{Item, Modal};
use credwiz::tui::keymap::Mode;
use credwiz::tui::msg::{Effect, Msg};
use credwiz::vocabulary::SourceKind;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

mod second;

const ID: &str = "AKIAQWERTYUIOPASDFGH";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij";
const ARN: &str = "arn:aws:iam::123456789012:user/alice";

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-21T12:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn app(config: &str, credentials: &str, options: Options) -> App {
    let env = Environment::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")], Some("/home/alice".into()));
    let files = ProfileFiles::from_texts(&env, Some(config), Some(credentials));
    let gathered = Gathered { env, files, side: SideFiles::default() };
    let mut app = App::new(gathered, None, Options { timeout: Duration::from_secs(10), ..options }, now());
    app.view.color = true;
    app.update(Msg::Resize(100, 30));
    app
}

fn keys() -> String {
    format!("# work laptop\n[default]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n")
}

fn outcome(check: LiveCheck, result: Result<LiveValue, Failure>, skew: i64) -> Outcome {
    Outcome {
        check,
        call: Call {
            result,
            elapsed: Duration::from_millis(14),
            server_date: Some(now() + Span::seconds(skew)),
            local_date: now(),
        },
    }
}

fn aws(code: &str, message: &str) -> Result<LiveValue, Failure> {
    Err(Failure::Aws(AwsError {
        code: Some(code.into()),
        message: Some(message.into()),
        request_id: Some("4f1c-9a2e".into()),
        http_status: Some(403),
        operation: None,
    }))
}

fn identity() -> Outcome {
    let value = LiveValue::Identity(Identity {
        account: "123456789012".into(),
        arn: ARN.into(),
        user_id: "AIDAEXAMPLEUSERID".into(),
        account_alias: None,
    });
    outcome(LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) }, Ok(value), 1)
}

fn user_reads() -> Vec<Outcome> {
    vec![
        outcome(
            LiveCheck::ListAccessKeys { who: Who::Active },
            Ok(LiveValue::AccessKeys(vec![KeyInfo {
                id: ID.into(),
                active: true,
                created: Some(now() - Span::days(34)),
            }])),
            1,
        ),
        outcome(
            LiveCheck::ListMfaDevices { who: Who::Active },
            Ok(LiveValue::MfaDevices(vec!["arn:aws:iam::123456789012:mfa/alice".into()])),
            1,
        ),
    ]
}

/// Starts the app's first run (its files gathered) and returns the run id.
fn start(app: &mut App) -> u64 {
    for effect in app.start() {
        if let Effect::Gather { run, .. } = effect {
            app.update(Msg::Gathered { run, side: Box::default(), now: now() });
            return run;
        }
    }
    0
}

/// Answers the run these effects start the way the runtime would, and ends it with these outcomes.
fn complete(app: &mut App, effects: Vec<Effect>, outcomes: Vec<Outcome>) {
    for effect in effects {
        if let Effect::Gather { run, .. } = effect {
            app.update(Msg::Gathered { run, side: Box::default(), now: now() });
            app.update(Msg::RunDone { run, outcomes: Outcomes::from(outcomes) });
            return;
        }
    }
}

/// Runs the app's first run to completion with these outcomes.
fn finish(mut app: App, step: Step, outcomes: Vec<Outcome>) -> App {
    let run = start(&mut app);
    app.update(Msg::RunDone { run, outcomes: Outcomes::from(outcomes) });
    app.view.modal = None;
    app.view.step = step;
    app
}

/// The policies of alice (one inline policy that reads IAM) in an account outside any organisation.
fn policy_reads() -> Vec<Outcome> {
    let read = r#"{"Version":"2012-10-17","Statement":[{"Sid":"SelfRead","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}"#;
    let identity = IdentityPolicies {
        principal: IamPrincipal::User("alice".into()),
        policies: Fetched::Known(vec![PolicyText {
            name: "inline policy self-read of user alice".into(),
            text: read.into(),
        }]),
        boundary: Fetched::Absent("no permissions boundary is set on the user".into()),
        tags: Fetched::Known(Vec::new()),
        role_arn: None,
        via: "the IAM reads of the identity",
    };
    let why = "the account belongs to no organisation";
    let org = OrgPolicies {
        organization: Fetched::Absent(why.into()),
        org_path: None,
        scps: Fetched::Absent(why.into()),
        rcps: Fetched::Absent(why.into()),
    };
    vec![
        outcome(
            LiveCheck::IdentityPolicies { who: Who::Active, principal: IamPrincipal::User("alice".into()) },
            Ok(LiveValue::IdentityPolicies(Box::new(identity))),
            1,
        ),
        outcome(
            LiveCheck::OrgPolicies { who: Who::Active, account: "123456789012".into() },
            Ok(LiveValue::OrgPolicies(Box::new(org))),
            1,
        ),
    ]
}

/// A role profile whose second hop AWS refuses: the chain, hop by hop.
fn role_chain() -> App {
    let config = "[profile base]\nregion = us-east-1\n[default]\nrole_arn = arn:aws:iam::123456789012:role/deploy\nsource_profile = base\nregion = us-east-1\n";
    let credentials = format!("[base]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n");
    let mut keys = hops::Outcome::new(SourceKind::SharedCredentialsFile, "keys of profile base (~/.aws/credentials:2)");
    keys.note(format!("key {} from the profile", credwiz::base::display::mask_key_id(ID)));
    keys.pass(hops::HopCredentials {
        access_key_id: ID.into(),
        secret_access_key: secrecy::SecretString::from(SECRET),
        session_token: None,
        expiration: None,
        account_id: None,
        assumed_role_arn: None,
        role_session: false,
    });
    let mut role = hops::Outcome::new(SourceKind::AssumeRole, "AssumeRole arn:aws:iam::123456789012:role/deploy");
    role.duration = Duration::from_millis(38);
    role.error_code = Some("AccessDenied".into());
    role.note(format!("AWS answered AccessDenied: User: {ARN} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/deploy (request id 4f1c-9a2e)"));
    role.note("the caller's own policy allows sts:AssumeRole on the role (read with iam:GetUserPolicy): the role's trust policy does not name the caller, or wants an ExternalId or MFA");
    role.fail(hops::Cause::AssumeRoleDenied);
    let chain = outcome(LiveCheck::Chain, Ok(LiveValue::Chain(vec![keys, role])), 1);
    finish(app(config, &credentials, Options::default()), Step::Credentials, vec![chain])
}

fn action(name: &str) -> ActionName {
    ActionName::parse(name).expect("action")
}

/// Every sample state, named `<step>-<state>`.
pub fn all() -> Vec<(&'static str, App)> {
    let healthy = || {
        finish(
            app("[default]\nregion = us-east-1\n", &keys(), Options::default()),
            Step::Credentials,
            [vec![identity()], user_reads()].concat(),
        )
    };
    let mismatch = finish(
        app("[default]\nregion = us-east-1\n", &keys(), Options::default()),
        Step::Credentials,
        vec![outcome(
            LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
            aws(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            ),
            1,
        )],
    );
    let mut running = app("[default]\nregion = us-east-1\n", &keys(), Options::default());
    let run = start(&mut running);
    running.update(Msg::Run(RunEvent::Started {
        run,
        check: LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
    }));
    let skew = finish(
        app("[default]\nregion = us-east-1\n", &keys(), Options::default()),
        Step::Expiry,
        vec![outcome(
            LiveCheck::CallerIdentity { who: Who::Active, region: Some("us-east-1".into()) },
            aws(
                "SignatureDoesNotMatch",
                "Signature expired: 20261121T120000Z is now earlier than 20261121T121000Z (20261121T121500Z - 5 min.)",
            ),
            900,
        )],
    );
    let mut expiry_pass = healthy();
    expiry_pass.view.step = Step::Expiry;
    let mfa_config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let mfa_fail = finish(
        app(mfa_config, &keys(), Options { mfa_code: MfaCode::parse("123456").ok(), ..Options::default() }),
        Step::Mfa,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::SessionToken {
                    serial: "arn:aws:iam::123456789012:mfa/alice".into(),
                    code: MfaCode::parse("123456").expect("code"),
                },
                aws("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."),
                1,
            )],
        ]
        .concat(),
    );
    let mut mfa_pass =
        finish(app(mfa_config, &keys(), Options::default()), Step::Mfa, [vec![identity()], user_reads()].concat());
    mfa_pass.view.step = Step::Mfa;
    let region = finish(
        app("[default]\nregion = us-east1\n", &keys(), Options::default()),
        Step::AccountRegion,
        [vec![identity()], user_reads()].concat(),
    );
    let mut region_pass = healthy();
    region_pass.view.step = Step::AccountRegion;
    let scp = finish(
        app("[default]\nregion = us-east-1\n", &keys(), Options { actions: vec![action("iam:ListAccessKeys")], ..Options::default() }),
        Step::IamScp,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::TryAction { who: Who::Active, action: action("iam:ListAccessKeys"), user: Some("alice".into()) },
                aws("AccessDenied", &format!("User: {ARN} is not authorized to perform: iam:ListAccessKeys on resource: {ARN} with an explicit deny in a service control policy")),
                1,
            )],
        ]
        .concat(),
    );
    let mut iam_pass = finish(
        app(
            "[default]\nregion = us-east-1\n",
            &keys(),
            Options { actions: vec![action("iam:ListAccessKeys")], ..Options::default() },
        ),
        Step::IamScp,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::TryAction {
                    who: Who::Active,
                    action: action("iam:ListAccessKeys"),
                    user: Some("alice".into()),
                },
                Ok(LiveValue::Allowed),
                1,
            )],
            policy_reads(),
        ]
        .concat(),
    );
    iam_pass.view.step = Step::IamScp;
    let mut help = healthy();
    help.view.modal = Some(Modal::Help { from: Mode::Normal, back: None });
    // The real key path: Enter on the failing region check applies its fix, `s` shows the diff.
    let mut save = region.clone();
    let failing = save.items().iter().position(|item| match item {
        Item::Check(i) => save.report.step(Step::AccountRegion).is_some_and(|s| s.checks[*i].repair.is_some()),
        Item::Field(_) => false,
    });
    save.view.cursor = failing.unwrap_or(0);
    let effects = save.update(Msg::Key(key(KeyCode::Enter)));
    complete(&mut save, effects, [vec![identity()], user_reads()].concat());
    save.update(Msg::Key(key(KeyCode::Char('s'))));
    // Quitting with the fix unsaved: the prompt shows the diff.
    let mut quit = save.clone();
    quit.update(Msg::Key(key(KeyCode::Esc)));
    quit.update(Msg::Key(key(KeyCode::Char('q'))));
    // The picker, filtered, with statuses known from a scan.
    let many = "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[profile dev-mfa]\nregion = eu-west-1\n[profile prod-admin]\nregion = us-east-1\n[profile staging]\nregion = us-east-2\n";
    let mut picker =
        finish(app(many, &keys(), Options::default()), Step::Credentials, [vec![identity()], user_reads()].concat());
    picker.update(Msg::ProfileStatuses(vec![
        ProfileStatus {
            profile: "dev".into(),
            status: Status::Fail,
            cause: Some(Cause::SecretMismatch),
            source: Some(SourceKind::SharedCredentialsFile),
            account: None,
        },
        ProfileStatus {
            profile: "dev-mfa".into(),
            status: Status::Fail,
            cause: Some(Cause::CredentialsExpired),
            source: Some(SourceKind::SharedCredentialsFile),
            account: Some("123456789012".into()),
        },
        ProfileStatus {
            profile: "prod-admin".into(),
            status: Status::Warn,
            cause: Some(Cause::KeyOld),
            source: Some(SourceKind::AssumeRole),
            account: Some("210987654321".into()),
        },
    ]));
    picker.update(Msg::Key(key(KeyCode::Char('p'))));
    for c in "dv".chars() {
        picker.update(Msg::Key(key(KeyCode::Char(c))));
    }
    // Typing a new secret: masked while typed.
    let mut typing = mismatch.clone();
    typing.view.step = Step::Credentials;
    typing.view.cursor = 2;
    typing.update(Msg::Key(key(KeyCode::Enter)));
    for c in "wJalrXUtnFEMI/K7MDENG".chars() {
        typing.update(Msg::Key(key(KeyCode::Char(c))));
    }
    vec![
        ("credentials-fail", mismatch),
        ("credentials-pass", healthy()),
        ("credentials-running", running),
        ("expiry-fail", skew),
        ("expiry-pass", expiry_pass),
        ("mfa-fail", mfa_fail),
        ("mfa-pass", mfa_pass),
        ("account-region-fail", region),
        ("account-region-pass", region_pass),
        ("iam-scp-fail", scp),
        ("iam-scp-pass", iam_pass),
        ("help", help),
        ("save-diff", save),
        ("quit-prompt", quit),
        ("picker", picker),
        ("credentials-typing-secret", typing),
        ("credentials-role-chain", role_chain()),
        ("credentials-role-chain-request", {
            // `c` on the refused role: the filled-in request for the role's owner.
            let mut request = role_chain();
            request.update(Msg::Key(key(KeyCode::Char('c'))));
            request
        }),
        ("search", second::search()),
        ("fix-all-diff", second::fix_all()),
    ]
}
