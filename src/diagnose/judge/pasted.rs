//! A pasted `--error`: decoded, routed to the step it points to, and for an
//! access denial judged locally on the action and resource it names (the
//! deciding statement in its evidence), with an encoded authorization
//! message decoded by AWS when the credentials allow. Pure.

use crate::aws::decode::{Meaning, parse_pasted};
use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::denial::{denial_cause, deny_finding, disagreement, unread_layer};
use crate::diagnose::judge::failure_text;
use crate::diagnose::judge::iam_scp::{Judge, with_lines};
use crate::diagnose::judge::policy_request::ResourceSource;
use crate::diagnose::judge::policy_verdict::Local;
use crate::diagnose::run::check::LiveValue;
use crate::diagnose::run::outcomes::Outcomes;
use crate::policy::StatementRef;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Status, Step};

/// The step a pasted error points to.
pub fn pasted_step(meaning: &Meaning) -> Step {
    match meaning {
        Meaning::Expired | Meaning::SignatureExpired => Step::Expiry,
        Meaning::MfaCodeInvalid | Meaning::MfaSerialInvalid | Meaning::SessionCredentialsNotAllowed => Step::Mfa,
        Meaning::InvalidRegionScope => Step::AccountRegion,
        Meaning::Denied(_) => Step::IamScp,
        _ => Step::Credentials,
    }
}

/// The pasted error's finding, and for a denial the action and its local verdict.
pub(super) fn pasted_error(
    facts: &Facts,
    outcomes: &Outcomes,
    text: &str,
    judge: Option<&Judge<'_>>,
) -> (Finding, Option<(String, Local)>) {
    const ID: &str = "pasted-error";
    let error = parse_pasted(text);
    if let Some(refusal) = crate::hops::refusal::pasted(text) {
        let cause = refusal.cause;
        let fix = refusal.fix.clone().unwrap_or_else(|| cause.short_fix().to_string());
        let mut f = Finding::fail(
            ID,
            cause,
            format!("the pasted error: {}", crate::base::sanitize::shown(&refusal.notes[0], 400)),
            crate::base::sanitize::shown(&fix, 600),
        );
        f.evidence.extend(refusal.notes.iter().skip(1).map(|n| crate::base::sanitize::shown(n, 400)));
        f.error_code = error.code.clone();
        f.request_id = error.request_id.clone();
        return (f, None);
    }
    let meaning = error.meaning();
    let step = pasted_step(&meaning);
    let code = error.code.clone();
    let mut judged = None;
    let mut f = match &meaning {
        Meaning::Denied(denial) => {
            let action = denial.action.clone().unwrap_or_else(|| "the action".into());
            let same_principal = |j: &&Judge<'_>| denial.principal.as_deref().is_none_or(|p| p == j.principal);
            let local = match (judge.filter(same_principal), &denial.action) {
                (Some(judge), Some(named)) => {
                    // S3 quotes the resource in its messages.
                    let arn = denial.resource.as_deref().map(|r| r.trim_matches('"')).filter(|r| !r.is_empty());
                    let resource = arn.map_or(ResourceSource::Unsaid, ResourceSource::FromError);
                    Some(judge.judge(named, resource))
                }
                _ => None,
            };
            let cause = denial_cause(facts, outcomes, denial.kind, denial.policy_type.is_some(), local.as_ref());
            let statement: Option<&StatementRef> =
                local.as_ref().filter(|l| l.cause() == Some(cause)).and_then(|l| l.decision.statement.as_ref());
            let mut f = deny_finding(outcomes, &action, cause, denial.principal.as_deref(), statement);
            f.id = ID;
            if let Some(resource) = &denial.resource {
                f.evidence.push(format!("resource: {resource}"));
            }
            if denial.encoded_message.is_some() {
                f.evidence.extend(decoded_evidence(outcomes));
            }
            match (&local, judge, &denial.principal) {
                (Some(local), _, _) => {
                    f.evidence.extend(disagreement("the pasted error says AWS denied it", Some(cause), local));
                    f.evidence.extend(unread_layer(cause, Some(local)));
                    f = with_lines(f, local.evidence());
                }
                (None, Some(judge), Some(principal)) if *principal != judge.principal => f.evidence.push(format!(
                    "the error names {principal}, not the identity of these credentials ({}): no local evaluation",
                    judge.principal
                )),
                _ => {}
            }
            judged = local.map(|l| (action, l));
            f
        }
        Meaning::Unknown => Finding::skip(
            ID,
            step,
            format!(
                "credwiz has no rule for this error{}",
                code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()
            ),
        ),
        _ => {
            let live_verdict = outcomes.active_identity_check().map(|o| o.identity().is_some());
            let summary = format!(
                "the pasted error ({}) points to the {} step",
                code.as_deref().unwrap_or("error"),
                step.title()
            );
            match live_verdict {
                Some(true) => Finding::new(
                    ID,
                    step,
                    Status::Warn,
                    format!(
                        "{summary}, but the credentials credwiz tested work now: the error came from other credentials (another shell, tool or profile), or was fixed"
                    ),
                ),
                _ => Finding::new(ID, step, Status::Pass, format!("{summary}; the live checks give its cause")),
            }
        }
    };
    f.error_code = code;
    f.request_id = error.request_id.clone();
    f.step = step;
    (f, judged)
}

/// What a decoded authorization message says: the decision and the matched
/// statements, or why it could not be decoded.
fn decoded_evidence(outcomes: &Outcomes) -> Vec<String> {
    let Some(outcome) = outcomes.decoded_message_check() else {
        return vec![
            "the error carries an encoded authorization message; credwiz decodes it once AWS accepts the credentials"
                .into(),
        ];
    };
    match &outcome.call.result {
        Ok(LiveValue::Decoded(text)) => {
            let json: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let mut lines = vec![format!(
                "decoded authorization message: allowed = {}, explicit deny = {}",
                json["allowed"], json["explicitDeny"]
            )];
            if let Some(statements) = json["matchedStatements"]["items"].as_array() {
                for st in statements {
                    lines.push(format!("matched statement: {} {} in {}", st["effect"], st["sid"], st["source"]["arn"]));
                }
            }
            lines
        }
        Err(failure) => {
            vec![format!("the encoded authorization message could not be decoded: {}", failure_text(failure))]
        }
        Ok(_) => Vec::new(),
    }
}
