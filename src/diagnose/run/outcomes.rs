//! The one place that answers questions about finished checks: who the
//! caller is, whether the global-region retry worked, the session a code
//! produced, the policies listed, the clock skew measured... The planner, the
//! assessors and the report ask here, so a question has one answer. Pure.

use crate::aws::decode::Meaning;
use crate::aws::live::Failure;
use crate::aws::policies::{IdentityPolicies, OrgPolicies};
use crate::diagnose::input::options::ActionName;
use crate::diagnose::run::check::{Identity, KeyInfo, LiveCheck, LiveValue, Outcome, Session, Simulation, Who};
use crate::vocabulary::regions::GLOBAL_REGION;
use chrono::{DateTime, Utc};

/// The finished checks of one run, in finishing order.
#[derive(Debug, Clone, Default)]
pub struct Outcomes(Vec<Outcome>);

impl Outcomes {
    /// An empty set (no run yet).
    pub fn new() -> Self {
        Outcomes(Vec::new())
    }

    /// Every outcome, in finishing order.
    pub fn all(&self) -> &[Outcome] {
        &self.0
    }

    /// Adds a finished check.
    pub fn push(&mut self, outcome: Outcome) {
        self.0.push(outcome);
    }

    /// Whether nothing has finished.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first outcome of a check matching `pred`.
    pub fn find(&self, pred: impl Fn(&LiveCheck) -> bool) -> Option<&Outcome> {
        self.0.iter().find(|o| pred(&o.check))
    }

    /// Whether any check matching `pred` has finished.
    pub fn has(&self, pred: impl Fn(&LiveCheck) -> bool) -> bool {
        self.find(pred).is_some()
    }

    /// The active credentials' identity check in the user's region (the first one).
    pub fn active_identity_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::CallerIdentity { who: Who::Active, .. }))
    }

    /// Who the active credentials are, from any successful identity check of them.
    pub fn caller(&self) -> Option<&Identity> {
        self.0
            .iter()
            .filter(|o| matches!(o.check, LiveCheck::CallerIdentity { who: Who::Active, .. }))
            .find_map(Outcome::identity)
    }

    /// The account's alias, when iam:ListAccountAliases answered with one.
    pub fn account_alias(&self) -> Option<&str> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::Alias(alias)) => alias.as_deref(),
            _ => None,
        })
    }

    /// The identity check signed by `who` (the profile's own keys, another profile).
    pub fn identity_check_of(&self, who: &Who) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::CallerIdentity { who: w, .. } if w == who))
    }

    /// Whether the active credentials, rejected in the user's region, work in the global region.
    pub fn global_retry_worked(&self) -> bool {
        let first_failed = self.active_identity_check().is_some_and(|o| o.identity().is_none());
        first_failed && self.0.iter().any(|o| {
            matches!(&o.check, LiveCheck::CallerIdentity { who: Who::Active, region: Some(r) } if r == GLOBAL_REGION)
                && o.identity().is_some()
        })
    }

    /// The credential chain's check (role, SSO, process...), when one ran.
    pub fn chain_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::Chain))
    }

    /// The hops of the credential chain that ran, base first.
    pub fn hops(&self) -> &[crate::hops::Outcome] {
        self.chain_check().and_then(Outcome::hops).unwrap_or_default()
    }

    /// The credentials the chain ended with, when every hop passed.
    pub fn chain_credentials(&self) -> Option<&crate::hops::HopCredentials> {
        self.hops().last().filter(|h| h.status != crate::hops::Status::Fail).and_then(|h| h.credentials.as_ref())
    }

    /// What the probe of the network path found, when it ran.
    pub fn path(&self) -> Option<&crate::netpath::PathReport> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::Path(report)) => Some(report.as_ref()),
            _ => None,
        })
    }

    /// The session an MFA code produced.
    pub fn session(&self) -> Option<&Session> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::Session(session)) => Some(session),
            _ => None,
        })
    }

    /// The GetSessionToken check, if one ran.
    pub fn session_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::SessionToken { .. }))
    }

    /// The identity's policies, when they were listed.
    pub fn policies(&self) -> Option<&[String]> {
        self.0.iter().find_map(|o| match (&o.check, &o.call.result) {
            (LiveCheck::ListPolicies { .. }, Ok(LiveValue::Policies(p))) => Some(p.as_slice()),
            _ => None,
        })
    }

    /// The caller's MFA device listing; it counts only once AWS accepts the credentials
    /// (IAM reads may start before the identity is known).
    pub fn mfa_device_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::ListMfaDevices { who: Who::Active })).filter(|_| self.caller().is_some())
    }

    /// The caller's MFA devices, when listed.
    pub fn mfa_devices(&self) -> Option<&[String]> {
        self.mfa_device_check().and_then(|o| match &o.call.result {
            Ok(LiveValue::MfaDevices(d)) => Some(d.as_slice()),
            _ => None,
        })
    }

    /// Whether any listing showed the user an MFA device.
    pub fn any_mfa_device_listed(&self) -> bool {
        self.0.iter().any(|o| matches!(&o.call.result, Ok(LiveValue::MfaDevices(d)) if !d.is_empty()))
    }

    /// The access-key listing signed by `who`.
    pub fn access_keys_check(&self, who: &Who) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::ListAccessKeys { who: w } if w == who))
    }

    /// Access keys listed through other profiles: (profile, keys).
    pub fn keys_seen_by_others(&self) -> impl Iterator<Item = (&str, &[KeyInfo])> {
        self.0.iter().filter_map(|o| match (&o.check, &o.call.result) {
            (LiveCheck::ListAccessKeys { who: Who::Other(profile) }, Ok(LiveValue::AccessKeys(keys))) => {
                Some((profile.as_str(), keys.as_slice()))
            }
            _ => None,
        })
    }

    /// When and with what the active key was last used.
    pub fn last_used(&self) -> Option<(DateTime<Utc>, Option<&str>)> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::LastUsed { date: Some(d), service }) => Some((*d, service.as_deref())),
            _ => None,
        })
    }

    /// The largest clock difference any answer showed (seconds, + = the local clock is behind).
    pub fn largest_skew(&self) -> Option<i64> {
        self.0.iter().filter_map(|o| o.call.skew_seconds()).max_by_key(|s| s.abs())
    }

    /// Whether AWS rejected a request's time ("Signature expired").
    pub fn request_time_rejected(&self) -> bool {
        self.0.iter().any(|o| matches!(o.meaning(), Some(Meaning::SignatureExpired)))
    }

    /// The check that tested `action` (called or simulated).
    pub fn action_check(&self, action: &ActionName) -> Option<&Outcome> {
        self.0.iter().find(|o| o.check.tested_action().is_some_and(|a| a.is(action.as_str())))
    }

    /// A simulation's answer, with the action it was for.
    pub fn simulations(&self) -> impl Iterator<Item = (&ActionName, &Simulation)> {
        self.0.iter().filter_map(|o| match (&o.check, &o.call.result) {
            (LiveCheck::Simulate { action, .. }, Ok(LiveValue::Simulation(s))) => Some((action, s)),
            _ => None,
        })
    }

    /// The DecodeAuthorizationMessage check, if one ran.
    pub fn decoded_message_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::DecodeMessage { .. }))
    }

    /// The identity's policy reads (for the local evaluation), when they ran.
    pub fn identity_policies(&self) -> Option<&IdentityPolicies> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::IdentityPolicies(read)) => Some(read.as_ref()),
            _ => None,
        })
    }

    /// The identity's policy reads as a check (also when it was cut off).
    pub fn identity_policies_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::IdentityPolicies { .. }))
    }

    /// The organisation's policy reads, when they ran.
    pub fn org_policies(&self) -> Option<&OrgPolicies> {
        self.0.iter().find_map(|o| match &o.call.result {
            Ok(LiveValue::OrgPolicies(read)) => Some(read.as_ref()),
            _ => None,
        })
    }

    /// The organisation's policy reads as a check (also when it was cut off).
    pub fn org_policies_check(&self) -> Option<&Outcome> {
        self.find(|c| matches!(c, LiveCheck::OrgPolicies { .. }))
    }

    /// Whether IAM accepted a request signed by the active credentials
    /// (temporary credentials of an IAM user then carry MFA: IAM refuses the others).
    pub fn iam_accepted_active(&self) -> bool {
        self.0.iter().any(|o| {
            let iam_read = match &o.check {
                LiveCheck::ListAccessKeys { who: Who::Active }
                | LiveCheck::ListMfaDevices { who: Who::Active }
                | LiveCheck::KeyLastUsed { who: Who::Active, .. }
                | LiveCheck::ListPolicies { who: Who::Active, .. } => true,
                LiveCheck::TryAction { who: Who::Active, action, .. } => action.as_str().starts_with("iam:"),
                _ => false,
            };
            (iam_read && o.call.result.is_ok())
                || matches!(&o.call.result, Ok(LiveValue::IdentityPolicies(read)) if matches!(read.tags, crate::aws::policies::Fetched::Known(_)))
        })
    }

    /// Whether IAM refused the active credentials as a token (InvalidClientTokenId) while STS accepted them.
    pub fn iam_refused_active_token(&self) -> bool {
        self.caller().is_some()
            && self.0.iter().any(|o| {
                matches!(o.check.signer(), Some(Who::Active))
                    && !matches!(o.check, LiveCheck::CallerIdentity { .. })
                    && matches!(o.meaning(), Some(Meaning::InvalidToken))
            })
    }

    /// The caller's IAM user name, when the caller is an IAM user.
    pub fn user_name(&self) -> Option<&str> {
        self.caller().and_then(Identity::user_name)
    }

    /// Why a check produced nothing, when it failed.
    pub fn failure_of(outcome: &Outcome) -> Option<&Failure> {
        outcome.call.result.as_ref().err()
    }
}

impl From<Vec<Outcome>> for Outcomes {
    fn from(list: Vec<Outcome>) -> Self {
        Outcomes(list)
    }
}

impl FromIterator<Outcome> for Outcomes {
    fn from_iter<I: IntoIterator<Item = Outcome>>(iter: I) -> Self {
        Outcomes(iter.into_iter().collect())
    }
}
