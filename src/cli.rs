//! The command line: `credwiz [options]` (the wizard), `credwiz check`, and
//! `credwiz set`, parsed with clap.

use clap::{Args, Parser, Subcommand};

/// Finds out why AWS rejects your credentials, explains it, and fixes
/// ~/.aws/credentials and ~/.aws/config in place.
#[derive(Debug, Parser)]
#[command(name = "credwiz", version, about, long_about = None)]
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
}

/// Options shared by the wizard and `check`.
#[derive(Debug, Clone, Default, Args)]
pub struct DiagnoseArgs {
    /// An action you are failing on, e.g. s3:ListBucket (repeatable).
    #[arg(long = "action", value_name = "SERVICE:ACTION")]
    pub actions: Vec<String>,
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
    /// Print the JSON report (schema 1).
    #[arg(long)]
    pub json: bool,
    /// With --mfa-code: write the new session to this profile (default <profile>-mfa).
    #[arg(long, value_name = "PROFILE", num_args = 0..=1, default_missing_value = "")]
    pub write_session: Option<String>,
}

/// `credwiz set KEY VALUE`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The key: `region`, `aws_access_key_id`, `profile.NAME.KEY`, `default.KEY`...
    pub key: String,
    /// The value to write.
    pub value: String,
}
