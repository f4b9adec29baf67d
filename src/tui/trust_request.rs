//! The request a caller sends to a role's owner when AWS refuses the
//! `AssumeRole` (`assume-role-denied`): the caller's ARN, the role's ARN, and
//! the trust-policy statement to add, filled in from what the checks saw.
//! The same values fill the guide's placeholders (CALLER_ARN, ROLE_ARN,
//! SOURCE). Pure.

use super::app::App;
use super::fields::Field;
use crate::aws::decode::{Meaning, parse_pasted};
use crate::diagnose::{Cause, Finding, Status};

/// The two ARNs of a refused `AssumeRole`, as far as they are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustParties {
    pub caller: Option<String>,
    pub role: Option<String>,
    pub source: Option<String>,
}

/// The failing `assume-role-denied` finding of the report, if any.
fn denied_finding(app: &App) -> Option<&Finding> {
    app.report
        .steps
        .iter()
        .flat_map(|s| s.checks.iter())
        .find(|c| c.status == Status::Fail && c.cause == Some(Cause::AssumeRoleDenied))
}

/// The caller and the role, from AWS's refusal in the finding's evidence
/// ("User: A is not authorized to perform: sts:AssumeRole on resource: R"),
/// else from the profile (`role_arn`).
pub fn parties(app: &App, finding: &Finding) -> TrustParties {
    let denial = std::iter::once(finding.summary.as_str())
        .chain(finding.evidence.iter().map(String::as_str))
        .filter_map(|line| line.find("User: ").map(|at| &line[at..]))
        .find_map(|said| match parse_pasted(said).meaning() {
            Meaning::Denied(denial) => Some(denial),
            _ => None,
        });
    let (caller, resource) = denial.map_or((None, None), |d| (d.principal, d.resource));
    let from_draft = |field| Some(app.value(field)).filter(|v| !v.trim().is_empty());
    TrustParties {
        caller: caller.filter(|c| c.starts_with("arn:")),
        role: resource.filter(|r| r.starts_with("arn:")).or_else(|| from_draft(Field::RoleArn)),
        source: from_draft(Field::SourceProfile),
    }
}

/// What the guide's placeholders stand for here (empty when nothing is refused).
pub fn guide_values(app: &App) -> Vec<(&'static str, String)> {
    let Some(finding) = denied_finding(app) else { return Vec::new() };
    let parties = parties(app, finding);
    [("CALLER_ARN", parties.caller), ("ROLE_ARN", parties.role), ("SOURCE", parties.source)]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, crate::base::sanitize::line(&v).into_owned())))
        .collect()
}

/// The request for the role's owner, filled in.
pub fn request(app: &App, finding: &Finding) -> Option<String> {
    if finding.cause != Some(Cause::AssumeRoleDenied) {
        return None;
    }
    let parties = parties(app, finding);
    let caller = parties.caller.clone().unwrap_or_else(|| {
        let source = parties.source.as_deref().unwrap_or("SOURCE");
        format!("(the ARN `aws sts get-caller-identity --profile {source}` prints)")
    });
    let role = parties.role.clone().unwrap_or_else(|| "(the role_arn of the profile)".into());
    let principal = parties.caller.as_deref().unwrap_or("CALLER_ARN");
    let lines = [
        Some("Hello, AWS refuses to let me assume a role. Could you allow it in the role's trust policy?".into()),
        Some(String::new()),
        Some(format!("Caller:      {caller}")),
        Some(format!("Role:        {role}")),
        finding.error_code.as_ref().map(|c| format!("Error code:  {c}")),
        finding.request_id.as_ref().map(|r| format!("Request id:  {r}")),
        Some(format!("Diagnosis:   {} (credwiz)", Cause::AssumeRoleDenied.id())),
        Some(String::new()),
        Some("The statement to add to the role's trust policy:".into()),
        Some("{".into()),
        Some("  \"Effect\": \"Allow\",".into()),
        Some(format!("  \"Principal\": {{ \"AWS\": \"{principal}\" }},")),
        Some("  \"Action\": \"sts:AssumeRole\"".into()),
        Some("}".into()),
        Some("(If I must send an ExternalId or use MFA, please tell me which.)".into()),
    ];
    Some(
        lines
            .into_iter()
            .flatten()
            .map(|l| crate::base::sanitize::line(&l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}
