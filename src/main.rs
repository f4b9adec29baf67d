//! The `credwiz` binary: parses the command line and hands over to the library.

use clap::Parser;
use credwiz::cli::{Cli, Command};
use credwiz::commands;
use credwiz::environment::Environment;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log = credwiz::logging::init();
    let env = Environment::from_process();
    match cli.command {
        Some(Command::Set(args)) => {
            let outcome = commands::set::run(&env, cli.profile.as_deref(), &args.key, &args.value);
            if outcome.ok {
                println!("{}", outcome.message);
                ExitCode::SUCCESS
            } else {
                eprintln!("credwiz: {}", outcome.message);
                ExitCode::from(2)
            }
        }
        Some(Command::Check(args)) => ExitCode::from(commands::check::run(env, cli.profile.as_deref(), &args)),
        None => {
            eprintln!("credwiz: the diagnosis is not built yet");
            ExitCode::from(2)
        }
    }
}
