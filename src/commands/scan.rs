//! `credwiz scan`: every profile at once (SPEC section 7). Prints a table (one
//! line per profile: status, profile, source, account, identity, region,
//! expiry countdown, primary cause and its fix; colour on a terminal unless
//! `NO_COLOR`/`--no-color`) and the cross-profile findings, or the JSON of
//! SPEC 7 with `--json`; a progress line on stderr while it runs, on a
//! terminal only. Exits 0 (every profile healthy), 1 (a failure) or 2 (could
//! not run). Every outside string passes `redact::scrub` and `sanitize`.

use super::check::{EXIT_CANNOT_RUN, EXIT_FAILURE, EXIT_OK};
use super::style::{paint, status_mark};
use crate::base::environment::Environment;
use crate::base::sanitize;
use crate::base::time::humanize;
use crate::cli::{DiagnoseArgs, ScanArgs};
use crate::diagnose::{self, Status};
use crate::redact;
use crate::scan::{self, Event, Expiry, ScanResult, Scanned, Settings};
use chrono::{DateTime, Utc};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use unicode_width::UnicodeWidthStr;

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
    };
    let options = match super::check::options(&merged) {
        Ok(o) => o,
        Err(why) => {
            super::print_err(&why);
            return EXIT_CANNOT_RUN;
        }
    };
    let color = !merged.no_color && env.get("NO_COLOR").is_none() && std::io::stdout().is_terminal();
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
        super::print_report(&table(&result, now, color), color);
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

/// An outside string as one table cell: secrets scrubbed, made safe, cut to `max` characters (`…` marks a cut).
fn cell(text: &str, max: usize) -> String {
    let safe = sanitize::line(&redact::scrub(text)).into_owned();
    if safe.chars().count() <= max {
        return safe;
    }
    let mut cut: String = safe.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `user/alice`, `assumed-role/Dev/session`: the ARN after the account.
fn identity_label(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

/// `in 3 h 5 min`, `expired 2 h ago`, `never`, `-`.
pub fn expiry_label(expiry: Expiry, now: DateTime<Utc>) -> String {
    match expiry {
        Expiry::Never => "never".into(),
        Expiry::Unknown => "-".into(),
        Expiry::At(at) if at > now => format!("in {}", humanize((at - now).num_seconds())),
        Expiry::At(at) => format!("expired {} ago", humanize((now - at).num_seconds())),
    }
}

/// The cells of one profile's line (before the status symbol).
fn cells(profile: &Scanned, now: DateTime<Utc>) -> [String; 7] {
    let report = &profile.report;
    let identity = report.identity.as_ref();
    let cause = match (profile.status(), profile.primary()) {
        (Status::Fail | Status::Warn, Some(entry)) => {
            let id = entry.cause.map_or("unclassified", |c| c.id());
            let fix = entry.fix.as_deref().or(entry.cause.map(|c| c.short_fix())).unwrap_or_default();
            format!("{id}: {fix}")
        }
        (Status::Skip, _) if profile.not_checked() => "not checked: --timeout ran out first".to_string(),
        _ => String::new(),
    };
    [
        cell(&profile.name, 32),
        report.source.kind.short_label().to_string(),
        identity.map_or_else(|| "-".to_string(), |i| cell(&i.account, 12)),
        identity.map_or_else(|| "-".to_string(), |i| cell(identity_label(&i.arn), 36)),
        report.region.value.as_deref().map_or_else(|| "-".to_string(), |r| cell(r, 16)),
        expiry_label(profile.expiry, now),
        cell(&cause, 160),
    ]
}

fn pad(text: &str, width: usize) -> String {
    let shown = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// The readable scan: the table, the cross-profile findings, a summary line.
pub fn table(result: &ScanResult, now: DateTime<Utc>, color: bool) -> String {
    const HEADERS: [&str; 7] = ["PROFILE", "SOURCE", "ACCOUNT", "IDENTITY", "REGION", "EXPIRES", "CAUSE AND FIX"];
    let rows: Vec<(Status, [String; 7])> = result.profiles.iter().map(|p| (p.status(), cells(p, now))).collect();
    let mut widths = HEADERS.map(UnicodeWidthStr::width);
    for (_, row) in &rows {
        for (width, text) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(UnicodeWidthStr::width(text.as_str()));
        }
    }
    let line = |cells: &[String], last: String| {
        let mut text: String = cells.iter().zip(widths).map(|(c, w)| pad(c, w + 2)).collect();
        text.push_str(&last);
        text.trim_end().to_string()
    };
    let mut out = String::new();
    let header: Vec<String> = HEADERS[..6].iter().map(|h| h.to_string()).collect();
    let _ = writeln!(out, "  {}", paint(&line(&header, HEADERS[6].to_string()), "1", color));
    for (status, row) in &rows {
        let last = match status {
            Status::Fail => paint(&row[6], "31", color),
            Status::Warn => paint(&row[6], "33", color),
            _ => row[6].clone(),
        };
        let _ = writeln!(out, "{} {}", status_mark(*status, color), line(&row[..6], last));
    }
    if !result.findings.is_empty() {
        let _ = writeln!(out, "\n{}", paint("Across profiles:", "1", color));
        for finding in &result.findings {
            let id = finding.cause.map(|c| format!(" [{c}]")).unwrap_or_default();
            let _ = writeln!(
                out,
                "{} {}: {}{}",
                status_mark(finding.status, color),
                finding.id,
                cell(&finding.summary, 400),
                paint(&id, "2", color)
            );
            for line in &finding.evidence {
                let _ = writeln!(out, "    {}", cell(line, 300));
            }
            let _ = writeln!(out, "    fix: {}", cell(&finding.fix, 400));
        }
    }
    let count = |s: Status| rows.iter().filter(|(status, _)| *status == s).count();
    let (warned, failed) = (count(Status::Warn), count(Status::Fail));
    let _ = writeln!(
        out,
        "\n{} profile{}: {} work{}{}, {failed} fail{}; {} cross-profile finding{} ({} ms)",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        rows.len() - failed,
        if rows.len() - failed == 1 { "s" } else { "" },
        if warned > 0 { format!(" ({warned} with warnings)") } else { String::new() },
        if failed == 1 { "s" } else { "" },
        result.findings.len(),
        if result.findings.len() == 1 { "" } else { "s" },
        result.duration.as_millis()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_and_expiry_are_short() {
        assert_eq!(identity_label("arn:aws:iam::123456789012:user/alice"), "user/alice");
        assert_eq!(identity_label("arn:aws:sts::123456789012:assumed-role/Dev/s"), "assumed-role/Dev/s");
        let now = Utc::now();
        assert_eq!(expiry_label(Expiry::At(now + chrono::Duration::minutes(30)), now), "in 30 min");
        assert_eq!(expiry_label(Expiry::At(now - chrono::Duration::hours(3)), now), "expired 3 h 0 min ago");
        assert_eq!(expiry_label(Expiry::Never, now), "never");
    }

    #[test]
    fn hostile_names_cannot_drive_the_terminal() {
        assert_eq!(cell("evil\u{1b}]0;pwned\u{7}", 40), "evil\\e]0;pwned\\x07");
        assert_eq!(cell("assumed-role/admin/assume-role-from-default", 20), "assumed-role/admin/…");
    }
}
