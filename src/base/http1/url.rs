//! Where a request goes: an `http://` or `https://` URL's scheme, host (an
//! IPv6 address keeps its brackets as written; `bare_host` drops them),
//! port (the scheme's default when absent) and path. Pure.

use std::net::IpAddr;

/// Whether the endpoint speaks TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

/// Why a text is not a URL a request can go to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("not a URL ({0})")]
    Invalid(String),
    #[error("no scheme (http:// or https://)")]
    NoScheme,
    #[error("the scheme is {0}, not http or https")]
    OtherScheme(String),
    #[error("no host")]
    NoHost,
}

/// An `http://` or `https://` URL, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: Scheme,
    /// As written in the URL: an IPv6 address in brackets.
    host: String,
    port: u16,
    /// Path and query, starting with `/`.
    path: String,
}

impl Url {
    /// Parses an `http://` or `https://` URL (surrounding white space ignored).
    pub fn parse(text: &str) -> Result<Url, UrlError> {
        let uri: http::Uri =
            text.trim().parse().map_err(|e: http::uri::InvalidUri| UrlError::Invalid(e.to_string()))?;
        Url::from_uri(&uri)
    }

    /// The URL of an already parsed URI.
    pub fn from_uri(uri: &http::Uri) -> Result<Url, UrlError> {
        let scheme = match uri.scheme_str() {
            Some("http") => Scheme::Http,
            Some("https") => Scheme::Https,
            Some(other) => return Err(UrlError::OtherScheme(other.to_string())),
            None => return Err(UrlError::NoScheme),
        };
        let host = uri.host().filter(|h| !h.is_empty()).ok_or(UrlError::NoHost)?.to_string();
        let port = uri.port_u16().unwrap_or(if scheme == Scheme::Https { 443 } else { 80 });
        let path = uri.path_and_query().map(|p| p.as_str()).filter(|p| !p.is_empty()).unwrap_or("/").to_string();
        Ok(Url { scheme, host, port, path })
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn is_https(&self) -> bool {
        self.scheme == Scheme::Https
    }

    /// The host as written in the URL (an IPv6 address in brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The host without IPv6 brackets, for lookups, sockets, TLS names and messages.
    pub fn bare_host(&self) -> &str {
        self.host.trim_start_matches('[').trim_end_matches(']')
    }

    /// The host's address when the URL names one directly.
    pub fn ip(&self) -> Option<IpAddr> {
        self.bare_host().parse().ok()
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Path and query, starting with `/`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `host:port` as sent in `Host` and CONNECT (the port always; IPv6 in brackets).
    pub fn authority(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// The same host with another path (a path that does not start with `/` gets
    /// one). Bytes that cannot stand in a request line (white space, control
    /// characters, non-ASCII) are percent-encoded, so a path from outside text
    /// cannot split the request.
    pub fn with_path(&self, path: &str) -> Url {
        let mut encoded = String::with_capacity(path.len() + 1);
        if !path.starts_with('/') {
            encoded.push('/');
        }
        for byte in path.bytes() {
            if (0x21..=0x7e).contains(&byte) {
                encoded.push(char::from(byte));
            } else {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
        Url { path: encoded, ..self.clone() }
    }

    /// The absolute URL (for a proxy's request line and for messages).
    pub fn url(&self) -> String {
        let scheme = if self.is_https() { "https" } else { "http" };
        format!("{scheme}://{}{}", self.authority(), self.path)
    }
}
