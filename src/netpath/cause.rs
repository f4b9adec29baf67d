//! The causes a probe of the network path can name (SPEC section 3c), with
//! their stable ids. The lead maps them onto the diagnosis' own cause table. Pure.

use serde::Serialize;

/// Why the request did not reach AWS, decided by the first stage of the path that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetCause {
    /// The endpoint's host name does not resolve (or the resolver does not answer).
    DnsFailure,
    /// The proxy the SDK uses refuses, hangs, asks for authentication or answers CONNECT with an error.
    ProxyFailed,
    /// The certificate chain does not verify with the SDK's roots (plus the CA bundle), or names another host.
    TlsUntrusted,
    /// An endpoint override points where nothing listens (connection refused).
    EndpointOverride,
    /// Anything else: the endpoint refuses, or never answers within the time allowed.
    EndpointUnreachable,
}

impl NetCause {
    /// The stable id used by the report, the tests and `assets/guides/<id>.md`.
    pub fn id(self) -> &'static str {
        match self {
            NetCause::DnsFailure => "dns-failure",
            NetCause::ProxyFailed => "proxy-failed",
            NetCause::TlsUntrusted => "tls-untrusted",
            NetCause::EndpointOverride => "endpoint-override",
            NetCause::EndpointUnreachable => "endpoint-unreachable",
        }
    }

    /// The fix in one line, never "turn verification off".
    pub fn fix(self) -> &'static str {
        match self {
            NetCause::DnsFailure => {
                "fix the setting that built the host name (region, FIPS, dual-stack), or the resolver"
            }
            NetCause::ProxyFailed => "fix HTTPS_PROXY / NO_PROXY as the proxy's answer says",
            NetCause::TlsUntrusted => "point AWS_CA_BUNDLE (or ca_bundle) at your organisation's CA certificate (PEM)",
            NetCause::EndpointOverride => "remove the endpoint setting, or start what it points at",
            NetCause::EndpointUnreachable => "check the network, the firewall and the endpoint settings",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_the_serialized_form_and_the_guides() {
        for cause in [
            NetCause::DnsFailure,
            NetCause::ProxyFailed,
            NetCause::TlsUntrusted,
            NetCause::EndpointOverride,
            NetCause::EndpointUnreachable,
        ] {
            let json = serde_json::to_string(&cause).expect("json");
            assert_eq!(json, format!("\"{}\"", cause.id()));
            let guide =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/guides/{}.md", cause.id()));
            assert!(guide.is_file(), "no guide for {}", cause.id());
        }
    }
}
