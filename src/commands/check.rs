//! `credwiz check`: the diagnosis, headless. Prints the JSON report (schema 1)
//! or a readable report (colour on a terminal unless `NO_COLOR`/`--no-color`),
//! and exits 0 (no failure), 1 (a failure) or 2 (could not run). All output
//! leaves through `commands::sink` (scrubbed, made safe for a terminal).

use super::print_err;
use super::style::{paint, status_mark};
use crate::base::environment::Environment;
use crate::cli::{CheckArgs, ReportFormat};
use crate::diagnose::{self, Facts, Report, Status};
use crate::vocabulary::Cause;
use std::fmt::Write as _;
use std::io::IsTerminal;

/// Exit codes of `check`.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FAILURE: u8 = 1;
pub const EXIT_CANNOT_RUN: u8 = 2;

/// The profile `--write-session` writes to: `<profile>-mfa` when no name was
/// given; refused (with the reason) when the name could inject lines or
/// sections, is not what the AWS SDKs would read, or names the profile whose
/// long-term keys get the session (compared as the SDKs read names: trimmed).
pub fn session_target(given: &str, profile: &str) -> Result<String, String> {
    let target = if given.is_empty() { format!("{}-mfa", profile.trim()) } else { given.to_string() };
    crate::profile::validate::profile_name(&target).map_err(|why| format!("--write-session: {why}"))?;
    if target == profile.trim() {
        return Err(format!(
            "--write-session: refusing to overwrite the long-term keys of profile {} with a session; pick another profile name",
            crate::base::sanitize::shown(&target, 80)
        ));
    }
    Ok(target)
}

/// Runs `check` and returns the exit code. Everything it prints goes through
/// [`super::sink`]: scrubbed, and made safe for a terminal or a JSON reader.
pub fn run(env: Environment, profile_flag: Option<&str>, args: &CheckArgs) -> u8 {
    let options = match args.diagnose.options() {
        Ok(o) => o,
        Err(why) => {
            print_err(&why);
            return EXIT_CANNOT_RUN;
        }
    };
    let color = !args.diagnose.no_color && env.get("NO_COLOR").is_none() && std::io::stdout().is_terminal();
    let facts = match diagnose::gather(env) {
        Ok(gathered) => Facts::new(gathered, profile_flag, options, chrono::Utc::now()),
        Err(e) => {
            print_err(&e.to_string());
            return EXIT_CANNOT_RUN;
        }
    };
    // Checked before any call: a refused name must not cost the one-time code.
    let session_target = match args.write_session.as_deref().map(|t| session_target(t, &facts.profile)).transpose() {
        Ok(target) => target,
        Err(why) => {
            print_err(&why);
            return EXIT_CANNOT_RUN;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            print_err(&format!("cannot start the async runtime: {e}"));
            return EXIT_CANNOT_RUN;
        }
    };
    let diagnosis = runtime.block_on(diagnose::diagnose(&facts));
    let report = diagnosis.report;
    let mut write_failed = false;
    if let Some(target) = &session_target {
        match diagnose::session::write_session(&facts, &diagnosis.outcomes, target) {
            Ok(Some(written)) => print_err(&written.message),
            Ok(None) => print_err("no session to write (give a working --mfa-code)"),
            Err(why) => {
                print_err(&format!("could not write the session: {why}"));
                write_failed = true;
            }
        }
    }
    let format = if args.json { ReportFormat::Json } else { args.format.unwrap_or(ReportFormat::Text) };
    match format {
        ReportFormat::Json => {
            if let Err(e) = super::print_json(&report) {
                print_err(&format!("cannot encode the report: {e}"));
                return EXIT_CANNOT_RUN;
            }
        }
        ReportFormat::Text => super::print_report(&human(&report, color), color),
        ReportFormat::Github => github(&report, color),
    }
    if write_failed {
        EXIT_CANNOT_RUN
    } else if report.has_failure() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// `--format github`: the readable report fenced off from the runner's
/// command parser, then one annotation per failure and warning.
fn github(report: &Report, color: bool) {
    let seed = format!("{:?} {}", std::time::SystemTime::now(), std::process::id());
    let (stop, resume) = super::annotations::fence(&seed);
    super::print_out(&format!("{stop}\n"));
    super::print_report(&human(report, color), color);
    let mut lines = vec![resume];
    lines.extend(super::annotations::annotations(report));
    super::print_out(&format!("{}\n", lines.join("\n")));
}

/// Width the readable report wraps guides to.
const GUIDE_WIDTH: usize = 80;

/// A fix guide as terminal text: title and headings in bold, paragraphs and
/// list items wrapped with a hanging indent, no markdown markup.
fn guide_text(cause: crate::diagnose::Cause, color: bool) -> String {
    use crate::vocabulary::guide::{Block, plain, wrap};
    let mut out = String::new();
    for block in crate::vocabulary::guide::blocks(cause.guide()) {
        let lines = match block {
            Block::Title(title) => vec![paint(&format!("Guide: {}", plain(&title)), "1", color)],
            Block::Heading(heading) => vec![String::new(), paint(&plain(&heading), "1", color)],
            Block::Paragraph(text) => wrap(&plain(&text), GUIDE_WIDTH, "", 0),
            Block::Item { marker, text } => {
                let lead = format!("  {marker} ");
                wrap(&plain(&text), GUIDE_WIDTH, &lead, lead.chars().count())
            }
        };
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The readable report.
pub fn human(report: &Report, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} profile {}", paint("credwiz", "1", color), report.profile);
    let source = &report.source;
    let key = source.access_key_id.as_deref().map(|k| format!("  key {k}")).unwrap_or_default();
    let _ = writeln!(out, "  source:   {} {}{key}", source.kind.id(), source.location.as_deref().unwrap_or("-"));
    for s in &source.shadowed {
        let _ = writeln!(out, "            shadows {} {}", s.kind.id(), s.location);
    }
    if let Some(id) = &report.identity {
        let _ = writeln!(out, "  identity: {} (account {})", id.arn, id.account_named());
    }
    let _ = writeln!(
        out,
        "  region:   {} {}",
        report.region.value.as_deref().unwrap_or("(none)"),
        report.region.source.as_deref().map(|s| format!("from {s}")).unwrap_or_default()
    );
    for step in &report.steps {
        let _ = writeln!(out, "\n{} {}", status_mark(step.status, color), paint(step.step.title(), "1", color));
        for check in &step.checks {
            let cause = check.cause.map(|c| format!(" [{c}]")).unwrap_or_default();
            let _ = writeln!(
                out,
                "    {} {}{}",
                status_mark(check.status, color),
                check.summary,
                paint(&cause, "2", color)
            );
            if let Some(location) = &check.location {
                let _ = writeln!(out, "        at {location}");
            }
            for line in &check.evidence {
                let _ = writeln!(out, "        {line}");
            }
            if check.status == Status::Fail
                && let Some(fix) = &check.fix
            {
                let _ = writeln!(out, "        fix: {fix}");
            }
        }
    }
    match report.causes.first() {
        None if report.warnings.is_empty() => {
            let _ = writeln!(
                out,
                "\n{} ({} ms)",
                paint("No problem found: AWS accepts these credentials.", "32;1", color),
                report.duration_ms
            );
        }
        None => match report.warnings.iter().find(|w| w.cause == Some(Cause::MfaRequired)) {
            // A warning that likely explains what failed for the user comes first, as a likely cause.
            Some(likely) => {
                let id = likely.cause.map_or("unclassified", |c| c.id());
                let _ =
                    writeln!(out, "\n{} {id}: {}", paint("Likely cause (a warning):", "33;1", color), likely.summary);
                if let Some(fix) = &likely.fix {
                    let _ = writeln!(out, "Fix: {fix}");
                }
                let _ = writeln!(out, "\n({} ms)", report.duration_ms);
            }
            None => {
                let _ = writeln!(
                    out,
                    "\n{} ({} ms)",
                    paint("No failure; see the warnings above.", "33;1", color),
                    report.duration_ms
                );
            }
        },
        Some(primary) => {
            let id = primary.cause.map_or("unclassified", |c| c.id());
            let _ = writeln!(out, "\n{} {id}: {}", paint("Primary cause:", "31;1", color), primary.summary);
            if let Some(fix) = &primary.fix {
                let _ = writeln!(out, "Fix: {fix}");
            }
            if let Some(cause) = primary.cause {
                out.push('\n');
                out.push_str(&guide_text(cause, color));
            }
            for other in report.causes.iter().skip(1) {
                let _ = writeln!(out, "\nAlso: {}: {}", other.cause.map_or("unclassified", |c| c.id()), other.summary);
            }
            let _ = writeln!(out, "\n({} ms)", report.duration_ms);
        }
    }
    out
}
