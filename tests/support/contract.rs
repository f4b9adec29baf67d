//! The contract between the two front ends, for every world the tests build:
//! the wizard, driven without a terminal through its own `update` and the
//! effects it asks for (performed here the way the runtime performs them),
//! must reach the same step statuses, primary cause and warnings as `check`.

use credwiz::diagnose::input::gather;
use credwiz::diagnose::run::runner::RunEvent;
use credwiz::diagnose::{self, Facts, Gathered, Options, Outcomes, Report};
use credwiz::tui::App;
use credwiz::tui::msg::{Effect, Msg};

/// What the contract compares: step statuses, the primary cause, the warnings.
pub fn verdict(report: &serde_json::Value) -> (Vec<(String, String)>, String, Vec<String>) {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let steps = report["steps"]
        .as_array()
        .map(|s| s.iter().map(|s| (text(&s["step"]), text(&s["status"]))).collect())
        .unwrap_or_default();
    let warnings =
        report["warnings"].as_array().map(|w| w.iter().map(|w| text(&w["cause"])).collect()).unwrap_or_default();
    (steps, text(&report["causes"][0]["cause"]), warnings)
}

fn json(report: &Report) -> serde_json::Value {
    serde_json::to_value(report).expect("report as JSON")
}

/// Asserts the wizard's report agrees with `check`'s JSON report.
pub fn assert_agree(wizard: &Report, check: &serde_json::Value) {
    assert_eq!(verdict(&json(wizard)), verdict(check), "the wizard and check disagree");
}

/// Runs the wizard's first run against the real network (the world's endpoint), as the runtime would.
pub fn wizard_live(gathered: Gathered, profile_flag: Option<&str>, options: Options) -> App {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let mut app = App::new(gathered, profile_flag, options, chrono::Utc::now());
    let mut pending = app.start();
    while let Some(effect) = pending.pop() {
        match effect {
            Effect::Gather { run, env, view } => {
                let side = Box::new(gather::gather_side(&env, &view));
                pending.extend(app.update(Msg::Gathered { run, side, now: chrono::Utc::now() }));
            }
            Effect::RunChecks { run, facts } => {
                let mut events = Vec::new();
                let diagnosis = rt.block_on(diagnose::diagnose_run(&facts, run, |e| events.push(e)));
                for event in events {
                    pending.extend(app.update(Msg::Run(event)));
                }
                pending.extend(app.update(Msg::RunDone { run, outcomes: diagnosis.outcomes }));
            }
            _ => {}
        }
    }
    app
}

/// Runs the wizard's first run with the live checks answered by `outcomes`
/// (a world of fakes), and returns `check`'s report for the same world after
/// asserting that the two agree.
pub fn agree_on(facts: &Facts, outcomes: &Outcomes) -> Report {
    let check = diagnose::conclude(facts, outcomes, std::time::Duration::ZERO);
    let gathered = Gathered { env: facts.env.clone(), files: (*facts.files).clone(), side: (*facts.side).clone() };
    let flag = (facts.env.active_profile(None).0 != facts.profile).then_some(facts.profile.as_str());
    let mut app = App::new(gathered, flag, facts.options.clone(), facts.now);
    let mut pending = app.start();
    while let Some(effect) = pending.pop() {
        match effect {
            Effect::Gather { run, .. } => {
                let side = Box::new((*facts.side).clone());
                pending.extend(app.update(Msg::Gathered { run, side, now: facts.now }));
            }
            Effect::RunChecks { run, .. } => {
                for outcome in outcomes.all() {
                    let event = RunEvent::Finished { run, outcome: Box::new(outcome.clone()) };
                    pending.extend(app.update(Msg::Run(event)));
                }
                pending.extend(app.update(Msg::RunDone { run, outcomes: outcomes.clone() }));
            }
            _ => {}
        }
    }
    assert_agree(&app.report, &json(&check));
    check
}

/// The wizard, driven without a terminal in the same world, reaches the same verdict.
pub fn wizard_agrees(
    home: &std::path::Path,
    endpoint: &str,
    env: &[(&str, &str)],
    args: &[&str],
    check: &serde_json::Value,
) {
    use clap::Parser;
    let mut argv = vec!["credwiz", "check"];
    argv.extend_from_slice(args);
    let cli = credwiz::cli::Cli::try_parse_from(&argv).expect("arguments");
    let Some(credwiz::cli::Command::Check(check_args)) = &cli.command else { panic!("not a check") };
    let profile = cli.profile_for(check_args.profile.as_deref()).map(str::to_string);
    let options = check_args.diagnose.options().expect("options");
    let path = std::env::var("PATH").unwrap_or_default();
    let mut pairs = vec![("AWS_ENDPOINT_URL", endpoint), ("AWS_EC2_METADATA_DISABLED", "true"), ("PATH", &path)];
    pairs.extend_from_slice(env);
    let env = credwiz::base::environment::Environment::from_pairs(pairs, Some(home.to_path_buf()));
    let gathered = credwiz::diagnose::gather(env).expect("gather");
    let app = wizard_live(gathered, profile.as_deref(), options);
    assert_agree(&app.report, check);
}
