//! Arguments -> engine options: the checks every option of the wizard,
//! `check` and `scan` goes through (shapes, ranges, the `--policy` files read
//! and parsed) before the engine sees it. The only IO is reading `--policy` files.

use super::DiagnoseArgs;
use crate::base::sanitize;
use crate::diagnose::input::options::{AccountId, ActionName, MfaCode, PolicyFile, ResourceArn};
use crate::diagnose::{self, Options};
use std::time::Duration;

impl DiagnoseArgs {
    /// Turns the command-line options into engine options, or says what is wrong.
    pub fn options(&self) -> Result<Options, String> {
        let args = self;
        if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
            return Err(format!("--timeout must be between 0 and 600 seconds, not {}", args.timeout));
        }
        let actions = args
            .actions
            .iter()
            .map(|a| ActionName::parse(a).map_err(|why| format!("--action: {why}")))
            .collect::<Result<Vec<_>, _>>()?;
        let expect_account = args
            .expect_account
            .as_deref()
            .map(|a| AccountId::parse(a).map_err(|why| format!("--expect-account: {why}")))
            .transpose()?;
        let mfa_code = args
            .mfa_code
            .as_deref()
            .map(|c| MfaCode::parse(c).map_err(|why| format!("--mfa-code: {why}")))
            .transpose()?;
        let resources = args
            .resources
            .iter()
            .map(|r| ResourceArn::parse(r).map_err(|why| format!("--resource: {why}")))
            .collect::<Result<Vec<_>, _>>()?;
        let policy_files = args.policies.iter().map(|spec| policy_file(spec)).collect::<Result<Vec<_>, _>>()?;
        let source_ip = args
            .source_ip
            .as_deref()
            .map(|ip| {
                ip.trim()
                    .parse()
                    .map_err(|_| format!("--source-ip: `{}` is not an IP address", sanitize::shown(ip, 60)))
            })
            .transpose()?;
        let options = Options {
            actions,
            error: args.error.clone().filter(|e| !e.trim().is_empty()),
            expect_account,
            mfa_code,
            timeout: Duration::from_secs_f64(args.timeout),
            resources,
            policy_files,
            source_ip,
            role_arn: args.role_arn.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string),
            audience: args.audience.as_deref().map(str::trim).filter(|a| !a.is_empty()).map(str::to_string),
            reads_after_identity: false,
            other_profiles_later: false,
        };
        if let Some(role) = &options.role_arn
            && crate::hops::resolve::role_arn_problem(role).is_some()
        {
            return Err(format!(
                "--role-arn: `{}` is not a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
                sanitize::shown(role, 120)
            ));
        }
        options.check_resources().map_err(|why| format!("--resource: {why}"))?;
        Ok(options)
    }
}

/// `--policy LAYER=FILE`: the file read (bounded) and checked to parse as a policy of that layer.
fn policy_file(spec: &str) -> Result<PolicyFile, String> {
    let (layer, path) = PolicyFile::parse_spec(spec).map_err(|why| format!("--policy: {why}"))?;
    let shown = sanitize::shown(&path, 200);
    let text = diagnose::input::gather::read_policy_file(std::path::Path::new(&path))
        .map_err(|why| format!("--policy {}={shown}: {why}", layer.id()))?;
    let file = PolicyFile { layer, path, text };
    diagnose::judge::policy_layers::check_file(&file)
        .map_err(|why| format!("--policy {}={shown}: {why}", layer.id()))?;
    Ok(file)
}
