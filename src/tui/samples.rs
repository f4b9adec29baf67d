//! Sample wizard states with fixed clocks and made-up live outcomes: every
//! panel in its pass, fail and running states. The snapshot tests and the
//! screenshot command (`cargo run --example screenshots`) both render these
//! through the real `view::render`.

use super::app::{App, Modal};
use super::msg::Msg;
use crate::diagnose::decode::AwsError;
use crate::diagnose::live::{Call, Failure};
use crate::diagnose::plan::{KeyInfo, LiveCheck, LiveValue, Outcome, Who};
use crate::diagnose::runner::RunEvent;
use crate::diagnose::{Diagnosis, Options, Step};
use crate::environment::Environment;
use crate::profile::ProfileFiles;
use chrono::{DateTime, Duration as Span, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::time::Duration;

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
    let mut app = App::new(env, files, None, Options { timeout: Duration::from_secs(10), ..options }, now());
    app.color = true;
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
    let value =
        LiveValue::Identity { account: "123456789012".into(), arn: ARN.into(), user_id: "AIDAEXAMPLEUSERID".into() };
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

/// Runs the app's first run to completion with these outcomes.
fn finish(mut app: App, step: Step, outcomes: Vec<Outcome>) -> App {
    app.start();
    let run = app.run;
    let report = app.report.clone();
    app.update(Msg::RunDone { run, diagnosis: Box::new(Diagnosis { report, outcomes }) });
    app.modal = None;
    app.step = step;
    app
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
    running.start();
    let run = running.run;
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
    expiry_pass.step = Step::Expiry;
    let mfa_config = "[default]\nregion = us-east-1\nmfa_serial = arn:aws:iam::123456789012:mfa/alice\n";
    let mfa_fail = finish(
        app(mfa_config, &keys(), Options { mfa_code: Some("123456".into()), ..Options::default() }),
        Step::Mfa,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::SessionToken { serial: "arn:aws:iam::123456789012:mfa/alice".into(), code: "123456".into() },
                aws("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code."),
                1,
            )],
        ]
        .concat(),
    );
    let mut mfa_pass =
        finish(app(mfa_config, &keys(), Options::default()), Step::Mfa, [vec![identity()], user_reads()].concat());
    mfa_pass.step = Step::Mfa;
    let region = finish(
        app("[default]\nregion = us-east1\n", &keys(), Options::default()),
        Step::AccountRegion,
        [vec![identity()], user_reads()].concat(),
    );
    let mut region_pass = healthy();
    region_pass.step = Step::AccountRegion;
    let scp = finish(
        app("[default]\nregion = us-east-1\n", &keys(), Options { actions: vec!["iam:ListAccessKeys".into()], ..Options::default() }),
        Step::IamScp,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::TryAction { who: Who::Active, action: "iam:ListAccessKeys".into() },
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
            Options { actions: vec!["iam:ListAccessKeys".into()], ..Options::default() },
        ),
        Step::IamScp,
        [
            vec![identity()],
            user_reads(),
            vec![outcome(
                LiveCheck::TryAction { who: Who::Active, action: "iam:ListAccessKeys".into() },
                Ok(LiveValue::Allowed),
                1,
            )],
        ]
        .concat(),
    );
    iam_pass.step = Step::IamScp;
    let mut help = healthy();
    help.modal = Some(Modal::Help);
    // The real key path: Enter on the failing region check applies its fix, `s` shows the diff.
    let mut save = region.clone();
    let failing = save.items().iter().position(|item| match item {
        super::app::Item::Check(i) => {
            save.report.step(Step::AccountRegion).is_some_and(|s| s.checks[*i].repair.is_some())
        }
        super::app::Item::Field(_) => false,
    });
    save.cursor = failing.unwrap_or(0);
    save.update(Msg::Key(key(KeyCode::Enter)));
    save.update(Msg::Key(key(KeyCode::Char('s'))));
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
    ]
}
