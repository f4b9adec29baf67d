//! The endpoint a probe goes to: its URL, and how that URL came about (the
//! SDK's endpoint rules from a region and the FIPS / dual-stack settings, or an
//! override and where it is set), so a failure can name the setting to change.
//! Pure: the STS host is built by the SDK's own endpoint resolver.

use super::text::{clean, redact_url};
use crate::base::http1::Url;
use std::net::IpAddr;

pub use crate::base::http1::Scheme;

/// One setting and where it was read: `use_fips_endpoint = true` from `~/.aws/config:7`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    /// Its name as the user writes it (`region`, `AWS_USE_FIPS_ENDPOINT`, `use_dualstack_endpoint`).
    pub name: String,
    pub value: String,
    /// Where it was read: `AWS_REGION`, `~/.aws/config:7`, `--region`.
    pub source: String,
}

impl Setting {
    pub fn new(name: impl Into<String>, value: impl Into<String>, source: impl Into<String>) -> Setting {
        Setting { name: name.into(), value: value.into(), source: source.into() }
    }

    /// `use_fips_endpoint = true (~/.aws/config:7)`.
    pub fn describe(&self) -> String {
        let (name, value, source) = (clean(&self.name, 60), clean(&self.value, 80), clean(&self.source, 120));
        if name == source { format!("{name}={value}") } else { format!("{name} = {value} ({source})") }
    }
}

/// Where an endpoint override is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OverrideSource {
    /// `AWS_ENDPOINT_URL` (every service).
    EnvAllServices,
    /// `AWS_ENDPOINT_URL_<SERVICE>`, for example `AWS_ENDPOINT_URL_STS`.
    EnvService { variable: String },
    /// `endpoint_url` in the profile (every service).
    Profile { profile: String, location: String },
    /// `endpoint_url` under the service in the `[services NAME]` section the profile names.
    ServicesSection { section: String, service: String, location: String },
}

impl OverrideSource {
    /// Where it is set, in words.
    pub fn describe(&self) -> String {
        match self {
            OverrideSource::EnvAllServices => "AWS_ENDPOINT_URL in the environment".to_string(),
            OverrideSource::EnvService { variable } => format!("{} in the environment", clean(variable, 60)),
            OverrideSource::Profile { profile, location } => {
                format!("endpoint_url of profile {} ({})", clean(profile, 60), clean(location, 120))
            }
            OverrideSource::ServicesSection { section, service, location } => format!(
                "endpoint_url for {} in [services {}] ({})",
                clean(service, 30),
                clean(section, 60),
                clean(location, 120)
            ),
        }
    }

    /// How to remove it.
    pub fn how_to_remove(&self) -> String {
        match self {
            OverrideSource::EnvAllServices => "unset AWS_ENDPOINT_URL".to_string(),
            OverrideSource::EnvService { variable } => format!("unset {}", clean(variable, 60)),
            OverrideSource::Profile { location, .. } => format!("delete endpoint_url at {}", clean(location, 120)),
            OverrideSource::ServicesSection { location, .. } => {
                format!("delete the endpoint_url at {} (or the profile's services line)", clean(location, 120))
            }
        }
    }
}

/// How the endpoint URL came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointOrigin {
    /// The SDK's endpoint rules, from the region and the FIPS / dual-stack settings that are on.
    Rules { region: Setting, fips: Option<Setting>, dualstack: Option<Setting> },
    /// An endpoint setting sends requests there.
    Override(OverrideSource),
}

/// Why a URL cannot be probed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("the endpoint URL {0} is not an http:// or https:// URL with a host")]
    NotHttpUrl(String),
    #[error("the SDK's endpoint rules give no STS endpoint for these settings: {0}")]
    NoEndpoint(String),
}

/// The endpoint a probe goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The URL as given (trimmed).
    url: String,
    /// Parsed once: the proxy rules match on it.
    uri: http::Uri,
    /// Scheme, host (as written, IPv6 in brackets) and port.
    endpoint: Url,
    origin: EndpointOrigin,
    /// For FIPS / dual-stack hosts: the plain regional host, to tell a host that does not exist from a resolver that fails.
    plain_host: Option<String>,
}

impl Target {
    /// A target from the URL the SDK would call and how it was built.
    pub fn new(url: &str, origin: EndpointOrigin) -> Result<Target, TargetError> {
        let bad = || TargetError::NotHttpUrl(redact_url(url));
        let uri: http::Uri = url.trim().parse().map_err(|_| bad())?;
        let endpoint = Url::from_uri(&uri).map_err(|_| bad())?;
        Ok(Target { url: url.trim().to_string(), uri, endpoint, origin, plain_host: None })
    }

    /// The STS endpoint the SDK's own endpoint rules build for a region and the
    /// FIPS / dual-stack settings (each `Some` only when the setting is on).
    pub fn sts(region: Setting, fips: Option<Setting>, dualstack: Option<Setting>) -> Result<Target, TargetError> {
        let url = sts_url(&region.value, fips.is_some(), dualstack.is_some())?;
        let plain_host = if fips.is_some() || dualstack.is_some() {
            sts_url(&region.value, false, false)
                .ok()
                .and_then(|u| Target::new(&u, EndpointOrigin::Override(OverrideSource::EnvAllServices)).ok())
                .map(|t| t.host().to_string())
        } else {
            None
        };
        let mut target = Target::new(&url, EndpointOrigin::Rules { region, fips, dualstack })?;
        target.plain_host = plain_host;
        Ok(target)
    }

    /// The URL for display (credentials hidden, control characters escaped).
    pub fn display_url(&self) -> String {
        redact_url(&self.url)
    }

    /// The host as written in the URL (an IPv6 address in brackets).
    pub fn host(&self) -> &str {
        self.endpoint.host()
    }

    /// The host without IPv6 brackets, for lookups, sockets and TLS names.
    pub fn bare_host(&self) -> &str {
        self.endpoint.bare_host()
    }

    /// The host's address when the URL names one directly.
    pub fn ip(&self) -> Option<IpAddr> {
        self.endpoint.ip()
    }

    pub fn port(&self) -> u16 {
        self.endpoint.port()
    }

    pub fn scheme(&self) -> Scheme {
        self.endpoint.scheme()
    }

    /// Scheme, host and port as the HTTP client takes them.
    pub(crate) fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    pub fn origin(&self) -> &EndpointOrigin {
        &self.origin
    }

    /// The override in effect, if the URL comes from one.
    pub fn override_source(&self) -> Option<&OverrideSource> {
        match &self.origin {
            EndpointOrigin::Override(source) => Some(source),
            EndpointOrigin::Rules { .. } => None,
        }
    }

    pub(crate) fn uri(&self) -> &http::Uri {
        &self.uri
    }

    pub(crate) fn plain_host(&self) -> Option<&str> {
        self.plain_host.as_deref()
    }

    /// `host:port` as sent in CONNECT and `Host` (the port always, as hyper-util sends it).
    pub(crate) fn authority(&self) -> String {
        self.endpoint.authority()
    }

    /// The sentence that says which settings built this host name.
    pub fn built_from(&self) -> String {
        let host = clean(self.host(), 120);
        match &self.origin {
            EndpointOrigin::Override(source) => format!("{host} comes from {}", source.describe()),
            EndpointOrigin::Rules { region, fips, dualstack } => {
                let mut parts = vec![region.describe()];
                parts.extend(fips.iter().chain(dualstack.iter()).map(Setting::describe));
                format!("{host} was built by the SDK's endpoint rules from {}", parts.join(", "))
            }
        }
    }
}

/// The STS URL the SDK's endpoint resolver gives (regional endpoints, as the Rust SDK uses by default).
fn sts_url(region: &str, fips: bool, dualstack: bool) -> Result<String, TargetError> {
    use aws_sdk_sts::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    use futures::FutureExt;
    let params = Params::builder()
        .region(region)
        .use_fips(fips)
        .use_dual_stack(dualstack)
        .use_global_endpoint(false)
        .build()
        .map_err(|e| TargetError::NoEndpoint(clean(&e.to_string(), 200)))?;
    let resolver = DefaultResolver::new();
    match resolver.resolve_endpoint(&params).now_or_never() {
        Some(Ok(endpoint)) => Ok(endpoint.url().to_string()),
        Some(Err(e)) => Err(TargetError::NoEndpoint(clean(&e.to_string(), 200))),
        None => Err(TargetError::NoEndpoint("the resolver did not answer at once".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_override() -> EndpointOrigin {
        EndpointOrigin::Override(OverrideSource::EnvAllServices)
    }

    #[test]
    fn parses_hosts_ports_and_schemes() {
        let t = Target::new("http://127.0.0.1:4566", env_override()).expect("target");
        assert_eq!((t.host(), t.port(), t.scheme()), ("127.0.0.1", 4566, Scheme::Http));
        let t = Target::new("https://[::1]/", env_override()).expect("target");
        assert_eq!((t.bare_host(), t.port(), t.ip().is_some()), ("::1", 443, true));
        assert!(Target::new("localhost:4566", env_override()).is_err());
        assert!(Target::new("ftp://h", env_override()).is_err());
        let err = Target::new("http://user:pw@ho st", env_override()).expect_err("invalid");
        assert!(!err.to_string().contains("pw"), "{err}");
    }

    #[test]
    fn sts_hosts_come_from_the_sdk_rules_and_name_their_settings() {
        let region = Setting::new("region", "eu-west-1", "AWS_REGION");
        let plain = Target::sts(region.clone(), None, None).expect("sts");
        assert_eq!(plain.host(), "sts.eu-west-1.amazonaws.com");
        assert_eq!(plain.plain_host(), None);
        let fips = Setting::new("use_fips_endpoint", "true", "~/.aws/config:7");
        let t = Target::sts(region, Some(fips), None).expect("fips");
        assert_eq!(t.host(), "sts-fips.eu-west-1.amazonaws.com");
        assert_eq!(t.plain_host(), Some("sts.eu-west-1.amazonaws.com"));
        let built = t.built_from();
        assert!(built.contains("region = eu-west-1 (AWS_REGION)"), "{built}");
        assert!(built.contains("use_fips_endpoint = true (~/.aws/config:7)"), "{built}");
    }
}
