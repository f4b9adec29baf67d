//! The command line: `credwiz [options]` (the wizard), `credwiz check`,
//! `credwiz set`, `credwiz scan`, and the shell completions and man page generated from the
//! same definition (`credwiz completions SHELL`, `credwiz man`), parsed with
//! clap. The long help lists the wizard's keys from its key table. Writes
//! to stdout only for `completions` and `man`.

use clap::{Args, CommandFactory, Parser, Subcommand};
use std::io::Write as _;
use std::process::ExitCode;

const LONG_ABOUT: &str = "\
Finds out why AWS rejects your credentials (InvalidClientTokenId, SignatureDoesNotMatch,
ExpiredToken, AccessDenied...), explains the cause and its fix, and fixes ~/.aws/credentials
and ~/.aws/config in place.

`credwiz` alone opens the full-screen wizard on the active profile (--profile, else
AWS_PROFILE, else default): five steps (credentials, expiry & clock, MFA, account & region,
IAM & SCP), each with its editable fields, live checks against STS and IAM running in the
background, and the fix guide of what fails. Edits stay in a draft until you save them; a
save shows the diff (secrets masked) and keeps a backup of each file. Needs a terminal of at
least 80x24. `credwiz check` gives the same diagnosis without a terminal.";

/// What `--help` shows after the options: the wizard's keys, examples, exit statuses.
fn after_long_help() -> String {
    format!(
        "\
Keys of the wizard (? inside it shows them all, with what the symbols mean):
{keys}
Examples:
  credwiz                                   the wizard on the active profile
  credwiz --profile dev --action s3:ListBucket
  credwiz --error \"$(cat error.txt)\"        open on the step the error points to
  credwiz check                             the diagnosis as a readable report
  credwiz check --json --profile dev        the same as JSON (schema 1), for scripts
  credwiz scan                              every profile at once, one line each
  credwiz set region eu-west-1 --profile dev
  credwiz completions bash > ~/.local/share/bash-completion/completions/credwiz
  credwiz man > credwiz.1

Exit status:
  credwiz        0 when it quits normally, 2 when it cannot start (bad option, unreadable
                 file, no terminal); on exit it prints the files it wrote (with their
                 backups) and the lines your shell must run (unset ..., export AWS_PROFILE=...)
  credwiz check  0 no failure (warnings allowed), 1 at least one failure, 2 could not run
  credwiz set    0 done, 2 refused (the reason on stderr)
  credwiz scan   0 every profile healthy, 1 at least one failure, 2 could not run",
        keys = crate::tui::keymap::help_text()
    )
}

/// Finds out why AWS rejects your credentials, explains it, and fixes
/// ~/.aws/credentials and ~/.aws/config in place.
#[derive(Debug, Parser)]
#[command(
    name = "credwiz",
    version,
    about,
    long_about = LONG_ABOUT,
    after_help = "`credwiz` alone opens the wizard. --help shows its keys, examples and exit statuses.",
    after_long_help = after_long_help()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The profile to use (else AWS_PROFILE, else default).
    #[arg(long, global = true)]
    pub profile: Option<String>,
    #[command(flatten)]
    pub diagnose: DiagnoseArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the diagnosis headless and print a report (or JSON with --json).
    Check(CheckArgs),
    /// Set a key in the profile files in place, like `aws configure set`.
    Set(SetArgs),
    /// Check every profile of both files at once (and the environment's keys): one line each.
    Scan(ScanArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff), generated from this command line.
    Man,
}

/// `credwiz completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes generated text to stdout; exit 2 when stdout refuses it.
fn emit(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> ExitCode {
    let mut text = Vec::new();
    match write(&mut text).and_then(|()| std::io::stdout().write_all(&text)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            crate::commands::print_err(&format!("cannot write: {e}"));
            ExitCode::from(2)
        }
    }
}

/// `credwiz completions SHELL`: the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    emit(|out| {
        clap_complete::generate(shell, &mut Cli::command(), "credwiz", out);
        Ok(())
    })
}

/// `credwiz man`: the man page.
pub fn man_page() -> ExitCode {
    emit(|out| clap_mangen::Man::new(Cli::command()).render(out))
}

/// Options shared by the wizard and `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct DiagnoseArgs {
    /// An action you are failing on, e.g. s3:ListBucket (repeatable).
    #[arg(long = "action", value_name = "SERVICE:ACTION")]
    pub actions: Vec<String>,
    /// The resource the action is on, as an ARN: once for every --action, or once per --action in order.
    #[arg(long = "resource", value_name = "ARN")]
    pub resources: Vec<String>,
    /// A policy to judge the actions with, from a file (repeatable). LAYER: identity, boundary, scp,
    /// rcp, session or resource; trust: the role's trust policy, judged against a web identity token.
    /// An SCP file without an Allow is judged beside FullAWSAccess.
    #[arg(long = "policy", value_name = "LAYER=FILE")]
    pub policies: Vec<String>,
    /// In a CI job: the role to assume with the job's OpenID Connect token, as
    /// configure-aws-credentials would (else AWS_ROLE_ARN).
    #[arg(long, value_name = "ARN")]
    pub role_arn: Option<String>,
    /// The audience to request the job's token for (default sts.amazonaws.com).
    #[arg(long, value_name = "AUDIENCE")]
    pub audience: Option<String>,
    /// The IP address AWS sees your requests come from, for policies on aws:SourceIp.
    #[arg(long, value_name = "IP")]
    pub source_ip: Option<String>,
    /// The error message you saw, pasted.
    #[arg(long, value_name = "TEXT")]
    pub error: Option<String>,
    /// The 12-digit account these credentials should belong to.
    #[arg(long, value_name = "ID")]
    pub expect_account: Option<String>,
    /// A one-time code from your MFA device: runs the MFA session check.
    #[arg(long, value_name = "CODE")]
    pub mfa_code: Option<String>,
    /// Budget for the whole run, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = DiagnoseArgs::default_timeout())]
    pub timeout: f64,
    /// No colours (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
}

impl DiagnoseArgs {
    /// These options, with those given before the subcommand filling the gaps
    /// (`credwiz --timeout 3 check` must not drop the timeout).
    pub fn merged_with(&self, outer: &DiagnoseArgs) -> DiagnoseArgs {
        let default_timeout = DiagnoseArgs::default_timeout();
        DiagnoseArgs {
            actions: outer.actions.iter().chain(&self.actions).cloned().collect(),
            resources: outer.resources.iter().chain(&self.resources).cloned().collect(),
            policies: outer.policies.iter().chain(&self.policies).cloned().collect(),
            source_ip: self.source_ip.clone().or_else(|| outer.source_ip.clone()),
            role_arn: self.role_arn.clone().or_else(|| outer.role_arn.clone()),
            audience: self.audience.clone().or_else(|| outer.audience.clone()),
            error: self.error.clone().or_else(|| outer.error.clone()),
            expect_account: self.expect_account.clone().or_else(|| outer.expect_account.clone()),
            mfa_code: self.mfa_code.clone().or_else(|| outer.mfa_code.clone()),
            timeout: if self.timeout == default_timeout { outer.timeout } else { self.timeout },
            no_color: self.no_color || outer.no_color,
        }
    }

    fn default_timeout() -> f64 {
        10.0
    }
}

/// `credwiz check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub diagnose: DiagnoseArgs,
    /// Print the JSON report (schema 1); the same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// The report's form: text (the readable report), json (schema 1), or github: the readable
    /// report, then each failure and warning as a GitHub Actions annotation (::error / ::warning).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ReportFormat>,
    /// With --mfa-code: write the new session to this profile (default <profile>-mfa).
    #[arg(long, value_name = "PROFILE", num_args = 0..=1, default_missing_value = "")]
    pub write_session: Option<String>,
}

/// How `check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Github,
}

/// `credwiz set KEY VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The key: `region`, `aws_access_key_id`, `profile.NAME.KEY`, `default.KEY`...
    pub key: String,
    /// The value to write.
    pub value: String,
}

/// `credwiz scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Print JSON (schema 1): every profile's report and the cross-profile findings.
    #[arg(long)]
    pub json: bool,
    /// An action to test with every profile, e.g. s3:ListBucket (repeatable).
    #[arg(long = "action", value_name = "SERVICE:ACTION")]
    pub actions: Vec<String>,
    /// The 12-digit account every profile should belong to.
    #[arg(long, value_name = "ID")]
    pub expect_account: Option<String>,
    /// Budget for the whole scan, in seconds (default: the same as `check`, 10).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Profiles checked at the same time (each sends a few requests at once).
    #[arg(long, value_name = "N", default_value_t = crate::scan::DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// No colours (also when NO_COLOR is set).
    #[arg(long)]
    pub no_color: bool,
}
