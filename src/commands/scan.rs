//! `credwiz scan`: every profile at once (SPEC section 7). Prints a table (one
//! line per profile: status, profile, source, account, identity, region,
//! expiry countdown, primary cause and its fix; colour on a terminal unless
//! `NO_COLOR`/`--no-color`) and the cross-profile findings, or the JSON of
//! SPEC 7 with `--json`; a progress line on stderr while it runs, on a
//! terminal only. Exits 0 (every profile healthy), 1 (a failure) or 2 (could
//! not run). Every outside string passes `redact::scrub` and `sanitize`.

use super::check::{EXIT_CANNOT_RUN, EXIT_FAILURE, EXIT_OK};
use crate::base::environment::Environment;
use crate::cli::{DiagnoseArgs, ScanArgs};
use crate::diagnose::{self, Status};
use crate::scan::{self, Event, Settings};
use chrono::Utc;
use std::io::{IsTerminal, Write as _};

/// Runs `scan` and returns the exit code. `profile_flag`: the global
/// `--profile` (the profile the environment's keys are used with);
/// `outer`: the options given before the subcommand.
pub fn run(env: Environment, profile_flag: Option<&str>, args: &ScanArgs, outer: &DiagnoseArgs) -> u8 {
    // --timeout is for the whole run: reading the files counts against it too.
    let began = std::time::Instant::now();
    if outer.error.is_some() || outer.mfa_code.is_some() {
        super::print_err(
            "scan takes no --error or --mfa-code: they concern one profile (use `credwiz check --profile P`)",
        );
        return EXIT_CANNOT_RUN;
    }
    let merged = DiagnoseArgs {
        actions: outer.actions.iter().chain(&args.actions).cloned().collect(),
        error: None,
        expect_account: args.expect_account.clone().or_else(|| outer.expect_account.clone()),
        mfa_code: None,
        timeout: args.timeout.unwrap_or(outer.timeout),
        no_color: args.no_color || outer.no_color,
        resources: outer.resources.clone(),
        policies: outer.policies.clone(),
        source_ip: outer.source_ip.clone(),
        role_arn: None,
        audience: None,
    };
    let options = match merged.options() {
        Ok(o) => o,
        Err(why) => {
            super::print_err(&why);
            return EXIT_CANNOT_RUN;
        }
    };
    let color = !merged.no_color && env.get("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let env_columns = env.get("COLUMNS").map(str::to_string);
    let gathered = match diagnose::gather(env) {
        Ok(g) => g,
        Err(e) => {
            super::print_err(&e.to_string());
            return EXIT_CANNOT_RUN;
        }
    };
    // The scan's own offline pass tells whether there is anything to scan (one pass, inside the budget).
    let nothing = format!(
        "nothing to scan: no profile in {} or {}, and no keys in the environment",
        crate::base::display::display_path(&gathered.env, &gathered.env.credentials_path()),
        crate::base::display::display_path(&gathered.env, &gathered.env.config_path())
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            super::print_err(&format!("cannot start the async runtime: {e}"));
            return EXIT_CANNOT_RUN;
        }
    };
    let options = diagnose::Options { timeout: options.timeout.saturating_sub(began.elapsed()), ..options };
    let settings =
        Settings { options, concurrency: usize::from(args.concurrency), active: profile_flag.map(str::to_string) };
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let now = Utc::now();
    let result = runtime.block_on(scan::scan(gathered, settings, now, |event| progress.show(&event)));
    progress.clear();
    if result.profiles.is_empty() {
        super::print_err(&nothing);
        return EXIT_CANNOT_RUN;
    }
    if args.json {
        if let Err(e) = super::print_json(&result.json()) {
            super::print_err(&format!("cannot encode the report: {e}"));
            return EXIT_CANNOT_RUN;
        }
    } else {
        let width = terminal_width(&env_columns);
        super::print_report(&super::scan_table::table(&result, now, color, width), color);
    }
    if result.has_failure() { EXIT_FAILURE } else { EXIT_OK }
}

/// The progress line on stderr (a terminal only), rewritten in place.
struct Progress {
    on: bool,
    failing: usize,
}

impl Progress {
    fn new(on: bool) -> Self {
        Progress { on, failing: 0 }
    }

    fn show(&mut self, event: &Event) {
        let Event::Checked { done, total, summary } = event else { return };
        if summary.status == Status::Fail {
            self.failing += 1;
        }
        if self.on {
            let failing = if self.failing > 0 { format!(", {} failing", self.failing) } else { String::new() };
            let mut err = std::io::stderr();
            let _ = write!(err, "\r\x1b[2Kcredwiz scan: {done} of {total} profiles checked{failing}…");
            let _ = err.flush();
        }
    }

    fn clear(&self) {
        if self.on {
            let mut err = std::io::stderr();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// The width the table must fit: the terminal's, else `COLUMNS`, else none (a pipe).
fn terminal_width(columns: &Option<String>) -> Option<usize> {
    if std::io::stdout().is_terminal()
        && let Ok((width, _)) = crossterm::terminal::size()
        && width > 0
    {
        return Some(usize::from(width));
    }
    columns.as_deref().and_then(|c| c.trim().parse::<usize>().ok()).filter(|w| *w > 0)
}
