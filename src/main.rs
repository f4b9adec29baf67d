//! The `credwiz` binary: parses the command line and hands over to the library.

use clap::Parser;
use credwiz::cli::{Cli, Command};
use credwiz::commands;
use credwiz::environment::Environment;
use std::process::ExitCode;

fn main() -> ExitCode {
    let _ = credwiz::logging::STARTED.set(std::time::Instant::now());
    let _ = credwiz::signals::install();
    let cli = Cli::parse();
    let _log = credwiz::logging::init();
    let env = Environment::from_process();
    match cli.command {
        Some(Command::Set(args)) => {
            let outcome = commands::set::run(&env, cli.profile.as_deref(), &args.key, &args.value);
            if outcome.ok {
                commands::print_out(&format!("{}\n", outcome.message));
                ExitCode::SUCCESS
            } else {
                eprintln!("credwiz: {}", outcome.message);
                ExitCode::from(2)
            }
        }
        Some(Command::Check(mut args)) => {
            args.diagnose = args.diagnose.merged_with(&cli.diagnose);
            ExitCode::from(commands::check::run(env, cli.profile.as_deref(), &args))
        }
        Some(Command::Scan(args)) => {
            ExitCode::from(commands::scan::run(env, cli.profile.as_deref(), &args, &cli.diagnose))
        }
        Some(Command::Completions(args)) => credwiz::cli::completions(args.shell),
        Some(Command::Man) => credwiz::cli::man_page(),
        None => wizard(env, cli.profile.as_deref(), &cli.diagnose),
    }
}

/// The full-screen wizard; exit 2 when it cannot start.
fn wizard(env: Environment, profile: Option<&str>, args: &credwiz::cli::DiagnoseArgs) -> ExitCode {
    let options = match commands::check::options(args) {
        Ok(o) => o,
        Err(why) => {
            eprintln!("credwiz: {why}");
            return ExitCode::from(2);
        }
    };
    let color = !args.no_color && env.get("NO_COLOR").is_none();
    let gathered = match credwiz::diagnose::gather(env) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("credwiz: {e}");
            return ExitCode::from(2);
        }
    };
    let mut app = credwiz::tui::App::new(gathered, profile, options, chrono::Utc::now());
    app.view.color = color;
    match credwiz::tui::runtime::run(app) {
        Ok(app) => {
            // The terminal is restored: hand back what was written and what the shell must run.
            let summary = app.exit_summary();
            if !summary.is_empty() {
                commands::print_out(&format!("{}\n", summary.join("\n")));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("credwiz: the terminal failed: {e}");
            ExitCode::from(2)
        }
    }
}
