//! The cross-profile findings that concern the selected profile, so that
//! `check` and the wizard report what `scan` would say about it (SPEC 7):
//! another profile holding the same access key id with a different secret
//! (credentials step), and other profiles sharing its expired SSO session
//! (expiry step: one login fixes them all). One finding id,
//! `other-profiles`. Pure.

use crate::aws::decode::Meaning;
use crate::diagnose::input::facts::Facts;
use crate::diagnose::input::lints::{cleaned, secret_print};
use crate::diagnose::input::sources::SourceKind;
use crate::diagnose::judge::crossprofile::{self, Verdict, others_list};
use crate::diagnose::run::outcomes::Outcomes;
use crate::vocabulary::finding::Finding;
use crate::vocabulary::{Cause, Status, Step};
use secrecy::ExposeSecret;

/// The id of every finding this hook adds.
pub const ID: &str = "other-profiles";

/// The findings about other profiles that concern the selected one.
pub fn assess(facts: &Facts, outcomes: &Outcomes) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(duplicate_key(facts, outcomes));
    out.extend(shared_sso_session(facts));
    out
}

/// What AWS said of the selected profile's own keys.
fn own_verdict(outcomes: &Outcomes) -> Verdict {
    match outcomes.active_identity_check() {
        Some(outcome) if outcome.identity().is_some() => Verdict::Works,
        Some(outcome) if matches!(outcome.meaning(), Some(Meaning::SignatureMismatch)) => Verdict::WrongSecret,
        _ => Verdict::Unknown,
    }
}

/// Other profiles that hold the active key id with another secret.
fn duplicate_key(facts: &Facts, outcomes: &Outcomes) -> Option<Finding> {
    let winner = facts.chain.winner()?;
    if !matches!(winner.kind, SourceKind::SharedCredentialsFile | SourceKind::ConfigFile) {
        return None;
    }
    let keys = winner.keys.as_ref()?;
    let key_id = cleaned(keys.access_key_id.as_ref()?.value.as_str());
    let print = secret_print(keys.secret.as_ref()?.value.expose_secret());
    let others = facts.index.holding_other_secret(&key_id, &print);
    let first = *others.first.first()?;
    let several = others.count > 1;
    let key = facts.active_key_id().map(|k| k.masked()).unwrap_or_default();
    let holders = format!("profile{} {}", if several { "s" } else { "" }, others_list(&others));
    let (summary, fix) = match own_verdict(outcomes) {
        Verdict::Works => (
            format!(
                "{holders} hold{} access key {key} with another secret, which is stale: AWS accepts this profile's",
                if several { "" } else { "s" }
            ),
            format!("copy this profile's secret into {}, or delete the stale copy", others_list(&others)),
        ),
        Verdict::WrongSecret => (
            format!(
                "{holders} hold{} access key {key} with another secret: that one may be the current secret",
                if several { "" } else { "s" }
            ),
            format!("check {} (credwiz --profile {first}); if it works, copy its secret here", others_list(&others)),
        ),
        Verdict::Unknown => (
            format!(
                "{holders} hold{} access key {key} with another secret: one of the copies is stale",
                if several { "" } else { "s" }
            ),
            "find out which secret is current (`credwiz scan` checks every profile) and remove the stale copy"
                .to_string(),
        ),
    };
    Some(Finding::warn(ID, Cause::SecretMismatch, summary, fix).in_step(Step::Credentials))
}

/// Other profiles on the selected profile's SSO session, when its token cannot be used.
fn shared_sso_session(facts: &Facts) -> Option<Finding> {
    let key = crossprofile::sso_key(&facts.view, &facts.profile)?;
    let entry = facts.side.sso_cache.get(&key)?;
    crossprofile::sso_token_unusable(entry, facts.now)?;
    let others = facts.index.sharing_session(&key, &facts.profile);
    if others.count == 0 {
        return None;
    }
    let sharing = others.count + 1;
    let login = crossprofile::sso_login_command(&facts.view, &key, std::slice::from_ref(&facts.profile));
    let mut finding = Finding::new(
        ID,
        Step::Expiry,
        Status::Warn,
        format!(
            "{} also use{} this SSO session: one `{login}` logs in {}",
            others_list(&others),
            if others.count > 1 { "" } else { "s" },
            crossprofile::all_of(sharing)
        ),
    );
    finding.fix = Some(format!("run `{login}` once"));
    Some(finding)
}
