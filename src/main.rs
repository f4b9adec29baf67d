//! The `credwiz` binary: registers the secrets it can already see and its
//! panic hook before anything can print, parses the command line (`cli`, given
//! the wizard's key table for its help), and hands over to the commands or
//! the wizard. Everything it prints goes through `commands::sink`.

use credwiz::base::environment::Environment;
use credwiz::cli::{self, Cli, Command};
use credwiz::commands::{self, print_err};
use std::process::ExitCode;

fn main() -> ExitCode {
    // First: nothing may print a secret of the environment, and no panic may print raw.
    credwiz::redact::register_process_environment();
    commands::crash::install();
    let _ = credwiz::logging::STARTED.set(std::time::Instant::now());
    let _ = credwiz::base::signals::install();
    // Nothing started below outlives the run: escaped descendants come back to credwiz and are ended.
    credwiz::base::reaper::adopt();
    credwiz::base::signals::on_termination(|| {
        credwiz::base::reaper::end_children();
    });
    let cli = match cli::parse(&credwiz::tui::keymap::help_text()) {
        Ok(cli) => cli,
        Err(error) => return usage(&error),
    };
    credwiz::logging::init();
    let code = run(cli);
    credwiz::base::reaper::end_children();
    credwiz::logging::finish();
    code
}

/// Help and version on stdout; a usage error (which quotes the arguments) on
/// stderr through the sink; clap's exit status (2 for a usage error).
fn usage(error: &clap::Error) -> ExitCode {
    let text = error.render().to_string();
    if error.use_stderr() {
        print_err(text.strip_prefix("error: ").unwrap_or(&text));
    } else {
        commands::print_out(&text);
    }
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(commands::check::EXIT_CANNOT_RUN))
}

fn run(cli: Cli) -> ExitCode {
    let env = Environment::from_process();
    commands::secrets::register_caches(&env);
    match &cli.command {
        Some(Command::Set(args)) => {
            let outcome = commands::set::run(&env, cli.profile_for(args.profile.as_deref()), &args.key, &args.value);
            if outcome.ok {
                commands::print_out(&format!("{}\n", outcome.message));
                ExitCode::SUCCESS
            } else {
                print_err(&outcome.message);
                ExitCode::from(2)
            }
        }
        Some(Command::Check(args)) => {
            let profile = cli.profile_for(args.profile.as_deref());
            let args = cli::CheckArgs { diagnose: args.diagnose.merged_with(&cli.diagnose), ..args.clone() };
            ExitCode::from(commands::check::run(env, profile, &args))
        }
        Some(Command::Scan(_)) if cli.profile.is_some() => {
            print_err("scan checks every profile: --profile does not apply (AWS_PROFILE names the active one)");
            ExitCode::from(2)
        }
        Some(Command::Scan(args)) => ExitCode::from(commands::scan::run(env, None, args, &cli.diagnose)),
        Some(Command::Completions(args)) => commands::emit(&cli::completions(args.shell)),
        Some(Command::Man(args)) => match cli::man::render(args.page, &credwiz::tui::keymap::help_text()) {
            Ok(page) => commands::emit(&page),
            Err(e) => {
                print_err(&format!("cannot render the man page: {e}"));
                ExitCode::from(2)
            }
        },
        None => wizard(env, cli.profile.as_deref(), &cli.diagnose),
    }
}

/// The full-screen wizard; exit 2 when it cannot start.
fn wizard(env: Environment, profile: Option<&str>, args: &cli::DiagnoseArgs) -> ExitCode {
    let options = match args.options() {
        Ok(o) => o,
        Err(why) => {
            print_err(&why);
            return ExitCode::from(2);
        }
    };
    let color = !args.no_color && env.get("NO_COLOR").is_none();
    let gathered = match credwiz::diagnose::gather(env) {
        Ok(g) => g,
        Err(e) => {
            print_err(&e.to_string());
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
            let log = credwiz::logging::log_dir().map(|d| d.join("credwiz.log").display().to_string());
            let log = log.map(|l| format!(" (log: {l})")).unwrap_or_default();
            print_err(&format!("the wizard stopped: {e}{log}"));
            ExitCode::from(2)
        }
    }
}
