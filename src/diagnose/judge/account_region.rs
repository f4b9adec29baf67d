//! The account/region step: the caller's account against the expected one
//! (the expected account given, or the account in `mfa_serial`, `role_arn`,
//! `sso_account_id`), and the region: present, real, and enabled.

use crate::diagnose::input::facts::Facts;
use crate::diagnose::judge::regional;
use crate::diagnose::run::check::Outcome;
use crate::diagnose::run::outcomes::Outcomes;
use crate::profile::SectionName;
use crate::vocabulary::finding::{Finding, Repair};
use crate::vocabulary::regions;
use crate::vocabulary::{Cause, Step};

/// The account the user expects, and where that expectation comes from.
pub fn expected_account(facts: &Facts) -> Option<(String, String)> {
    if let Some(id) = &facts.options.expect_account {
        return Some((id.to_string(), "the expected account given".into()));
    }
    for key in ["mfa_serial", "role_arn"] {
        if let Some(arn) = facts.profile_value(key)
            && let Some(account) = arn.split(':').nth(4).filter(|a| a.len() == 12)
        {
            return Some((account.to_string(), key.to_string()));
        }
    }
    facts.profile_value("sso_account_id").map(|a| (a.to_string(), "sso_account_id".into()))
}

/// The account/region step's findings.
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let mut out = Vec::new();
    account(facts, outcomes, &mut out);
    region(facts, outcomes, &mut out);
    out
}

fn account(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "account";
    let expected = expected_account(facts);
    if let Some((id, from)) = &expected
        && (id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit()))
    {
        out.push(Finding::fail(
            ID,
            Cause::WrongAccount,
            format!("the expected account `{id}` (from {from}) is not a 12-digit account id"),
            "give the 12-digit account id",
        ));
        return;
    }
    // The role's account is where a role profile lands, not where its source keys live.
    let role_profile = facts.profile_value("role_arn").is_some();
    // The account as people know it: its id, and its alias when IAM told it.
    let named = |account: &str| match outcomes.account_alias() {
        Some(alias) => format!("{account} ({alias})"),
        None => account.to_string(),
    };
    match (outcomes.caller().map(|i| (i.account.as_str(), i.arn.as_str())), expected) {
        (Some((account, arn)), Some((want, from))) if account != want && !(role_profile && from == "mfa_serial") => out
            .push(
                Finding::fail(
                    ID,
                    Cause::WrongAccount,
                    format!(
                        "the credentials belong to account {}, but {want} is expected (from {from})",
                        named(account)
                    ),
                    "switch to the profile for the expected account, or fix the keys",
                )
                .with_evidence(format!("caller: {arn}")),
            ),
        (Some((account, _)), Some((_, from))) => out.push(Finding::pass(
            ID,
            Step::AccountRegion,
            format!("account {}, as expected (from {from})", named(account)),
        )),
        (Some((account, _)), None) => out.push(Finding::pass(
            ID,
            Step::AccountRegion,
            format!("account {} (no expected account given to compare with)", named(account)),
        )),
        (None, _) => {
            out.push(Finding::skip(ID, Step::AccountRegion, "the account is known once AWS accepts the credentials"))
        }
    }
}

fn region(facts: &Facts, outcomes: &Outcomes, out: &mut Vec<Finding>) {
    const ID: &str = "region";
    let Some(region) = &facts.region else {
        out.push(Finding::fail(
            ID,
            Cause::RegionMissing,
            "no region is set: not in AWS_REGION, AWS_DEFAULT_REGION, nor the profile",
            "set region for the profile (e.g. us-east-1)",
        ));
        return;
    };
    let value = region.value.trim();
    let Some(info) = regions::lookup(value) else {
        let suggestions = regions::suggest(value, regions::SUGGESTED);
        let mut f = Finding::fail(
            ID,
            Cause::RegionInvalid,
            format!("`{value}` is not an AWS region code; closest: {}", suggestions.join(", ")),
            format!("set region = {}", suggestions.first().copied().unwrap_or("us-east-1")),
        )
        .at(region.location.clone());
        if let (Some(origin), Some(best)) = (region.origin, suggestions.first()) {
            f = f.with_repair(Repair::SetValue {
                file: origin.file,
                section: SectionName::profile(origin.file, &facts.profile),
                key: "region".into(),
                value: best.to_string().into(),
            });
        }
        out.push(f);
        return;
    };
    let in_region = outcomes.active_identity_check();
    if let Some(regional) = regional::verdict(facts, outcomes) {
        out.push(regional.finding(facts, ID).at(region.location.clone()));
        return;
    }
    let optin = if info.opt_in { ", an opt-in region" } else { "" };
    let answered = in_region.and_then(Outcome::identity).map(|_| " (STS answered there)").unwrap_or_default();
    out.push(
        Finding::pass(ID, Step::AccountRegion, format!("region {value}: {}{optin}{answered}", info.name))
            .at(region.location.clone()),
    );
}
