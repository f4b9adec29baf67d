//! The request a decision is about: who asks (principal ARN), what
//! (action), on what (resource ARN and its account), and the context keys
//! the request carries. A key is either present (one value or several),
//! unknown (the request carries it but credwiz cannot tell its value), or
//! missing (the request does not carry it): policies treat missing and
//! unknown differently, so this type keeps them apart. A key never set is
//! missing, unless [`RequestContext::unset_keys_unknown`] says that only
//! what was set or marked missing is known (what a diagnosis knows of a
//! real request). The resource may be unknown too. Pure, no IO.

use chrono::{DateTime, SecondsFormat, Utc};
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// The value of a context key in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key (`aws:SourceIp`, `aws:username`...).
    Single(String),
    /// A multivalued key (`aws:TagKeys`, `aws:CalledVia`...): only the set
    /// operators `ForAnyValue:` / `ForAllValues:` compare it.
    Multi(Vec<String>),
}

/// One context key as the request has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextEntry {
    /// The request carries the key with this value.
    Known(ContextValue),
    /// The request may carry the key, but its presence or value is unknown.
    Unknown,
}

/// What a policy sees when it looks a key up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup<'a> {
    Missing,
    Unknown,
    Single(&'a str),
    Multi(&'a [String]),
}

/// The kind of principal, read from its ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `arn:aws:iam::ACCOUNT:user/path/NAME`
    User { name: String },
    /// `arn:aws:iam::ACCOUNT:role/path/NAME` (a role itself, rarely a caller)
    Role { name: String },
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`
    AssumedRole { role: String, session: String },
    /// `arn:aws:sts::ACCOUNT:federated-user/NAME`
    FederatedUser { name: String },
    /// `arn:aws:iam::ACCOUNT:root`
    Root,
    /// Anything else (a service principal, a malformed ARN...).
    Other,
}

/// The principal that makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestPrincipal {
    /// The ARN as given (for an assumed role, the session ARN).
    pub arn: String,
    /// Its account (12 digits) when the ARN names one.
    pub account: Option<String>,
    /// What kind of principal it is.
    pub kind: PrincipalKind,
}

impl RequestPrincipal {
    /// Reads a principal ARN (never fails: unreadable ARNs are `Other`).
    pub fn parse(arn: &str) -> RequestPrincipal {
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let (service, account, resource) = match parts.as_slice() {
            ["arn", _, service, _, account, resource] => (*service, *account, *resource),
            _ => return RequestPrincipal { arn: arn.to_string(), account: None, kind: PrincipalKind::Other },
        };
        let account = (!account.is_empty()).then(|| account.to_string());
        let last = |path: &str| path.rsplit('/').next().unwrap_or_default().to_string();
        let kind = match (service, resource.split_once('/')) {
            ("iam", None) if resource == "root" => PrincipalKind::Root,
            ("iam", Some(("user", rest))) => PrincipalKind::User { name: last(rest) },
            ("iam", Some(("role", rest))) => PrincipalKind::Role { name: last(rest) },
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session)) => {
                    PrincipalKind::AssumedRole { role: role.to_string(), session: session.to_string() }
                }
                None => PrincipalKind::Other,
            },
            ("sts", Some(("federated-user", name))) => PrincipalKind::FederatedUser { name: name.to_string() },
            _ => PrincipalKind::Other,
        };
        RequestPrincipal { arn: arn.to_string(), account, kind }
    }
}

/// A request to decide: principal, action, resource and context keys.
///
/// `new` fills what the principal ARN tells (`aws:PrincipalArn`,
/// `aws:PrincipalAccount`, and `aws:username` for an IAM user); every other
/// key is missing until set. Keys are case-insensitive, as in AWS.
#[derive(Debug, Clone)]
pub struct RequestContext {
    principal: RequestPrincipal,
    action: String,
    resource: String,
    /// The request's resource is not known: only `*` surely matches it.
    resource_unknown: bool,
    resource_account: Option<String>,
    keys: HashMap<String, (String, ContextEntry)>,
    unset: UnsetKeys,
}

/// What a key that was never set means.
#[derive(Debug, Clone, Default)]
struct UnsetKeys {
    /// Unknown (else missing), except the keys and prefixes below.
    unknown: bool,
    /// Keys (lowercase) known to be missing.
    missing: HashSet<String>,
    /// Key prefixes (lowercase) whose unset keys are known to be missing (`aws:principaltag/`).
    missing_prefixes: Vec<String>,
    /// The service keys (lowercase; a `${...}` part and what follows cut
    /// off, matched as a prefix) the action may carry: any other key that
    /// is not global (`aws:`) is missing. `None`: not known.
    service_keys: Option<Vec<String>>,
}

impl UnsetKeys {
    /// Whether a service key is one the action cannot carry.
    fn inapplicable(&self, key_lower: &str) -> bool {
        match &self.service_keys {
            Some(keys) if !key_lower.starts_with("aws:") => !keys.iter().any(|k| {
                if k.ends_with('/') {
                    key_lower.starts_with(k.as_str()) && key_lower.len() > k.len()
                } else {
                    k == key_lower
                }
            }),
            _ => false,
        }
    }
}

/// The pseudo key an unknown resource is reported under (in `Unknown` keys it becomes `Unknown::Resource`).
pub(crate) const UNKNOWN_RESOURCE_KEY: &str = "(resource)";

impl RequestContext {
    /// A request by `principal_arn` for `action` (`service:Action`) on
    /// `resource` (an ARN, or `*` for actions without a resource).
    pub fn new(principal_arn: &str, action: &str, resource: &str) -> RequestContext {
        let principal = RequestPrincipal::parse(principal_arn);
        let mut context = RequestContext {
            action: action.to_string(),
            resource: resource.to_string(),
            resource_unknown: false,
            resource_account: None,
            keys: HashMap::new(),
            unset: UnsetKeys::default(),
            principal: principal.clone(),
        };
        context = context.with_string("aws:PrincipalArn", principal_arn);
        if let Some(account) = &principal.account {
            context = context.with_string("aws:PrincipalAccount", account);
        }
        if let PrincipalKind::User { name } = &principal.kind {
            context = context.with_string("aws:username", name);
        }
        context
    }

    /// The account that owns the resource, when its ARN does not say (S3
    /// buckets) or says otherwise. Without it: the ARN's account, else the
    /// principal's (same-account).
    pub fn with_resource_account(mut self, account: &str) -> Self {
        self.resource_account = Some(account.to_string());
        self
    }

    /// Sets a key to a value (replacing what was there).
    pub fn with(mut self, key: &str, value: ContextValue) -> Self {
        self.keys.insert(key.to_ascii_lowercase(), (key.to_string(), ContextEntry::Known(value)));
        self
    }

    /// Sets a single-valued key.
    pub fn with_string(self, key: &str, value: &str) -> Self {
        self.with(key, ContextValue::Single(value.to_string()))
    }

    /// Sets a multivalued key.
    pub fn with_strings<S: AsRef<str>>(self, key: &str, values: &[S]) -> Self {
        self.with(key, ContextValue::Multi(values.iter().map(|v| v.as_ref().to_string()).collect()))
    }

    /// Sets a boolean key (`"true"` / `"false"`).
    pub fn with_bool(self, key: &str, value: bool) -> Self {
        self.with_string(key, if value { "true" } else { "false" })
    }

    /// Sets a numeric key.
    pub fn with_number(self, key: &str, value: u64) -> Self {
        self.with_string(key, &value.to_string())
    }

    /// Marks a key as carried by the request with a value credwiz does not know.
    pub fn with_unknown(mut self, key: &str) -> Self {
        self.keys.insert(key.to_ascii_lowercase(), (key.to_string(), ContextEntry::Unknown));
        self
    }

    /// Removes a key: the request does not carry it.
    pub fn without(mut self, key: &str) -> Self {
        let lower = key.to_ascii_lowercase();
        self.keys.remove(&lower);
        self.unset.missing.insert(lower);
        self
    }

    /// Every key starting with `prefix` that is not set is missing (for
    /// example `aws:PrincipalTag/` once the principal's tags are read).
    pub fn without_prefix(mut self, prefix: &str) -> Self {
        self.unset.missing_prefixes.push(prefix.to_ascii_lowercase());
        self
    }

    /// The service condition keys the action may carry (from the
    /// catalogue; `s3:ExistingObjectTag/<key>` covers every tag): any
    /// other key that is not global (`aws:`) is missing from the request,
    /// even when set (AWS does not put it in this action's request context).
    pub fn with_service_keys(mut self, keys: &[&str]) -> Self {
        let cut = |k: &str| match k.find(['$', '<']) {
            Some(at) => k[..at].to_ascii_lowercase(),
            None => k.to_ascii_lowercase(),
        };
        self.unset.service_keys = Some(keys.iter().map(|k| cut(k)).collect());
        self
    }

    /// From now on a key that is neither set nor marked missing (`without`,
    /// `without_prefix`) is unknown, not missing: the request may carry it.
    pub fn unset_keys_unknown(mut self) -> Self {
        self.unset.unknown = true;
        self
    }

    /// The request's resource is unknown: a Resource element other than `*`
    /// may or may not match it (the decision then depends on it).
    pub fn with_unknown_resource(mut self) -> Self {
        self.resource_unknown = true;
        self
    }

    /// Whether the resource is unknown.
    pub fn resource_is_unknown(&self) -> bool {
        self.resource_unknown
    }

    /// `aws:PrincipalTag/NAME`.
    pub fn with_principal_tag(self, tag: &str, value: &str) -> Self {
        self.with_string(&format!("aws:PrincipalTag/{tag}"), value)
    }

    /// `aws:MultiFactorAuthPresent` and `aws:MultiFactorAuthAge` of temporary
    /// credentials. (Long-term keys carry neither key: leave them missing.)
    pub fn with_mfa(self, present: bool, age_seconds: Option<u64>) -> Self {
        let context = self.with_bool("aws:MultiFactorAuthPresent", present);
        match age_seconds {
            Some(age) => context.with_number("aws:MultiFactorAuthAge", age),
            None => context.without("aws:MultiFactorAuthAge"),
        }
    }

    /// `aws:RequestedRegion`.
    pub fn with_region(self, region: &str) -> Self {
        self.with_string("aws:RequestedRegion", region)
    }

    /// `aws:CurrentTime` (ISO 8601) and `aws:EpochTime`.
    pub fn with_current_time(self, now: DateTime<Utc>) -> Self {
        let epoch = u64::try_from(now.timestamp()).unwrap_or(0);
        self.with_string("aws:CurrentTime", &now.to_rfc3339_opts(SecondsFormat::Secs, true))
            .with_number("aws:EpochTime", epoch)
    }

    /// `aws:SecureTransport`.
    pub fn with_secure_transport(self, secure: bool) -> Self {
        self.with_bool("aws:SecureTransport", secure)
    }

    /// `aws:SourceIp`.
    pub fn with_source_ip(self, ip: IpAddr) -> Self {
        self.with_string("aws:SourceIp", &ip.to_string())
    }

    /// The principal making the request.
    pub fn principal(&self) -> &RequestPrincipal {
        &self.principal
    }

    /// The action, as given.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The resource, as given.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The account owning the resource: set explicitly, else the ARN's, else the principal's.
    pub fn resource_account(&self) -> Option<&str> {
        if let Some(account) = &self.resource_account {
            return Some(account);
        }
        match self.resource.split(':').nth(4) {
            Some(account) if !account.is_empty() => Some(account),
            _ => self.principal.account.as_deref(),
        }
    }

    /// Whether principal and resource are in one account (unknown accounts count as one).
    pub fn same_account(&self) -> bool {
        match (self.principal.account.as_deref(), self.resource_account()) {
            (Some(principal), Some(resource)) => principal == resource,
            _ => true,
        }
    }

    /// Every key, with the name as it was set, sorted by name.
    pub fn entries(&self) -> Vec<(&str, &ContextEntry)> {
        let mut entries: Vec<_> = self.keys.values().map(|(name, entry)| (name.as_str(), entry)).collect();
        entries.sort_by_key(|(name, _)| name.to_ascii_lowercase());
        entries
    }

    /// The key's entry, looked up case-insensitively.
    pub fn entry(&self, key: &str) -> Option<&ContextEntry> {
        self.keys.get(&key.to_ascii_lowercase()).map(|(_, entry)| entry)
    }

    /// Looks up a key whose name is already lowercase.
    pub(crate) fn lookup_lower(&self, key_lower: &str) -> Lookup<'_> {
        if self.unset.inapplicable(key_lower) {
            return Lookup::Missing;
        }
        match self.keys.get(key_lower) {
            None if self.unset.unknown
                && !self.unset.missing.contains(key_lower)
                && !self.unset.missing_prefixes.iter().any(|p| key_lower.starts_with(p.as_str())) =>
            {
                Lookup::Unknown
            }
            None => Lookup::Missing,
            Some((_, ContextEntry::Unknown)) => Lookup::Unknown,
            Some((_, ContextEntry::Known(ContextValue::Single(value)))) => Lookup::Single(value),
            Some((_, ContextEntry::Known(ContextValue::Multi(values)))) => Lookup::Multi(values),
        }
    }
}

#[cfg(test)]
mod tests;
