//! What the wizard can do about a check, in its own terms: a one-key repair,
//! renewing an expired session, picking another profile, or the field to
//! type the right value in; and when none applies, why nothing happens.
//! Also what `c` copies: the fix command, or for a denied action a request
//! for the account's admins. Pure.

use super::app::App;
use super::app::renew::{self, Renewal};
use super::fields::Field;
use super::handover::Login;
use crate::aws::decode::{Meaning, parse_pasted};
use crate::diagnose::{Cause, Finding, Status};

/// What Enter on a check does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Apply the finding's repair to the draft.
    Repair,
    /// Renew the expired session from its base profile.
    Renew(Box<Renewal>),
    /// Open the profile picker.
    Pick,
    /// Edit this field.
    Edit(Field),
    /// Run a login command in the terminal, then re-run the checks.
    Login(Vec<String>),
    /// Nothing: the reason is in `explain`.
    Nothing,
}

impl Remedy {
    /// The mark shown beside the check (`⏎ fix`).
    pub fn mark(&self) -> Option<&'static str> {
        match self {
            Remedy::Repair => Some("⏎ fix"),
            Remedy::Renew(_) => Some("⏎ renew"),
            Remedy::Pick => Some("⏎ pick"),
            Remedy::Edit(_) => Some("⏎ edit"),
            Remedy::Login(_) => Some("⏎ log in"),
            Remedy::Nothing => None,
        }
    }
}

/// The field whose value fixes a cause.
fn field_of(cause: Cause) -> Option<Field> {
    Some(match cause {
        Cause::SecretMismatch => Field::Secret,
        Cause::UnknownAccessKey
        | Cause::CredentialMalformed
        | Cause::ExampleCredentials
        | Cause::NoCredentials
        | Cause::MissingCredentialField => Field::AccessKeyId,
        Cause::SessionTokenMissing => Field::SessionToken,
        Cause::RegionMissing | Cause::RegionInvalid => Field::Region,
        Cause::MfaSerialInvalid => Field::MfaSerial,
        Cause::MfaRequired | Cause::MfaCodeInvalid => Field::MfaCode,
        Cause::SourceProfileMissing | Cause::SourceProfileLoop => Field::SourceProfile,
        Cause::RoleConfigInvalid => Field::RoleArn,
        Cause::RoleDurationTooLong => Field::DurationSeconds,
        Cause::SsoConfigIncomplete => Field::SsoSession,
        Cause::SsoNoAccess => Field::SsoAccountId,
        Cause::ProcessFailed | Cause::ProcessOutputInvalid => Field::CredentialProcess,
        Cause::TlsUntrusted => Field::CaBundle,
        _ => return None,
    })
}

/// The field a check that did not run is waiting for.
fn waits_for(finding: &Finding) -> Option<Field> {
    match finding.id {
        "action" => Some(Field::Action),
        "mfa-session" => Some(Field::MfaCode),
        _ => None,
    }
}

/// What Enter on this finding does.
pub fn remedy(app: &App, finding: &Finding) -> Remedy {
    if finding.repair.is_some() {
        return Remedy::Repair;
    }
    match (finding.status, finding.cause) {
        (Status::Fail | Status::Warn, Some(Cause::CredentialsExpired)) => {
            match renew::offer(&app.draft.view, &app.form.profile) {
                Some(renewal) => Remedy::Renew(Box::new(renewal)),
                None if app.value(Field::MfaSerial).trim().is_empty() => Remedy::Nothing,
                None => Remedy::Edit(Field::MfaCode),
            }
        }
        (Status::Fail | Status::Warn, Some(Cause::ProfileNotFound | Cause::WrongAccount)) => Remedy::Pick,
        (Status::Fail | Status::Warn, Some(Cause::SsoSessionExpired)) => Remedy::Login(login_argv(app, "sso")),
        (Status::Fail | Status::Warn, Some(Cause::LoginSessionExpired)) => Remedy::Login(login_argv(app, "login")),
        (Status::Fail | Status::Warn, Some(cause)) => field_of(cause).map_or(Remedy::Nothing, Remedy::Edit),
        (Status::Skip, _) => waits_for(finding).map_or(Remedy::Nothing, Remedy::Edit),
        _ => Remedy::Nothing,
    }
}

/// `aws sso login --profile P` / `aws login --profile P` for the wizard's
/// profile (with a device code when no browser can open here).
pub fn login_argv(app: &App, kind: &str) -> Vec<String> {
    let login = if kind == "sso" { Login::Sso } else { Login::Console };
    super::handover::argv(login, &app.form.profile, &app.draft.effective_env())
}

/// Why Enter on this finding does nothing.
pub fn explain(finding: &Finding) -> String {
    match finding.status {
        Status::Pass => "this check passes: there is nothing to fix here".to_string(),
        Status::Skip => format!("this check did not run ({}); nothing to fix yet", finding.summary),
        Status::Fail | Status::Warn => {
            let fix = finding.fix.as_deref().unwrap_or("see the guide");
            format!("credwiz cannot fix this from here: {fix}. g opens the guide, c copies what to do or to ask")
        }
    }
}

/// The first `command` quoted in backticks in a text.
fn quoted_command(text: &str) -> Option<&str> {
    text.split('`').nth(1).filter(|c| !c.trim().is_empty())
}

/// The command that syncs the clock on this system.
fn clock_command() -> &'static str {
    if cfg!(target_os = "macos") { "sudo sntp -sS time.apple.com" } else { "sudo timedatectl set-ntp true" }
}

/// What `c` copies for a finding: a title and the text.
pub fn copy_text(app: &App, finding: &Finding) -> Option<(String, String)> {
    if let Some((title, text)) = &finding.copy {
        return Some((title.clone(), text.clone()));
    }
    if let Some(request) = super::trust_request::request(app, finding) {
        return Some(("Request for the role's owner".into(), request));
    }
    if let Some(request) = admin_request(app, finding) {
        return Some(("Request for your account's administrators".into(), request));
    }
    let fix = finding.fix.as_deref()?;
    let command = match finding.cause {
        Some(Cause::ClockSkew) => Some(clock_command()),
        _ => quoted_command(fix),
    };
    Some(match command {
        Some(command) => ("Command to run".into(), command.to_string()),
        None => ("What to do".into(), fix.to_string()),
    })
}

/// For a denied action: what the account's admins need to act on it.
fn admin_request(app: &App, finding: &Finding) -> Option<String> {
    let cause = finding.cause?;
    if cause.step() != crate::diagnose::Step::IamScp && cause != Cause::MfaRequired {
        return None;
    }
    let said = finding.evidence.iter().find_map(|e| e.strip_prefix("AWS said: ")).unwrap_or(&finding.summary);
    let Meaning::Denied(denial) = parse_pasted(said).meaning() else { return None };
    let principal = denial.principal.or_else(|| app.report.identity.as_ref().map(|i| i.arn.clone()));
    let lines = [
        Some("Hello, AWS denies a request I need. Could you allow it, or tell me which policy to ask about?".into()),
        Some(String::new()),
        denial.action.map(|a| format!("Action:      {a}")),
        principal.map(|p| format!("Principal:   {p}")),
        denial.resource.map(|r| format!("Resource:    {r}")),
        Some(format!(
            "Denied by:   {}",
            denial.policy_type.unwrap_or_else(|| "a policy (the message does not say which)".into())
        )),
        app.report.identity.as_ref().map(|i| format!("Account:     {}", i.account)),
        finding.error_code.as_ref().map(|c| format!("Error code:  {c}")),
        finding.request_id.as_ref().map(|r| format!("Request id:  {r}")),
        Some(format!("Diagnosis:   {} (credwiz)", cause.id())),
    ];
    Some(lines.into_iter().flatten().collect::<Vec<_>>().join("\n"))
}
