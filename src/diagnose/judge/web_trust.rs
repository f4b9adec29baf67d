//! A web identity token refused by the role's trust (`web-identity-trust-
//! mismatch`): the trust policy, when credwiz has it (`--policy trust=FILE`,
//! or iam:GetRole through any working keys), judged locally against the
//! token's claims. The finding then names each condition beside the token's
//! value, the one that fails and the value that would pass (with GitHub's
//! subject formats read back), and carries the corrected policy for the
//! wizard's `c`. Without the policy it says what to compare. Pure.

use super::failure_text;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::options::PolicyLayer;
use crate::diagnose::run::check::{LiveCheck, LiveValue};
use crate::diagnose::run::outcomes::Outcomes;
use crate::hops::workload::{Subject, explain_github, github_subject};
use crate::hops::{self, Cause, HopSource};
use crate::policy::trust::{TokenClaims, judge};
use crate::vocabulary::finding::Finding;

/// The trust policy's text and where it came from, or why there is none.
fn trust_text<'a>(facts: &'a Facts, outcomes: &'a Outcomes) -> Result<(&'a str, String), String> {
    if let Some(file) = facts.options.policy_files_of(PolicyLayer::Trust).next() {
        return Ok((&file.text, format!("the file {}", crate::base::sanitize::shown(&file.path, 200))));
    }
    let reads: Vec<_> = outcomes.all().iter().filter(|o| matches!(o.check, LiveCheck::RoleTrust { .. })).collect();
    if let Some((text, label)) = reads.iter().find_map(|o| match &o.call.result {
        Ok(LiveValue::TrustPolicy(text)) => Some((text.as_str(), o.check.label())),
        _ => None,
    }) {
        return Ok((text, label));
    }
    match reads.first() {
        Some(o) => Err(match &o.call.result {
            Err(failure) => format!("{} failed: {}", o.check.label(), failure_text(failure)),
            _ => o.check.label(),
        }),
        None => Err("no working credentials here can read it (iam:GetRole)".into()),
    }
}

/// The GitHub reading of a failing `sub` condition's values against the job's subject.
fn github_lines(values: &[String], subject: &str) -> Vec<String> {
    if matches!(github_subject(subject), Subject::Other) {
        return Vec::new();
    }
    values.iter().filter_map(|wanted| explain_github(wanted, subject)).collect()
}

/// The finding's new summary: the condition that fails and the token's value, or the provider not trusted.
fn headline(judged: &crate::policy::trust::TrustJudgement) -> Option<String> {
    let statement = judged.closest();
    match statement {
        _ if judged.accepted => None,
        None => Some(format!(
            "the trust policy has no statement for web identities (the token's provider is {})",
            judged.provider_arn
        )),
        Some(s) if !s.names_provider => {
            Some(format!("the trust policy does not trust the token's provider {}", judged.provider_arn))
        }
        Some(s) if !s.allows_action => {
            Some(format!("trust statement {} does not allow sts:AssumeRoleWithWebIdentity", s.label))
        }
        Some(s) => s.failing().next().map(|c| {
            format!(
                "the trust condition {} fails: the token has {}",
                c.written(),
                c.claim.as_deref().unwrap_or("no such claim (AWS passes only sub, aud and amr)")
            )
        }),
    }
}

/// Adds the trust judgement to the finding of a hop refused by the trust.
pub fn explain(facts: &Facts, outcomes: &Outcomes, hop: &hops::Outcome, finding: &mut Finding) {
    if hop.cause != Some(Cause::WebIdentityTrustMismatch) {
        return;
    }
    let Some(claims) = &hop.claims else { return };
    let Some(role) = facts.hops.as_ref().and_then(|c| c.last()).and_then(|h| match &h.source {
        HopSource::WebIdentity(web) => Some(web.role_arn.clone()),
        _ => None,
    }) else {
        return;
    };
    let token = TokenClaims {
        issuer: claims.iss.as_deref().unwrap_or_default(),
        subject: claims.sub.as_deref(),
        audiences: &claims.aud,
    };
    let (text, from) = match trust_text(facts, outcomes) {
        Ok(found) => found,
        Err(why) => {
            finding.evidence.push(format!(
                "the role's trust policy could not be read ({why}): compare its Condition on {host}:sub and {host}:aud with the claims above, or give it as --policy trust=FILE",
                host = token.provider_host()
            ));
            if let Some(sub) = claims.sub.as_deref().filter(|s| s.starts_with("repo:")) {
                finding.evidence.push(format!(
                    "GitHub's subjects: repo:OWNER/REPO:environment:NAME (jobs with an environment), repo:OWNER/REPO:pull_request, repo:OWNER/REPO:ref:refs/heads/BRANCH; this job's is {}",
                    crate::base::sanitize::shown(sub, 300)
                ));
            }
            return;
        }
    };
    let judged = match judge(text, &role, &token) {
        Ok(judged) => judged,
        Err(why) => {
            finding.evidence.push(format!(
                "the trust policy from {from} could not be judged: {}",
                crate::base::sanitize::shown(&why, 300)
            ));
            return;
        }
    };
    finding.evidence.push(format!("trust policy from {from}"));
    let lines = judged.lines(&token);
    if let Some(headline) = headline(&judged) {
        finding.summary = format!("{}: {headline}", hop.title);
    }
    finding.evidence.extend(lines.iter().map(|l| crate::base::sanitize::shown(l, 600)));
    if let (Some(statement), Some(subject)) = (judged.closest(), claims.sub.as_deref()) {
        for failing in statement.failing().filter(|c| c.key.to_ascii_lowercase().ends_with(":sub")) {
            finding.evidence.extend(github_lines(&failing.values, subject));
        }
    }
    if judged.accepted {
        finding.evidence.push(
            "this trust policy accepts the token when judged locally: the policy read may be older than AWS's, or another statement (a Deny, a condition credwiz cannot see) refuses it".into(),
        );
        return;
    }
    if let Some(corrected) = judged.corrected(text, &token) {
        finding.fix = Some(format!(
            "change the role's trust policy so that it accepts this token ({}); in the wizard, c copies the corrected policy",
            judged.closest().map_or("add a statement for the provider".into(), |s| format!("statement {}", s.label))
        ));
        finding.copy = Some(("Corrected trust policy: paste it into the role's trust relationships".into(), corrected));
    }
}
