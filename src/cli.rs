//! The command line: `credwiz [options]` (the wizard), `credwiz check`,
//! `credwiz set`, `credwiz scan`, and the shell completions and man pages
//! generated from the same definition (`credwiz completions SHELL`,
//! `credwiz man [COMMAND]`), parsed with clap. Owns arguments -> engine
//! options ([`options`]) and the text of completions and man pages ([`man`]);
//! it prints nothing: `main` wires it to the commands and the wizard, and
//! hands in the wizard's key table for the long help and credwiz(1).

pub mod man;
mod options;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

/// `credwiz --version`: the crate's version and the commit it was built from
/// (set by build.rs; the version alone when no commit is known).
pub const VERSION: &str = env!("CREDWIZ_VERSION");

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

/// Examples, shown by `--help` and credwiz(1).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("credwiz", "the wizard on the active profile"),
    ("credwiz --profile dev --action s3:ListBucket", "the wizard, testing one action"),
    ("credwiz --error \"$(cat error.txt)\"", "open on the step the error points to"),
    ("credwiz check", "the diagnosis as a readable report"),
    ("credwiz check --json --profile dev", "the same as JSON (schema 1), for scripts"),
    ("credwiz check --mfa-code 123456 --write-session", "an MFA session, written to profile <profile>-mfa"),
    ("credwiz scan", "every profile at once, one line each"),
    ("credwiz scan --json --action s3:ListBucket", "every profile, testing one action, as JSON"),
    ("credwiz set region eu-west-1 --profile dev", "set a key in place, like `aws configure set`"),
    ("credwiz completions bash > ~/.local/share/bash-completion/completions/credwiz", "bash completion"),
    ("credwiz man > ~/.local/share/man/man1/credwiz.1", "this manual page"),
];

/// Exit statuses of each command, shown by `--help` and the man pages.
pub const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "credwiz",
        "0 when it quits normally, 2 when it cannot start (bad option, unreadable file, no terminal); on exit it \
         prints the files it wrote (with their backups) and the lines your shell must run (unset ..., export \
         AWS_PROFILE=...)",
    ),
    ("credwiz check", "0 no failure (warnings allowed), 1 at least one failure, 2 could not run"),
    ("credwiz set", "0 done, 2 refused (the reason on stderr)"),
    ("credwiz scan", "0 every profile healthy, 1 at least one failure, 2 could not run"),
    ("credwiz completions, credwiz man", "0 written, 2 bad argument or stdout refused the text"),
];

/// What `--help` shows after the options: the wizard's keys (`keys`, from its
/// key table), examples, exit statuses.
fn after_long_help(keys: &str) -> String {
    let examples: String = EXAMPLES.iter().map(|(cmd, what)| format!("  {cmd}\n      {what}\n")).collect();
    let statuses: String = EXIT_STATUS.iter().map(|(cmd, what)| format!("  {cmd:<14} {what}\n")).collect();
    format!(
        "Keys of the wizard (? inside it shows them all, with what the symbols mean):\n{keys}\nExamples:\n{examples}\nExit status:\n{statuses}"
    )
}

/// The command line, with the wizard's key table (`keys`) in its long help.
pub fn command(keys: &str) -> clap::Command {
    Cli::command().after_long_help(after_long_help(keys))
}

/// Parses the process's arguments (`--help` and `--version` come back as the
/// error clap renders for them).
pub fn parse(keys: &str) -> Result<Cli, clap::Error> {
    let mut command = command(keys);
    let matches = command.try_get_matches_from_mut(std::env::args_os())?;
    Cli::from_arg_matches(&matches).map_err(|e| e.format(&mut command))
}

/// `credwiz completions SHELL`: the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "credwiz", &mut out);
    out
}

/// Finds out why AWS rejects your credentials, explains it, and fixes
/// ~/.aws/credentials and ~/.aws/config in place.
#[derive(Debug, Parser)]
#[command(
    name = "credwiz",
    version = VERSION,
    about,
    long_about = LONG_ABOUT,
    after_help = "`credwiz` alone opens the wizard. --help shows its keys, examples and exit statuses."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The profile to use (else AWS_PROFILE, else default).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    #[command(flatten)]
    pub diagnose: DiagnoseArgs,
}

impl Cli {
    /// The profile a command works on: its own `--profile`, else the one
    /// given before the subcommand (`credwiz --profile dev check`).
    pub fn profile_for<'a>(&'a self, own: Option<&'a str>) -> Option<&'a str> {
        own.or(self.profile.as_deref())
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per run; boxing the arguments would buy nothing")]
pub enum Command {
    /// Run the diagnosis headless and print a report (or JSON with --json).
    #[command(long_about = man::CHECK_ABOUT)]
    Check(CheckArgs),
    /// Set a key in the profile files in place, like `aws configure set`.
    #[command(long_about = man::SET_ABOUT)]
    Set(SetArgs),
    /// Check every profile of both files at once (and the environment's keys): one line each.
    #[command(long_about = man::SCAN_ABOUT)]
    Scan(ScanArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print a man page (roff): credwiz(1), or credwiz-COMMAND(1) for a command.
    Man(ManArgs),
}

/// `credwiz man [COMMAND]`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The command whose page to print (credwiz-check(1)...); none: credwiz(1).
    #[arg(value_enum, value_name = "COMMAND")]
    pub page: Option<man::Page>,
}

/// `credwiz completions SHELL`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The profile to check (else AWS_PROFILE, else default).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
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
    /// The profile to write to (else AWS_PROFILE, else default).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
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
